import type { Container, PodSpec } from 'kubernetes-types/core/v1.js';
import { defineRule, type KubeObject, type LintInput, type Rule } from '../../src/engine/types.ts';
import { componentOptionsSchema } from './options.ts';
import { getPath, isObject, type FieldPath } from '../../src/model/provenance.ts';
import { nameOf, podSpecPath } from './k8s.ts';
import { POD_SPEC_PATH, containerName, findComponentStatefulSets, podContainers } from './statefulset.ts';

/**
 * The `scope` option of the container hardening rules (no-privileged, no-privilege-escalation,
 * read-only-root-filesystem, drop-all-capabilities, image-digest): which workloads they judge.
 *
 * - `component` (the default): the cilium-etcd component's StatefulSets only, the ones
 *   `settings.component` selects (findComponentStatefulSets);
 * - `workloads`: every workload of the render (Pods, PodTemplates, ReplicationControllers,
 *   Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs: podSpecPath), the
 *   component's StatefulSets among them. The preset `baseline` sets it.
 *
 * One rule judges each container once, so one field is reported once, whatever the scope.
 */
export const SCOPES = ['component', 'workloads'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ScopeOptions {
  scope: Scope;
}

export const SCOPE_DEFAULTS: ScopeOptions = { scope: 'component' };

/** JSON Schema of the `scope` option. */
export const SCOPE_OPTION: Record<string, unknown> = {
  enum: [...SCOPES],
  description:
    "component (default): the cilium-etcd component's StatefulSets only (settings.component); workloads: every workload of the render " +
    '(Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, ...), the component included. The preset baseline sets workloads.',
};

/** One container the rule judges, with where it is and whose it is. */
export interface ScopedContainer {
  /** The rendered object holding the container (what the report names). */
  resource: KubeObject;
  container: Container;
  /** Path of the container in `resource` (`...containers[i]` or `...initContainers[i]`). */
  path: FieldPath;
  /** The container belongs to one of the component's StatefulSets: the rule's component message and fix apply. */
  component: boolean;
  /** For messages: the object's kind and name, and the container's name. */
  kind: string;
  name: string;
  containerName: string;
}

/**
 * The containers and init containers the rule judges under `scope`, in render order: the
 * component's StatefulSets' (`component: true`), and with `workloads` every other workload's too
 * (`component: false`).
 */
export function scopedContainers(input: LintInput, scope: Scope): ScopedContainer[] {
  const components = findComponentStatefulSets(input.resources, input.component);
  const out: ScopedContainer[] = [];
  const add = (resource: KubeObject, spec: PodSpec | undefined, specPath: FieldPath, component: boolean) => {
    for (const { container, path } of podContainers(spec, specPath)) {
      out.push({
        resource,
        container,
        path,
        component,
        kind: String(resource.kind ?? ''),
        name: nameOf(resource),
        containerName: containerName(container),
      });
    }
  };
  if (scope === 'component') {
    for (const s of components) add(s.resource, s.podSpec, POD_SPEC_PATH, true);
    return out;
  }
  const isComponent = new Set<KubeObject>(components.map((s) => s.resource));
  for (const resource of input.resources) {
    const specPath = podSpecPath(resource);
    if (!specPath) continue;
    const spec = getPath(resource, specPath);
    if (!isObject(spec)) continue;
    add(resource, spec as unknown as PodSpec, specPath, isComponent.has(resource));
  }
  return out;
}

/** What a boolean securityContext rule needs said: the field, the value it must hold, its wording. */
export interface SecurityContextFlag<M extends string> {
  field: 'privileged' | 'allowPrivilegeEscalation' | 'readOnlyRootFilesystem';
  /** The value the component's fix sets. */
  value: boolean;
  /** Whether the field's current value (unset: undefined) passes. */
  passes: (current: unknown) => boolean;
  description: string;
  /** Message ids: one for the component's containers (with a fix), one for other workloads'. */
  messageIds: { component: M; workload: M };
  messages: Record<M, string>;
}

/**
 * A rule that one boolean of every scoped container's securityContext holds `value`
 * (no-privileged, no-privilege-escalation, read-only-root-filesystem): the same scope option,
 * presets and messages shape; only the field and the wording differ.
 */
export function defineSecurityContextFlagRule<M extends string>(flag: SecurityContextFlag<M>): Rule<ScopeOptions, M> {
  return defineRule<ScopeOptions, M>({
    meta: {
      type: 'problem',
      docs: { description: flag.description },
      defaultSeverity: 'error',
      presets: ['recommended', 'baseline'],
      presetOptions: { baseline: { scope: 'workloads' } },
      schema: componentOptionsSchema({ scope: SCOPE_OPTION }),
      defaultOptions: SCOPE_DEFAULTS,
      messages: flag.messages,
    },
    check(context) {
      for (const c of scopedContainers(context.input, context.options.scope)) {
        if (flag.passes(c.container.securityContext?.[flag.field])) continue;
        const path = [...c.path, 'securityContext', flag.field];
        if (c.component) {
          context.report({
            resource: c.resource,
            path,
            messageId: flag.messageIds.component,
            data: { container: c.containerName },
            fix: { kind: 'set', path, value: flag.value, description: `set securityContext.${flag.field}: ${flag.value}` },
          });
        } else {
          context.report({
            resource: c.resource,
            path,
            messageId: flag.messageIds.workload,
            data: { kind: c.kind, name: c.name, container: c.containerName },
          });
        }
      }
    },
  });
}
