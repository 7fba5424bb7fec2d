import { defineSecurityContextFlagRule } from './support/scope.ts';

export default defineSecurityContextFlagRule({
  field: 'privileged',
  value: false,
  // Only an explicit true runs privileged.
  passes: (current) => current !== true,
  description: 'No container of the etcd StatefulSet (with scope: workloads, of any workload) runs privileged.',
  messageIds: { component: 'privileged', workload: 'workloadPrivileged' },
  messages: {
    privileged: 'Container "{{container}}" must not run privileged (securityContext.privileged: true)',
    workloadPrivileged: '{{kind}} "{{name}}": container "{{container}}" must not run privileged',
  },
});
