import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverApplications, normalizeSourcePath, sourcePaths } from '../../src/argocd/discover.ts';
import { DependencyIndex } from '../../src/lint/affected.ts';
import { allTargets } from '../../src/lint/targets.ts';
import { isObject, LOCS, SELF, type Json } from '../../src/model/provenance.ts';
import { renderKustomization } from '../../src/render/build.ts';
import { nodeFileSystem, type FileSystem } from '../../src/render/fs.ts';
import { KUSTOMIZATION_FILE_NAMES } from '../../src/render/kustomization.ts';
import { runCli } from '../support/cli.ts';
import { gitCopyOfHippocampus, HIPPOCAMPUS } from '../support/hippocampus.ts';

/**
 * `--changed` against a brute-force oracle on the real monorepo. The oracle renders every target
 * for real through a file system that records every file the renderer reads, and renders the
 * ArgoCD Applications' kustomizations the same way; a target "reads" a file when its render read
 * it, or when an Application deploying it was set by that file (its provenance) or rendered
 * through that kustomization file. The index under test never renders a target: it parses
 * kustomization files only (src/render/dependencies.ts).
 */

/** A file system that records the files read through it. */
function recording(fs: FileSystem): { fs: FileSystem; read: Set<string> } {
  const read = new Set<string>();
  return {
    read,
    fs: {
      ...fs,
      readFile: (p) => (read.add(path.resolve(p)), fs.readFile(p)),
      readBytes: (p) => (read.add(path.resolve(p)), fs.readBytes!(p)),
    },
  };
}

function provenanceFiles(v: Json, out: Set<string>): void {
  if (Array.isArray(v)) {
    for (const l of v[LOCS] ?? []) if (l) out.add(l.file);
    v.forEach((x) => provenanceFiles(x, out));
  } else if (isObject(v)) {
    for (const l of Object.values(v[LOCS] ?? {})) out.add(l.file);
    if (v[SELF]) out.add(v[SELF].file);
    Object.values(v).forEach((x) => provenanceFiles(x, out));
  }
}

