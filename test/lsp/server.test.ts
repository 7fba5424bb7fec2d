import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnosticSeverity, DiagnosticTag, FileChangeType, DidChangeWatchedFilesNotification } from 'vscode-languageserver-protocol/node';
import { bundleCli } from './support/bundle.mjs';
import { applyEdits, gitCopyOfFixture, lineOf, LspClient } from './support/client.ts';

/**
 * The language server over stdio with a real LSP client, on the bundled example component
 * (fixtures/cilium-etcd) in a temporary git repository: diagnostics from unsaved buffers on the
 * responsible line, cleared when fixed; malformed YAML; hover provenance; go to definition; the
 * configuration's errors; and no file written, no process started, no repository module loaded
 * (a preloaded guard records any attempt).
 */

const GUARD = path.resolve(__dirname, 'support/guard.cjs');

function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const st = statSync(p);
        out.set(p, `${st.size}:${st.mtimeMs}`);
      }
    }
  };
  walk(dir);
  return out;
}

let bundle: string;
beforeAll(async () => {
  bundle = await bundleCli();
}, 60_000);

describe('lsp over stdio: the bundled component', () => {
  let root: string;
  let client: LspClient;
  let before: Map<string, string>;
  let comp: string;
  let patch: string;
  let base: string;
  let kfile: string;
  let original: string;

  beforeAll(async () => {
    root = gitCopyOfFixture();
    comp = path.join(root, 'fixtures/cilium-etcd');
    patch = path.join(comp, 'overlays/dev/patches/stateful_set.yaml');
    base = path.join(comp, 'base/stateful_set.yaml');
    kfile = path.join(comp, 'overlays/dev/kustomization.yaml');
    original = readFileSync(patch, 'utf8');
    before = snapshot(root);
    client = await LspClient.start(bundle, root, { nodeArgs: ['--require', GUARD], env: { ...process.env, CEL_GUARD_ROOT: root } });
  }, 30_000);

  afterAll(async () => {
    const code = await client?.shutdown();
    expect(code).toBe(0);
  });

  it('advertises hover, definition and incremental sync', () => {
    const caps = client.initializeResult.capabilities;
    expect(caps.hoverProvider).toBe(true);
    expect(caps.definitionProvider).toBe(true);
    expect(caps.textDocumentSync).toMatchObject({ openClose: true, change: 2 });
    expect(client.initializeResult.serverInfo?.name).toBe('cilium-etcd-lint');
  });

  it('on open, lints the overlay that reads the patch and publishes the findings on their own files (the base)', async () => {
    const baseDiags = client.waitForDiagnostics(base, (d) => d.length > 0);
    await client.open(patch);
    const own = await client.waitForVersion(patch);
    expect(own.diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error)).toEqual([]);
    const b = await baseDiags;
    // The fixture's plaintext etcd URLs are warnings in the base, where they are written.
    const tls = b.diagnostics.filter((d) => d.code === 'etcd-tls');
    expect(tls.length).toBeGreaterThan(0);
    expect(tls[0]!.range.start.line).toBe(lineOf(readFileSync(base, 'utf8'), '--listen-client-urls'));
    expect(tls[0]!.codeDescription?.href).toMatch(/rules\/etcd-tls\.md$/);
    // A finding in a base says which target reported it.
    expect(tls[0]!.message).toContain('fixtures/cilium-etcd/overlays/dev');
  });

  it('typing readOnlyRootFilesystem: false into the patch buffer (unsaved) gives the error on that line; undo clears it', async () => {
    const at = lineOf(original, '- name: etcd') + 1;
    await client.insertLine(patch, at, '          securityContext:\n            readOnlyRootFilesystem: false\n');
    const p = await client.waitForVersion(patch);
    const err = p.diagnostics.find((d) => d.code === 'read-only-root-filesystem');
    expect(err, JSON.stringify(p.diagnostics)).toBeDefined();
    expect(err!.severity).toBe(DiagnosticSeverity.Error);
    expect(err!.range.start.line).toBe(at + 1);
    expect(client.text(patch).split('\n')[err!.range.start.line]).toContain('readOnlyRootFilesystem: false');
    expect(readFileSync(patch, 'utf8')).toBe(original); // never saved, never written

    await client.setText(patch, original);
    const undone = await client.waitForVersion(patch);
    expect(undone.diagnostics.find((d) => d.code === 'read-only-root-filesystem')).toBeUndefined();
  });

  it("a rule's certain fix is a quick fix: a WorkspaceEdit on the responsible line, which the editor applies", async () => {
    const at = lineOf(original, '- name: etcd') + 1;
    await client.insertLine(patch, at, '          securityContext:\n            readOnlyRootFilesystem: false\n');
    const p = await client.waitForVersion(patch);
    const err = p.diagnostics.find((d) => d.code === 'read-only-root-filesystem')!;
    const actions = await client.codeActions(patch, [err]);
    const fix = actions.find((a) => a.title.includes('readOnlyRootFilesystem: true'));
    expect(fix, JSON.stringify(actions)).toBeDefined();
    expect(fix!.kind).toBe('quickfix');
    const changes = fix!.edit!.changes!;
    expect(Object.keys(changes)).toEqual([client.uri(patch)]);
    const fixed = applyEdits(client.text(patch), changes[client.uri(patch)]!);
    expect(fixed.split('\n')[at + 1]).toBe('            readOnlyRootFilesystem: true');
    await client.setText(patch, fixed);
    const after = await client.waitForVersion(patch);
    expect(after.diagnostics.find((d) => d.code === 'read-only-root-filesystem')).toBeUndefined();
    expect(readFileSync(patch, 'utf8')).toBe(original);
    await client.setText(patch, original);
    await client.waitForVersion(patch);
  });

  it('hover on the base field shows the rendered value and the layer that set it', async () => {
    const baseText = readFileSync(base, 'utf8');
    await client.open(base);
    const line = lineOf(baseText, 'readOnlyRootFilesystem');
    const col = baseText.split('\n')[line]!.indexOf('readOnlyRootFilesystem') + 3;
    const h = await client.hover(base, line, col);
    const md = (h?.contents as { value: string }).value;
    expect(md).toContain('spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem');
    expect(md).toContain('`fixtures/cilium-etcd/overlays/dev`: set here → `true`');

    // The overlay patch (unsaved) overrides it: the hover names the patch line and the final value.
    const at = lineOf(original, '- name: etcd') + 1;
    await client.insertLine(patch, at, '          securityContext:\n            readOnlyRootFilesystem: false\n');
    await client.waitForVersion(patch);
    const h2 = await client.hover(base, line, col);
    const md2 = (h2?.contents as { value: string }).value;
    expect(md2).toContain(`overridden in fixtures/cilium-etcd/overlays/dev/patches/stateful_set.yaml:${at + 2} → \`false\``);

    // On the patch line itself: set here.
    const h3 = await client.hover(patch, at + 1, 16);
    expect((h3?.contents as { value: string }).value).toContain('set here → `false`');
    await client.setText(patch, original);
    await client.waitForVersion(patch);
  });

  it('hover on a JSON6902 value inside the kustomization shows what it set', async () => {
    const text = readFileSync(kfile, 'utf8');
    await client.open(kfile);
    const line = lineOf(text, 'value: --log-level=debug');
    const h = await client.hover(kfile, line, text.split('\n')[line]!.indexOf('--log') + 2);
    const md = (h?.contents as { value: string }).value;
    expect(md).toMatch(/spec\.template\.spec\.containers\[0\]\.args\[\d+\]/);
    expect(md).toContain('set here → `"--log-level=debug"`');
  });

  it("hover on the base's image names the images: entry that rewrote it, and the entry itself says what it set", async () => {
    const baseText = readFileSync(base, 'utf8');
    const line = lineOf(baseText, 'image: quay.io/coreos/etcd');
    const h = await client.hover(base, line, baseText.split('\n')[line]!.indexOf('image') + 1);
    const md = (h?.contents as { value: string }).value;
    const bk = path.join(comp, 'base/kustomization.yaml');
    const bkText = readFileSync(bk, 'utf8');
    const entry = lineOf(bkText, '- name: quay.io/coreos/etcd');
    expect(md).toContain(`spec.template.spec.containers[0].image\``);
    expect(md).toContain(
      `overridden in fixtures/cilium-etcd/base/kustomization.yaml:${entry + 1} → \`"ghcr.io/hippocampus-dev/hippocampus/mirror/quay.io/coreos/etcd@sha256:`,
    );
    await client.open(bk);
    const h2 = await client.hover(bk, entry + 1, 8);
    expect((h2?.contents as { value: string }).value).toContain(
      'set here → `"ghcr.io/hippocampus-dev/hippocampus/mirror/quay.io/coreos/etcd@sha256:',
    );
  });

  it('go to definition from kustomization entries to their files', async () => {
    const text = client.text(kfile);
    const r = await client.definition(kfile, lineOf(text, '../../base'), text.split('\n')[lineOf(text, '../../base')]!.indexOf('../') + 2);
    expect(r?.uri).toBe(client.uri(path.join(comp, 'base/kustomization.yaml')));
    const pl = lineOf(text, 'path: patches/stateful_set.yaml');
    const r2 = await client.definition(kfile, pl, text.split('\n')[pl]!.indexOf('patches/') + 3);
    expect(r2?.uri).toBe(client.uri(patch));
    expect(await client.definition(kfile, lineOf(text, 'kind: Kustomization'), 8)).toBeUndefined();
  });

  it('survives malformed YAML mid-typing: a diagnostic on the broken line, and the next valid edit recovers', async () => {
    const at = lineOf(original, '- name: etcd') + 1;
    await client.insertLine(patch, at, '          securityContext: {readOnlyRootFilesystem: false\n');
    const broken = await client.waitForVersion(patch);
    const fatal = broken.diagnostics.find((d) => d.code === 'fatal');
    expect(fatal, JSON.stringify(broken.diagnostics)).toBeDefined();
    expect(fatal!.severity).toBe(DiagnosticSeverity.Error);
    expect(Math.abs(fatal!.range.start.line - at)).toBeLessThanOrEqual(1);

    await client.setText(patch, client.text(patch).replace('readOnlyRootFilesystem: false\n', 'readOnlyRootFilesystem: false}\n'));
    const fixed = await client.waitForVersion(patch);
    expect(fixed.diagnostics.find((d) => d.code === 'fatal')).toBeUndefined();
    expect(fixed.diagnostics.find((d) => d.code === 'read-only-root-filesystem')).toBeDefined();

    // Garbage in the kustomization itself: the target cannot be rendered, said on that file.
    const ktext = client.text(kfile);
    await client.setText(kfile, ktext.replace('resources:', 'resources: [\n'));
    const kb = await client.waitForVersion(kfile);
    expect(kb.diagnostics.some((d) => d.code === 'fatal')).toBe(true);
    await client.setText(kfile, ktext);
    const kf = await client.waitForVersion(kfile);
    expect(kf.diagnostics.some((d) => d.code === 'fatal')).toBe(false);

    await client.setText(patch, original);
    const back = await client.waitForVersion(patch);
    expect(back.diagnostics).toEqual([]);
    expect(client.proc.exitCode).toBeNull();
  });

  it('editing an Application buffer does not break the lint (Application findings follow the saved file: see the next suite)', async () => {
    const app = path.join(comp, 'argocd/application.yaml');
    const text = readFileSync(app, 'utf8');
    await client.open(app);
    await client.setText(app, text.replace('selfHeal: true', 'selfHeal: [oops'));
    await client.waitForVersion(app);
    await client.setText(app, text);
    await client.waitForVersion(app);
    expect(client.proc.exitCode).toBeNull();
  });

  it('wrote no file, started no process, loaded no module of the workspace', () => {
    expect(client.stderr).not.toContain('GUARD');
    expect(snapshot(root)).toEqual(before);
  });
});

