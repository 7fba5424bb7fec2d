import type { Rule, Severity } from '../engine/types.ts';
import { docSection, ruleDoc } from './rule-docs.ts';
import { TOOL_FINDINGS_HELP_URI, ruleHelpUri } from './tool-info.ts';

/** What a report needs to know about a rule id: the built-in rules plus the tool's own findings. */
export interface RuleInfo {
  id: string;
  /** A Pascal-case friendly name, different from the id (SARIF `name`). */
  name: string;
  /** One sentence. */
  description: string;
  /** A paragraph or more: what it checks. */
  fullDescription: string;
  defaultSeverity: Severity;
  helpUri: string;
  /** The rule's documentation page, when there is one. */
  helpMarkdown: string | undefined;
  tags: string[];
  /** Old ids of the rule (deprecated aliases: meta.deprecated), which the catalog does not list on their own (SARIF `deprecatedIds`). */
  deprecatedIds?: string[];
  /** Their friendly names (SARIF `deprecatedNames`), in the same order. */
  deprecatedNames?: string[];
}

/** Findings that come from the tool itself rather than from a rule (see README, "Rules"). */
export const TOOL_FINDINGS: Readonly<Record<string, Omit<RuleInfo, 'id' | 'helpUri' | 'helpMarkdown'>>> = {
  argocd: {
    name: 'ArgoCdChecksSkipped',
    description: 'The ArgoCD Application checks were skipped because the target is not inside a git repository.',
    fullDescription:
      'Applications are found by walking up from the overlay to the git repository root and reading its YAML files. ' +
      'When the overlay is not inside a git repository there is no root to search, so the ArgoCD Application checks are skipped and this finding says so.',
    defaultSeverity: 'info',
    tags: ['argocd'],
  },
  suppression: {
    name: 'SuppressionProblem',
    description:
      'A suppression that cannot be honoured: no reason, an expired exemption, an unknown rule, or an annotation on a locked rule.',
    fullDescription:
      'Suppressions (configuration exemptions and the cilium-etcd-lint.io/ignore annotation) need a reason. An exemption past its expires date, ' +
      'an annotation without a reason or naming an unknown rule, and an annotation on a rule the configuration locks (lockedRules) are errors, and the finding they meant to suppress is reported as usual.',
    defaultSeverity: 'error',
    tags: ['configuration'],
  },
  fatal: {
    name: 'TargetCouldNotBeLinted',
    description: 'A lint target could not be rendered or read, so it was not linted.',
    fullDescription:
      'In a run over several targets (a list, a glob, --all, --changed, the Action), a target that cannot be rendered (an unreadable or invalid file, ' +
      'a missing resource, a remote base, a plugin the built-in renderer does not run) does not stop the run: its cause is reported as this finding, on the file and line responsible, ' +
      "and the run exits 2. Exclude a target the built-in renderer cannot render with the configuration's exclude (with a reason) or --exclude.",
    defaultSeverity: 'error',
    tags: ['kustomize'],
  },
  render: {
    name: 'KustomizationEntryWithoutEffect',
    description: 'Something kustomize accepts silently, such as a patch target that selects nothing.',
    fullDescription:
      'The built-in renderer reports kustomization entries that kustomize accepts without complaint but that have no effect, ' +
      'such as a patch whose target selects no resource. The finding points at the entry responsible.',
    defaultSeverity: 'warning',
    tags: ['kustomize'],
  },
};

/**
 * Every rule a run can report, sorted by id: built-in rules and the tool's own findings. A
 * deprecated alias (meta.deprecated) whose rule is among `rules` is not an entry of its own: the
 * engine never reports under an old id when its rule is there (src/engine/run.ts), and the entry
 * of the rule that replaced it lists the old id in `deprecatedIds` (SARIF 2.1.0 reportingDescriptor.deprecatedIds: the ids
 * by which the rule was known in a previous version of the tool). An alias without its rule (a
 * run of that one rule) keeps its own entry.
 */
export function ruleCatalog(rules: Readonly<Record<string, Rule<any>>>): RuleInfo[] {
  const out: RuleInfo[] = [];
  const oldIds = new Map<string, string[]>();
  for (const [id, rule] of Object.entries(rules)) {
    const to = rule.meta.deprecated?.replacedBy;
    if (to === undefined || to === id || !Object.hasOwn(rules, to) || rules[to]!.meta.deprecated) continue;
    oldIds.set(to, [...(oldIds.get(to) ?? []), id].sort());
  }
  const folded = new Set([...oldIds.values()].flat());
  for (const [id, rule] of Object.entries(rules)) {
    if (folded.has(id)) continue;
    const doc = ruleDoc(id);
    const checks = doc ? docSection(doc, 'What it checks') : undefined;
    const old = oldIds.get(id);
    out.push({
      id,
      name: friendlyName(id),
      description: rule.meta.docs.description,
      fullDescription: checks ?? rule.meta.docs.description,
      defaultSeverity: rule.meta.defaultSeverity,
      helpUri: ruleHelpUri(id),
      helpMarkdown: doc,
      tags: [id.startsWith('argocd-') ? 'argocd' : 'etcd', rule.meta.type],
      ...(old ? { deprecatedIds: old, deprecatedNames: old.map(friendlyName) } : {}),
    });
  }
  for (const [id, info] of Object.entries(TOOL_FINDINGS)) {
    if (rules[id]) continue;
    out.push({ id, ...info, helpUri: TOOL_FINDINGS_HELP_URI, helpMarkdown: undefined });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** `etcd-data-dir` → `EtcdDataDir`; a one-word id gets a suffix so that the name is not the id again. */
export function friendlyName(id: string): string {
  const name = id
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
  return name.toLowerCase() === id.toLowerCase() ? `${name}Check` : name;
}
