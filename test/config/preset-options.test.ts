import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.ts';
import { idSpan, loadConfig } from '../../src/engine/config.ts';
import { deprecationNotices, withPresetOptions } from '../../src/engine/presets.ts';
import { columnOf, lineOf, writeTree } from './helpers.ts';

/**
 * The resolved configuration's settings are the effective ones (src/engine/config.ts): the extended
 * presets' options are in them, whichever surface loads the configuration; `<old id>: off` is not
 * the same as not naming the old id (it withdraws the preset that stood for it); and each
 * deprecated id the configuration names is recorded where its id is written.
 */

/** Without the provenance the loader keeps on option objects (symbol keys). */
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

const load = (config: string, file = '.cilium-etcd-lint.yaml') => {
  const root = writeTree({ [file]: config });
  return { root, config: loadConfig({ cwd: root, builtinRules }) };
};

describe("the presets' options are in the resolved settings", () => {
  it('baseline gives the hardening rules scope: workloads; recommended gives none; rules: comes last, option by option', () => {
    expect(load('extends: [recommended]\n').config.settings['no-privileged']).toEqual({ severity: 'error' });
    expect(load('extends: [baseline]\n').config.settings['no-privileged']).toEqual({ severity: 'error', options: { scope: 'workloads' } });
    expect(load('extends: [baseline, recommended]\n').config.settings['image-digest']).toEqual({
      severity: 'error',
      options: { scope: 'workloads' },
    });
    expect(load('extends: [baseline]\nrules:\n  no-privileged: warning\n').config.settings['no-privileged']).toEqual({
      severity: 'warning',
      options: { scope: 'workloads' },
    });
    expect(
      plain(load('extends: [baseline]\nrules:\n  no-privileged: [error, { scope: component }]\n').config.settings['no-privileged']),
    ).toEqual({
      severity: 'error',
      options: { scope: 'component' },
    });
    // Without a configuration: recommended, no preset options.
    const none = loadConfig({ cwd: writeTree({}), builtinRules });
    expect(none.settings['no-privileged']).toEqual({ severity: 'error' });
    expect(none.withdrawnPresets).toEqual({});
    expect(none.deprecatedIds).toEqual([]);
  });

  it('applying the merge again changes nothing (every consumer may)', () => {
    for (const text of [
      'extends: [baseline]\n',
      'extends: [recommended, baseline]\nrules:\n  baseline-no-privileged: off\n  image-digest: [warning, { scope: component }]\n',
      'extends: [baseline]\nrules:\n  baseline-no-privileged: off\n',
    ]) {
      const { config } = load(text);
      expect(withPresetOptions(config), text).toEqual(config.settings);
    }
  });
});

describe('an old id set off is not an old id left out', () => {
  const setting = (text: string) => plain(load(text).config.settings['no-privileged']);

  it('it withdraws the preset that gave the rule the old id’s options, and only that', () => {
    const named = load('extends: [recommended, baseline]\nrules:\n  baseline-no-privileged: off\n').config;
    const unnamed = load('extends: [recommended, baseline]\n').config;
    expect(unnamed.settings['no-privileged']).toEqual({ severity: 'error', options: { scope: 'workloads' } });
    expect(unnamed.withdrawnPresets).toEqual({});
    // recommended still holds no-privileged: it runs with its default scope, the component.
    expect(named.settings['no-privileged']).toEqual({ severity: 'error' });
    expect(named.withdrawnPresets).toEqual({ 'no-privileged': ['baseline'] });
    // The alias itself stays off either way; the other hardening rules keep baseline's scope.
    expect(named.settings['baseline-no-privileged']).toEqual({ severity: 'off' });
    expect(named.settings['image-digest']).toEqual({ severity: 'error', options: { scope: 'workloads' } });
  });

  it('extends baseline alone: the rule is off (it was in recommended only, and the old id was off)', () => {
    expect(setting('extends: [baseline]\nrules:\n  baseline-no-privileged: off\n')).toEqual({ severity: 'off' });
  });

  it('the rule named in rules: runs as named, without the withdrawn preset’s options', () => {
    expect(setting('extends: [baseline]\nrules:\n  baseline-no-privileged: off\n  no-privileged: warning\n')).toEqual({
      severity: 'warning',
    });
    expect(
      setting('extends: [recommended, baseline]\nrules:\n  baseline-no-privileged: off\n  no-privileged: [error, { scope: workloads }]\n'),
    ).toEqual({ severity: 'error', options: { scope: 'workloads' } });
  });

  it('extends recommended only: nothing to withdraw, nothing changes, and the warning says so', () => {
    const { config } = load('extends: [recommended]\nrules:\n  baseline-no-privileged: off\n');
    expect(config.settings['no-privileged']).toEqual({ severity: 'error' });
    expect(config.withdrawnPresets).toEqual({});
    expect(deprecationNotices(config).map((n) => n.message)).toEqual([
      'rules: "baseline-no-privileged: off" is deprecated, and changes nothing here (no extended preset runs no-privileged with scope: workloads): remove it',
    ]);
  });
});

