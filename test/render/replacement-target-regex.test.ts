import { describe, expect, it } from 'vitest';
import { stripProvenance } from '../../src/model/provenance.ts';
import { renderKustomization } from '../../src/render/build.ts';
import { memFs } from './memfs.ts';

/*
 * A replacement target's `[key=value]` is kyaml's PathMatcher: `value` is an unanchored regular
 * expression (`[name=controller]` picks the container `my-controller-x`, `[name=A]` the variable
 * `AB`), as `kubectl kustomize` (v5.5.0) renders it; a source's is an exact match (kyaml's Lookup).
 * Seen in the monorepo: github-actions-runner-controller's overlay targets
 * `containers.[name=controller]` to reach the container `github-actions-runner-controller`.
 */
describe('replacement target list selectors are regular expressions', () => {
  const files = {
    'kustomization.yaml': `
      resources: [d.yaml]
      replacements:
        - source:
            kind: Deployment
            name: d
            fieldPath: spec.template.spec.containers.[name=other].env.[name=A].value
          targets:
            - select: { kind: Deployment }
              fieldPaths:
                - spec.template.spec.containers.[name=ontrol].env.[name=A].value
                - spec.template.spec.containers.[name=^b.*$].image
                - spec.template.spec.containers.[name=c.d].args.0
    `,
    'd.yaml': `
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: d }
      spec:
        template:
          spec:
            containers:
              - name: my-controller-x
                env: [{ name: A, value: x }, { name: AB, value: y }]
              - name: other
                env: [{ name: AB, value: not-the-source }, { name: A, value: from-source }]
              - name: bee
                image: i
              - name: cxd
                args: [q]
    `,
  };

  it('matches as kubectl kustomize does', () => {
    const fs = memFs(files);
    const [d] = renderKustomization(fs.root, { fs }).resources.map((r) => stripProvenance(r.object));
    // The output of `kubectl kustomize` for this tree.
    expect((d as { spec: unknown }).spec).toEqual({
      template: {
        spec: {
          containers: [
            {
              name: 'my-controller-x',
              env: [
                { name: 'A', value: 'from-source' },
                { name: 'AB', value: 'from-source' },
              ],
            },
            {
              name: 'other',
              env: [
                { name: 'AB', value: 'not-the-source' },
                { name: 'A', value: 'from-source' },
              ],
            },
            { name: 'bee', image: 'from-source' },
            { name: 'cxd', args: ['from-source'] },
          ],
        },
      },
    });
  });

  it('an invalid regular expression is a user error on the field path', () => {
    const fs = memFs({ ...files, 'kustomization.yaml': files['kustomization.yaml'].replace('[name=^b.*$]', '[name=(b]') });
    expect(() => renderKustomization(fs.root, { fs })).toThrow(/kustomize reads "\(b" as a regular expression/);
  });
});
