/**
 * Writes docs/rules.md from the rules' metadata: a table per preset (id linked to its page,
 * default severity, description, presets, whether `--fix` can fix it) and the text around them.
 *
 *   npm run docs:rules          # write docs/rules.md
 *   npm run docs:rules:check    # exit 1 when docs/rules.md is not what this would write
 *
 * A rule "has a fix" when running it on its failing fixture (rules/fixtures/<id>/fail.yaml, with
 * its default options) gives a report that declares one (`fix` in the report: see
 * src/engine/types.ts). The rules' `meta` carries no fix flag; the fixture is the evidence. A
 * deprecated alias (meta.deprecated) has none: its page points at its rule's.
 * test/docs.test.ts runs checkRulesDoc() so that `npm test` fails when docs/rules.md is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { builtinRules } from '../rules/index.ts';
import { PRESET_NAMES, presetOptions, presetsOf, replacementSpelling } from '../src/engine/presets.ts';
import type { ApplicationDoc, KubeObject, LintInput, Report, Rule } from '../src/engine/types.ts';
import { isObject } from '../src/model/provenance.ts';
import { loadYamlDocuments } from '../src/yaml/load.ts';

export const RULES_DOC = fileURLToPath(new URL('../docs/rules.md', import.meta.url));
const FIXTURES = new URL('../rules/fixtures/', import.meta.url);

/** Whether the rule declares a fix on its failing fixture. */
export function hasFix(id: string, rule: Rule<any>): boolean {
  // A deprecated alias never runs by itself (the engine folds it into its rule) and has no fixture.
  if (rule.meta.deprecated) return false;
  const text = readFileSync(new URL(`${id}/fail.yaml`, FIXTURES), 'utf8');
  const docs = text.split(/^---$/m);
  const isApp = (d: string) => /^kind: Application$/m.test(d) && /^apiVersion: argoproj\.io\//m.test(d);
  const file = `/repo/rules/fixtures/${id}/fail.yaml`;
  const objects = (t: string): KubeObject[] =>
    loadYamlDocuments(t, { file })
      .map((d) => d.value)
      .filter(isObject);
  const applications: ApplicationDoc[] = objects(docs.filter(isApp).join('---\n')).map((object) => ({ object, file }));
  const target = '/repo/overlays/dev';
  const input: LintInput = {
    targetPath: target,
    targetLocation: { file: `${target}/kustomization.yaml`, line: 1, column: 1, endLine: 1, endColumn: 1 },
    resources: objects(docs.filter((d) => !isApp(d)).join('---\n')),
    applications,
    repoRoot: '/repo',
    dependencyDirs: [target],
  };
  const reports: Report[] = [];
  rule.check({ options: { ...rule.meta.defaultOptions }, input, report: (r) => void reports.push(r) });
  return reports.some((r) => r.fix !== undefined);
}

/** The presets that hold the rule, each with the options it sets (`baseline (scope: workloads)`). */
function presetsCell(id: string, rule: Rule<any>): string {
  const cells = presetsOf(id).map((p) => {
    const options = rule.meta.presetOptions?.[p] ? presetOptions(rule, [p]) : undefined;
    const spelled = Object.entries(options ?? {}).map(([k, v]) => `${k}: ${String(v)}`);
    return spelled.length ? `${p} (${spelled.join(', ')})` : p;
  });
  return cells.join(', ') || 'none';
}

const row = (id: string, rule: Rule<any>) =>
  `| [\`${id}\`](../rules/${id}.md) | ${rule.meta.defaultSeverity} | ${rule.meta.docs.description} | ${presetsCell(id, rule)} | ${hasFix(id, rule) ? 'yes' : ''} |`;

const HEAD = '| rule | default | checks | presets | `--fix` |\n| --- | --- | --- | --- | --- |';

function table(ids: string[]): string {
  return [HEAD, ...ids.map((id) => row(id, builtinRules[id]!))].join('\n');
}

