import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/model/errors.ts';
import { locate, stripProvenance, type JsonObject } from '../../src/model/provenance.ts';
import { renderKustomization } from '../../src/render/build.ts';
import { memFs } from './memfs.ts';

/*
 * The builtin ImageTagTransformer and ReplicaCountTransformer plugin configurations (in
 * `transformers:`) run in process. What kubectl renders of them is pinned down by the regression
 * fixtures (fixtures/kustomize-regressions/*image-tag*, *replica-count*); here: where the fields
 * they set point, and the configurations the renderer refuses (kustomize fails on them, or the
 * renderer cannot tell what kustomize would do).
 */

const WORKLOADS = `
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
  spec:
    replicas: 1
    template:
      spec:
        containers:
          - name: main
            image: nginx:1.0
  ---
  apiVersion: example.com/v1
  kind: Widget
  metadata:
    name: gadget
  spec:
    image: nginx
    replicas: "2"
`;

function render(transformer: string) {
  const fs = memFs({
    'app/workloads.yaml': WORKLOADS,
    'app/kustomization.yaml': `
      resources:
        - workloads.yaml
      transformers:
        - plugin.yaml
    `,
    'app/plugin.yaml': transformer,
  });
  return { fs, result: () => renderKustomization(fs.path('app'), { fs }) };
}

function refusal(transformer: string): string {
  try {
    render(transformer).result();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('rendered, expected a refusal');
}

const object = (resources: { object: JsonObject }[], kind: string) => resources.find((r) => r.object.kind === kind)!.object;

describe('ImageTagTransformer plugin configuration', () => {
  it('sets the image in containers and at its fieldSpecs, each pointing at its imageTag', () => {
    const { fs, result } = render(`
      apiVersion: builtin
      kind: ImageTagTransformer
      metadata:
        name: tag
      imageTag:
        name: nginx
        newTag: "1.27"
      fieldSpecs:
        - path: spec/image
          kind: Widget
    `);
    const { resources } = result();
    const deploy = object(resources, 'Deployment');
    const widget = object(resources, 'Widget');
    expect(stripProvenance(deploy)).toMatchObject({ spec: { template: { spec: { containers: [{ image: 'nginx:1.27' }] } } } });
    expect(stripProvenance(widget)).toMatchObject({ spec: { image: 'nginx:1.27' } });
    for (const loc of [locate(deploy, ['spec', 'template', 'spec', 'containers', 0, 'image']), locate(widget, ['spec', 'image'])]) {
      expect(loc).toMatchObject({ file: fs.path('app/plugin.yaml'), line: 5 });
    }
  });

  it('refuses imageTag.tagSuffix (not implemented, as for images[].tagSuffix)', () => {
    expect(
      refusal('apiVersion: builtin\nkind: ImageTagTransformer\nmetadata:\n  name: tag\nimageTag:\n  name: nginx\n  tagSuffix: -x\n'),
    ).toMatch(/imageTag\.tagSuffix is not implemented/);
  });

  it('refuses fieldSpecStrategy, a feature after the kustomize version it follows', () => {
    expect(
      refusal(
        'apiVersion: builtin\nkind: ImageTagTransformer\nmetadata:\n  name: tag\nimageTag:\n  name: nginx\n  newTag: "2"\nfieldSpecStrategy: merge\n',
      ),
    ).toMatch(/fieldSpecStrategy came after kustomize v5\.5\.0/);
  });

  it('refuses an imageTag that is not a map', () => {
    expect(refusal('apiVersion: builtin\nkind: ImageTagTransformer\nmetadata:\n  name: tag\nimageTag: nginx\n')).toMatch(
      /imageTag must be a map/,
    );
  });
});

describe('ReplicaCountTransformer plugin configuration', () => {
  it('sets the count where its fieldSpecs say, pointing at replica.count', () => {
    const { fs, result } = render(`
      apiVersion: builtin
      kind: ReplicaCountTransformer
      metadata:
        name: scale
      replica:
        name: web
        count: 3
      fieldSpecs:
        - path: spec/replicas
          kind: Deployment
    `);
    const deploy = object(result().resources, 'Deployment');
    expect(stripProvenance(deploy)).toMatchObject({ spec: { replicas: 3 } });
    expect(locate(deploy, ['spec', 'replicas'])).toMatchObject({ file: fs.path('app/plugin.yaml'), line: 7 });
  });

  it.each([
    ['a string', '"3"'],
    ['a fraction', '2.5'],
  ])('refuses a count that is %s (kustomize fails: it reads an int64)', (_what, count) => {
    expect(
      refusal(
        `apiVersion: builtin\nkind: ReplicaCountTransformer\nmetadata:\n  name: scale\nreplica:\n  name: web\n  count: ${count}\nfieldSpecs:\n- path: spec/replicas\n  kind: Deployment\n`,
      ),
    ).toMatch(/replica\.count must be an integer/);
  });

  it('refuses a configuration without fieldSpecs (kustomize: no GVK matches)', () => {
    expect(
      refusal('apiVersion: builtin\nkind: ReplicaCountTransformer\nmetadata:\n  name: scale\nreplica:\n  name: web\n  count: 2\n'),
    ).toMatch(/no object named "web" is of a kind its fieldSpecs name \(none\)/);
  });

  it('keeps a quoted count a string, as kustomize keeps the style of the scalar it overwrites', () => {
    const { result } = render(
      'apiVersion: builtin\nkind: ReplicaCountTransformer\nmetadata:\n  name: scale\nreplica:\n  name: gadget\n  count: 4\nfieldSpecs:\n- path: spec/replicas\n  kind: Widget\n',
    );
    expect(stripProvenance(object(result().resources, 'Widget'))).toMatchObject({ spec: { replicas: '4' } });
  });

  it('declines to overwrite a string that reads as itself unquoted, whose quoting the renderer does not keep', () => {
    const fs = memFs({
      'app/kustomization.yaml': `
        resources:
          - widget.yaml
        transformers:
          - plugin.yaml
      `,
      'app/widget.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: gadget\nspec:\n  replicas: many\n',
      'app/plugin.yaml':
        'apiVersion: builtin\nkind: ReplicaCountTransformer\nmetadata:\n  name: scale\nreplica:\n  name: gadget\n  count: 4\nfieldSpecs:\n- path: spec/replicas\n  kind: Widget\n',
    });
    expect(() => renderKustomization(fs.path('app'), { fs })).toThrow(
      /holds the string "many", which kustomize overwrites keeping its quoting/,
    );
  });
});
