import type { BaselineState, Finding } from '../engine/types.ts';

export interface BaselineSummary {
  /** The ref as given, the commit it resolved to, and the merge-base the head was compared with. */
  ref: string;
  commit: string;
  mergeBase: string;
  counts: Record<BaselineState, number>;
  /** Findings of the base revision that the working tree no longer has, each with its target (locations are the base revision's lines). */
  absent: Finding[];
  /** Targets the base revision does not have (or could not render): all their findings are new. */
  newTargets: string[];
}