describe.skipIf(!existsSync(HIPPOCAMPUS))('--changed on a git copy of the hippocampus monorepo', () => {
  const root = gitCopyOfHippocampus('cel-hippocampus-affected-');
  const candidates = allTargets(root, ['.']);

  // The oracle: what each renderable target's real render reads.
  const oracleReads = new Map<string, Set<string>>();
  for (const t of candidates) {
    const rec = recording(nodeFileSystem);
    try {
      renderKustomization(path.join(root, t), { fs: rec.fs, root });
      oracleReads.set(t, rec.read);
    } catch {
      // Not renderable by the built-in renderer (a plugin, a remote base, a file missing from the copy): not compared.
    }
  }
  // ...and what the Applications deploying each target were set by, or rendered through.
  for (const app of discoverApplications(root, (d, o) => renderKustomization(d, { fs: nodeFileSystem, root, ...o }))) {
    const files = new Set<string>([app.file]);
    provenanceFiles(app.object, files);
    if (app.via) {
      const rec = recording(nodeFileSystem);
      renderKustomization(app.via, { fs: rec.fs, root });
      for (const f of rec.read) if (KUSTOMIZATION_FILE_NAMES.includes(path.basename(f))) files.add(f);
    }
    for (const p of sourcePaths(app.object)) {
      const t = normalizeSourcePath(p);
      const reads = oracleReads.get(t);
      if (reads) for (const f of files) reads.add(f);
    }
  }
  const oracle = (file: string): string[] =>
    [...oracleReads]
      .filter(([, reads]) => reads.has(file))
      .map(([t]) => t)
      .sort();

  it('renders most targets, so the comparison means something', () => {
    expect(candidates.length).toBeGreaterThan(140);
    expect(oracleReads.size).toBeGreaterThanOrEqual(100);
  });

  it('for at least 200 files of every kind, the targets --changed selects are the targets whose render (or Application) reads the file', () => {
    const index = new DependencyIndex(candidates, { cwd: root, fs: nodeFileSystem, argocd: true });
    // Every file some render read, and some files none reads: a fixed, spread-out sample of each.
    const read = [...new Set([...oracleReads.values()].flatMap((s) => [...s]))].sort();
    const kinds = {
      kustomization: read.filter((f) => KUSTOMIZATION_FILE_NAMES.includes(path.basename(f))),
      application: read.filter((f) => f.includes('/argocd-applications/')),
      patch: read.filter((f) => /patch/i.test(f) && !KUSTOMIZATION_FILE_NAMES.includes(path.basename(f))),
      generatorInput: read.filter((f) => !/\.(ya?ml|json)$/.test(f)),
      resource: read.filter((f) => /\.(ya?ml|json)$/.test(f) && !KUSTOMIZATION_FILE_NAMES.includes(path.basename(f)) && !/patch/i.test(f)),
    };
    const spread = (list: string[], n: number) =>
      list.length <= n ? list : Array.from({ length: n }, (_, i) => list[Math.floor((i * list.length) / n)]!);
    const sample = [
      ...new Set([
        ...spread(kinds.kustomization, 60),
        ...spread(kinds.application, 40),
        ...spread(kinds.patch, 40),
        ...spread(kinds.generatorInput, 30),
        ...spread(kinds.resource, 60),
      ]),
    ];
    sample.push(path.join(root, 'README.md'), path.join(root, '.github/workflows/does-not-exist.yaml'));
    expect(sample.length).toBeGreaterThanOrEqual(200);
    console.log(
      `sample: ${sample.length} files; kinds: ${Object.entries(kinds)
        .map(([k, v]) => `${k} ${v.length}`)
        .join(', ')}`,
    );
    for (const k of Object.values(kinds)) expect(k.length).toBeGreaterThan(0);

    const mismatches: string[] = [];
    for (const f of sample) {
      const selected = index
        .affected([f])
        .targets.filter((t) => oracleReads.has(t))
        .sort();
      const expected = oracle(f);
      if (JSON.stringify(selected) !== JSON.stringify(expected))
        mismatches.push(`${path.relative(root, f)}: selected [${selected.join(', ')}], oracle [${expected.join(', ')}]`);
    }
    expect(mismatches).toEqual([]);
    // (What the index costs is measured by npm run bench, against kubectl kustomize.)
  });

  it('the component base and its Application select the cilium-etcd overlay; a base shared by N overlays selects all N', () => {
    const cli = (...files: string[]) => JSON.parse(runCli(['--format', 'json', '--changed', ...files], { cwd: root }).stdout);
    const paths = (doc: { targets: { path: string }[] }) => doc.targets.map((t) => t.path);
    expect(paths(cli('cluster/manifests/cilium-etcd/base/stateful_set.yaml'))).toEqual(['cluster/manifests/cilium-etcd/overlays/dev']);
    expect(paths(cli('cluster/manifests/argocd-applications/base/cilium-etcd.yaml'))).toEqual(
      expect.arrayContaining(['cluster/manifests/cilium-etcd/overlays/dev']),
    );
    // The most shared base of the monorepo: every overlay whose render reads it.
    const counts = new Map<string, number>();
    for (const reads of oracleReads.values())
      for (const f of reads) if (KUSTOMIZATION_FILE_NAMES.includes(path.basename(f))) counts.set(f, (counts.get(f) ?? 0) + 1);
    const [shared, n] = [...counts].filter(([f]) => !f.includes('argocd-applications')).sort((a, b) => b[1] - a[1])[0]!;
    expect(n).toBeGreaterThan(2);
    const doc = cli(path.relative(root, shared));
    expect(paths(doc).filter((t: string) => oracleReads.has(t))).toEqual(oracle(shared));
    expect(paths(doc).length + doc.summary.targets.fatal).toBeGreaterThanOrEqual(n);
  });

  it('the Application edit of the issue (selfHeal: false) is caught from the Application file alone', () => {
    const app = path.join(root, 'cluster/manifests/argocd-applications/base/cilium-etcd.yaml');
    const text = readFileSync(app, 'utf8');
    expect(text).toContain('selfHeal: true');
    writeFileSync(app, text.replace('selfHeal: true', 'selfHeal: false'));
    try {
      const r = runCli(['--format', 'json', '--changed', 'cluster/manifests/argocd-applications/base/cilium-etcd.yaml'], { cwd: root });
      const doc = JSON.parse(r.stdout);
      expect(
        doc.findings.filter(
          (f: { ruleId: string; target: string }) =>
            f.ruleId === 'argocd-automated-sync' && f.target === 'cluster/manifests/cilium-etcd/overlays/dev',
        ),
      ).toHaveLength(1);
      expect(r.code).not.toBe(0);
    } finally {
      writeFileSync(app, text);
    }
  });
});
