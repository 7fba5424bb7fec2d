import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

const FIXTURE = path.resolve(__dirname, '../../fixtures/cilium-etcd');

/** A repository: the component with a writable root filesystem, a target that cannot be rendered, and one excluded. */
function repo(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'cel-junit-'));
  mkdirSync(path.join(root, '.git'));
  cpSync(FIXTURE, path.join(root, 'etcd'), { recursive: true });
  const sts = path.join(root, 'etcd/base/stateful_set.yaml');
  writeFileSync(sts, readFileSync(sts, 'utf8').replace('readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false'));
  const app = path.join(root, 'etcd/argocd/application.yaml');
  writeFileSync(app, readFileSync(app, 'utf8').replace('path: fixtures/cilium-etcd/overlays/dev', 'path: etcd/overlays/dev'));
  mkdirSync(path.join(root, 'broken'));
  writeFileSync(path.join(root, 'broken/kustomization.yaml'), 'resources:\n  - "missing <&> file.yaml"\n');
  mkdirSync(path.join(root, 'skipped'));
  writeFileSync(path.join(root, 'skipped/kustomization.yaml'), 'resources: []\n');
  return root;
}

describe('--format junit', () => {
  it('is well-formed JUnit XML: a suite per target, failures for errors and warnings, an error for a target that cannot be rendered, a skipped case per exclusion', () => {
    const root = repo();
    const r = runCli(['--format', 'junit', '--exclude', 'skipped', 'etcd/overlays/dev', 'broken', 'skipped'], { cwd: root });
    expect(r.code).toBe(2);
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    const doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (name) => name === 'testsuite' || name === 'testcase',
    }).parse(r.stdout);
    const suites = doc.testsuites.testsuite as {
      name: string;
      tests: string;
      failures: string;
      errors: string;
      skipped: string;
      testcase: Record<string, any>[];
    }[];
    expect(suites.map((s) => s.name)).toEqual(['etcd/overlays/dev', 'broken', 'excluded']);

    const [component, broken, excluded] = suites;
    const rofs = component!.testcase.find((c) => c.name.startsWith('read-only-root-filesystem: '))!;
    expect(rofs.file).toBe('etcd/base/stateful_set.yaml');
    expect(rofs.failure.type).toBe('error');
    expect(rofs.failure.message).toMatch(/read-only root filesystem/);
    expect(Number(component!.failures)).toBe(component!.testcase.filter((c) => c.failure).length);
    expect(Number(component!.failures)).toBeGreaterThan(0);

    // The path with <, & and > survives escaping.
    expect(broken!.errors).toBe('1');
    expect(broken!.testcase[0]!.error.type).toBe('fatal');
    expect(broken!.testcase[0]!.error.message).toContain('"missing <&> file.yaml" does not exist');
    expect(broken!.testcase[0]!.file).toBe('broken/kustomization.yaml');

    expect(excluded!.skipped).toBe('1');
    expect(excluded!.testcase[0]!.skipped.message).toBe('--exclude skipped');

    const total = suites.reduce((n, s) => n + Number(s.tests), 0);
    expect(Number(doc.testsuites.tests)).toBe(total);
  });

  it('a clean target is one passing test case', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'cel-junit-clean-'));
    mkdirSync(path.join(root, 'app'));
    writeFileSync(path.join(root, 'app/kustomization.yaml'), 'resources: [cm.yaml]\n');
    writeFileSync(path.join(root, 'app/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
    writeFileSync(path.join(root, '.cilium-etcd-lint.yaml'), 'rules:\n  etcd-statefulset-present: off\n');
    const r = runCli(['--format', 'junit', '--no-argocd', 'app'], { cwd: root });
    expect(r.code).toBe(0);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(r.stdout);
    expect(doc.testsuites.tests).toBe('1');
    expect(doc.testsuites.testsuite.testcase.name).toBe('cilium-etcd-lint: no findings');
    expect(doc.testsuites.testsuite.testcase.failure).toBeUndefined();
  });
});
