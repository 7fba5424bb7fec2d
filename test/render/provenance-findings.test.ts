import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { fixturesDir } from './fixture-roots.ts';

/*
 * Findings keep pointing at the responsible line when the offending value travels through a
 * generator and a replacement: the line is the replacement's source (a resource file, or the
 * generated ConfigMap's `literals:` entry), not the field the value landed in.
 */

function component(overlay: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'cel-prov-'));
  cpSync(path.join(fixturesDir, 'cilium-etcd'), root, { recursive: true });
  const dir = path.join(root, 'overlays', 'replaced');
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(overlay)) writeFileSync(path.join(dir, name), text);
  return root;
}

function lint(root: string) {
  let stdout = '';
  let stderr = '';
  const code = main({
    argv: ['--format', 'json', '--no-argocd', 'overlays/replaced'],
    cwd: root,
    env: {},
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    stdoutIsTty: false,
    readStdin: () => '',
  });
  expect(stderr).toBe('');
  type Finding = { ruleId: string; field?: string; location: { file: string; line: number; column: number } };
  return { code, findings: (JSON.parse(stdout) as { findings: Finding[] }).findings };
}

const replaceImage = (source: string) => `
resources:
  - ../../base
${source}
replacements:
  - source:
      kind: ConfigMap
      name: etcd-settings
      fieldPath: data.IMAGE
    targets:
      - select:
          kind: StatefulSet
        fieldPaths:
          - spec.template.spec.containers.[name=etcd].image
`;

describe('provenance through generators and replacements', () => {
  it("points at a generated ConfigMap's literals entry that a replacement copied", () => {
    const root = component({
      'kustomization.yaml': replaceImage(`configMapGenerator:
  - name: etcd-settings
    literals:
      - LOG_LEVEL=info
      - IMAGE=docker.io/bitnami/etcd:3.5.17
`),
    });
    const r = lint(root);
    expect(r.code).toBe(1);
    const f = r.findings.find((x) => x.ruleId === 'image-registry');
    expect(f?.field).toBe('spec.template.spec.containers[0].image');
    expect(f?.location).toMatchObject({ file: 'overlays/replaced/kustomization.yaml', line: 8, column: 9 });
  });

  it("points at the replacement source's line in a resource file", () => {
    const root = component({
      'kustomization.yaml': replaceImage('  - settings.yaml\n'),
      'settings.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: etcd-settings
data:
  LOG_LEVEL: info
  IMAGE: docker.io/bitnami/etcd:3.5.17
`,
    });
    const r = lint(root);
    expect(r.code).toBe(1);
    const f = r.findings.find((x) => x.ruleId === 'image-registry');
    expect(f?.location).toMatchObject({ file: 'overlays/replaced/settings.yaml', line: 7, column: 3 });
  });
});