describe('lsp over stdio: configuration and new files', () => {
  let root: string;
  let client: LspClient;

  let app: string;
  let appText: string;

  beforeAll(async () => {
    root = gitCopyOfFixture();
    // An Application that does not heal itself (written before the server starts).
    app = path.join(root, 'fixtures/cilium-etcd/argocd/application.yaml');
    appText = readFileSync(app, 'utf8');
    writeFileSync(app, appText.replace('selfHeal: true', 'selfHeal: false'));
    client = await LspClient.start(bundle, root, { nodeArgs: ['--require', GUARD], env: { ...process.env, CEL_GUARD_ROOT: root } });
  }, 30_000);

  afterAll(async () => {
    expect(client.stderr).not.toContain('GUARD');
    expect(await client.shutdown()).toBe(0);
  });

  it('a configuration error appears in the configuration file, and is cleared when fixed; the lint follows the configuration', async () => {
    const patch = path.join(root, 'fixtures/cilium-etcd/overlays/dev/patches/stateful_set.yaml');
    const base = path.join(root, 'fixtures/cilium-etcd/base/stateful_set.yaml');
    const warned = client.waitForDiagnostics(base, (d) => d.some((x) => x.code === 'etcd-tls'));
    const onApp = client.waitForDiagnostics(app, (d) => d.some((x) => x.code === 'argocd-automated-sync'));
    await client.open(patch);
    await warned;
    // The Application's finding is published on the Application's line.
    const a = await onApp;
    expect(a.diagnostics.find((x) => x.code === 'argocd-automated-sync')!.range.start.line).toBe(lineOf(appText, 'selfHeal'));

    // The test (an editor, another tool) writes the configuration; the server is told by a watched-file event.
    const config = path.join(root, '.cilium-etcd-lint.yaml');
    writeFileSync(config, 'rules:\n  etcd-tls: off\n  rulse: {}\n');
    const bad = client.waitForDiagnostics(config, (d) => d.length > 0);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: client.uri(config), type: FileChangeType.Created }],
    });
    const b = await bad;
    expect(b.diagnostics[0]!.message).toMatch(/invalid configuration: .*rulse/);
    expect(b.diagnostics[0]!.range.start.line).toBe(2);

    writeFileSync(config, 'rules:\n  etcd-tls: off\n');
    const cleared = client.waitForDiagnostics(config, (d) => d.length === 0);
    const quiet = client.waitForDiagnostics(base, (d) => !d.some((x) => x.code === 'etcd-tls'));
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: client.uri(config), type: FileChangeType.Changed }],
    });
    await cleared;
    await quiet;
  });

  it('a deprecated rule id in the configuration is a warning on the id, naming the rule and options to write instead', async () => {
    const config = path.join(root, '.cilium-etcd-lint.yaml');
    const text = 'rules:\n  etcd-tls: off\n  baseline-no-privileged: warning\nlockedRules: [host-network, baseline-image-digest]\n';
    writeFileSync(config, text);
    const said = client.waitForDiagnostics(config, (d) => d.length === 2);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: client.uri(config), type: FileChangeType.Changed }],
    });
    const p = await said;
    const lines = text.split('\n');
    const on = (id: string) => {
      const line = lineOf(text, id);
      const character = lines[line]!.indexOf(id);
      return { start: { line, character }, end: { line, character: character + id.length } };
    };
    expect(p.diagnostics.map((d) => ({ range: d.range, severity: d.severity, code: d.code, tags: d.tags, message: d.message }))).toEqual([
      {
        range: on('baseline-no-privileged'),
        severity: DiagnosticSeverity.Warning,
        code: 'baseline-no-privileged',
        tags: [DiagnosticTag.Deprecated],
        message:
          'rules: "baseline-no-privileged" is deprecated: write no-privileged: [warning, { scope: workloads }] (one rule, reported once per field)',
      },
      {
        range: on('baseline-image-digest'),
        severity: DiagnosticSeverity.Warning,
        code: 'baseline-image-digest',
        tags: [DiagnosticTag.Deprecated],
        message: 'lockedRules: "baseline-image-digest" is deprecated: write image-digest (the lock holds for image-digest)',
      },
    ]);
    expect(p.diagnostics[0]!.codeDescription?.href).toMatch(/\/rules\/baseline-no-privileged\.md$/);

    // Written the new way: the warnings go.
    writeFileSync(
      config,
      'rules:\n  etcd-tls: off\n  no-privileged: [warning, { scope: workloads }]\nlockedRules: [host-network, image-digest]\n',
    );
    const cleared = client.waitForDiagnostics(config, (d) => d.length === 0);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: client.uri(config), type: FileChangeType.Changed }],
    });
    await cleared;
  });

  it('a code rule named by the configuration is not loaded: said on its entry', async () => {
    const config = path.join(root, '.cilium-etcd-lint.yaml');
    const mod = path.join(root, 'my-rule.mjs');
    writeFileSync(mod, "throw new Error('repository code ran');\n");
    writeFileSync(config, 'customRules:\n  modules: [my-rule.mjs]\n');
    const said = client.waitForDiagnostics(config, (d) => d.some((x) => /not run in the editor/.test(String(x.message))));
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: client.uri(config), type: FileChangeType.Changed }],
    });
    const p = await said;
    expect(p.diagnostics[0]!.range.start.line).toBe(1);
    expect(client.stderr).not.toContain('GUARD require');
  });

  it('a file created on disk that a target was missing: the index is refreshed and the target recovers', async () => {
    const kfile = path.join(root, 'fixtures/cilium-etcd/overlays/dev/kustomization.yaml');
    const text = readFileSync(kfile, 'utf8');
    await client.open(kfile);
    // The buffer names a patch file that does not exist yet: the target cannot be rendered, on that entry.
    await client.setText(
      kfile,
      text.replace('  - path: patches/stateful_set.yaml', '  - path: patches/stateful_set.yaml\n  - path: patches/extra.yaml'),
    );
    const p = await client.waitForVersion(kfile);
    const fatal = p.diagnostics.find((d) => d.code === 'fatal');
    expect(fatal, JSON.stringify(p.diagnostics)).toBeDefined();
    expect(fatal!.range.start.line).toBe(lineOf(client.text(kfile), 'patches/extra.yaml'));

    const extra = path.join(root, 'fixtures/cilium-etcd/overlays/dev/patches/extra.yaml');
    writeFileSync(
      extra,
      'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: cilium-etcd-0\nspec:\n  template:\n    spec:\n      hostNetwork: false\n',
    );
    const recovered = client.waitForDiagnostics(extra, (d) => d.some((x) => x.code === 'host-network'));
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: client.uri(extra), type: FileChangeType.Created }],
    });
    const r = await recovered;
    expect(r.diagnostics.find((x) => x.code === 'host-network')!.range.start.line).toBe(7);
    const k = await client.waitForDiagnostics(kfile, (d) => !d.some((x) => x.code === 'fatal'));
    expect(k.diagnostics.some((d) => d.code === 'fatal')).toBe(false);
  });
});

