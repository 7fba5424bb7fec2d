import { describe, expect, it } from 'vitest';
import { cleanComponent, cli, json, lineOf, OVERLAY, writeTree } from './helpers.ts';

const STS = 'etcd/base/statefulset.yaml';

/** The clean component with host-network broken in the base, and `annotation` on the StatefulSet. */
function component(annotation?: string, config?: string): { root: string; sts: string } {
  const files = cleanComponent();
  let sts = files[STS]!.replace('hostNetwork: true', 'hostNetwork: false');
  if (annotation !== undefined)
    sts = sts.replace(
      '  name: cilium-etcd-0\n',
      `  name: cilium-etcd-0\n  annotations:\n    cilium-etcd-lint.io/ignore: ${JSON.stringify(annotation)}\n`,
    );
  files[STS] = sts;
  if (config !== undefined) files['.cilium-etcd-lint.yaml'] = config;
  return { root: writeTree(files), sts };
}

describe('the cilium-etcd-lint.io/ignore annotation', () => {
  it('with a reason: suppresses, and the suppression is listed by every format', () => {
    const { root, sts } = component('host-network: migrating to the CNI network (TICKET-1)');
    const r = cli(root, '-f', 'json', OVERLAY);
    expect(r.code).toBe(0);
    const out = json(r);
    expect(out.findings.filter((f) => f.ruleId === 'host-network' || f.ruleId === 'suppression')).toEqual([]);
    expect(out.suppressed).toHaveLength(1);
    expect(out.suppressed[0]).toMatchObject({
      ruleId: 'host-network',
      location: { file: STS, line: lineOf(sts, 'hostNetwork: false') },
      suppression: {
        kind: 'annotation',
        reason: 'migrating to the CNI network (TICKET-1)',
        location: { file: STS, line: lineOf(sts, 'cilium-etcd-lint.io/ignore') },
      },
    });
    const stylish = cli(root, OVERLAY);
    expect(stylish.stdout).toContain(
      `${STS}:${lineOf(sts, 'hostNetwork: false')}:7  suppressed  StatefulSet "cilium-etcd-0" must set spec.template.spec.hostNetwork: true  host-network  (annotation ${STS}:${lineOf(sts, 'cilium-etcd-lint.io/ignore')}: migrating to the CNI network (TICKET-1))`,
    );
    expect(stylish.stdout).toMatch(/^1 finding suppressed \(0 by exemption, 1 by annotation\)$/m);
    const sarif = JSON.parse(cli(root, '-f', 'sarif', OVERLAY).stdout);
    const res = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'host-network');
    expect(res.suppressions).toEqual([
      expect.objectContaining({ kind: 'inSource', status: 'accepted', justification: 'migrating to the CNI network (TICKET-1)' }),
    ]);
    expect(cli(root, '-f', 'github', OVERLAY).stdout).toMatch(
      /^etcd\/base\/statefulset\.yaml:\d+:7 {2}suppressed {2}.* {2}host-network {2}\(annotation /m,
    );
  });

  it('without a reason: an error on the annotation, and nothing is suppressed', () => {
    const { root, sts } = component('host-network');
    const r = cli(root, '-f', 'json', OVERLAY);
    expect(r.code).toBe(1);
    const out = json(r);
    expect(out.suppressed).toEqual([]);
    expect(
      out.findings
        .filter((f) => f.severity === 'error')
        .map((f) => `${f.ruleId}:${f.location.line}`)
        .sort(),
    ).toEqual([`host-network:${lineOf(sts, 'hostNetwork: false')}`, `suppression:${lineOf(sts, 'cilium-etcd-lint.io/ignore')}`].sort());
    expect(out.findings.find((f) => f.ruleId === 'suppression')!.message).toContain('gives no reason');
  });

  it('container-level: <rule>/<container> suppresses that container only', () => {
    const files = cleanComponent();
    files[STS] = files[STS]!.replace('readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false').replace(
      '  name: cilium-etcd-0\n',
      '  name: cilium-etcd-0\n  annotations:\n    cilium-etcd-lint.io/ignore: "read-only-root-filesystem/sidecar: not this one"\n',
    );
    let out = json(cli(writeTree(files), '-f', 'json', OVERLAY));
    expect(out.findings.map((f) => f.ruleId)).toContain('read-only-root-filesystem');
    files[STS] = files[STS]!.replace('read-only-root-filesystem/sidecar', 'read-only-root-filesystem/etcd');
    out = json(cli(writeTree(files), '-f', 'json', OVERLAY));
    expect(out.findings.map((f) => f.ruleId)).not.toContain('read-only-root-filesystem');
    expect(out.suppressed.map((f) => f.ruleId)).toEqual(['read-only-root-filesystem']);
  });

  it('an unknown rule is an error with a suggestion', () => {
    const { root } = component('host-netwrk: typo');
    const out = json(cli(root, '-f', 'json', OVERLAY));
    expect(out.findings.find((f) => f.ruleId === 'suppression')!.message).toBe(
      'cilium-etcd-lint.io/ignore names unknown rule "host-netwrk"; did you mean "host-network"?',
    );
  });

  it('on a locked rule: refused with a clear finding, the original finding stays', () => {
    const { root, sts } = component('host-network: please', 'lockedRules: [host-network]\n');
    const r = cli(root, '-f', 'json', OVERLAY);
    expect(r.code).toBe(1);
    const out = json(r);
    expect(out.suppressed).toEqual([]);
    const refusal = out.findings.find((f) => f.ruleId === 'suppression')!;
    expect(refusal).toMatchObject({ severity: 'error', location: { file: STS, line: lineOf(sts, 'cilium-etcd-lint.io/ignore') } });
    expect(refusal.message).toBe(
      'rule "host-network" is locked by .cilium-etcd-lint.yaml (lockedRules): the cilium-etcd-lint.io/ignore annotation cannot suppress it; fix the finding, or ask the repository owners for an exemption in the configuration',
    );
    expect(out.findings.map((f) => f.ruleId)).toContain('host-network');
  });
});