describe('where each deprecated id is written', () => {
  const at = (text: string, needle: string, file: string) => {
    const line = lineOf(text, needle);
    const column = columnOf(text, needle);
    return { file, line, column, endLine: line, endColumn: column + needle.length };
  };

  it('a key of rules, an item of lockedRules, the rule of an exemption: on the id, quotes included', () => {
    const text = [
      'extends: [recommended]',
      'rules:',
      '  "baseline-no-privileged": error',
      '  etcd-tls: off',
      'lockedRules:',
      '  - host-network',
      '  - baseline-image-digest',
      'exemptions:',
      '  - resource: { kind: CronJob, name: job }',
      "    rule: 'baseline-drop-all-capabilities'",
      '    reason: accepted',
      '',
    ].join('\n');
    const { root, config } = load(text);
    const file = path.join(root, '.cilium-etcd-lint.yaml');
    expect(config.deprecatedIds).toEqual([
      { id: 'baseline-no-privileged', where: 'rules', location: at(text, '"baseline-no-privileged"', file) },
      { id: 'baseline-image-digest', where: 'lockedRules', location: at(text, 'baseline-image-digest', file) },
      { id: 'baseline-drop-all-capabilities', where: 'exemptions', location: at(text, "'baseline-drop-all-capabilities'", file) },
    ]);
    expect(deprecationNotices(config).map((n) => [n.where, n.location.line, n.location.column])).toEqual([
      ['rules', 3, 3],
      ['lockedRules', 7, 5],
      ['exemptions', 10, 11],
    ]);
  });

  it('flow collections, and the cilium-etcd-lint key of package.json', () => {
    const flow = 'rules: { etcd-tls: off, baseline-image-digest: warning }\nlockedRules: [host-network, baseline-image-digest]\n';
    const { root, config } = load(flow);
    const file = path.join(root, '.cilium-etcd-lint.yaml');
    const second = flow.indexOf('baseline-image-digest', flow.indexOf('lockedRules'));
    const col2 = second - flow.lastIndexOf('\n', second - 1);
    expect(config.deprecatedIds.map((u) => u.location)).toEqual([
      { file, line: 1, column: 25, endLine: 1, endColumn: 46 },
      { file, line: 2, column: col2, endLine: 2, endColumn: col2 + 'baseline-image-digest'.length },
    ]);

    const pkg = `{\n  "name": "x",\n  "cilium-etcd-lint": {\n    "rules": { "baseline-no-privileged": "error" }\n  }\n}\n`;
    const p = load(pkg, 'package.json');
    expect(p.config.deprecatedIds).toEqual([
      { id: 'baseline-no-privileged', where: 'rules', location: at(pkg, '"baseline-no-privileged"', path.join(p.root, 'package.json')) },
    ]);
  });

  it('idSpan: without the text, the entry’s start and the id’s length', () => {
    const entry = { file: '/c.yaml', line: 4, column: 3, endLine: 4, endColumn: 30 };
    expect(idSpan(undefined, entry, 'baseline-x')).toEqual({ file: '/c.yaml', line: 4, column: 3, endLine: 4, endColumn: 13 });
    // Not written there (a merge key brought the entry in): the entry's start.
    expect(idSpan(['', '', '', '  <<: *base'], entry, 'baseline-x')).toMatchObject({ line: 4, column: 3 });
  });
});
