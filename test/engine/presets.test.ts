import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.ts';
import { loadConfig } from '../../src/engine/config.ts';
import { PRESETS, deprecationNotices, presetOptions, withPresetOptions } from '../../src/engine/presets.ts';
import { cli, json, lineOf, writeTree } from '../config/helpers.ts';

/**
 * How presets merge (src/engine/presets.ts): a rule in an extended preset is on at its default
 * severity; the presets' options are laid in PRESET_NAMES order (recommended, then baseline: the
 * wider last), whatever the order of `extends`; the configuration's `rules:` entry comes last.
 * And the deprecated `baseline-*` ids, through the whole CLI.
 */

const HARDENED = ['drop-all-capabilities', 'image-digest', 'no-privilege-escalation', 'no-privileged', 'read-only-root-filesystem'];

describe('presetOptions', () => {
  it('recommended: the defaults; baseline: scope workloads; both, in either order: the wider, workloads', () => {
    for (const id of HARDENED) {
      const rule = builtinRules[id]!;
      expect(presetOptions(rule, ['recommended']), id).toBeUndefined();
      expect(presetOptions(rule, ['baseline']), id).toEqual({ scope: 'workloads' });
      expect(presetOptions(rule, ['recommended', 'baseline']), id).toEqual({ scope: 'workloads' });
      expect(presetOptions(rule, ['baseline', 'recommended']), id).toEqual({ scope: 'workloads' });
      expect(presetOptions(rule, []), id).toBeUndefined();
    }
  });

  it('only the presets that hold the rule count', () => {
    const rule = { ...builtinRules['no-privileged']!, meta: { ...builtinRules['no-privileged']!.meta, presets: ['recommended'] as const } };
    expect(presetOptions(rule, ['baseline'])).toBeUndefined();
  });

  it('the preset tables: both presets hold the hardening rules, at their default severity; no alias is in a preset', () => {
    for (const id of HARDENED) {
      expect(PRESETS.recommended[id], id).toBe('error');
      expect(PRESETS.baseline[id], id).toBe('error');
    }
    expect(Object.keys(PRESETS.baseline).filter((id) => id.startsWith('baseline-'))).toEqual([]);
    expect(Object.keys(PRESETS.recommended).filter((id) => id.startsWith('baseline-'))).toEqual([]);
  });
});

describe('withPresetOptions', () => {
  const config = (ext: ('recommended' | 'baseline')[], rules: Record<string, unknown> = {}, customRules: Record<string, string> = {}) => {
    const settings = Object.fromEntries(Object.keys(builtinRules).map((id) => [id, { severity: 'error' as const }]));
    for (const [id, s] of Object.entries(rules)) settings[id] = s as (typeof settings)[string];
    return { extends: ext, rules: builtinRules, settings, customRules };
  };

  it("lays the presets' options under the configuration's, option by option", () => {
    expect(withPresetOptions(config(['recommended']))['no-privileged']).toEqual({ severity: 'error' });
    expect(withPresetOptions(config(['baseline']))['no-privileged']).toEqual({ severity: 'error', options: { scope: 'workloads' } });
    expect(withPresetOptions(config(['recommended', 'baseline']))['image-digest']).toEqual({
      severity: 'error',
      options: { scope: 'workloads' },
    });
    // A severity alone keeps the presets' options (as in ESLint); options given override them.
    expect(withPresetOptions(config(['baseline'], { 'no-privileged': { severity: 'warning' } }))['no-privileged']).toEqual({
      severity: 'warning',
      options: { scope: 'workloads' },
    });
    expect(
      withPresetOptions(config(['baseline'], { 'no-privileged': { severity: 'error', options: { scope: 'component' } } }))['no-privileged'],
    ).toEqual({ severity: 'error', options: { scope: 'component' } });
    // Rules whose presets set nothing are left as they are.
    expect(withPresetOptions(config(['baseline']))['kubernetes-schema']).toEqual({ severity: 'error' });
  });

  it('leaves a custom rule alone, and is idempotent', () => {
    const c = config(['baseline'], {}, { 'no-privileged': '/repo/lint-rules/no-privileged.yaml' });
    expect(withPresetOptions(c)['no-privileged']).toEqual({ severity: 'error' });
    const once = withPresetOptions(config(['baseline']));
    expect(withPresetOptions({ ...config(['baseline']), settings: once })).toEqual(once);
  });
});

