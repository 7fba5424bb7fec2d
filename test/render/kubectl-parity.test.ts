import { execFile, spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { stripProvenance } from '../../src/model/provenance.ts';
import { renderKustomization } from '../../src/render/build.ts';
import { nodeFileSystem } from '../../src/render/fs.ts';
import { printKustomizeStream } from '../../src/yaml/print.ts';
import { renderFixtureRoots } from './fixture-roots.ts';

/*
 * Differential test: every render fixture must come out of the built-in renderer exactly as
 * `kubectl kustomize` (Kustomize v5.5.0) renders it: the same objects, in the same order.
 */

const roots = renderFixtureRoots();

function probeKubectl(): { ok: boolean; version: string; why: string } {
  const r = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8', timeout: 10_000 });
  if (r.error) return { ok: false, version: '', why: `kubectl is not runnable (${r.error.message})` };
  if (r.status !== 0) return { ok: false, version: '', why: `\`kubectl version --client\` failed: ${(r.stderr || '').trim()}` };
  const m = /Kustomize Version:\s*(\S+)/.exec(r.stdout);
  return { ok: true, version: m?.[1] ?? 'unknown', why: '' };
}

const kubectl = probeKubectl();
if (!kubectl.ok) {
  console.warn(`[kubectl-parity] SKIPPED: ${kubectl.why}. The built-in renderer is NOT being compared with kustomize.`);
} else if (kubectl.version !== 'v5.5.0') {
  console.warn(`[kubectl-parity] kubectl embeds Kustomize ${kubectl.version}; the fixtures are written against v5.5.0.`);
}

function kustomize(dir: string): Promise<{ out?: unknown[]; text?: string; err?: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        resolve({ err: `kubectl kustomize ${dir} failed: ${stderr || error.message}` });
        return;
      }
      const docs = parseAllDocuments(stdout);
      const list = Array.isArray(docs) ? docs : [];
      const bad = list.find((d) => d.errors.length);
      if (bad) {
        resolve({ err: `cannot parse kubectl output: ${bad.errors[0]!.message}` });
        return;
      }
      resolve({ out: list.map((d) => d.toJS()).filter((v) => v !== null && v !== undefined), text: stdout });
    });
  });
}

describe('render fixtures (without kubectl)', () => {
  it('has build roots to compare', () => {
    expect(roots.length).toBeGreaterThanOrEqual(15);
  });
  it.each(roots)('$name renders with the built-in renderer', ({ dir }) => {
    const r = renderKustomization(dir, { fs: nodeFileSystem });
    expect(r.resources.length).toBeGreaterThan(0);
  });
});

describe.skipIf(!kubectl.ok)(`built-in renderer vs kubectl kustomize (Kustomize ${kubectl.version})`, () => {
  const expected = new Map<string, { out?: unknown[]; text?: string; err?: string }>();

  beforeAll(async () => {
    // One kubectl process per fixture, all at once: ~100 ms each, not in sequence.
    const results = await Promise.all(roots.map((r) => kustomize(r.dir)));
    roots.forEach((r, i) => expected.set(r.dir, results[i]!));
  }, 60_000);

  it.each(roots)('$name', ({ dir }) => {
    const want = expected.get(dir)!;
    expect(want.err).toBeUndefined();
    const got = renderKustomization(dir, { fs: nodeFileSystem }).resources.map((r) => stripProvenance(r.object));
    const ids = (list: unknown[]) =>
      list.map((o) => {
        const obj = o as { kind?: string; metadata?: { namespace?: string; name?: string } };
        return `${obj.kind} ${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
      });
    // Order first (a clearer message), then the objects themselves.
    expect(ids(got)).toEqual(ids(want.out!));
    expect(got).toStrictEqual(want.out);
    // `cilium-etcd-lint render` prints the same bytes as kustomize.
    expect(printKustomizeStream(got)).toBe(want.text);
  });
});
