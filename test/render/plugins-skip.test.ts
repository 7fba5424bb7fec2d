import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/model/errors.ts';
import { stripProvenance } from '../../src/model/provenance.ts';
import { renderKustomization, type RenderResult } from '../../src/render/build.ts';
import { nodeFileSystem } from '../../src/render/fs.ts';
import { printKustomizeStream } from '../../src/yaml/print.ts';
import { dedent, memFs } from './memfs.ts';

/*
 * `plugins: skip` (RenderOptions.plugins): a generator plugin that would run a program is left
 * out, with a warning on its `generators:` entry; everything else renders as kustomize renders
 * the same tree without that entry. The default still refuses; transformer plugins are always
 * refused.
 */

const DEPLOYMENT = `
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: app
  spec:
    selector:
      matchLabels: { app: app }
    template:
      metadata:
        labels: { app: app }
      spec:
        containers:
          - name: app
            image: app:1
            envFrom:
              - secretRef: { name: app-env }
              - configMapRef: { name: app-config }
`;

const VAULT = `
  apiVersion: kustomize.example.com/v1
  kind: SecretsFromVault
  metadata:
    name: app-env
  spec:
    vaultSecrets:
      - path: /kv/data/app
        key: TOKEN
`;

const printed = (r: RenderResult) => printKustomizeStream(r.resources.map((x) => stripProvenance(x.object)));
const rel = (fs: { root: string }, file: string) => file.slice(fs.root.length + 1);

function render(
  files: Record<string, string>,
  plugins?: 'refuse' | 'skip',
  dir = 'overlay',
): RenderResult & { fs: ReturnType<typeof memFs> } {
  const fs = memFs(files);
  return { ...renderKustomization(fs.path(dir), { fs, ...(plugins ? { plugins } : {}) }), fs };
}