describe('presets and old ids through the configuration and the CLI', () => {
  const deploy =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: { app: web }\n  template:\n    metadata:\n      labels: { app: web }\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n';
  const cron =
    'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: job\nspec:\n  schedule: "@daily"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n            - name: job\n              image: busybox@sha256:1111111111111111111111111111111111111111111111111111111111111111\n              securityContext:\n                privileged: true\n';
  const tree = (config: string) =>
    writeTree({
      '.cilium-etcd-lint.yaml': config,
      'app/kustomization.yaml': 'resources: [deploy.yaml, cron.yaml]\n',
      'app/deploy.yaml': deploy,
      'app/cron.yaml': cron,
    });
  const findings = (root: string) => {
    const r = cli(root, '-f', 'json', '--no-argocd', 'app');
    return {
      r,
      got: json(r)
        .findings.map((f) => `${f.ruleId} ${f.location.file}:${f.location.line}`)
        .sort(),
    };
  };
  const EVERY_WORKLOAD = [
    `drop-all-capabilities app/cron.yaml:${lineOf(cron, 'securityContext:')}`,
    `drop-all-capabilities app/deploy.yaml:${lineOf(deploy, '- name: web')}`,
    `image-digest app/deploy.yaml:${lineOf(deploy, 'image: nginx')}`,
    `no-privilege-escalation app/cron.yaml:${lineOf(cron, 'securityContext:')}`,
    `no-privilege-escalation app/deploy.yaml:${lineOf(deploy, '- name: web')}`,
    `no-privileged app/cron.yaml:${lineOf(cron, 'privileged: true')}`,
    `read-only-root-filesystem app/cron.yaml:${lineOf(cron, 'securityContext:')}`,
    `read-only-root-filesystem app/deploy.yaml:${lineOf(deploy, '- name: web')}`,
  ].sort();

  it('extends baseline: the hardening rules judge every workload (a Deployment, a CronJob), under their own ids', () => {
    const { r, got } = findings(tree('extends: [baseline]\n'));
    expect(r.code).toBe(1);
    expect(got).toEqual(EVERY_WORKLOAD);
    expect(r.stderr).toBe('');
  });

  it('extends recommended and baseline, in either order: the wider scope', () => {
    for (const ext of ['[recommended, baseline]', '[baseline, recommended]']) {
      const { got } = findings(tree(`extends: ${ext}\n`));
      expect(got.filter((f) => HARDENED.some((id) => f.startsWith(`${id} `)))).toEqual(EVERY_WORKLOAD);
    }
  });

  it('extends recommended only: the component only (these workloads are not judged)', () => {
    const { got } = findings(tree('extends: [recommended]\n'));
    expect(got.filter((f) => HARDENED.some((id) => f.startsWith(`${id} `)))).toEqual([]);
  });

  it('an old id in rules: means the rule with scope: workloads, with one warning line naming the new spelling', () => {
    const root = tree('extends: [recommended]\nrules:\n  baseline-no-privileged: warning\n');
    const { r, got } = findings(root);
    expect(got.filter((f) => f.startsWith('no-privileged '))).toEqual([`no-privileged app/cron.yaml:${lineOf(cron, 'privileged: true')}`]);
    // recommended runs no-privileged at error: the more severe of the two (an old spelling never lowers the exit code).
    expect(json(r).findings.find((f) => f.ruleId === 'no-privileged')!.severity).toBe('error');
    const alone = findings(tree('extends: [recommended]\nrules:\n  no-privileged: off\n  baseline-no-privileged: warning\n'));
    expect(json(alone.r).findings.find((f) => f.ruleId === 'no-privileged')!.severity).toBe('warning');
    expect(r.stderr).toBe(
      'cilium-etcd-lint: warning: .cilium-etcd-lint.yaml:3:3: rules: "baseline-no-privileged" is deprecated: write no-privileged: [warning, { scope: workloads }] (one rule, reported once per field)\n',
    );
  });

  it('an exemption and a lock naming an old id apply to the rule, each with its warning', () => {
    const root = tree(
      [
        'extends: [baseline]',
        'lockedRules: [baseline-image-digest]',
        'exemptions:',
        '  - rule: baseline-no-privileged',
        '    resource: { kind: CronJob, name: job }',
        '    reason: the job needs the device',
        '',
      ].join('\n'),
    );
    const { r, got } = findings(root);
    expect(got).not.toContain(`no-privileged app/cron.yaml:${lineOf(cron, 'privileged: true')}`);
    expect(json(r).suppressed.map((f) => `${f.ruleId} ${f.suppression!.kind}`)).toEqual(['no-privileged exemption']);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      'cilium-etcd-lint: warning: .cilium-etcd-lint.yaml:2:15: lockedRules: "baseline-image-digest" is deprecated: write image-digest (the lock holds for image-digest)',
      'cilium-etcd-lint: warning: .cilium-etcd-lint.yaml:4:11: exemptions: rule "baseline-no-privileged" is deprecated: write rule: no-privileged (it exempts no-privileged\'s findings)',
    ]);
  });

  it('deprecationNotices: nothing for a configuration without old ids', () => {
    const root = tree('extends: [baseline]\nrules:\n  no-privileged: warning\n');
    expect(deprecationNotices(loadConfig({ cwd: root, builtinRules }))).toEqual([]);
    writeFileSync(path.join(root, '.cilium-etcd-lint.yaml'), 'extends: [baseline]\n');
    expect(deprecationNotices(loadConfig({ cwd: root, builtinRules }))).toEqual([]);
  });

  it('an old id set off withdraws the preset that stood for it: the rule judges the component only, with a warning saying so', () => {
    const both = findings(tree('extends: [recommended, baseline]\n'));
    expect(both.got).toContain(`no-privileged app/cron.yaml:${lineOf(cron, 'privileged: true')}`);
    const root = tree('extends: [recommended, baseline]\nrules:\n  baseline-no-privileged: off\n');
    const { r, got } = findings(root);
    // no-privileged runs (recommended holds it) with scope: component: these workloads are not the component.
    expect(got.filter((f) => f.startsWith('no-privileged '))).toEqual([]);
    // The other hardening rules keep baseline's scope: workloads.
    expect(got.filter((f) => f.startsWith('read-only-root-filesystem '))).toHaveLength(2);
    expect(r.stderr).toBe(
      'cilium-etcd-lint: warning: .cilium-etcd-lint.yaml:3:3: rules: "baseline-no-privileged: off" is deprecated: write no-privileged: [error, { scope: component }] (baseline-no-privileged: off withdraws the baseline preset from no-privileged, and its scope: workloads)\n',
    );
    // Extending baseline alone, the old id off turns the rule off (as it did: no-privileged was not in baseline).
    const alone = findings(tree('extends: [baseline]\nrules:\n  baseline-no-privileged: off\n'));
    expect(alone.got.filter((f) => f.startsWith('no-privileged '))).toEqual([]);
    expect(alone.r.stderr).toContain('write no-privileged: off (baseline-no-privileged: off withdraws the baseline preset');
  });
});
