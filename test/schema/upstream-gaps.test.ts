import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

/**
 * Valid manifests that kubernetes-types declares too narrowly (found on the real monorepo):
 * strict validation must not call them wrong.
 */
const manifests = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              x-kubernetes-preserve-unknown-fields: true
              properties:
                mode: {type: string, enum: [a, b], default: a}
                tags:
                  type: array
                  x-kubernetes-list-type: set
                  items: {type: string}
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: hook
webhooks:
  - name: hook.example.com
    admissionReviewVersions: [v1]
    sideEffects: None
    clientConfig: {service: {name: hook, namespace: default}}
    rules:
      - apiGroups: [""]
        apiVersions: [v1]
        operations: [CREATE]
        resources: [pods]
        scope: Namespaced
`;

describe('strict schemas accept what the API accepts', () => {
  it('reports no kubernetes-schema finding on CRD extensions and webhook rules', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cel-schema-gaps-'));
    writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources: [m.yaml]\n');
    writeFileSync(path.join(dir, 'm.yaml'), manifests);
    const r = runCli(['--format', 'json', '--no-argocd', dir]);
    const doc = JSON.parse(r.stdout);
    expect(doc.findings.filter((f: { ruleId: string }) => f.ruleId.startsWith('kubernetes-schema'))).toEqual([]);
  });
});
