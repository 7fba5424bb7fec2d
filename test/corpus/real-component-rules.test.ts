/**
 * The real cilium-etcd component (the reference corpus beside the project: its `kubectl kustomize`
 * rendering and its ArgoCD Application) must pass every error rule; the only findings are the
 * advisory TLS and backup warnings. Skipped when the corpus is not present.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ApplicationDoc, LintInput } from '../../src/engine/types.ts';
import { isObject } from '../../src/model/provenance.ts';
import { loadYamlDocuments } from '../../src/yaml/load.ts';
import { builtinRules } from '../../rules/index.ts';
import { runRule } from '../rules/rule-tester.ts';

const CORPUS = process.env['CILIUM_ETCD_LINT_CORPUS'] ?? fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const HIPPOCAMPUS = path.join(CORPUS, 'hippocampus');
const REPO = path.join(HIPPOCAMPUS, 'repo');
const RENDERED = path.join(HIPPOCAMPUS, 'expected', 'cluster__manifests__cilium-etcd__overlays__dev.yaml');
const APPLICATION = path.join(REPO, 'cluster/manifests/argocd-applications/base/cilium-etcd.yaml');
const TARGET = path.join(REPO, 'cluster/manifests/cilium-etcd/overlays/dev');
const BASE = path.join(REPO, 'cluster/manifests/cilium-etcd/base');

const present = existsSync(RENDERED) && existsSync(APPLICATION);

function realInput(): LintInput {
  const resources = loadYamlDocuments(readFileSync(RENDERED, 'utf8'), { file: RENDERED })
    .map((d) => d.value)
    .filter(isObject);
  const applications: ApplicationDoc[] = loadYamlDocuments(readFileSync(APPLICATION, 'utf8'), { file: APPLICATION })
    .map((d) => d.value)
    .filter(isObject)
    .map((object) => ({ object, file: APPLICATION }));
  return {
    targetPath: TARGET,
    targetLocation: { file: path.join(TARGET, 'kustomization.yaml'), line: 1, column: 1, endLine: 1, endColumn: 1 },
    resources,
    applications,
    repoRoot: REPO,
    dependencyDirs: [TARGET, BASE],
  };
}

describe.skipIf(!present)('the real cilium-etcd component', () => {
  const findings = () =>
    Object.entries(builtinRules).flatMap(([id, rule]) =>
      runRule(rule, realInput()).map((r) => ({
        id,
        severity: rule.meta.defaultSeverity,
        messageId: r.messageId,
        line: r.line,
        message: r.message,
      })),
    );

  it('has no error findings', () => {
    expect(findings().filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('warns only about plaintext URLs (one per flag) and the missing backup', () => {
    const warnings = findings()
      .filter((f) => f.severity === 'warning')
      .map((f) => `${f.id}:${f.messageId}:${f.line}`);
    const text = readFileSync(RENDERED, 'utf8').split('\n');
    const lineOf = (needle: string) => text.findIndex((l) => l.includes(needle)) + 1;
    expect(warnings.sort()).toEqual(
      [
        `etcd-backup:missingBackup:${lineOf('name: cilium-etcd-0')}`,
        `etcd-tls:plaintext:${lineOf('--listen-client-urls')}`,
        `etcd-tls:plaintext:${lineOf('--listen-peer-urls')}`,
        `etcd-tls:plaintext:${lineOf('--listen-metrics-urls')}`,
        `etcd-tls:plaintext:${lineOf('--advertise-client-urls')}`,
      ].sort(),
    );
  });

  it('finds the errors again once the overlay is left out (no scrape annotations)', () => {
    const input = realInput();
    const sts = input.resources.find((r) => r['kind'] === 'StatefulSet')!;
    const template = (sts['spec'] as Record<string, unknown>)['template'] as Record<string, Record<string, unknown>>;
    delete template['metadata']!['annotations'];
    const ids = Object.entries(builtinRules)
      .filter(([, rule]) => rule.meta.defaultSeverity === 'error')
      .flatMap(([id, rule]) => runRule(rule, input).map((r) => `${id}:${r.messageId}`));
    expect(ids.sort()).toEqual(['prometheus-scrape:missingAnnotation', 'prometheus-scrape:missingAnnotation']);
  });
});
