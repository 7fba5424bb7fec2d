import { presetsOf } from '../engine/presets.ts';
import type { ResolvedConfig } from '../engine/config.ts';
import { UserError } from '../model/errors.ts';
import { ruleDoc } from '../report/rule-docs.ts';
import { TOOL_FINDINGS } from '../report/rule-catalog.ts';
import { didYouMean } from '../schema/suggest.ts';

/** `--list-rules` and `explain <rule>`. */

export interface RuleListing {
  id: string;
  /** The rule's own default severity. */
  defaultSeverity: string;
  /** The severity it runs at under the configuration in effect (`off` when no preset enables it). */
  severity: string;
  presets: string[];
  source: 'builtin' | 'custom' | 'tool';
  description: string;
}

export function listRules(config: ResolvedConfig): RuleListing[] {
  const out: RuleListing[] = Object.entries(config.rules).map(([id, rule]) => ({
    id,
    defaultSeverity: rule.meta.defaultSeverity,
    severity: config.settings[id]?.severity ?? rule.meta.defaultSeverity,
    presets: config.customRules[id] ? [] : presetsOf(id),
    source: config.customRules[id] ? 'custom' : 'builtin',
    description: rule.meta.docs.description,
  }));
  for (const [id, info] of Object.entries(TOOL_FINDINGS)) {
    out.push({
      id,
      defaultSeverity: info.defaultSeverity,
      severity: info.defaultSeverity,
      presets: [],
      source: 'tool',
      description: info.description,
    });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function formatRuleList(rows: RuleListing[], format: string): string {
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  const w = Math.max(...rows.map((r) => r.id.length));
  const lines = rows.map(
    (r) =>
      `${r.id.padEnd(w)}  ${r.severity.padEnd(7)}  ${r.description}${r.presets.length ? `  [${r.presets.join(', ')}]` : r.source !== 'builtin' ? `  [${r.source}]` : ''}`,
  );
  return `${'rule'.padEnd(w)}  ${'runs as'.padEnd(7)}  description\n${lines.join('\n')}\n`;
}

/** The rule's documentation page (why, what passes, what fails, how to fix). */
export function explainRule(id: string | undefined, config: ResolvedConfig): string {
  if (!id) throw new UserError('explain needs a rule id: cilium-etcd-lint explain <rule> (see --list-rules)');
  const rule = config.rules[id];
  if (!rule && !TOOL_FINDINGS[id])
    throw new UserError(`explain: unknown rule "${id}"${didYouMean(id, [...Object.keys(config.rules), ...Object.keys(TOOL_FINDINGS)])}`);
  const doc = config.customRules[id] ? undefined : ruleDoc(id);
  if (doc) return doc.endsWith('\n') ? doc : `${doc}\n`;
  const info = rule
    ? { description: rule.meta.docs.description, severity: rule.meta.defaultSeverity }
    : { description: TOOL_FINDINGS[id]!.fullDescription, severity: TOOL_FINDINGS[id]!.defaultSeverity };
  const from = config.customRules[id] ? `\nDefined by ${config.customRules[id]} (a custom rule).\n` : '';
  return `# ${id}\n\n${info.description}\n\n**Default severity:** ${info.severity}\n${from}`;
}