/** The deprecated aliases: each old id, and what the configuration writes instead. */
function renamedTable(ids: string[]): string {
  return [
    '| rule | default | checks | write instead |',
    '| --- | --- | --- | --- |',
    ...ids.map((id) => {
      const rule = builtinRules[id]!;
      return `| [\`${id}\`](../rules/${id}.md) | ${rule.meta.defaultSeverity} | ${rule.meta.docs.description} | \`${replacementSpelling(rule)}\` |`;
    }),
  ].join('\n');
}

/** The text of docs/rules.md. */
export function renderRulesDoc(): string {
  const all = Object.keys(builtinRules).sort();
  const renamed = all.filter((id) => builtinRules[id]!.meta.deprecated);
  const ids = all.filter((id) => !renamed.includes(id));
  const recommended = ids.filter((id) => presetsOf(id).includes('recommended'));
  const baseline = ids.filter((id) => presetsOf(id).includes('baseline'));
  const baselineOnly = baseline.filter((id) => !recommended.includes(id));
  const widened = baseline.filter((id) => builtinRules[id]!.meta.presetOptions?.baseline);
  const none = ids.filter((id) => presetsOf(id).length === 0);
  const declarative = ids.filter((id) => {
    try {
      readFileSync(new URL(`../rules/${id}.yaml`, import.meta.url));
      return true;
    } catch {
      return false;
    }
  });
  const code = (list: string[]) => list.map((id) => `\`${id}\``).join(', ');
  return `<!-- Generated by scripts/rules-table.ts from the rules' metadata: edit the rules (or the script), then run \`npm run docs:rules\`. \`npm run docs:rules:check\` and test/docs.test.ts fail when this file is stale. -->

# Rules

Expected values (ports, data directory, namespace, mirror) are rule options whose defaults are
the component's values. Each rule has a page in [\`rules/<rule-id>.md\`](../rules/) (why, what
passes, what fails, how to fix, options); \`cilium-etcd-lint explain <rule>\` prints it.
\`cilium-etcd-lint --list-rules\` lists every rule with the severity it runs at under the
configuration in effect, its description and its presets (\`--format json\` for JSON). How to
turn rules on and off and set their options: [configuration](configuration.md).

The **presets** column says which presets (${PRESET_NAMES.map((p) => `\`${p}\``).join(', ')}) hold
the rule. The **\`--fix\`** column says whether the rule declares a certain fix, which
\`cilium-etcd-lint --fix\` applies at the responsible line (see
[pull-request review](pull-requests.md)); the rule's page says what it changes.

## The component

"The etcd StatefulSet" below is the component's: the StatefulSet whose pod template carries the
labels and has the container that the configuration's \`settings.component\` names, for every
cilium-etcd rule at once. The default is the upstream component's: labels
\`app.kubernetes.io/name: cilium\` and \`app.kubernetes.io/component: etcd\`, container \`etcd\`.
Another etcd StatefulSet of the render (a monorepo's mimir-etcd: a container \`etcd\`, labels
\`app.kubernetes.io/name: mimir\`) is not judged by these rules (the rules with \`scope: workloads\`,
as the \`baseline\` preset runs them, still check it as any workload). When a target linted alone has no such StatefulSet,
\`etcd-statefulset-present\` names the selector and lists the near misses (\`StatefulSet mimir-etcd
has container etcd but labels app.kubernetes.io/name=mimir (want cilium)\`). The rules' former
\`container\` option is rejected by the configuration, with a message pointing at
\`settings.component.container\`.

\`\`\`yaml
settings:
  component:
    matchLabels: { app.kubernetes.io/name: cilium, app.kubernetes.io/component: etcd }   # all must match; {} matches any
    container: etcd
\`\`\`

In a run over several targets, the rules about the component's presence
(\`etcd-statefulset-present\`, \`argocd-application\`) report only targets that hold it: see
[repo mode](cli.md#repo-mode).

## \`recommended\`

The preset \`recommended\` is the default: the cilium-etcd invariants, its ArgoCD Application, and
the schema validation.

${table(recommended)}

## \`baseline\`

The preset \`baseline\` is generic hardening for **any** workload (Pod, Deployment, StatefulSet,
DaemonSet, ReplicaSet, Job, CronJob), plus the schema validation. It holds ${code(baseline)}${baselineOnly.length ? `, and these rules of its own:\n\n${table(baselineOnly)}\n` : ' (all listed above).'}

It runs ${code(widened)} with \`scope: workloads\`: every container of every workload, the
component's included. A configuration that extends \`recommended\` only runs them with the default
\`scope: component\`; one that extends both gets the wider scope. How presets and the
configuration's \`rules:\` merge: [configuration](configuration.md#presets-and-rules).
${none.length ? `\n## In no preset\n\nThese rules are off unless the configuration names them.\n\n${table(none)}\n` : ''}
**One field, one finding.** Each of these rules judges a container once, whatever its scope: with
\`scope: workloads\`, the component's own containers get the rule's component message (and its
fix), and every other workload's containers the generic message, which names the object. A field is
reported once by construction, and a suppression of the rule covers it whichever message it has.

## Renamed rules

These ids were the \`baseline\` preset's generic twins of the rules above, until each pair became
one rule with a \`scope\` option. They still work, as deprecated aliases: in \`rules:\` an old id
stands for its rule with \`scope: workloads\` (at the more severe of the two severities when both
are set), with a one-line warning naming the new spelling; an exemption, a lock or an ignore
annotation naming an old id applies to its rule. They are in no preset.

${renamedTable(renamed)}

## Declarative and code rules

Rules that are plain constraints on one object are **declarative**: a YAML file next to the page
(${code(declarative)}), the same format as [custom rules](custom-rules.md#declarative-rules),
registered from the sorted list \`DECLARATIVE_RULE_IDS\` of \`rules/index.ts\` without a module of
their own; \`host-network\` matches every StatefulSet in its file, is narrowed to the component by
\`scope: component\`, and its \`fix\` sets the reported field. The rules with a \`scope\` option, the
cross-resource checks (Service and PDB selectors, ports that must agree, the ArgoCD Application)
and the rest are code. Each rule also has a passing and a failing fixture in
\`rules/fixtures/<rule-id>/\`; \`test/rules/coverage.test.ts\` fails when a rule lacks a page, a
fixture or a row in these tables.

## Findings of the tool itself

Four more kinds of finding come from the tool itself, not from a rule:

- \`render\` (warning): something kustomize accepts silently, such as a patch target that selects
  nothing, or a resource without \`apiVersion\`;
- \`argocd\` (info): the ArgoCD checks were skipped because the target is not inside a git
  repository, or \`--renderer kustomize\` did not apply an Application's \`spec.source.kustomize\`;
- \`suppression\` (error): a suppression without a reason, an expired exemption, or an annotation
  on a locked rule (see [suppressions](configuration.md#suppressions));
- \`fatal\` (error): in a run over several targets, a target that could not be rendered or read, on
  the file and line responsible (see [keep-going](cli.md#a-run-with-several-targets-keeps-going)).
`;
}

