import type { Rule } from '../../src/engine/types.ts';
import { presetOptions } from '../../src/engine/presets.ts';
import { COMPONENT, IMAGE, PDB, SERVICE, STATEFUL_SET, stream } from './fixtures.ts';
import { edit, lineOf, type InvalidCase, type ValidCase } from './rule-tester.ts';

/**
 * The cases every rule with a `scope` option shares (no-privileged, no-privilege-escalation,
 * read-only-root-filesystem, drop-all-capabilities, image-digest): `component` (the default)
 * judges the component's StatefulSet only; `workloads` every workload, the component's containers
 * with the component message, the others with the generic one; the presets' options merged
 * (recommended and baseline: the wider scope).
 */

const SECURITY_CONTEXT = `securityContext:
          allowPrivilegeEscalation: false
          capabilities:
            drop:
            - ALL
          privileged: false
          readOnlyRootFilesystem: true`;

/** A hardened Deployment (another team's workload): passes every rule, whatever the scope. */
export const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: ${IMAGE}
        ${SECURITY_CONTEXT}
`;

/** A hardened bare Pod whose pod spec is `spec`. */
export const POD = `apiVersion: v1
kind: Pod
metadata:
  name: debug
  namespace: apps
spec:
  containers:
  - name: shell
    image: ${IMAGE}
    ${SECURITY_CONTEXT.replace(/\n {4}/g, '\n')}
`;

/** A hardened CronJob whose pod spec is under jobTemplate. */
export const CRONJOB = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
  namespace: apps
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: job
            image: ${IMAGE}
            ${SECURITY_CONTEXT.replace(/\n/g, '\n    ')}
`;

/** mimir-etcd: an etcd StatefulSet that is not the component (other pod template labels). */
export const OTHER_ETCD = edit(
  edit(
    edit(STATEFUL_SET, 'name: cilium-etcd-0\n', 'name: mimir-etcd\n'),
    'app.kubernetes.io/name: cilium\n    spec:',
    'app.kubernetes.io/name: mimir\n    spec:',
  ),
  '      app.kubernetes.io/name: cilium\n  template:',
  '      app.kubernetes.io/name: mimir\n  template:',
);

export interface ScopeSpec {
  rule: Rule<any, any>;
  /** The edit that breaks a hardened container for this rule (applied to one document). */
  from: string;
  to: string;
  /** The line a finding points at in `text` (default: the line of `to`). */
  line?: (text: string) => number;
  /** The rule's message ids: the component's and the generic one. */
  component: string;
  workload: string;
}

export function scopeCases(spec: ScopeSpec): { valid: ValidCase[]; invalid: InvalidCase[] } {
  const bad = (doc: string) => edit(doc, spec.from, spec.to);
  const at = spec.line ?? ((text: string) => lineOf(text, spec.to));
  const workloads = { scope: 'workloads' };
  const generic = (text: string, object: string, container: string) => ({
    messageId: spec.workload,
    line: at(text),
    object,
    data: { kind: object.split('/')[0]!, name: object.split('/')[1]!, container },
  });
  const deployment = stream(COMPONENT, bad(DEPLOYMENT));
  const component = stream(SERVICE, bad(STATEFUL_SET), PDB, DEPLOYMENT);
  const pod = stream(COMPONENT, bad(POD));
  const cronjob = stream(COMPONENT, bad(CRONJOB));
  const otherEtcd = stream(COMPONENT, bad(OTHER_ETCD));
  // Both presets extended: the options the engine gets from them (src/engine/presets.ts).
  const both = presetOptions(spec.rule, ['baseline', 'recommended']) ?? {};
  const recommendedOnly = presetOptions(spec.rule, ['recommended']) ?? {};
  return {
    valid: [
      { name: 'scope component (the default): another workload is not judged', input: { resources: deployment } },
      { name: 'scope component: an etcd StatefulSet that is not the component is not judged', input: { resources: otherEtcd } },
      { name: 'preset recommended alone: scope component', input: { resources: deployment }, options: recommendedOnly },
      {
        name: 'scope workloads: hardened workloads of every kind pass',
        input: { resources: stream(COMPONENT, DEPLOYMENT, POD, CRONJOB, OTHER_ETCD) },
        options: workloads,
      },
    ],
    invalid: [
      {
        name: 'scope workloads: a Deployment gets the generic message, naming it',
        input: { resources: deployment },
        options: workloads,
        errors: [generic(deployment, 'Deployment/web', 'web')],
      },
      {
        name: 'scope workloads: a bare Pod (pod spec at spec)',
        input: { resources: pod },
        options: workloads,
        errors: [generic(pod, 'Pod/debug', 'shell')],
      },
      {
        name: 'scope workloads: a CronJob (pod spec under jobTemplate)',
        input: { resources: cronjob },
        options: workloads,
        errors: [generic(cronjob, 'CronJob/report', 'job')],
      },
      {
        name: 'scope workloads: an etcd StatefulSet that is not the component is any workload',
        input: { resources: otherEtcd },
        options: workloads,
        errors: [generic(otherEtcd, 'StatefulSet/mimir-etcd', 'etcd')],
      },
      {
        name: "scope workloads: the component's container keeps the component message (reported once)",
        input: { resources: component },
        options: workloads,
        errors: [{ messageId: spec.component, line: at(component), object: 'StatefulSet/cilium-etcd-0', data: { container: 'etcd' } }],
      },
      {
        name: 'presets recommended and baseline extended: the wider scope (workloads) wins',
        input: { resources: deployment },
        options: both,
        errors: [generic(deployment, 'Deployment/web', 'web')],
      },
    ],
  };
}
