import type { SourceLocation } from './location.ts';

/** An entry of the configuration's `exemptions`: one rule accepted on one resource (optionally one container), with its reason. */
export interface Exemption {
  rule: string;
  resource: { kind: string; name: string; namespace?: string };
  container?: string;
  reason: string;
  /** YYYY-MM-DD: the last day the exemption applies. */
  expires?: string;
  /** Where it is written in the configuration. */
  location: SourceLocation;
}
