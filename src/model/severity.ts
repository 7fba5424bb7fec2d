/** How a finding counts: a rule's default severity, and the one the configuration gives it. */
export type Severity = 'error' | 'warning' | 'info';
/** A severity, or `off` (the rule does not run). */
export type SeveritySetting = Severity | 'off';
