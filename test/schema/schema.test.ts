import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { explainErrors } from '../../src/schema/ajv-errors.ts';
import { validateObject } from '../../src/schema/kubernetes.ts';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { cleanComponent, cli, columnOf, json, lineOf, OVERLAY, writeTree } from '../config/helpers.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXTRA = 'etcd/overlays/dev/patches/extra.yaml';

function withPatch(body: string, more: Record<string, string> = {}) {
  const files = { ...cleanComponent(), ...more };
  files[EXTRA] = `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: cilium-etcd-0\n${body}`;
  files['etcd/overlays/dev/kustomization.yaml'] += '  - path: patches/extra.yaml\n';
  return { root: writeTree(files), files };
}

describe('strict schema validation of the rendered objects', () => {
  it('a misspelt field in an overlay patch is reported on that line, with the suggestion', () => {
    const { root, files } = withPatch(
      'spec:\n  template:\n    spec:\n      containers:\n        - name: etcd\n          securityContext:\n            readOnlyRootFileSystem: true\n',
    );
    const r = cli(root, '-f', 'json', OVERLAY);
    expect(r.code).toBe(1);
    const schema = json(r).findings.filter((f) => f.ruleId === 'kubernetes-schema');
    expect(schema).toEqual([
      expect.objectContaining({
        severity: 'error',
        message:
          'StatefulSet "cilium-etcd-0" spec.template.spec.containers[0].securityContext: unknown field "readOnlyRootFileSystem"; did you mean "readOnlyRootFilesystem"?',
        location: expect.objectContaining({
          file: EXTRA,
          line: lineOf(files[EXTRA]!, 'readOnlyRootFileSystem'),
          column: columnOf(files[EXTRA]!, 'readOnlyRootFileSystem'),
        }),
      }),
    ]);
  });

  it('a wrong type is an error on its line', () => {
    const { root, files } = withPatch('spec:\n  replicas: "1"\n');
    const schema = json(cli(root, '-f', 'json', OVERLAY)).findings.filter((f) => f.ruleId === 'kubernetes-schema');
    expect(schema.map((f) => [f.location.file, f.location.line, f.message])).toEqual([
      [EXTRA, lineOf(files[EXTRA]!, 'replicas'), 'StatefulSet "cilium-etcd-0" spec.replicas: must be number, not string'],
    ]);
  });

  it('the ArgoCD Application is schema-checked too', () => {
    const files = cleanComponent();
    files['apps/etcd.yaml'] = files['apps/etcd.yaml']!.replace(
      '  syncPolicy:\n',
      '  syncPolicy:\n    syncOption:\n      - CreateNamespace=true\n',
    );
    const r = cli(writeTree(files), '-f', 'json', OVERLAY);
    expect(r.code).toBe(1);
    expect(
      json(r)
        .findings.filter((f) => f.ruleId === 'kubernetes-schema')
        .map((f) => [f.location.file, f.location.line, f.message]),
    ).toEqual([
      [
        'apps/etcd.yaml',
        lineOf(files['apps/etcd.yaml']!, 'syncOption:'),
        'Application "cilium-etcd" spec.syncPolicy: unknown field "syncOption"; did you mean "syncOptions"?',
      ],
    ]);
  });

  it('a kind without a schema is reported once, as info, not passed as valid', () => {
    const sm = (name: string) =>
      `apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: ${name}\nspec:\n  endpoints: [{ port: metrics }]\n`;
    const files = cleanComponent();
    files['etcd/base/sm.yaml'] = `${sm('a')}---\n${sm('b')}`;
    files['etcd/base/kustomization.yaml'] = files['etcd/base/kustomization.yaml']!.replace('  - pdb.yaml\n', '  - pdb.yaml\n  - sm.yaml\n');
    const r = cli(writeTree(files), '-f', 'json', OVERLAY);
    expect(r.code).toBe(0);
    expect(
      json(r)
        .findings.filter((f) => f.ruleId.startsWith('kubernetes-schema'))
        .map((f) => [f.ruleId, f.severity, f.location.file, f.location.line, f.message]),
    ).toEqual([
      [
        'kubernetes-schema-missing',
        'info',
        'etcd/base/sm.yaml',
        2,
        'No bundled schema for monitoring.coreos.com/v1 ServiceMonitor: its objects are not schema-checked',
      ],
    ]);
  });

  it('the clean component and the bundled example have no schema finding', () => {
    const r = cli(writeTree(cleanComponent()), '-f', 'json', OVERLAY);
    expect(json(r).findings.filter((f) => f.ruleId.startsWith('kubernetes-schema'))).toEqual([]);
    const ex = cli(ROOT, '-f', 'json', 'fixtures/cilium-etcd/overlays/dev');
    expect(json(ex).findings.filter((f) => f.ruleId.startsWith('kubernetes-schema'))).toEqual([]);
  });
});

