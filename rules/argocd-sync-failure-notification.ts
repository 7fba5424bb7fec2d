import { defineRule } from '../src/engine/types.ts';
import { getPath } from '../src/model/provenance.ts';
import { ANNOTATIONS_PATH, applicationAnnotations } from './support/argocd.ts';
import { optionsSchema, resolveOptions, stringOption } from './support/options.ts';

type Options = { prefix: string };
const defaultOptions: Options = { prefix: 'notifications.argoproj.io/subscribe.on-sync-failed.' };

const rule = defineRule({
  meta: {
    type: 'problem',
    docs: { description: 'The Application subscribes a notification channel to sync failures.' },
    defaultSeverity: 'error',
    presets: ['recommended'],
    schema: optionsSchema({
      prefix: stringOption('Annotation key prefix of an on-sync-failed subscription; the service name follows it.'),
    }),
    defaultOptions,
    messages: {
      missing: 'Application "{{name}}" has no {{prefix}}<service> annotation; sync failures would go unnoticed',
    },
  },
  check(context) {
    const { prefix } = resolveOptions(defaultOptions, context.options);
    for (const application of context.input.applications ?? []) {
      const keys = Object.keys(applicationAnnotations(application));
      if (!keys.some((k) => k.startsWith(prefix) && k.length > prefix.length)) {
        const name = String(getPath(application.object, ['metadata', 'name']) ?? '');
        context.report({ application, path: ANNOTATIONS_PATH, messageId: 'missing', data: { name, prefix } });
      }
    }
  },
});

export default rule;