// The ArgoCD lookups (the repository scan among them) live in the server's ArgoCache, renewed
// when a file changes on disk: a saved Application edit is seen.
describe('lsp over stdio: a saved Application', () => {
  it('a saved Application fix clears its finding', async () => {
    const root = gitCopyOfFixture();
    const app = path.join(root, 'fixtures/cilium-etcd/argocd/application.yaml');
    const text = readFileSync(app, 'utf8');
    writeFileSync(app, text.replace('selfHeal: true', 'selfHeal: false'));
    const client = await LspClient.start(bundle, root);
    try {
      const bad = client.waitForDiagnostics(app, (d) => d.some((x) => x.code === 'argocd-automated-sync'));
      await client.open(app);
      await bad;
      await client.setText(app, text);
      writeFileSync(app, text);
      const fixed = client.waitForDiagnostics(app, (d) => !d.some((x) => x.code === 'argocd-automated-sync'));
      await client.save(app);
      await fixed;
    } finally {
      await client.shutdown();
    }
  });
});

describe('lsp command line', () => {
  it('cilium-etcd-lint lsp --stdio (the CLI entry, src/cli/index.ts) serves the protocol', async () => {
    const cli = await bundleCli(undefined, 'src/cli/index.ts');
    const root = gitCopyOfFixture();
    const client = await LspClient.start(cli, root);
    expect(client.initializeResult.serverInfo?.name).toBe('cilium-etcd-lint');
    const patch = path.join(root, 'fixtures/cilium-etcd/overlays/dev/patches/stateful_set.yaml');
    await client.open(patch);
    await client.waitForVersion(patch);
    expect(await client.shutdown()).toBe(0);
  }, 60_000);

  it('refuses a transport other than stdio', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, [bundle, 'lsp', '--node-ipc'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--node-ipc is not supported');
    const r2 = spawnSync(process.execPath, [bundle, 'lsp'], { encoding: 'utf8' });
    expect(r2.status).toBe(2);
    expect(r2.stderr).toContain('give --stdio');
  });
});