function refusal(files: Record<string, string>, plugins?: 'refuse' | 'skip'): UserError {
  try {
    render(files, plugins);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('rendered, but a refusal was expected');
}

describe('generator plugins with plugins: skip', () => {
  const tree = {
    'overlay/kustomization.yaml': `
      namespace: apps
      resources:
        - deployment.yaml
      configMapGenerator:
        - name: app-config
          literals: [mode=dev]
      generators:
        - secrets_from_vault.yaml
    `,
    'overlay/deployment.yaml': DEPLOYMENT,
    'overlay/secrets_from_vault.yaml': VAULT,
  };

  it('is refused by default, and with plugins: refuse', () => {
    for (const mode of [undefined, 'refuse'] as const) {
      const e = refusal(tree, mode);
      expect(e.message).toMatch(/kustomization field "generators": generator plugins .* never runs programs/);
      expect(e.location?.line).toBe(7);
    }
  });

  it('leaves the generator out, with a warning on the line naming the file, naming the plugin', () => {
    const r = render(tree, 'skip');
    expect(r.resources.map((x) => `${x.object.kind}/${(x.object.metadata as { name: string }).name}`)).toEqual([
      expect.stringMatching(/^ConfigMap\/app-config-[a-z0-9]{10}$/),
      'Deployment/app',
    ]);
    expect(r.warnings).toHaveLength(1);
    const w = r.warnings[0]!;
    expect({ file: rel(r.fs, w.location.file), line: w.location.line, column: w.location.column }).toEqual({
      file: 'overlay/kustomization.yaml',
      line: 8,
      column: 5,
    });
    expect(w.message).toContain('kustomize.example.com/v1 SecretsFromVault "app-env"');
    expect(w.message).toMatch(/was not run \(plugins: skip\): its output was not generated/);
    // The plugin's configuration was read (a change to it selects this target).
    expect(r.files).toContain(r.fs.path('overlay/secrets_from_vault.yaml'));
  });

  it('renders exactly what the tree without the entry renders', () => {
    const without = {
      ...tree,
      'overlay/kustomization.yaml': tree['overlay/kustomization.yaml'].replace(/generators:\n\s*- secrets_from_vault.yaml\n/, ''),
    };
    expect(without['overlay/kustomization.yaml']).not.toContain('generators');
    const a = render(tree, 'skip');
    const b = render(without);
    expect(printed(a)).toBe(printed(b));
    expect(b.warnings).toEqual([]);
  });

  it('an inline entry: the warning is on the entry', () => {
    const r = render(
      {
        'overlay/kustomization.yaml': `
          resources: [deployment.yaml]
          generators:
            - |
              apiVersion: fn.example.com/v1
              kind: Vault
              metadata:
                name: inline-vault
                annotations:
                  config.kubernetes.io/function: |
                    container:
                      image: ghcr.io/example/vault-fn:1
        `,
        'overlay/deployment.yaml': DEPLOYMENT,
      },
      'skip',
    );
    expect(r.resources).toHaveLength(1);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]!.location.line).toBe(3);
    expect(r.warnings[0]!.message).toContain('fn.example.com/v1 Vault "inline-vault" (container function ghcr.io/example/vault-fn:1)');
  });

  it('an exec function is named with its executable', () => {
    const r = render(
      {
        'overlay/kustomization.yaml': `
          resources: [deployment.yaml]
          generators: [gen.yaml]
        `,
        'overlay/deployment.yaml': DEPLOYMENT,
        'overlay/gen.yaml': `
          apiVersion: fn.example.com/v1
          kind: Gen
          metadata:
            name: g
            annotations:
              config.kubernetes.io/function: |
                exec:
                  path: ./plugins/gen.sh
        `,
      },
      'skip',
    );
    expect(r.warnings.map((w) => [w.location.line, w.message.replace(/ was not run.*/, '')])).toEqual([
      [2, 'generator plugin fn.example.com/v1 Gen "g" (exec function ./plugins/gen.sh)'],
    ]);
  });

  it('a builtin generator in the same file still runs; each skipped plugin gets its own warning', () => {
    const r = render(
      {
        'overlay/kustomization.yaml': `
          resources: [deployment.yaml]
          generators:
            - gens.yaml
        `,
        'overlay/deployment.yaml': DEPLOYMENT,
        'overlay/gens.yaml': `
          apiVersion: builtin
          kind: ConfigMapGenerator
          metadata:
            name: app-config
          literals: [mode=dev]
          ---
          apiVersion: kustomize.example.com/v1
          kind: SecretsFromVault
          metadata:
            name: app-env
          ---
          apiVersion: kustomize.example.com/v1
          kind: SecretsFromVault
          metadata:
            name: second
        `,
      },
      'skip',
    );
    expect(r.resources.map((x) => (x.object.metadata as { name: string }).name)).toEqual([
      expect.stringMatching(/^app-config-[a-z0-9]{10}$/),
      'app',
    ]);
    expect(r.warnings.map((w) => [w.location.line, /SecretsFromVault "([^"]+)"/.exec(w.message)?.[1]])).toEqual([
      [3, 'app-env'],
      [3, 'second'],
    ]);
  });

  it('a directory entry: every plugin configuration of its kustomization is named', () => {
    const r = render(
      {
        'overlay/kustomization.yaml': `
          resources: [deployment.yaml]
          generators:
            - gens
        `,
        'overlay/deployment.yaml': DEPLOYMENT,
        'overlay/gens/kustomization.yaml': `
          namePrefix: x-
          resources: [vault.yaml]
        `,
        'overlay/gens/vault.yaml': VAULT,
      },
      'skip',
    );
    expect(r.resources).toHaveLength(1);
    expect(r.warnings.map((w) => [w.location.line, w.message.replace(/ was not run.*/, '')])).toEqual([
      [3, 'generator plugin kustomize.example.com/v1 SecretsFromVault "x-app-env"'],
    ]);
    // Refused by default, as before.
    expect(() =>
      render({
        'overlay/kustomization.yaml': 'generators: [gens]\n',
        'overlay/gens/kustomization.yaml': 'resources: [vault.yaml]\n',
        'overlay/gens/vault.yaml': VAULT,
      }),
    ).toThrow(/never runs programs/);
  });

  it('a skipped generator in a base: the overlay renders, the warning is on the base', () => {
    const r = render(
      {
        'base/kustomization.yaml': `
          resources: [deployment.yaml]
          generators: [vault.yaml]
        `,
        'base/deployment.yaml': DEPLOYMENT,
        'base/vault.yaml': VAULT,
        'overlay/kustomization.yaml': `
          resources: [../base]
          namePrefix: dev-
        `,
      },
      'skip',
    );
    expect(r.resources.map((x) => (x.object.metadata as { name: string }).name)).toEqual(['dev-app']);
    expect(r.warnings.map((w) => `${rel(r.fs, w.location.file)}:${w.location.line}`)).toEqual(['base/kustomization.yaml:2']);
  });

  it('transformer plugins are refused even with skip', () => {
    const e = refusal(
      {
        'overlay/kustomization.yaml': `
          resources: [deployment.yaml]
          transformers: [t.yaml]
        `,
        'overlay/deployment.yaml': DEPLOYMENT,
        'overlay/t.yaml': `
          apiVersion: fn.example.com/v1
          kind: Tweak
          metadata:
            name: t
        `,
      },
      'skip',
    );
    expect(e.message).toMatch(/kustomization field "transformers": transformer plugins/);
  });

  it('validators and helmCharts are refused even with skip', () => {
    expect(
      refusal(
        {
          'overlay/kustomization.yaml': 'resources: [d.yaml]\nvalidators: [v.yaml]\n',
          'overlay/d.yaml': DEPLOYMENT,
          'overlay/v.yaml': VAULT,
        },
        'skip',
      ).message,
    ).toMatch(/"validators"/);
    expect(
      refusal({ 'overlay/kustomization.yaml': 'resources: [d.yaml]\nhelmCharts:\n  - name: x\n', 'overlay/d.yaml': DEPLOYMENT }, 'skip')
        .message,
    ).toMatch(/"helmCharts"/);
  });

  it('a missing plugin configuration file is still an error', () => {
    const e = refusal(
      { 'overlay/kustomization.yaml': 'resources: [d.yaml]\ngenerators: [missing.yaml]\n', 'overlay/d.yaml': DEPLOYMENT },
      'skip',
    );
    expect(e.message).toMatch(/"missing\.yaml" does not exist/);
    expect(e.location?.line).toBe(2);
  });
});

