import { describe, expect, it } from 'vitest';
import { MIMIR_TARGET, MIMIR_TREE } from '../rules/mimir-etcd.ts';
import { cleanComponent, cli, columnOf, json, lineOf, OVERLAY, writeTree } from './helpers.ts';

/**
 * settings.component through the CLI: the cilium-etcd rules judge only the component's
 * StatefulSet (mimir-etcd, another etcd of the monorepo, is not judged), the removed per-rule
 * `container` option is refused with a message that says where it went, and a field of the
 * component is reported once, whether the presets judge the component or every workload.
 */

interface TargetFinding {
  ruleId: string;
  message: string;
  target?: string;
  resource?: { name: string };
  field?: string;
  messageId?: string;
}

function findings(r: ReturnType<typeof cli>): TargetFinding[] {
  return (json(r) as unknown as { findings: TargetFinding[] }).findings;
}

/** The recommended rules about the component's StatefulSet (all but the Application and schema ones). */
const STATEFULSET_RULES = [
  'drop-all-capabilities',
  'etcd-advertise-client-url',
  'etcd-backup',
  'etcd-data-dir',
  'etcd-listen-ports',
  'etcd-tls',
  'host-network',
  'image-digest',
  'image-registry',
  'initial-cluster-for-replicas',
  'namespace',
  'no-privilege-escalation',
  'no-privileged',
  'pod-disruption-budget',
  'prometheus-scrape',
  'read-only-root-filesystem',
  'service-exists',
];

const NEAR_MISS = 'StatefulSet mimir-etcd has container etcd but labels app.kubernetes.io/name=mimir (want cilium)';

describe('mimir-etcd is not the component', () => {
  it('linted alone: only etcd-statefulset-present (naming the selector and the near miss) and the missing Application', () => {
    const root = writeTree(MIMIR_TREE);
    const r = cli(root, '-f', 'json', MIMIR_TARGET);
    expect(r.code).toBe(1);
    const all = findings(r);
    expect(all.map((f) => f.ruleId).sort()).toEqual(['argocd-application', 'etcd-statefulset-present']);
    expect(all.find((f) => f.ruleId === 'etcd-statefulset-present')!.message).toBe(
      `No StatefulSet in the rendered output is the component (settings.component): none has pod template labels app.kubernetes.io/name=cilium, app.kubernetes.io/component=etcd and a container named "etcd"; near misses: ${NEAR_MISS}`,
    );
    // The stylish output shows the same message.
    expect(cli(root, MIMIR_TARGET).stdout).toContain(NEAR_MISS);
  });

  it('beside the component in one run (repo mode): mimir-etcd gets no finding at all, the component its usual ones', () => {
    const root = writeTree({ ...cleanComponent(), ...MIMIR_TREE });
    const r = cli(root, '-f', 'json', OVERLAY, MIMIR_TARGET);
    const all = findings(r);
    expect(all.filter((f) => f.target === MIMIR_TARGET)).toEqual([]);
    const alone = findings(cli(root, '-f', 'json', OVERLAY)).map((f) => `${f.ruleId} ${f.field}`);
    expect(all.filter((f) => f.target === OVERLAY).map((f) => `${f.ruleId} ${f.field}`)).toEqual(alone);
    // The same with --all.
    expect(findings(cli(root, '-f', 'json', '--all')).filter((f) => f.target === MIMIR_TARGET)).toEqual([]);
  });

  it('is judged when settings.component says it is the component', () => {
    const conf = 'settings:\n  component:\n    matchLabels: { app.kubernetes.io/name: mimir, app.kubernetes.io/component: etcd }\n';
    const root = writeTree({ ...MIMIR_TREE, '.cilium-etcd-lint.yaml': conf });
    const ids = new Set(findings(cli(root, '-f', 'json', MIMIR_TARGET)).map((f) => f.ruleId));
    for (const id of ['host-network', 'namespace', 'etcd-listen-ports', 'etcd-data-dir']) expect(ids, id).toContain(id);
    expect(ids).not.toContain('etcd-statefulset-present');
    // And then the cilium-etcd component is not.
    const both = writeTree({ ...cleanComponent(), ...MIMIR_TREE, '.cilium-etcd-lint.yaml': conf });
    const present = findings(cli(both, '-f', 'json', OVERLAY)).find((f) => f.ruleId === 'etcd-statefulset-present');
    expect(present?.message).toContain(
      'near misses: StatefulSet cilium-etcd-0 has container etcd but labels app.kubernetes.io/name=cilium (want mimir)',
    );
  });

  it('the baseline preset still judges it, as any workload (scope: workloads, the generic message)', () => {
    const tree = { ...MIMIR_TREE };
    const sts = 'cluster/manifests/utilities/etcd/stateful_set.yaml';
    tree[sts] = tree[sts]!.replace('readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false');
    const root = writeTree({ ...tree, '.cilium-etcd-lint.yaml': 'extends: [recommended, baseline]\n' });
    const all = findings(cli(root, '-f', 'json', MIMIR_TARGET));
    expect(
      all.filter((f) => f.ruleId.includes('read-only-root-filesystem')).map((f) => `${f.ruleId} ${f.messageId} ${f.resource?.name}`),
    ).toEqual(['read-only-root-filesystem workloadNotReadOnly mimir-etcd']);
    for (const id of STATEFULSET_RULES.filter((id) => id !== 'read-only-root-filesystem'))
      expect(all.map((f) => f.ruleId)).not.toContain(id);
  });
});

