import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { locate, stripProvenance, type JsonObject } from '../../src/model/provenance.ts';
import { renderKustomization } from '../../src/render/build.ts';
import { nodeFileSystem } from '../../src/render/fs.ts';
import { renderWithKustomize } from '../../src/render/kustomize-binary.ts';
import { fixturesDir } from './fixture-roots.ts';

const hasKubectl = !spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8', timeout: 10_000 }).error;

describe.skipIf(!hasKubectl)('--renderer kustomize', () => {
  const dev = path.join(fixturesDir, 'cilium-etcd', 'overlays', 'dev');

  it('maps each object and its unchanged fields back to the source file, through a throw-away kustomization', () => {
    const { resources, version } = renderWithKustomize(dev, { origins: true });
    expect(version).toMatch(/^v\d+\./);
    const sts = resources.find((r) => r.object.kind === 'StatefulSet')!;
    const file = path.join(fixturesDir, 'cilium-etcd', 'base', 'stateful_set.yaml');
    expect(sts.location.file).toBe(file);
    const line =
      readFileSync(file, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('- /usr/local/bin/etcd')) + 1;
    expect(locate(sts.object, ['spec', 'template', 'spec', 'containers', 0, 'command', 0])).toMatchObject({ file, line });
    // A field a transformer changed (the base's images: entry pins a digest) stays on kustomize's output.
    expect(locate(sts.object, ['spec', 'template', 'spec', 'containers', 0, 'image'])?.file).toMatch(/^<kustomize build /);
    // The origin annotation asked for is not left behind, and the objects are the built-in renderer's.
    const builtin = renderKustomization(dev, { fs: nodeFileSystem }).resources.map((r) => stripProvenance(r.object));
    expect(resources.map((r) => stripProvenance(r.object as JsonObject))).toStrictEqual(builtin);
  });

  it('prints what kubectl kustomize prints when asked for the plain stream', () => {
    const { stream } = renderWithKustomize(dev);
    expect(stream).toBe(spawnSync('kubectl', ['kustomize', dev], { encoding: 'utf8' }).stdout);
  });
});