describe('config exemptions', () => {
  const exemption = (extra: string) =>
    `lockedRules: [host-network]\nexemptions:\n  - rule: host-network\n    resource: { kind: StatefulSet, name: cilium-etcd-0, namespace: kube-system }\n${extra}`;

  it('with a reason: suppresses (even a locked rule) and is listed', () => {
    const config = exemption('    reason: accepted until the migration (TICKET-2)\n    expires: "2999-12-31"\n');
    const { root } = component(undefined, config);
    const r = cli(root, '-f', 'json', OVERLAY);
    expect(r.code).toBe(0);
    expect(json(r).suppressed).toEqual([
      expect.objectContaining({
        ruleId: 'host-network',
        suppression: {
          kind: 'exemption',
          reason: 'accepted until the migration (TICKET-2)',
          location: expect.objectContaining({ file: '.cilium-etcd-lint.yaml', line: 3 }),
        },
      }),
    ]);
    expect(cli(root, OVERLAY).stdout).toMatch(/^1 finding suppressed \(1 by exemption, 0 by annotation\)$/m);
    const sarif = JSON.parse(cli(root, '-f', 'sarif', OVERLAY).stdout);
    expect(sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'host-network').suppressions[0]).toMatchObject({
      kind: 'external',
      justification: 'accepted until the migration (TICKET-2)',
    });
  });

  it('expired: an error on the exemption, and the finding is reported', () => {
    const config = exemption('    reason: was temporary\n    expires: "2000-01-31"\n');
    const { root } = component(undefined, config);
    const r = cli(root, '-f', 'json', OVERLAY);
    expect(r.code).toBe(1);
    const out = json(r);
    expect(out.suppressed).toEqual([]);
    expect(out.findings.map((f) => f.ruleId)).toContain('host-network');
    expect(out.findings.find((f) => f.ruleId === 'suppression')).toMatchObject({
      severity: 'error',
      message:
        'exemption of host-network for StatefulSet kube-system/cilium-etcd-0 expired on 2000-01-31 ("was temporary"): fix the finding, or renew or remove the exemption',
      location: { file: '.cilium-etcd-lint.yaml', line: 3 },
    });
  });

  it('without a reason: exit 2 on the exemption', () => {
    const { root } = component(undefined, exemption(''));
    const r = cli(root, OVERLAY);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'cilium-etcd-lint: .cilium-etcd-lint.yaml:3:5: invalid configuration: exemptions[0]: missing required field "reason"\n',
    );
    const blank = cli(component(undefined, exemption('    reason: " "\n')).root, OVERLAY);
    expect(blank.code).toBe(2);
    expect(blank.stderr).toContain('exemptions[0].reason: must match pattern');
  });

  it('naming an unknown rule: exit 2 with a suggestion', () => {
    const { root } = component(
      undefined,
      'exemptions:\n  - rule: hostnetwork\n    resource: { kind: StatefulSet, name: x }\n    reason: r\n',
    );
    expect(cli(root, OVERLAY).stderr).toBe(
      'cilium-etcd-lint: .cilium-etcd-lint.yaml:2:5: invalid configuration: exemptions[0].rule: unknown rule "hostnetwork"; did you mean "host-network"?\n',
    );
  });
});
