import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.ts';
import { runRulesDetailed, type RuleSettings } from '../../src/engine/run.ts';
import type { Exemption } from '../../src/engine/suppress.ts';
import { FIX_SUBJECT, type Rule } from '../../src/engine/types.ts';
import { COMPONENT, PDB, SERVICE, STATEFUL_SET, stream } from '../rules/fixtures.ts';
import { buildInput, edit } from '../rules/rule-tester.ts';
import { DEPLOYMENT } from '../rules/scope-cases.ts';

/**
 * One rule per check: the five container hardening rules judge the component or every workload
 * (`scope`), so a field is reported once by construction. Their old `baseline-*` ids are
 * deprecated aliases the engine folds into them (src/engine/run.ts, resolveAliases): a setting of
 * an alias widens the rule, a suppression naming it suppresses the rule, a lock of either holds
 * for both. The meta.twinOf filter stays for custom rules.
 */

const RULE = 'read-only-root-filesystem';
const ALIAS = 'baseline-read-only-root-filesystem';
const FIELD = 'spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem';
const writable = (doc: string) => edit(doc, 'readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false');
/** The component's etcd container and another team's Deployment, both writable. */
const BOTH_WRITABLE = stream(SERVICE, writable(STATEFUL_SET), PDB, writable(DEPLOYMENT));

const off = (ids: string[]): RuleSettings => Object.fromEntries(ids.map((id) => [id, { severity: 'off' as const }]));
/** Every built-in rule off except those given. */
function only(given: RuleSettings): RuleSettings {
  return { ...off(Object.keys(builtinRules)), ...given };
}

function run(resources: string, settings: RuleSettings, exemptions: Exemption[] = [], lockedRules: string[] = []) {
  const result = runRulesDetailed(buildInput({ resources }), builtinRules, settings, {
    exemptions,
    lockedRules: new Set(lockedRules),
    today: '2026-01-01',
    knownRules: new Set(Object.keys(builtinRules)),
  });
  const show = (f: { ruleId: string; severity: string; messageId?: string; resource?: { name: string }; field?: string }) =>
    `${f.ruleId} ${f.severity} ${f.messageId ?? '-'} ${f.resource?.name ?? '-'}${f.field === FIELD || f.field === undefined ? '' : ` ${f.field}`}`;
  return { findings: result.findings.map(show), suppressed: result.suppressed.map(show), raw: result };
}

const exemption = (rule: string, name = 'web', kind = 'Deployment'): Exemption => ({
  rule,
  resource: { kind, name },
  reason: 'accepted for the test',
  location: { file: '/repo/.cilium-etcd-lint.yaml', line: 7, column: 5, endLine: 7, endColumn: 5 },
});

describe('scope: one rule, one finding per field', () => {
  it('component (the default): the component only, with its message and fix', () => {
    const { findings, raw } = run(BOTH_WRITABLE, only({ [RULE]: { severity: 'error' } }));
    expect(findings).toEqual([`${RULE} error notReadOnly cilium-etcd-0`]);
    expect(raw.findings[0]![FIX_SUBJECT]?.intent).toMatchObject({ kind: 'set', value: true });
  });

  it('workloads: the component keeps its message and fix, another workload gets the generic message and no fix', () => {
    const { findings, raw } = run(BOTH_WRITABLE, only({ [RULE]: { severity: 'error', options: { scope: 'workloads' } } }));
    expect(findings).toEqual([`${RULE} error notReadOnly cilium-etcd-0`, `${RULE} error workloadNotReadOnly web`]);
    const fixes = raw.findings.map((f) => f[FIX_SUBJECT]?.intent.kind);
    expect(fixes).toEqual(['set', undefined]);
    expect(raw.findings[1]!.message).toBe('Deployment "web": container "web" must set securityContext.readOnlyRootFilesystem: true');
  });
});