describe('generators and transformers run in kustomize order: inline configurations first, then files', () => {
  const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n';
  it('generators', () => {
    const r = render({
      'overlay/kustomization.yaml': `
        resources: [cm.yaml]
        sortOptions: { order: fifo }
        generators:
          - gen.yaml
          - |
            apiVersion: builtin
            kind: ConfigMapGenerator
            metadata:
              name: inline
            literals: [a=b]
      `,
      'overlay/cm.yaml': cm,
      'overlay/gen.yaml': 'apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata:\n  name: fromfile\nliterals: [c=d]\n',
    });
    // As `kubectl kustomize` (v5.5.0) orders them.
    expect(r.resources.map((x) => (x.object.metadata as { name: string }).name)).toEqual([
      'plain',
      'inline-4h2mbtbbt6',
      'fromfile-gbdtcf54mt',
    ]);
  });
  it('transformers', () => {
    const spec = 'fieldSpecs:\n  - path: metadata/name\n';
    const r = render({
      'overlay/kustomization.yaml': `
        resources: [cm.yaml]
        transformers:
          - t.yaml
          - |
            apiVersion: builtin
            kind: PrefixSuffixTransformer
            metadata:
              name: inline
            prefix: a-
            fieldSpecs:
              - path: metadata/name
      `,
      'overlay/cm.yaml': cm,
      'overlay/t.yaml': `apiVersion: builtin\nkind: PrefixSuffixTransformer\nmetadata:\n  name: file\nprefix: b-\n${spec}`,
    });
    expect((r.resources[0]!.object.metadata as { name: string }).name).toBe('b-a-plain');
  });
});

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8', timeout: 10_000 });
const hasKubectl = !kubectl.error && kubectl.status === 0;
if (!hasKubectl) console.warn('[plugins-skip] SKIPPED the kubectl comparison: kubectl is not runnable');

describe.skipIf(!hasKubectl)('plugins: skip against kubectl kustomize of the tree without the entries', () => {
  function write(files: Record<string, string>): string {
    const root = mkdtempSync(path.join(tmpdir(), 'plugins-skip-'));
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), dedent(text));
    }
    return root;
  }

  it('byte-identical to kustomize without the skipped entries', () => {
    const common = {
      'base/kustomization.yaml': `
        resources: [deployment.yaml]
        secretGenerator:
          - name: app-env
            literals: [FROM_BASE=1]
      `,
      'base/deployment.yaml': DEPLOYMENT,
      'overlay/secrets_from_vault.yaml': `
        apiVersion: kustomize.example.com/v1
        kind: SecretsFromVault
        metadata:
          name: app-env
        behavior: merge
        spec:
          vaultSecrets:
            - path: /kv/data/app
              key: TOKEN
      `,
    };
    const kustomization = (withPlugins: boolean) => `
      namespace: apps
      namePrefix: dev-
      resources:
        - ../base
      configMapGenerator:
        - name: app-config
          literals: [mode=dev]
      generators:
        ${withPlugins ? '- secrets_from_vault.yaml' : ''}
        - |
          apiVersion: builtin
          kind: ConfigMapGenerator
          metadata:
            name: extra
          literals: [x=y]
        ${
          withPlugins
            ? `- |
          apiVersion: fn.example.com/v1
          kind: Vault
          metadata:
            name: inline-vault
            annotations:
              config.kubernetes.io/function: |
                container:
                  image: ghcr.io/example/vault-fn:1`
            : ''
        }
      images:
        - name: app
          newTag: "2"
    `;
    const skipped = write({ ...common, 'overlay/kustomization.yaml': kustomization(true) });
    const removed = write({ ...common, 'overlay/kustomization.yaml': kustomization(false) });
    const r = renderKustomization(path.join(skipped, 'overlay'), { fs: nodeFileSystem, plugins: 'skip' });
    // Inline configurations run first (kustomize's order), so their warnings come first.
    expect(r.warnings.map((w) => w.location.line)).toEqual([16, 9]);
    const want = spawnSync('kubectl', ['kustomize', path.join(removed, 'overlay')], { encoding: 'utf8' });
    expect(want.status, want.stderr).toBe(0);
    expect(printed(r)).toBe(want.stdout);
    // And kustomize itself refuses the tree with the plugins (it would need --enable-alpha-plugins).
    const refused = spawnSync('kubectl', ['kustomize', path.join(skipped, 'overlay')], { encoding: 'utf8' });
    expect(refused.status).not.toBe(0);
  });
});
