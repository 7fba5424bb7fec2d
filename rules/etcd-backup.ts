import type { CronJob } from 'kubernetes-types/batch/v1.js';
import { defineRule } from '../src/engine/types.ts';
import { isKind } from './support/k8s.ts';
import { componentOptionsSchema } from './support/options.ts';
import { findComponentStatefulSets, podContainers } from './support/statefulset.ts';

type Options = Record<string, never>;
const defaultOptions: Options = {};

const SNAPSHOT_SAVE = /\bsnapshot\s+save\b/;

/** Whether some container of the CronJob's pod runs `etcdctl snapshot save` (directly or in a script). */
function runsSnapshotSave(cronJob: CronJob): boolean {
  return podContainers(cronJob.spec?.jobTemplate?.spec?.template?.spec).some(({ container }) => {
    const words = [...(container.command ?? []), ...(container.args ?? [])].filter((w) => typeof w === 'string');
    return SNAPSHOT_SAVE.test(words.join(' '));
  });
}

const rule = defineRule({
  meta: {
    type: 'suggestion',
    docs: { description: 'The render contains a CronJob that takes etcd snapshots (etcdctl snapshot save).' },
    defaultSeverity: 'warning',
    presets: ['recommended'],
    schema: componentOptionsSchema(),
    defaultOptions,
    messages: {
      missingBackup: 'No CronJob in the render runs "etcdctl snapshot save" for StatefulSet "{{name}}"; schedule etcd backups',
    },
  },
  check(context) {
    const { resources } = context.input;
    const backedUp = resources.some((r) => isKind(r, 'batch', 'CronJob') && runsSnapshotSave(r as unknown as CronJob));
    if (backedUp) return;
    for (const sts of findComponentStatefulSets(resources, context.input.component)) {
      context.report({ resource: sts.resource, path: ['metadata', 'name'], messageId: 'missingBackup', data: { name: sts.name } });
    }
  },
});

export default rule;