describe('deprecated aliases (meta.deprecated)', () => {
  it('never run beside their rule: with no setting of the alias, the rule runs as configured', () => {
    // Every rule at its default severity, the aliases included: still one finding, the rule's, component only.
    const { findings } = run(BOTH_WRITABLE, {});
    expect(findings.filter((f) => f.includes('ReadOnly'))).toEqual([`${RULE} error notReadOnly cilium-etcd-0`]);
  });

  it('an alias set on runs its rule with scope: workloads, under the rule id', () => {
    const { findings } = run(BOTH_WRITABLE, only({ [ALIAS]: { severity: 'error' } }));
    expect(findings).toEqual([`${RULE} error notReadOnly cilium-etcd-0`, `${RULE} error workloadNotReadOnly web`]);
  });

  it('at the more severe of the two settings, whichever it is', () => {
    expect(run(BOTH_WRITABLE, only({ [RULE]: { severity: 'warning' }, [ALIAS]: { severity: 'error' } })).findings).toEqual([
      `${RULE} error notReadOnly cilium-etcd-0`,
      `${RULE} error workloadNotReadOnly web`,
    ]);
    expect(run(BOTH_WRITABLE, only({ [RULE]: { severity: 'error' }, [ALIAS]: { severity: 'info' } })).findings).toEqual([
      `${RULE} error notReadOnly cilium-etcd-0`,
      `${RULE} error workloadNotReadOnly web`,
    ]);
    // The alias widens the scope even over the rule's own scope: component (the wider scope wins).
    expect(
      run(BOTH_WRITABLE, only({ [RULE]: { severity: 'warning', options: { scope: 'component' } }, [ALIAS]: { severity: 'warning' } }))
        .findings,
    ).toEqual([`${RULE} warning notReadOnly cilium-etcd-0`, `${RULE} warning workloadNotReadOnly web`]);
  });

  it('an alias set off changes nothing', () => {
    expect(run(BOTH_WRITABLE, only({ [RULE]: { severity: 'error' }, [ALIAS]: { severity: 'off' } })).findings).toEqual([
      `${RULE} error notReadOnly cilium-etcd-0`,
    ]);
    expect(run(BOTH_WRITABLE, only({ [ALIAS]: { severity: 'off' } })).findings).toEqual([]);
  });

  it('an exemption naming the old id suppresses the rule', () => {
    const settings = only({ [RULE]: { severity: 'error', options: { scope: 'workloads' } } });
    expect(run(BOTH_WRITABLE, settings, [exemption(ALIAS)])).toMatchObject({
      findings: [`${RULE} error notReadOnly cilium-etcd-0`],
      suppressed: [`${RULE} error workloadNotReadOnly web`],
    });
    // The component's finding too: one rule, whichever message it has.
    expect(run(BOTH_WRITABLE, settings, [exemption(ALIAS, 'cilium-etcd-0', 'StatefulSet')])).toMatchObject({
      findings: [`${RULE} error workloadNotReadOnly web`],
      suppressed: [`${RULE} error notReadOnly cilium-etcd-0`],
    });
  });

  it('an ignore annotation naming the old id suppresses the rule', () => {
    const annotated = edit(
      BOTH_WRITABLE,
      'kind: Deployment\nmetadata:\n',
      `kind: Deployment\nmetadata:\n  annotations:\n    cilium-etcd-lint.io/ignore: "${ALIAS}: the web team's exception"\n`,
    );
    const { findings, suppressed } = run(annotated, only({ [ALIAS]: { severity: 'error' } }));
    expect(findings).toEqual([`${RULE} error notReadOnly cilium-etcd-0`]);
    expect(suppressed).toEqual([`${RULE} error workloadNotReadOnly web`]);
  });

  it('a lock of either id holds for both: an annotation cannot get round a lock by naming the other', () => {
    const annotate = (name: string) =>
      edit(
        BOTH_WRITABLE,
        'kind: Deployment\nmetadata:\n',
        `kind: Deployment\nmetadata:\n  annotations:\n    cilium-etcd-lint.io/ignore: "${name}: please"\n`,
      );
    const settings = only({ [ALIAS]: { severity: 'error' } });
    for (const [locked, named] of [
      [RULE, ALIAS],
      [ALIAS, RULE],
    ]) {
      const { findings, suppressed } = run(annotate(named!), settings, [], [locked!]);
      expect(suppressed, `${locked} locked, annotation naming ${named}`).toEqual([]);
      expect(findings).toContain(`${RULE} error workloadNotReadOnly web`);
      expect(findings).toContain('suppression error - web metadata.annotations["cilium-etcd-lint.io/ignore"]');
    }
  });

  it('alone (no rule to fold into), an alias runs its rule with its options, under its own id', () => {
    const alias = builtinRules[ALIAS]!;
    const { findings } = runRulesDetailed(buildInput({ resources: BOTH_WRITABLE }), { [ALIAS]: alias });
    expect(findings.map((f) => `${f.ruleId} ${f.messageId} ${f.resource?.name}`)).toEqual([
      `${ALIAS} notReadOnly cilium-etcd-0`,
      `${ALIAS} workloadNotReadOnly web`,
    ]);
  });
});

