import type { DiscoveryRender } from '../../src/argocd/discover.ts';
import { renderKustomization } from '../../src/render/build.ts';
import { nodeFileSystem } from '../../src/render/fs.ts';

/** A renderer for the ArgoCD discovery that records what it was asked to render (and whether partially). */
export function recordingRender(root: string): { render: DiscoveryRender; calls: { dir: string; filtered: boolean }[] } {
  const calls: { dir: string; filtered: boolean }[] = [];
  const render: DiscoveryRender = (dir, opts) => {
    calls.push({ dir, filtered: opts?.skipResourceFile !== undefined });
    return renderKustomization(dir, { fs: nodeFileSystem, root, ...opts });
  };
  return { render, calls };
}
