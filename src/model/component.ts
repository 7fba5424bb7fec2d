/**
 * `settings.component` of the configuration: which StatefulSet of a render is the cilium-etcd
 * component. Every cilium-etcd rule judges only that StatefulSet (other etcds of a monorepo, such
 * as mimir-etcd, are not its subject). Fields left out take the upstream component's values
 * (rules/support/options.ts, COMPONENT_DEFAULTS).
 */
export interface ComponentSetting {
  /** Pod template labels the component's StatefulSet carries (all of them). */
  matchLabels?: Record<string, string>;
  /** Name of the etcd container in the pod template. */
  container?: string;
}