describe('meta.twinOf (custom rules)', () => {
  const make = (id: string, twinOf?: string): Rule => ({
    meta: {
      type: 'problem',
      docs: { description: `${id}.` },
      defaultSeverity: 'error',
      schema: { type: 'object' },
      defaultOptions: {},
      messages: { m: id },
      ...(twinOf ? { twinOf } : {}),
    },
    check(context) {
      for (const resource of context.input.resources) {
        context.report({ resource, path: ['metadata', 'name'], messageId: 'm' });
        context.report({ resource, path: ['metadata', 'namespace'], messageId: 'm' });
      }
    },
  });

  it('drops the twin where the rule it names reports the same resource and field', () => {
    const narrow: Rule = {
      ...make('narrow'),
      check: (context) => context.report({ resource: context.input.resources[0]!, path: ['metadata', 'name'], messageId: 'm' }),
    };
    const rules = { generic: make('generic', 'narrow'), narrow, unrelated: make('unrelated', 'no-such-rule') };
    const { findings } = runRulesDetailed(buildInput({ resources: COMPONENT }), rules);
    const ids = findings.map((f) => `${f.ruleId} ${f.resource?.kind} ${f.field}`);
    expect(ids.filter((s) => s.startsWith('narrow'))).toEqual(['narrow Service metadata.name']);
    // The generic rule keeps everything but the one field the narrow rule reported.
    expect(ids.filter((s) => s.startsWith('generic')).sort()).toEqual(
      [
        'Service metadata.namespace',
        'StatefulSet metadata.name',
        'StatefulSet metadata.namespace',
        'PodDisruptionBudget metadata.name',
        'PodDisruptionBudget metadata.namespace',
      ]
        .map((s) => `generic ${s}`)
        .sort(),
    );
    // A twin of a rule that does not exist keeps everything.
    expect(ids.filter((s) => s.startsWith('unrelated'))).toHaveLength(6);
  });

  it('a twinOf naming an old id means the rule that replaced it', () => {
    const custom: Rule = {
      ...make('custom-read-only', ALIAS),
      check(context) {
        for (const resource of context.input.resources)
          if (resource.kind === 'StatefulSet')
            context.report({
              resource,
              path: ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'readOnlyRootFilesystem'],
              messageId: 'm',
            });
      },
    };
    const rules = { ...builtinRules, 'custom-read-only': custom };
    const result = runRulesDetailed(buildInput({ resources: BOTH_WRITABLE }), rules, only({ [RULE]: { severity: 'error' } }));
    expect(result.findings.map((f) => `${f.ruleId} ${f.resource?.name}`)).toEqual([`${RULE} cilium-etcd-0`]);
  });
});
