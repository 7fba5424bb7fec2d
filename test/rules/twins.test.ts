import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.ts';
import { PRESETS } from '../../src/engine/presets.ts';
import { runRulesDetailed, type RuleSettings } from '../../src/engine/run.ts';
import type { Exemption } from '../../src/engine/suppress.ts';
import type { Rule } from '../../src/engine/types.ts';
import { COMPONENT, IMAGE, STATEFUL_SET, stream } from './fixtures.ts';
import { MIMIR_RENDERED } from './mimir-etcd.ts';
import { buildInput, edit } from './rule-tester.ts';

/**
 * One field is reported once: a `baseline-*` rule (meta.twinOf) loses its finding where its
 * `recommended` counterpart reports the same resource and field path; the engine decides it from
 * the rules' metadata, after every rule has run.
 */

const BASELINE = Object.keys(PRESETS.baseline).filter((id) => id.startsWith('baseline-'));
const BOTH: RuleSettings = Object.fromEntries(
  [...Object.entries(PRESETS.recommended), ...Object.entries(PRESETS.baseline)].map(([id, severity]) => [id, { severity }]),
);

const WRITABLE = edit(COMPONENT, 'readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false');
const FIELD = 'spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem';

/** Findings of `ids` only (the other rules of the run still run), as `ruleId object field`. */
function run(
  resources: string,
  settings: RuleSettings = BOTH,
  ids = ['read-only-root-filesystem', 'baseline-read-only-root-filesystem'],
  exemptions: Exemption[] = [],
) {
  const result = runRulesDetailed(buildInput({ resources }), builtinRules, settings, {
    exemptions,
    lockedRules: new Set(),
    today: '2026-01-01',
    knownRules: new Set(Object.keys(builtinRules)),
  });
  const show = (f: { ruleId: string; severity: string; resource?: { name: string }; field?: string }) =>
    `${f.ruleId} ${f.severity} ${f.resource?.name} ${f.field}`;
  return {
    findings: result.findings.filter((f) => ids.includes(f.ruleId)).map(show),
    suppressed: result.suppressed.filter((f) => ids.includes(f.ruleId)).map(show),
  };
}

const exemption = (rule: string): Exemption => ({
  rule,
  resource: { kind: 'StatefulSet', name: 'cilium-etcd-0', namespace: 'kube-system' },
  reason: 'accepted for the test',
  location: { file: '/repo/.cilium-etcd-lint.yaml', line: 1, column: 1, endLine: 1, endColumn: 1 },
});

describe('twins (meta.twinOf)', () => {
  it('every baseline rule is the twin of a recommended rule, named in its metadata', () => {
    const twins = Object.fromEntries(BASELINE.map((id) => [id, builtinRules[id]!.meta.twinOf]));
    expect(twins).toEqual({
      'baseline-drop-all-capabilities': 'drop-all-capabilities',
      'baseline-image-digest': 'image-digest',
      'baseline-no-privilege-escalation': 'no-privilege-escalation',
      'baseline-no-privileged': 'no-privileged',
      'baseline-read-only-root-filesystem': 'read-only-root-filesystem',
    });
    for (const other of Object.values(twins)) expect(Object.keys(PRESETS.recommended)).toContain(other);
    // And no recommended rule is anyone's twin.
    for (const id of Object.keys(PRESETS.recommended)) expect(builtinRules[id]!.meta.twinOf).toBeUndefined();
  });

  it('keeps the recommended finding and drops the twin on the same resource and field', () => {
    expect(run(WRITABLE)).toEqual({ findings: [`read-only-root-filesystem error cilium-etcd-0 ${FIELD}`], suppressed: [] });
  });

  it('drops the twin for each of the five pairs (one finding per field of the component)', () => {
    const bad = edit(
      edit(
        edit(
          edit(STATEFUL_SET, `image: ${IMAGE}`, 'image: quay.io/coreos/etcd:v3.5.17'),
          'allowPrivilegeEscalation: false',
          'allowPrivilegeEscalation: true',
        ),
        'privileged: false',
        'privileged: true',
      ),
      '            - ALL\n',
      '            - NET_RAW\n',
    );
    const pairs = BASELINE.flatMap((id) => [id, builtinRules[id]!.meta.twinOf!]);
    const { findings } = run(edit(bad, 'readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false'), BOTH, pairs);
    const c = 'spec.template.spec.containers[0]';
    expect(findings.sort()).toEqual(
      [
        `drop-all-capabilities error cilium-etcd-0 ${c}.securityContext.capabilities.drop`,
        `image-digest error cilium-etcd-0 ${c}.image`,
        `no-privilege-escalation error cilium-etcd-0 ${c}.securityContext.allowPrivilegeEscalation`,
        `no-privileged error cilium-etcd-0 ${c}.securityContext.privileged`,
        `read-only-root-filesystem error cilium-etcd-0 ${c}.securityContext.readOnlyRootFilesystem`,
      ].sort(),
    );
  });

  it('keeps the twin where the recommended rule does not report: another workload, or the recommended rule off', () => {
    const mimir = edit(MIMIR_RENDERED, 'readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false');
    expect(run(stream(WRITABLE, mimir)).findings.sort()).toEqual([
      `baseline-read-only-root-filesystem error mimir-etcd ${FIELD}`,
      `read-only-root-filesystem error cilium-etcd-0 ${FIELD}`,
    ]);
    expect(run(WRITABLE, { ...BOTH, 'read-only-root-filesystem': { severity: 'off' } }).findings).toEqual([
      `baseline-read-only-root-filesystem error cilium-etcd-0 ${FIELD}`,
    ]);
  });

  it('keeps the twin when it is configured more severe (dropping it would lower the exit code)', () => {
    expect(run(WRITABLE, { ...BOTH, 'read-only-root-filesystem': { severity: 'warning' } }).findings).toEqual([
      `baseline-read-only-root-filesystem error cilium-etcd-0 ${FIELD}`,
      `read-only-root-filesystem warning cilium-etcd-0 ${FIELD}`,
    ]);
    expect(run(WRITABLE, { ...BOTH, 'baseline-read-only-root-filesystem': { severity: 'warning' } }).findings).toEqual([
      `read-only-root-filesystem error cilium-etcd-0 ${FIELD}`,
    ]);
  });

  it('a suppression of one rule never silences the other', () => {
    // The recommended finding exempted: the twin's stands.
    expect(run(WRITABLE, BOTH, undefined, [exemption('read-only-root-filesystem')])).toEqual({
      findings: [`baseline-read-only-root-filesystem error cilium-etcd-0 ${FIELD}`],
      suppressed: [`read-only-root-filesystem error cilium-etcd-0 ${FIELD}`],
    });
    // Both exempted: listed once, as the recommended rule's.
    expect(
      run(WRITABLE, BOTH, undefined, [exemption('read-only-root-filesystem'), exemption('baseline-read-only-root-filesystem')]),
    ).toEqual({
      findings: [],
      suppressed: [`read-only-root-filesystem error cilium-etcd-0 ${FIELD}`],
    });
    // Only the twin exempted: the recommended finding counts, the twin's is not listed.
    expect(run(WRITABLE, BOTH, undefined, [exemption('baseline-read-only-root-filesystem')])).toEqual({
      findings: [`read-only-root-filesystem error cilium-etcd-0 ${FIELD}`],
      suppressed: [],
    });
  });

  it('is decided from the metadata, for any rule that names a twin', () => {
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
});
