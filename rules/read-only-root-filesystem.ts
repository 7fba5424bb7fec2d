import { defineSecurityContextFlagRule } from './support/scope.ts';

export default defineSecurityContextFlagRule({
  field: 'readOnlyRootFilesystem',
  value: true,
  passes: (current) => current === true,
  description: 'Every container of the etcd StatefulSet (with scope: workloads, of every workload) runs with a read-only root filesystem.',
  messageIds: { component: 'notReadOnly', workload: 'workloadNotReadOnly' },
  messages: {
    notReadOnly: 'Container "{{container}}" must run with a read-only root filesystem',
    workloadNotReadOnly: '{{kind}} "{{name}}": container "{{container}}" must set securityContext.readOnlyRootFilesystem: true',
  },
});