describe('settings.component.container', () => {
  const renamed = () => {
    const files = cleanComponent();
    files['etcd/base/statefulset.yaml'] = files['etcd/base/statefulset.yaml']!.replace('- name: etcd\n', '- name: etcd-main\n');
    return files;
  };

  it('names the container for every rule at once', () => {
    const without = findings(cli(writeTree(renamed()), '-f', 'json', OVERLAY));
    expect(without.map((f) => f.ruleId)).toContain('etcd-statefulset-present');
    const withSetting = findings(
      cli(
        writeTree({ ...renamed(), '.cilium-etcd-lint.yaml': 'settings:\n  component:\n    container: etcd-main\n' }),
        '-f',
        'json',
        OVERLAY,
      ),
    );
    expect(withSetting.map((f) => f.ruleId)).not.toContain('etcd-statefulset-present');
    // The rules judge it again, naming the container as it is.
    const clean = findings(cli(writeTree(cleanComponent()), '-f', 'json', OVERLAY));
    expect(withSetting.map((f) => `${f.ruleId} ${f.field}`)).toEqual(clean.map((f) => `${f.ruleId} ${f.field}`));
  });

  it.each([
    ['etcd-listen-ports', 'rules:\n  etcd-listen-ports: [error, { clientPort: 12379, container: etcd-main }]\n', '1'],
    [
      'read-only-root-filesystem',
      'rules:\n  read-only-root-filesystem: { severity: error, options: { container: etcd-main } }\n',
      'options',
    ],
    ['etcd-statefulset-present', 'rules:\n  etcd-statefulset-present: [error, { container: etcd-main }]\n', '1'],
  ])('the removed %s option "container" is exit 2, on its line, saying where it went', (id, conf, key) => {
    const root = writeTree({ ...renamed(), '.cilium-etcd-lint.yaml': conf });
    const r = cli(root, OVERLAY);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const where = key === '1' ? `rules.${id}[1].container` : `rules.${id}.options.container`;
    expect(r.stderr).toBe(
      `cilium-etcd-lint: .cilium-etcd-lint.yaml:${lineOf(conf, 'container: etcd-main')}:${columnOf(conf, 'container: etcd-main')}: invalid configuration: ${where}: "etcd-main" is not accepted: the rule option "container" was removed; name the etcd container once, for every rule, in settings.component.container\n`,
    );
  });
});

describe('one field, one finding (recommended and baseline)', () => {
  it('the etcd container writable: read-only-root-filesystem reports it once, with the component message, whatever the presets', () => {
    const files = cleanComponent();
    files['etcd/base/statefulset.yaml'] = files['etcd/base/statefulset.yaml']!.replace(
      'readOnlyRootFilesystem: true',
      'readOnlyRootFilesystem: false',
    ).replace('privileged: false', 'privileged: true');
    const root = writeTree({ ...files, '.cilium-etcd-lint.yaml': 'extends: [recommended, baseline]\n' });
    const all = findings(cli(root, '-f', 'json', OVERLAY));
    const show = (f: { ruleId: string; messageId?: string; field?: string }) => `${f.ruleId} ${f.messageId} ${f.field}`;
    const once = all.filter((f) => /read-only-root-filesystem|privileged$/.test(f.ruleId)).map(show);
    expect(once.sort()).toEqual([
      'no-privileged privileged spec.template.spec.containers[0].securityContext.privileged',
      'read-only-root-filesystem notReadOnly spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem',
    ]);
    // The baseline preset alone, and an old id in the configuration: the same findings.
    for (const conf of [
      'extends: [baseline]\n',
      'rules:\n  baseline-no-privileged: error\n  baseline-read-only-root-filesystem: error\n',
    ]) {
      const again = findings(cli(writeTree({ ...files, '.cilium-etcd-lint.yaml': conf }), '-f', 'json', OVERLAY))
        .filter((f) => /read-only-root-filesystem|privileged$/.test(f.ruleId))
        .map(show);
      expect(again.sort(), conf).toEqual(once.sort());
    }
  });
});
