import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { gitCopyOfHippocampus, HIPPOCAMPUS } from '../support/hippocampus.ts';
import { bundleCli } from './support/bundle.mjs';
import { lineOf, LspClient } from './support/client.ts';

/**
 * The acceptance on the real component: a git copy of the hippocampus monorepo
 * (../shared/corpus/hippocampus/repo; skipped when it is missing), the language server over
 * stdio with a real client. Typing `readOnlyRootFilesystem: false` into the cilium-etcd overlay
 * patch buffer (unsaved) gives the error on that line; undoing clears it; hovering on the base's
 * `readOnlyRootFilesystem` shows the rendered value and the layer that set it.
 */

const GUARD = path.resolve(__dirname, 'support/guard.cjs');

describe.skipIf(!existsSync(HIPPOCAMPUS))('lsp over stdio: the cilium-etcd component of the hippocampus monorepo', () => {
  let root: string;
  let client: LspClient;
  let patch: string;
  let base: string;
  let original: string;
  let mtimes: number[];

  beforeAll(async () => {
    const bundle = await bundleCli();
    root = gitCopyOfHippocampus('cel-lsp-hippocampus-');
    const comp = path.join(root, 'cluster/manifests/cilium-etcd');
    patch = path.join(comp, 'overlays/dev/patches/stateful_set.yaml');
    base = path.join(comp, 'base/stateful_set.yaml');
    original = readFileSync(patch, 'utf8');
    mtimes = [patch, base].map((f) => statSync(f).mtimeMs);
    client = await LspClient.start(bundle, root, { nodeArgs: ['--require', GUARD], env: { ...process.env, CEL_GUARD_ROOT: root } });
  }, 120_000);

  afterAll(async () => {
    if (client) expect(await client.shutdown()).toBe(0);
  });

  /** The patch with the etcd container's readOnlyRootFilesystem turned off, under spec.template.spec; and that line (0-based). */
  function withOverride(): { text: string; line: number } {
    const lines = original.split('\n');
    const at = lineOf(original, '    spec:', lineOf(original, '  template:')) + 1;
    lines.splice(
      at,
      0,
      '      containers:',
      '        - name: etcd',
      '          securityContext:',
      '            readOnlyRootFilesystem: false',
    );
    return { text: lines.join('\n'), line: at + 3 };
  }

  it('typing readOnlyRootFilesystem: false into the overlay patch buffer gives the error on that line; undo clears it', async () => {
    await client.open(patch);
    const opened = await client.waitForVersion(patch, 60_000);
    expect(opened.diagnostics.filter((d) => d.code === 'read-only-root-filesystem')).toEqual([]);

    const { text, line } = withOverride();
    await client.setText(patch, text);
    const p = await client.waitForVersion(patch);
    const err = p.diagnostics.find((d) => d.code === 'read-only-root-filesystem');
    expect(err, JSON.stringify(p.diagnostics)).toBeDefined();
    expect(err!.severity).toBe(DiagnosticSeverity.Error);
    expect(err!.range.start.line).toBe(line);

    await client.setText(patch, original);
    const undone = await client.waitForVersion(patch);
    expect(undone.diagnostics.find((d) => d.code === 'read-only-root-filesystem')).toBeUndefined();
  });

  it("hover on the base's readOnlyRootFilesystem shows the rendered value and the layer that set it", async () => {
    const baseText = readFileSync(base, 'utf8');
    await client.open(base);
    const line = lineOf(baseText, 'readOnlyRootFilesystem');
    const col = baseText.split('\n')[line]!.indexOf('readOnlyRootFilesystem') + 4;
    const h = await client.hover(base, line, col);
    const md = (h?.contents as { value: string }).value;
    expect(md).toContain('securityContext.readOnlyRootFilesystem');
    expect(md).toContain('`cluster/manifests/cilium-etcd/overlays/dev`: set here → `true`');

    const { text, line: patchLine } = withOverride();
    await client.setText(patch, text);
    await client.waitForVersion(patch);
    const h2 = await client.hover(base, line, col);
    expect((h2?.contents as { value: string }).value).toContain(
      `overridden in cluster/manifests/cilium-etcd/overlays/dev/patches/stateful_set.yaml:${patchLine + 1} → \`false\``,
    );
    await client.setText(patch, original);
    await client.waitForVersion(patch);
  });

  it('wrote nothing, ran nothing from the repository', () => {
    expect(client.stderr).not.toContain('GUARD');
    expect([patch, base].map((f) => statSync(f).mtimeMs)).toEqual(mtimes);
    expect(readFileSync(patch, 'utf8')).toBe(original);
  });
});
