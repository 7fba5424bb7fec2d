import { defineSecurityContextFlagRule } from './support/scope.ts';

export default defineSecurityContextFlagRule({
  field: 'allowPrivilegeEscalation',
  value: false,
  // Unset means allowed (the Kubernetes default): it must be said explicitly.
  passes: (current) => current === false,
  description:
    'Every container of the etcd StatefulSet (with scope: workloads, of every workload) sets allowPrivilegeEscalation: false explicitly.',
  messageIds: { component: 'notDisabled', workload: 'workloadNotDisabled' },
  messages: {
    notDisabled: 'Container "{{container}}" must set securityContext.allowPrivilegeEscalation: false',
    workloadNotDisabled: '{{kind}} "{{name}}": container "{{container}}" must set securityContext.allowPrivilegeEscalation: false',
  },
});