/** Whether docs/rules.md is what renderRulesDoc() writes; if not, a message saying what differs and how to fix it. */
export function checkRulesDoc(): { ok: boolean; message: string } {
  const want = renderRulesDoc();
  let have: string;
  try {
    have = readFileSync(RULES_DOC, 'utf8');
  } catch {
    return { ok: false, message: 'docs/rules.md is missing: run `npm run docs:rules`' };
  }
  if (have === want) return { ok: true, message: 'docs/rules.md is up to date' };
  const a = have.split('\n');
  const b = want.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return {
    ok: false,
    message:
      `docs/rules.md is stale (first difference at line ${i + 1}):\n` +
      `- ${a[i] ?? '<end of file>'}\n+ ${b[i] ?? '<end of file>'}\n` +
      'Run `npm run docs:rules` and commit docs/rules.md.',
  };
}

function main(argv: string[]): number {
  if (argv.includes('--check')) {
    const { ok, message } = checkRulesDoc();
    (ok ? process.stdout : process.stderr).write(`${message}\n`);
    return ok ? 0 : 1;
  }
  writeFileSync(RULES_DOC, renderRulesDoc());
  process.stdout.write('wrote docs/rules.md\n');
  return 0;
}

// Run by vite-node (`npm run docs:rules`), not when a test imports it (vitest sets VITEST).
if (!process.env.VITEST) process.exitCode = main(process.argv.slice(2));
