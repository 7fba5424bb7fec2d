import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.ts';
import { COMPONENT_DEFAULTS } from '../../rules/support/options.ts';
import { componentNearMisses, describeComponent, findComponentStatefulSets, resolveComponent } from '../../rules/support/statefulset.ts';
import { PRESETS } from '../../src/engine/presets.ts';
import { runRulesDetailed } from '../../src/engine/run.ts';
import type { ComponentSetting } from '../../src/model/component.ts';
import { APPLICATION, COMPONENT, STATEFUL_SET, stream } from './fixtures.ts';
import { MIMIR_RENDERED, MIMIR_TREE } from './mimir-etcd.ts';
import { buildInput, edit, runRule, type InputSpec } from './rule-tester.ts';

/**
 * settings.component: which StatefulSet is the cilium-etcd component. Every cilium-etcd rule (the
 * preset `recommended` less the schema rules) judges only it: another etcd of a monorepo
 * (mimir-etcd: a container named etcd, pod template labels app.kubernetes.io/name: mimir) is not
 * its subject, however far it is from the component's invariants.
 */

const HIPPOCAMPUS = path.resolve(__dirname, '../../../shared/corpus/hippocampus/repo/cluster/manifests');
const UPSTREAM_STS = path.join(HIPPOCAMPUS, 'cilium-etcd/base/stateful_set.yaml');
const FIXTURE_STS = path.resolve(__dirname, '../../fixtures/cilium-etcd/base/stateful_set.yaml');

const MIMIR_NEAR_MISS = 'StatefulSet mimir-etcd has container etcd but labels app.kubernetes.io/name=mimir (want cilium)';

/** The cilium-etcd rules: every rule of `recommended` but the generic schema checks. */
const COMPONENT_RULES = Object.keys(PRESETS.recommended).filter((id) => !id.startsWith('kubernetes-schema'));

function statefulSets(spec: InputSpec) {
  return findComponentStatefulSets(buildInput(spec).resources, spec.component).map((s) => s.name);
}

/** Every finding of the cilium-etcd rules on `spec`, as `ruleId: message` (suppressions none). */
function componentFindings(spec: InputSpec): string[] {
  const rules = Object.fromEntries(COMPONENT_RULES.map((id) => [id, builtinRules[id]!]));
  const { findings } = runRulesDetailed(buildInput(spec), rules);
  return findings.map((f) => `${f.ruleId}: ${f.resource ? `${f.resource.kind}/${f.resource.name} ` : ''}${f.message}`);
}

