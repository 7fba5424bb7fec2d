import { defineRule } from '../src/engine/types.ts';
import { getPath, isObject } from '../src/model/provenance.ts';
import { optionsSchema } from './support/options.ts';

const AUTOMATED = ['spec', 'syncPolicy', 'automated'] as const;

const rule = defineRule({
  meta: {
    type: 'problem',
    docs: { description: 'The Application syncs automatically, with prune and selfHeal enabled.' },
    defaultSeverity: 'error',
    presets: ['recommended'],
    schema: optionsSchema({}),
    defaultOptions: {},
    messages: {
      missingAutomated: 'Application "{{name}}" must enable automated sync (spec.syncPolicy.automated)',
      automatedDisabled: 'Application "{{name}}" disables automated sync (spec.syncPolicy.automated.enabled: false)',
      pruneDisabled: 'Application "{{name}}" must set spec.syncPolicy.automated.prune: true',
      selfHealDisabled: 'Application "{{name}}" must set spec.syncPolicy.automated.selfHeal: true',
    },
  },
  check(context) {
    for (const application of context.input.applications ?? []) {
      const name = String(getPath(application.object, ['metadata', 'name']) ?? '');
      const automated = getPath(application.object, AUTOMATED);
      if (!isObject(automated)) {
        context.report({
          application,
          path: AUTOMATED,
          messageId: 'missingAutomated',
          data: { name },
          ...(automated === undefined
            ? {
                fix: {
                  kind: 'set',
                  path: AUTOMATED,
                  value: { prune: true, selfHeal: true },
                  description: 'add spec.syncPolicy.automated with prune and selfHeal',
                },
              }
            : {}),
        });
        continue;
      }
      // ArgoCD 3 lets `enabled: false` switch an `automated` block off.
      if (automated['enabled'] === false) {
        context.report({
          application,
          path: [...AUTOMATED, 'enabled'],
          messageId: 'automatedDisabled',
          data: { name },
          fix: { kind: 'set', path: [...AUTOMATED, 'enabled'], value: true, description: 'set spec.syncPolicy.automated.enabled: true' },
        });
      }
      if (automated['prune'] !== true) {
        context.report({
          application,
          path: [...AUTOMATED, 'prune'],
          messageId: 'pruneDisabled',
          data: { name },
          fix: { kind: 'set', path: [...AUTOMATED, 'prune'], value: true, description: 'set spec.syncPolicy.automated.prune: true' },
        });
      }
      if (automated['selfHeal'] !== true) {
        context.report({
          application,
          path: [...AUTOMATED, 'selfHeal'],
          messageId: 'selfHealDisabled',
          data: { name },
          fix: { kind: 'set', path: [...AUTOMATED, 'selfHeal'], value: true, description: 'set spec.syncPolicy.automated.selfHeal: true' },
        });
      }
    }
  },
});

export default rule;
