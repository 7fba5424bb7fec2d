import type { Finding } from '../engine/types.ts';
import { sha256Hex } from '../util/lazy-builtins.ts';

/**
 * A finding's identity from its meaning, never from where it is printed: the rule, the object
 * (kind, namespace, name), the field path, the message id and the data the message was filled from
 * (and the ArgoCD Application whose render it is about). No line, column or file: it survives line
 * shifts, moved files and reworded messages. Findings of the tool itself (render, argocd,
 * suppression, fatal), which have no message id, are identified by their text with positions
 * (`file:12:3`) taken out.
 */
export function findingIdentity(f: Finding): string {
  const app = f.application !== undefined ? [f.application] : [];
  const object = f.resource ? [f.resource.kind, f.resource.namespace ?? '', f.resource.name] : [];
  if (f.messageId !== undefined) {
    return JSON.stringify([f.ruleId, ...object, f.field ?? '', f.messageId, sortedData(f.data), ...app]);
  }
  return JSON.stringify([f.ruleId, ...object, f.field ?? '', f.message.replace(/:\d+(:\d+)?\b/g, ''), ...app]);
}

function sortedData(data: Finding['data']): [string, string | number][] {
  return data
    ? Object.keys(data)
        .sort()
        .map((k) => [k, data[k]!])
    : [];
}

/** sha256 (hex) of findingIdentity: SARIF's partialFingerprints, the baseline's matching key. */
export function fingerprint(f: Finding): string {
  return sha256Hex(findingIdentity(f));
}