describe('the component (settings.component)', () => {
  it('defaults to the upstream component: labels app.kubernetes.io/name: cilium, app.kubernetes.io/component: etcd; container etcd', () => {
    expect(resolveComponent()).toEqual({
      matchLabels: { 'app.kubernetes.io/name': 'cilium', 'app.kubernetes.io/component': 'etcd' },
      container: 'etcd',
    });
    expect(resolveComponent({})).toEqual(resolveComponent());
    expect(COMPONENT_DEFAULTS.container).toBe('etcd');
    expect(describeComponent()).toBe(
      'pod template labels app.kubernetes.io/name=cilium, app.kubernetes.io/component=etcd and a container named "etcd"',
    );
  });

  it('matches the bundled example component (fixtures/cilium-etcd)', () => {
    expect(statefulSets({ resources: readFileSync(FIXTURE_STS, 'utf8') })).toEqual(['cilium-etcd-0']);
  });

  it.skipIf(!existsSync(UPSTREAM_STS))('matches the upstream StatefulSet exactly (../shared: cluster/manifests/cilium-etcd/base)', () => {
    const text = readFileSync(UPSTREAM_STS, 'utf8');
    expect(statefulSets({ resources: text })).toEqual(['cilium-etcd-0']);
    // Every default label is one the upstream pod template carries, with its value.
    const sts = findComponentStatefulSets(buildInput({ resources: text }).resources)[0]!;
    for (const [k, v] of Object.entries(COMPONENT_DEFAULTS.matchLabels)) expect(sts.podLabels[k]).toBe(v);
  });

  it.skipIf(!existsSync(path.join(HIPPOCAMPUS, 'utilities/etcd')))('the in-repo mimir-etcd copy is the upstream one (../shared)', () => {
    for (const [rel, text] of Object.entries(MIMIR_TREE)) {
      const upstream = path.join(HIPPOCAMPUS, rel.replace(/^cluster\/manifests\//, ''));
      // Two files are cut down (the Istio resources left out); the others are copied as they are.
      if (rel.endsWith('mimir/overlays/dev/kustomization.yaml') || rel.endsWith('mimir/overlays/dev/etcd/kustomization.yaml')) continue;
      expect(text, rel).toBe(readFileSync(upstream, 'utf8'));
    }
  });

  it('does not take mimir-etcd (a container named etcd, labels app.kubernetes.io/name: mimir)', () => {
    expect(statefulSets({ resources: MIMIR_RENDERED })).toEqual([]);
    expect(statefulSets({ resources: stream(COMPONENT, MIMIR_RENDERED) })).toEqual(['cilium-etcd-0']);
  });

  it('is what settings.component says: other labels, another container, or any labels ({})', () => {
    const mimir: ComponentSetting = { matchLabels: { 'app.kubernetes.io/name': 'mimir', 'app.kubernetes.io/component': 'etcd' } };
    expect(statefulSets({ resources: stream(COMPONENT, MIMIR_RENDERED), component: mimir })).toEqual(['mimir-etcd']);
    expect(statefulSets({ resources: stream(COMPONENT, MIMIR_RENDERED), component: { matchLabels: {} } })).toEqual([
      'cilium-etcd-0',
      'mimir-etcd',
    ]);
    const renamed = edit(STATEFUL_SET, '- name: etcd', '- name: etcd-main');
    expect(statefulSets({ resources: renamed })).toEqual([]);
    // Only the container given: the default labels still apply.
    expect(statefulSets({ resources: renamed, component: { container: 'etcd-main' } })).toEqual(['cilium-etcd-0']);
    expect(statefulSets({ resources: MIMIR_RENDERED, component: { container: 'etcd' } })).toEqual([]);
    // A label the pod template lacks.
    expect(
      statefulSets({ resources: STATEFUL_SET, component: { matchLabels: { 'app.kubernetes.io/name': 'cilium', tier: 'kv' } } }),
    ).toEqual([]);
  });
});

describe('componentNearMisses', () => {
  const nearMisses = (resources: string, component?: ComponentSetting) =>
    componentNearMisses(buildInput({ resources }).resources, component).map((m) => m.description);

  it('names a StatefulSet with the container whose labels differ, and how', () => {
    expect(nearMisses(MIMIR_RENDERED)).toEqual([MIMIR_NEAR_MISS]);
    const [miss] = componentNearMisses(buildInput({ resources: MIMIR_RENDERED }).resources);
    expect(miss).toMatchObject({
      name: 'mimir-etcd',
      namespace: 'mimir',
      hasContainer: true,
      labelMismatches: [{ key: 'app.kubernetes.io/name', expected: 'cilium', actual: 'mimir' }],
    });
    const unlabelled = edit(STATEFUL_SET, '        app.kubernetes.io/name: cilium\n    spec:', '    spec:');
    expect(nearMisses(unlabelled)).toEqual([
      'StatefulSet cilium-etcd-0 has container etcd but labels app.kubernetes.io/name unset (want cilium)',
    ]);
  });

  it('names a StatefulSet with the labels whose container has another name', () => {
    expect(nearMisses(edit(STATEFUL_SET, '- name: etcd', '- name: server'))).toEqual([
      'StatefulSet cilium-etcd-0 has labels app.kubernetes.io/name=cilium, app.kubernetes.io/component=etcd but no container etcd (containers: server)',
    ]);
    const partly = edit(
      edit(STATEFUL_SET, '- name: etcd', '- name: server'),
      '        app.kubernetes.io/name: cilium\n    spec:',
      '    spec:',
    );
    expect(nearMisses(partly)).toEqual([
      'StatefulSet cilium-etcd-0 has no container etcd (containers: server) and labels app.kubernetes.io/name unset (want cilium)',
    ]);
  });

  it('leaves out the component itself and StatefulSets that share nothing with it', () => {
    expect(nearMisses(COMPONENT)).toEqual([]);
    const unrelated = edit(
      edit(MIMIR_RENDERED, '        name: etcd\n        ports:', '        name: server\n        ports:'),
      '        app.kubernetes.io/component: etcd\n        app.kubernetes.io/name: mimir\n        sidecar',
      '        app.kubernetes.io/name: mimir\n        sidecar',
    );
    expect(nearMisses(unrelated)).toEqual([]);
  });
});

describe('the cilium-etcd rules judge only the component', () => {
  it('report nothing on mimir-etcd, however far it is from the invariants; etcd-statefulset-present names the near miss', () => {
    expect(componentFindings({ resources: MIMIR_RENDERED, applications: '' })).toEqual(
      [
        `etcd-statefulset-present: No StatefulSet in the rendered output is the component (settings.component): none has pod template labels app.kubernetes.io/name=cilium, app.kubernetes.io/component=etcd and a container named "etcd"; near misses: ${MIMIR_NEAR_MISS}`,
        'argocd-application: No ArgoCD Application in the repository has this directory as its source path',
      ].sort(),
    );
  });

  it('in repo mode, report nothing at all on a target that renders only mimir-etcd', () => {
    expect(componentFindings({ resources: MIMIR_RENDERED, applications: '', repoMode: { component: true } })).toEqual([]);
    expect(componentFindings({ resources: MIMIR_RENDERED, applications: '', repoMode: { component: false } })).toEqual([]);
  });

  it('report the component beside mimir-etcd exactly as they report it alone', () => {
    const broken = edit(edit(COMPONENT, 'readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false'), '      hostNetwork: true\n', '');
    const alone = componentFindings({ resources: broken, applications: APPLICATION });
    expect(alone.length).toBeGreaterThan(2);
    expect(alone.some((f) => f.startsWith('read-only-root-filesystem: StatefulSet/cilium-etcd-0'))).toBe(true);
    expect(alone.some((f) => f.startsWith('host-network: StatefulSet/cilium-etcd-0'))).toBe(true);
    expect(componentFindings({ resources: stream(broken, MIMIR_RENDERED), applications: APPLICATION })).toEqual(alone);
  });

  it('would judge mimir-etcd if settings.component said it is the component (so the scoping is what spares it)', () => {
    const any = componentFindings({ resources: MIMIR_RENDERED, applications: '', component: { matchLabels: {} } });
    const rules = new Set(any.map((f) => f.slice(0, f.indexOf(':'))));
    for (const id of ['host-network', 'namespace', 'etcd-listen-ports', 'etcd-data-dir', 'etcd-advertise-client-url', 'etcd-backup'])
      expect(rules, id).toContain(id);
    expect(rules).not.toContain('etcd-statefulset-present');
  });

  it.each(COMPONENT_RULES.filter((id) => id !== 'etcd-statefulset-present' && id !== 'argocd-application'))(
    '%s: no report on mimir-etcd, also with an Application deploying it',
    (id) => {
      const app = edit(
        edit(APPLICATION, 'namespace: kube-system', 'namespace: mimir'),
        '  syncPolicy:\n',
        '  syncPolicy:\n    syncOptions:\n    - CreateNamespace=true\n',
      );
      expect(runRule(builtinRules[id]!, buildInput({ resources: MIMIR_RENDERED, applications: app }))).toEqual([]);
    },
  );

  it('the scoped ones judge it only with scope: workloads, as any workload (the generic message)', () => {
    const writable = edit(MIMIR_RENDERED, 'readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false');
    const input = buildInput({ resources: writable });
    const rule = builtinRules['read-only-root-filesystem']!;
    expect(runRule(rule, input)).toEqual([]);
    const workloads = runRule(rule, input, { scope: 'workloads' });
    expect(workloads.map((r) => `${r.messageId} ${r.object} ${r.field}`)).toEqual([
      'workloadNotReadOnly StatefulSet/mimir-etcd spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem',
    ]);
  });
});

describe('etcd-statefulset-present', () => {
  const present = builtinRules['etcd-statefulset-present']!;

  it('names the selector it looked for, with settings.component applied', () => {
    const [r] = runRule(present, buildInput({ resources: COMPONENT, component: { matchLabels: { team: 'net' }, container: 'kv' } }));
    expect(r!.message).toBe(
      'No StatefulSet in the rendered output is the component (settings.component): none has pod template labels team=net and a container named "kv"',
    );
    const [any] = runRule(present, buildInput({ resources: '', component: { matchLabels: {} } }));
    expect(any!.message).toBe(
      'No StatefulSet in the rendered output is the component (settings.component): none has a container named "etcd"',
    );
  });

  it('lists at most five near misses and counts the others', () => {
    const many = Array.from({ length: 7 }, (_, i) => MIMIR_RENDERED.replaceAll('mimir-etcd', `mimir-etcd-${i}`)).join('---\n');
    const [r] = runRule(present, buildInput({ resources: many }));
    expect(r!.messageId).toBe('missingNearMisses');
    expect(r!.message.match(/StatefulSet mimir-etcd-\d has container etcd/g)).toHaveLength(5);
    expect(r!.message.endsWith('; and 2 more')).toBe(true);
  });
});
