import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/model/errors.ts';
import { renderKustomization } from '../../src/render/build.ts';
import { memFs } from './memfs.ts';

/*
 * User mistakes are UserErrors that name the file and line responsible, never stack traces.
 * Each tree is in memory; file contents are dedented, so line 1 is the first line written.
 */

const CM = `
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: settings
  data:
    color: blue
`;

function failure(files: Record<string, string>, root = 'overlay'): { error: UserError; file: string; line: number } {
  const fs = memFs(files);
  let caught: unknown;
  try {
    renderKustomization(fs.path(root), { fs });
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(UserError);
  const error = caught as UserError;
  expect(error.location).toBeDefined();
  return { error, file: error.location!.file.slice(fs.root.length + 1), line: error.location!.line };
}

describe('render errors point at the responsible file and line', () => {
  it('a missing resource path', () => {
    const f = failure({
      'overlay/kustomization.yaml': `
        resources:
          - settings.yaml
          - missing.yaml
      `,
      'overlay/settings.yaml': CM,
    });
    expect(f).toMatchObject({ file: 'overlay/kustomization.yaml', line: 3 });
    expect(f.error.message).toMatch(/"missing\.yaml" does not exist/);
  });

  it('a directory without a kustomization', () => {
    const f = failure({
      'overlay/kustomization.yaml': `
        resources:
          - ../base
      `,
      'base/settings.yaml': CM,
    });
    expect(f).toMatchObject({ file: 'overlay/kustomization.yaml', line: 2 });
    expect(f.error.message).toMatch(/no kustomization file .* in directory \/repo\/base/);
  });

  it('two kustomization files in one directory', () => {
    const f = failure({
      'overlay/kustomization.yaml': 'resources:\n  - ../base\n',
      'base/kustomization.yaml': 'resources: []\n',
      'base/kustomization.yml': 'resources: []\n',
    });
    expect(f).toMatchObject({ file: 'overlay/kustomization.yaml', line: 2 });
    expect(f.error.message).toMatch(/multiple kustomization files \(kustomization\.yaml, kustomization\.yml\)/);
  });

  it('an unknown kustomization field', () => {
    const f = failure({
      'overlay/kustomization.yaml': `
        namespace: apps
        resourcse:
          - settings.yaml
      `,
      'overlay/settings.yaml': CM,
    });
    expect(f).toMatchObject({ file: 'overlay/kustomization.yaml', line: 2 });
    expect(f.error.message).toBe('unknown kustomization field "resourcse"');
  });

  it('an unknown field nested in an entry', () => {
    const f = failure({
      'overlay/kustomization.yaml': `
        resources:
          - settings.yaml
        images:
          - name: nginx
            newTags: "1.27"
      `,
      'overlay/settings.yaml': CM,
    });
    expect(f).toMatchObject({ file: 'overlay/kustomization.yaml', line: 5 });
    expect(f.error.message).toMatch(/unknown kustomization field "newTags" in images\.0/);
  });

  it('a field kustomize knows but the built-in renderer does not implement', () => {
    const f = failure({
      'overlay/kustomization.yaml': `
        resources:
          - settings.yaml
        imageTags:
          - name: etcd
            newTag: v3.5.18
      `,
      'overlay/settings.yaml': CM,
    });
    expect(f).toMatchObject({ file: 'overlay/kustomization.yaml', line: 3 });
    expect(f.error.message).toMatch(/imageTags.*not implemented.*--renderer kustomize/);
  });

  it('a value kustomize reads as YAML 1.1 non-string', () => {
    const f = failure({
      'overlay/kustomization.yaml': `
        resources:
          - settings.yaml
        commonLabels:
          enabled: yes
      `,
      'overlay/settings.yaml': CM,
    });
    expect(f).toMatchObject({ file: 'overlay/kustomization.yaml', line: 4 });
    expect(f.error.message).toMatch(/commonLabels\.enabled: must be a string \(found the boolean true/);
  });

  it('malformed YAML in a resource', () => {
    const f = failure({
      'overlay/kustomization.yaml': 'resources:\n  - settings.yaml\n',
      'overlay/settings.yaml': `
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
        data:
          color: [blue
          shade: dark
      `,
    });
    expect(f.file).toBe('overlay/settings.yaml');
    expect(f.line).toBeGreaterThanOrEqual(6);
    expect(f.error.message).toMatch(/^invalid YAML/);
  });

  it('malformed YAML in a kustomization', () => {
    const f = failure({
      'overlay/kustomization.yaml': `
        resources:
          - settings.yaml
        namespace: "apps
      `,
      'overlay/settings.yaml': CM,
    });
    expect(f.file).toBe('overlay/kustomization.yaml');
    expect(f.line).toBe(3);
    expect(f.error.message).toMatch(/^invalid YAML/);
  });

  it('a duplicate key', () => {
    const f = failure({
      'overlay/kustomization.yaml': 'resources:\n  - settings.yaml\n',
      'overlay/settings.yaml': `
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
        data:
          color: blue
          color: red
      `,
    });
    expect(f).toMatchObject({ file: 'overlay/settings.yaml', line: 7 });
    expect(f.error.message).toMatch(/invalid YAML: .*unique/i);
  });

  it('a resource without metadata.name', () => {
    const f = failure({
      'overlay/kustomization.yaml': 'resources:\n  - settings.yaml\n',
      'overlay/settings.yaml': `${CM}---
        apiVersion: v1
        kind: Secret
        metadata:
          generateName: token-
      `,
    });
    expect(f).toMatchObject({ file: 'overlay/settings.yaml', line: 8 });
    expect(f.error.message).toBe('Secret has no metadata.name');
  });

  it('duplicate resource ids', () => {
    const f = failure({
      'overlay/kustomization.yaml': `
        resources:
          - ../base
          - settings.yaml
      `,
      'overlay/settings.yaml': CM,
      'base/kustomization.yaml': 'resources:\n  - settings.yaml\n',
      'base/settings.yaml': CM,
    });
    expect(f).toMatchObject({ file: 'overlay/settings.yaml', line: 1 });
    expect(f.error.message).toMatch(/already registered id: v1 ConfigMap settings \(first defined at \/repo\/base\/settings\.yaml:1\)/);
  });

  it('a strategic-merge patch that matches nothing', () => {
    const f = failure({
      'overlay/kustomization.yaml': `
        resources:
          - settings.yaml
        patches:
          - path: patch.yaml
      `,
      'overlay/settings.yaml': CM,
      'overlay/patch.yaml': `
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: setings
        data:
          color: red
      `,
    });
    expect(f).toMatchObject({ file: 'overlay/kustomization.yaml', line: 4 });
    expect(f.error.message).toBe('no resource matches strategic-merge patch v1 ConfigMap setings');
  });

  it('a strategic-merge patch that misses only the namespace says so', () => {
    const f = failure({
      'overlay/kustomization.yaml': `
        resources:
          - settings.yaml
        patchesStrategicMerge:
          - |-
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
            data:
              color: red
      `,
      'overlay/settings.yaml': CM.replace('name: settings', 'name: settings\n    namespace: apps'),
    });
    expect(f).toMatchObject({ file: 'overlay/kustomization.yaml', line: 4 });
    expect(f.error.message).toMatch(/differs only in namespace: a patch without a target must name the resource's namespace "apps"/);
  });

  it('an invalid JSON6902 op', () => {
    const f = failure({
      'overlay/kustomization.yaml': `
        resources:
          - settings.yaml
        patches:
          - target:
              kind: ConfigMap
            patch: |-
              - op: add
                path: /data/shade
                value: dark
              - op: upsert
                path: /data/color
                value: red
      `,
      'overlay/settings.yaml': CM,
    });
    expect(f).toMatchObject({ file: 'overlay/kustomization.yaml', line: 10 });
    expect(f.error.message).toMatch(/invalid JSON6902 op "upsert"/);
  });

  it('a JSON6902 path that does not exist', () => {
    const f = failure({
      'overlay/kustomization.yaml': `
        resources:
          - settings.yaml
        patches:
          - target:
              kind: ConfigMap
            path: ops.yaml
      `,
      'overlay/settings.yaml': CM,
      'overlay/ops.yaml': `
        - op: replace
          path: /data/color
          value: red
        - op: remove
          path: /data/shade
      `,
    });
    expect(f).toMatchObject({ file: 'overlay/ops.yaml', line: 4 });
    expect(f.error.message).toBe('JSON6902 remove: path /data/shade does not exist in the target');
  });

  it('a JSON6902 path that is not a pointer', () => {
    const f = failure({
      'overlay/kustomization.yaml': `
        resources:
          - settings.yaml
        patchesJson6902:
          - target:
              version: v1
              kind: ConfigMap
              name: settings
            patch: |-
              - op: add
                path: data/shade
                value: dark
      `,
      'overlay/settings.yaml': CM,
    });
    expect(f).toMatchObject({ file: 'overlay/kustomization.yaml', line: 9 });
    expect(f.error.message).toMatch(/"path" must be a JSON pointer/);
  });

  it('a JSON6902 test that fails', () => {
    const f = failure({
      'overlay/kustomization.yaml': `
        resources:
          - settings.yaml
        patches:
          - target:
              kind: ConfigMap
            patch: |-
              - op: test
                path: /data/color
                value: green
      `,
      'overlay/settings.yaml': CM,
    });
    expect(f).toMatchObject({ file: 'overlay/kustomization.yaml', line: 7 });
    expect(f.error.message).toBe('JSON6902 test failed: /data/color is "blue", not "green"');
  });

  it('a kustomization cycle', () => {
    const f = failure({
      'overlay/kustomization.yaml': 'resources:\n  - ../a\n',
      'a/kustomization.yaml': 'resources:\n  - ../b\n',
      'b/kustomization.yaml': `
        resources:
          - settings.yaml
          - ../a
      `,
      'b/settings.yaml': CM,
    });
    expect(f).toMatchObject({ file: 'b/kustomization.yaml', line: 3 });
    expect(f.error.message).toBe('kustomization cycle: /repo/a -> /repo/b -> /repo/a');
  });

  it('a remote resource URL', () => {
    const f = failure({
      'overlay/kustomization.yaml': `
        resources:
          - settings.yaml
          - https://github.com/example/deploy//base?ref=v1.2.0
      `,
      'overlay/settings.yaml': CM,
    });
    expect(f).toMatchObject({ file: 'overlay/kustomization.yaml', line: 3 });
    expect(f.error.message).toMatch(/remote reference .* needs the network/);
  });

  it('a file outside the kustomization directory', () => {
    const f = failure({
      'overlay/kustomization.yaml': `
        resources:
          - ../shared/settings.yaml
      `,
      'shared/settings.yaml': CM,
    });
    expect(f).toMatchObject({ file: 'overlay/kustomization.yaml', line: 2 });
    expect(f.error.message).toMatch(/outside the kustomization directory .*load restrictor/);
  });

  it('a patch file outside the kustomization directory', () => {
    const f = failure({
      'overlay/kustomization.yaml': `
        resources:
          - settings.yaml
        patches:
          - path: ../patches/color.yaml
      `,
      'overlay/settings.yaml': CM,
      'patches/color.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n',
    });
    expect(f).toMatchObject({ file: 'overlay/kustomization.yaml', line: 4 });
    expect(f.error.message).toMatch(/outside the kustomization directory/);
  });

  it('a Kustomization listed under components, and a Component under resources', () => {
    const asComponent = failure({
      'overlay/kustomization.yaml': 'resources:\n  - settings.yaml\ncomponents:\n  - ../base\n',
      'overlay/settings.yaml': CM,
      'base/kustomization.yaml': 'resources: []\n',
    });
    expect(asComponent).toMatchObject({ file: 'overlay/kustomization.yaml', line: 4 });
    expect(asComponent.error.message).toMatch(/not a kind: Component/);
    const asResource = failure({
      'overlay/kustomization.yaml': 'resources:\n  - ../comp\n',
      'comp/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: []\n',
    });
    expect(asResource).toMatchObject({ file: 'overlay/kustomization.yaml', line: 2 });
    expect(asResource.error.message).toMatch(/is a Component: list it under components/);
  });

  it('replicas naming no workload', () => {
    const f = failure({
      'overlay/kustomization.yaml': `
        resources:
          - settings.yaml
        replicas:
          - name: settings
            count: 2
      `,
      'overlay/settings.yaml': CM,
    });
    expect(f).toMatchObject({ file: 'overlay/kustomization.yaml', line: 4 });
    expect(f.error.message).toMatch(/replicas: no Deployment, .* is named "settings"/);
  });

  it('a strategic-merge patch that changes a map into a list', () => {
    const f = failure({
      'overlay/kustomization.yaml': `
        resources:
          - settings.yaml
        patches:
          - patch: |-
              apiVersion: v1
              kind: ConfigMap
              metadata:
                name: settings
              data:
                - color
      `,
      'overlay/settings.yaml': CM,
    });
    expect(f).toMatchObject({ file: 'overlay/kustomization.yaml', line: 9 });
    expect(f.error.message).toBe('strategic-merge patch: data is a map in the resource but a list in the patch');
  });

  it('an unknown $patch directive', () => {
    const f = failure({
      'overlay/kustomization.yaml': `
        resources:
          - settings.yaml
        patches:
          - patch: |-
              apiVersion: v1
              kind: ConfigMap
              metadata:
                name: settings
              data:
                $patch: remove
      `,
      'overlay/settings.yaml': CM,
    });
    expect(f).toMatchObject({ file: 'overlay/kustomization.yaml', line: 10 });
    expect(f.error.message).toMatch(/unknown patch strategy "remove"/);
  });

  it('a RoleBinding subject with a blank namespace, when name references are fixed', () => {
    const f = failure({
      'overlay/kustomization.yaml': 'resources:\n  - rbac.yaml\nnamePrefix: x-\n',
      'overlay/rbac.yaml': `
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: robot
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          name: robot
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: ClusterRole
          name: view
        subjects:
          - kind: ServiceAccount
            name: robot
            namespace:
      `,
    });
    expect(f).toMatchObject({ file: 'overlay/rbac.yaml', line: 6 });
    expect(f.error.message).toMatch(/ServiceAccount subject of .* has a blank namespace/);
  });

  it('a mapping key that is not a string', () => {
    const f = failure({
      'overlay/kustomization.yaml': 'resources:\n  - settings.yaml\n',
      'overlay/settings.yaml': CM.replace('color: blue', 'color: blue\n    8080: http'),
    });
    expect(f).toMatchObject({ file: 'overlay/settings.yaml', line: 7 });
    expect(f.error.message).toMatch(/mapping key 8080 is not a string/);
  });

  it('an infinity, which kustomize cannot print through JSON', () => {
    const f = failure({
      'overlay/kustomization.yaml': 'resources:\n  - settings.yaml\n',
      'overlay/settings.yaml': CM.replace('color: blue', 'color: blue\n    limit: .inf'),
    });
    expect(f).toMatchObject({ file: 'overlay/settings.yaml', line: 7 });
    expect(f.error.message).toMatch(/\.inf cannot be rendered/);
  });

  it('a patch file holding only comments', () => {
    const f = failure({
      'overlay/kustomization.yaml': 'resources:\n  - settings.yaml\npatches:\n  - path: notes.yaml\n',
      'overlay/settings.yaml': CM,
      'overlay/notes.yaml': '# nothing to patch yet\n',
    });
    expect(f).toMatchObject({ file: 'overlay/kustomization.yaml', line: 4 });
    expect(f.error.message).toMatch(/holds no YAML document/);
  });

  it('sortOptions with legacy options but fifo order', () => {
    const f = failure({
      'overlay/kustomization.yaml': `
        resources:
          - settings.yaml
        sortOptions:
          order: fifo
          legacySortOptions:
            orderFirst: [ConfigMap]
      `,
      'overlay/settings.yaml': CM,
    });
    expect(f).toMatchObject({ file: 'overlay/kustomization.yaml', line: 5 });
    expect(f.error.message).toMatch(/legacySortOptions is set but the order is 'fifo'/);
  });

  it('a generator literal without "="', () => {
    const f = failure({
      'overlay/kustomization.yaml': `
        configMapGenerator:
          - name: settings
            literals:
              - a=b
              - missing-equals
      `,
    });
    expect(f).toMatchObject({ file: 'overlay/kustomization.yaml', line: 5 });
    expect(f.error.message).toMatch(/invalid literal source missing-equals, expected key=value/);
  });

  it('a generator merging into nothing', () => {
    const f = failure({
      'overlay/kustomization.yaml': `
        resources:
          - settings.yaml
        configMapGenerator:
          - name: other
            behavior: merge
            literals: [a=b]
      `,
      'overlay/settings.yaml': CM,
    });
    expect(f).toMatchObject({ file: 'overlay/kustomization.yaml', line: 5 });
    expect(f.error.message).toMatch(/behavior merge but no ConfigMap of that name in that namespace exists/);
  });

  it('a replacement whose source selects nothing', () => {
    const f = failure({
      'overlay/kustomization.yaml': `
        resources:
          - settings.yaml
        replacements:
          - source:
              kind: Secret
              name: nowhere
            targets:
              - select: { kind: ConfigMap }
                fieldPaths: [data.color]
      `,
      'overlay/settings.yaml': CM,
    });
    expect(f).toMatchObject({ file: 'overlay/kustomization.yaml', line: 4 });
    expect(f.error.message).toMatch(/nothing selected by the replacement source/);
  });

  it('a plugin that would run a program, named where kustomize would run it', () => {
    const f = failure({
      'overlay/kustomization.yaml': `
        resources:
          - settings.yaml
        transformers:
          - |-
            apiVersion: example.com/v1
            kind: SedTransformer
            metadata:
              name: sed
      `,
      'overlay/settings.yaml': CM,
    });
    expect(f).toMatchObject({ file: 'overlay/kustomization.yaml', line: 3 });
    expect(f.error.message).toMatch(/transformers.*never runs programs/);
  });
});
