import * as path from 'node:path';
import { defineRule, type FixIntent } from '../src/engine/types.ts';
import { findFlag, missingFlagPath, parseFlags } from './support/flags.ts';
import { COMPONENT_DEFAULTS, componentOptionsSchema, resolveOptions, stringOption } from './support/options.ts';
import { POD_SPEC_PATH, containerName, findComponentStatefulSets } from './support/statefulset.ts';

type Options = { dataDir: string };
const defaultOptions: Options = { dataDir: COMPONENT_DEFAULTS.dataDir };

/** `/a//b/` -> `/a/b`: container and host paths compared the way the kubelet would resolve them. */
function normalizeDir(p: string): string {
  const n = path.posix.normalize(p.trim());
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

const rule = defineRule({
  meta: {
    type: 'problem',
    docs: { description: 'etcd keeps its data in the expected directory, mounted from the same hostPath.' },
    defaultSeverity: 'error',
    presets: ['recommended'],
    schema: componentOptionsSchema({
      dataDir: stringOption('The data directory: value of --data-dir, mountPath of its volume, and that hostPath volume path.'),
    }),
    defaultOptions,
    messages: {
      missingFlag: 'Container "{{container}}" must set --data-dir={{expected}}',
      wrongDataDir: '--data-dir is "{{value}}"; it must be {{expected}}',
      missingMount: 'Container "{{container}}" has no volumeMount with mountPath {{expected}}',
      missingVolume: 'volumeMount "{{volume}}" at {{expected}} names no volume of the pod',
      notHostPath: 'Volume "{{volume}}" mounted at {{expected}} must be a hostPath volume',
      wrongHostPath: 'hostPath of volume "{{volume}}" is "{{value}}"; it must be {{expected}}',
    },
  },
  check(context) {
    const opts = resolveOptions(defaultOptions, context.options);
    const expected = normalizeDir(opts.dataDir);
    for (const sts of findComponentStatefulSets(context.input.resources, context.input.component)) {
      const report = (
        p: readonly (string | number)[],
        messageId: Parameters<typeof context.report>[0]['messageId'],
        data: Record<string, string | number>,
        fix?: FixIntent,
      ) => context.report({ resource: sts.resource, path: p, messageId, data, ...(fix ? { fix } : {}) });
      const { container, containerPath } = sts;
      const name = containerName(container);

      const flag = findFlag(parseFlags(container, containerPath), '--data-dir');
      if (!flag) {
        report(
          missingFlagPath(containerPath),
          'missingFlag',
          { container: name, expected: opts.dataDir },
          {
            kind: 'append',
            path: [...containerPath, 'args'],
            value: `--data-dir=${opts.dataDir}`,
            description: `add --data-dir=${opts.dataDir} to the arguments`,
          },
        );
      } else if (flag.value === undefined || normalizeDir(flag.value) !== expected) {
        report(
          flag.path,
          'wrongDataDir',
          { value: flag.value ?? '', expected: opts.dataDir },
          flag.value
            ? { kind: 'replace', path: flag.path, from: flag.value, to: opts.dataDir, description: `set --data-dir=${opts.dataDir}` }
            : undefined,
        );
      }

      const mounts = Array.isArray(container.volumeMounts) ? container.volumeMounts : [];
      const mountIndex = mounts.findIndex((m) => m && typeof m.mountPath === 'string' && normalizeDir(m.mountPath) === expected);
      const mount = mounts[mountIndex];
      if (mountIndex < 0 || !mount) {
        report([...containerPath, 'volumeMounts'], 'missingMount', { container: name, expected: opts.dataDir });
        continue;
      }
      const volumes = Array.isArray(sts.podSpec.volumes) ? sts.podSpec.volumes : [];
      const volumeIndex = volumes.findIndex((v) => v && v.name === mount.name);
      const volume = volumes[volumeIndex];
      const volumeName = String(mount.name ?? '');
      if (volumeIndex < 0 || !volume) {
        report([...containerPath, 'volumeMounts', mountIndex, 'name'], 'missingVolume', { volume: volumeName, expected: opts.dataDir });
        continue;
      }
      const volumePath = [...POD_SPEC_PATH, 'volumes', volumeIndex];
      if (!volume.hostPath || typeof volume.hostPath !== 'object') {
        report(volumePath, 'notHostPath', { volume: volumeName, expected: opts.dataDir });
      } else if (typeof volume.hostPath.path !== 'string' || normalizeDir(volume.hostPath.path) !== expected) {
        report(
          [...volumePath, 'hostPath', 'path'],
          'wrongHostPath',
          {
            volume: volumeName,
            value: String(volume.hostPath.path ?? ''),
            expected: opts.dataDir,
          },
          typeof volume.hostPath.path === 'string'
            ? {
                kind: 'set',
                path: [...volumePath, 'hostPath', 'path'],
                value: opts.dataDir,
                description: `set the hostPath to ${opts.dataDir}`,
              }
            : undefined,
        );
      }
    }
  },
});

export default rule;