describe('the bundled schemas', () => {
  it('cover the component kinds and the ArgoCD Application', () => {
    const index = JSON.parse(readFileSync(new URL('../../schemas/kubernetes/index.json', import.meta.url), 'utf8'));
    for (const k of [
      'apps/v1/StatefulSet',
      'apps/v1/Deployment',
      'v1/Service',
      'policy/v1/PodDisruptionBudget',
      'batch/v1/CronJob',
      'v1/Pod',
      'argoproj.io/v1alpha1/Application',
    ]) {
      expect(index.kinds[k], k).toBeDefined();
    }
  });

  it('are loaded lazily: nothing until an object is validated, then only its group-version file', async () => {
    vi.resetModules();
    const mod = await import('../../src/schema/kubernetes.ts');
    expect(mod.loadedSchemaFiles()).toEqual([]);
    expect(
      mod.validateObject({
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'x' },
        spec: { selector: {}, serviceName: 'x', template: {} },
      }),
    ).toEqual({ known: true, errors: [] });
    expect(mod.loadedSchemaFiles()).toEqual(['apps.v1.json']);
    expect(mod.validateObject({ apiVersion: 'example.com/v1', kind: 'Thing' })).toEqual({ known: false });
    expect(mod.loadedSchemaFiles()).toEqual(['apps.v1.json']);
  });

  it('give the verdicts ajv gives (the interpreter against ajv, on every fixture object and broken variants)', () => {
    const index = JSON.parse(readFileSync(new URL('../../schemas/kubernetes/index.json', import.meta.url), 'utf8'));
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: false, validateFormats: false });
    const loaded = new Set<string>();
    const objects: Record<string, unknown>[] = [];
    for (const id of readdirSync(new URL('../../rules/fixtures/', import.meta.url))) {
      for (const f of ['pass.yaml', 'fail.yaml']) {
        for (const d of parseAllDocuments(readFileSync(new URL(`../../rules/fixtures/${id}/${f}`, import.meta.url), 'utf8')))
          objects.push(d.toJSON());
      }
    }
    const broken = objects.flatMap((o) => {
      const j = JSON.stringify(o);
      return [
        j.replace('"readOnlyRootFilesystem"', '"readOnlyRootFileSystem"'),
        j.replace('"replicas":1', '"replicas":"1"'),
        j.replace('"metadata":{', '"metadata":{"labelz":{},'),
        j.replace('"name":', '"nmae":'),
      ]
        .filter((x) => x !== j)
        .map((x) => JSON.parse(x));
    });
    let compared = 0;
    for (const o of [...objects, ...broken]) {
      const entry = index.kinds[`${o.apiVersion}/${o.kind}`];
      if (!entry) continue;
      if (!loaded.has(entry.file)) {
        ajv.addSchema(JSON.parse(readFileSync(new URL(`../../schemas/kubernetes/${entry.file}`, import.meta.url), 'utf8')));
        loaded.add(entry.file);
      }
      const validate = ajv.getSchema(`https://cilium-etcd-lint.invalid/schemas/kubernetes/${entry.file}#/definitions/${entry.definition}`)!;
      const ok = validate(o) as boolean;
      const theirs = ok
        ? []
        : explainErrors(validate.errors, o)
            .map((e) => `${JSON.stringify(e.path)} ${e.message}`)
            .sort();
      const r = validateObject(o as never);
      expect(r.known).toBe(true);
      const ours = r.known ? r.errors.map((e) => `${JSON.stringify(e.path)} ${e.message}`).sort() : [];
      expect(ours, `${o.kind} ${JSON.stringify(o).slice(0, 80)}`).toEqual(theirs);
      compared++;
    }
    expect(compared).toBeGreaterThan(200);
  });

  it('are what scripts/generate-schemas.mjs derives from the packages (reproducible)', { timeout: 300_000 }, () => {
    const r = spawnSync(process.execPath, ['scripts/generate-schemas.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr.split('\n').filter((l) => l.startsWith('stale'))).toEqual([]);
    expect(r.status).toBe(0);
  });
});
