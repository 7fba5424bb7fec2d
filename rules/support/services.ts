import type { KubeObject } from '../../src/engine/types.ts';
import { isKind, nameOf, namespaceOf } from './k8s.ts';

/** Services of the render named `name` in `namespace` (undefined: rendered without a namespace). */
export function findServices(resources: readonly KubeObject[], name: string, namespace: string | undefined): KubeObject[] {
  return resources.filter((r) => isKind(r, '', 'Service') && nameOf(r) === name && (namespaceOf(r) ?? '') === (namespace ?? ''));
}
