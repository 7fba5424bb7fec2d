import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.ts';
import { main } from '../../src/cli/main.ts';
import { ruleCatalog } from '../../src/report/rule-catalog.ts';
import { FINGERPRINT_KEY, SRCROOT } from '../../src/report/sarif.ts';
import { COMPONENT, fixtureRepo, spanOf, type Repo } from '../action/repo.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

function sarif(repo: Repo, cwd = repo.root, env: Record<string, string> = {}, overlays = [`${COMPONENT}/overlays/dev`]) {
  let stdout = '';
  const code = main({
    argv: ['-f', 'sarif', ...overlays.map((o) => repo.abs(o))],
    cwd,
    env,
    stdout: (s) => (stdout += s),
    stderr: () => {},
    stdoutIsTty: false,
    readStdin: () => '',
  });
  return { code, log: JSON.parse(stdout) };
}

type Result = {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: Record<string, number> } }[];
  partialFingerprints: Record<string, string>;
  properties?: { resource?: Record<string, string>; field?: string };
};

describe('--format sarif', () => {
  it('is SARIF 2.1.0 with the tool driver derived from package.json', () => {
    const { log } = sarif(fixtureRepo());
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    const driver = log.runs[0].tool.driver;
    expect(driver.name).toBe('cilium-etcd-lint');
    expect(driver.informationUri).toBe(pkg.homepage);
    expect(driver.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(driver.semanticVersion).toBe(driver.version);
  });

  it("describes every built-in rule and the tool's own findings, with help from rules/<id>.md", () => {
    const { log } = sarif(fixtureRepo());
    const rules = log.runs[0].tool.driver.rules as Record<string, any>[];
    // A deprecated alias is no descriptor of its own: its rule lists it in deprecatedIds.
    const current = Object.keys(builtinRules).filter((id) => !builtinRules[id]!.meta.deprecated);
    expect(rules.map((r) => r.id)).toEqual([...current, 'argocd', 'fatal', 'render', 'suppression'].sort());
    const level = { error: 'error', warning: 'warning', info: 'note' } as const;
    const repoUrl = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
    for (const r of rules) {
      expect(r.name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      expect(r.name.toLowerCase()).not.toBe(r.id.toLowerCase());
      expect(r.shortDescription.text).toMatch(/\.$/);
      expect(r.fullDescription.text.length).toBeGreaterThanOrEqual(r.shortDescription.text.length);
      expect(r.help.text).toContain(r.helpUri);
      expect(r.helpUri.startsWith(`${repoUrl}/blob/main/`)).toBe(true);
      const rule = builtinRules[r.id];
      if (rule) {
        expect(r.shortDescription.text).toBe(rule.meta.docs.description.replace(/([^.])$/, '$1.'));
        expect(r.help.markdown).toBe(readFileSync(new URL(`../../rules/${r.id}.md`, import.meta.url), 'utf8'));
        expect(r.helpUri).toBe(`${repoUrl}/blob/main/rules/${r.id}.md`);
        expect(r.defaultConfiguration.level).toBe(level[rule.meta.defaultSeverity]);
      }
    }
    expect(rules.find((r) => r.id === 'render')!.defaultConfiguration.level).toBe('warning');
    expect(rules.find((r) => r.id === 'argocd')!.defaultConfiguration.level).toBe('note');
  });

  it('lists the old ids of a renamed rule as its deprecatedIds (and their names as deprecatedNames)', () => {
    const { log } = sarif(fixtureRepo());
    const rules = log.runs[0].tool.driver.rules as Record<string, any>[];
    const renamed = rules.filter((r) => r.deprecatedIds).map((r) => [r.id, r.deprecatedIds, r.deprecatedNames]);
    expect(renamed).toEqual([
      ['drop-all-capabilities', ['baseline-drop-all-capabilities'], ['BaselineDropAllCapabilities']],
      ['image-digest', ['baseline-image-digest'], ['BaselineImageDigest']],
      ['no-privilege-escalation', ['baseline-no-privilege-escalation'], ['BaselineNoPrivilegeEscalation']],
      ['no-privileged', ['baseline-no-privileged'], ['BaselineNoPrivileged']],
      ['read-only-root-filesystem', ['baseline-read-only-root-filesystem'], ['BaselineReadOnlyRootFilesystem']],
    ]);
    // Every alias is listed, once, by the rule that replaced it.
    const aliases = Object.keys(builtinRules).filter((id) => builtinRules[id]!.meta.deprecated);
    expect(renamed.flatMap(([, ids]) => ids).sort()).toEqual(aliases.sort());
    for (const [id, ids] of renamed) for (const old of ids) expect(builtinRules[old]!.meta.deprecated!.replacedBy).toBe(id);
    // An alias without its rule (a run of that one rule) keeps a descriptor of its own.
    const alone = ruleCatalog({ 'baseline-no-privileged': builtinRules['baseline-no-privileged']! }).find(
      (r) => r.id === 'baseline-no-privileged',
    );
    expect(alone).toMatchObject({ id: 'baseline-no-privileged', helpUri: expect.stringMatching(/rules\/baseline-no-privileged\.md$/) });
    expect(alone!.deprecatedIds).toBeUndefined();
  });

  it('gives one result per finding with its real region, a root-relative URI and the rule index', () => {
    const repo = fixtureRepo();
    const text = repo.edit(`${COMPONENT}/base/stateful_set.yaml`, 'hostNetwork: true', 'hostNetwork: false');
    const at = spanOf(text, 'hostNetwork: false');
    // Run from a subdirectory: URIs are still relative to the repository root.
    const { code, log } = sarif(repo, repo.abs(`${COMPONENT}/overlays`));
    expect(code).toBe(1);
    const run = log.runs[0];
    let json = '';
    main({
      argv: ['-f', 'json', repo.abs(`${COMPONENT}/overlays/dev`)],
      cwd: repo.root,
      env: {},
      stdout: (s) => (json += s),
      stderr: () => {},
      stdoutIsTty: false,
      readStdin: () => '',
    });
    const findings = JSON.parse(json).findings;
    const results = run.results as Result[];
    expect(results).toHaveLength(findings.length);
    results.forEach((r, i) => {
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(r.ruleId).toBe(findings[i].ruleId);
      const loc = findings[i].location;
      expect(r.locations[0]!.physicalLocation.artifactLocation).toEqual({ uri: loc.file, uriBaseId: SRCROOT });
      expect(r.locations[0]!.physicalLocation.region).toEqual({
        startLine: loc.line,
        startColumn: loc.column,
        endLine: loc.endLine,
        endColumn: loc.endColumn,
      });
    });
    const hn = results.find((r) => r.ruleId === 'host-network')!;
    expect(hn.level).toBe('error');
    expect(hn.message.text).toBe('StatefulSet "cilium-etcd-0" must set spec.template.spec.hostNetwork: true.');
    expect(hn.locations[0]!.physicalLocation.region).toEqual({
      startLine: at.line,
      startColumn: at.column,
      endLine: at.line,
      endColumn: at.endColumn,
    });
    expect(hn.properties).toEqual({
      resource: { apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: 'kube-system', name: 'cilium-etcd-0' },
      field: 'spec.template.spec.hostNetwork',
    });
    expect(run.originalUriBaseIds[SRCROOT].uri).toBe(`file://${repo.root}/`);
    expect(run.columnKind).toBe('utf16CodeUnits');
  });

  it('uses an absolute file: URI for a file outside the repository root', () => {
    const repo = fixtureRepo();
    const { log } = sarif(repo, repo.root, { GITHUB_WORKSPACE: repo.abs(`${COMPONENT}/overlays`) });
    const uris = (log.runs[0].results as Result[]).map((r) => r.locations[0]!.physicalLocation.artifactLocation);
    expect(uris).toContainEqual({ uri: `file://${repo.abs(`${COMPONENT}/base/stateful_set.yaml`)}` });
  });

  it('records the GitHub checkout when run on a runner', () => {
    const { log } = sarif(fixtureRepo(), undefined, {
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/platform',
      GITHUB_SHA: 'abc123',
      GITHUB_REF_NAME: 'main',
    });
    expect(log.runs[0].versionControlProvenance).toEqual([
      { repositoryUri: 'https://github.com/acme/platform', revisionId: 'abc123', branch: 'main', mappedTo: { uriBaseId: SRCROOT } },
    ]);
  });
});

describe('partialFingerprints', () => {
  function fingerprints(repo: Repo): Map<string, string> {
    const results = sarif(repo).log.runs[0].results as Result[];
    return new Map(results.map((r) => [`${r.ruleId} ${r.properties?.field ?? r.message.text}`, r.partialFingerprints[FINGERPRINT_KEY]!]));
  }

  it('stay the same when unrelated lines move, and differ between findings', () => {
    const repo = fixtureRepo();
    const sts = `${COMPONENT}/base/stateful_set.yaml`;
    repo.edit(sts, 'hostNetwork: true', 'hostNetwork: false');
    const before = fingerprints(repo);
    const lineBefore = spanOf(repo.read(sts), 'hostNetwork: false').line;
    // Unrelated lines above every finding: a comment block at the top of the file.
    repo.write(sts, `# moved\n# by\n# a comment\n${repo.read(sts)}`);
    expect(spanOf(repo.read(sts), 'hostNetwork: false').line).toBe(lineBefore + 3);
    const after = fingerprints(repo);
    expect(after).toEqual(before);
    expect(new Set(before.values()).size).toBe(before.size);
    for (const v of before.values()) expect(v).toMatch(/^[0-9a-f]{64}:1$/);
  });

  it('follow rule, resource and field, not the region', () => {
    // The same problem written two ways: set to false, or left out (reported on the parent's line).
    const a = fixtureRepo();
    a.edit(`${COMPONENT}/base/stateful_set.yaml`, 'readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false');
    const b = fixtureRepo();
    b.edit(`${COMPONENT}/base/stateful_set.yaml`, '            readOnlyRootFilesystem: true\n', '');
    const pick = (repo: Repo) => (sarif(repo).log.runs[0].results as Result[]).find((r) => r.ruleId === 'read-only-root-filesystem')!;
    const ra = pick(a);
    const rb = pick(b);
    expect(ra.locations[0]!.physicalLocation.region.startLine).not.toBe(rb.locations[0]!.physicalLocation.region.startLine);
    expect(ra.properties!.field).toBe(rb.properties!.field);
    expect(ra.partialFingerprints).toEqual(rb.partialFingerprints);
    // Findings of one rule on one resource differ by field (etcd-tls reports each flag).
    const tls = (sarif(a).log.runs[0].results as Result[]).filter((r) => r.ruleId === 'etcd-tls');
    expect(tls.length).toBeGreaterThan(1);
    expect(new Set(tls.map((r) => r.partialFingerprints[FINGERPRINT_KEY])).size).toBe(tls.length);
  });
});
