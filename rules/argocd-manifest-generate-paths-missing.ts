import { defineRule } from '../src/engine/types.ts';
import { getPath } from '../src/model/provenance.ts';
import { ANNOTATIONS_PATH, MANIFEST_GENERATE_PATHS, applicationAnnotations } from './support/argocd.ts';
import { optionsSchema } from './support/options.ts';

const rule = defineRule({
  meta: {
    type: 'suggestion',
    docs: { description: 'The Application sets the manifest-generate-paths annotation.' },
    defaultSeverity: 'warning',
    presets: ['recommended'],
    schema: optionsSchema({}),
    defaultOptions: {},
    messages: {
      missing: 'Application "{{name}}" has no {{annotation}} annotation; every commit to the repository regenerates its manifests',
    },
  },
  check(context) {
    for (const application of context.input.applications ?? []) {
      if (applicationAnnotations(application)[MANIFEST_GENERATE_PATHS] !== undefined) continue;
      context.report({
        application,
        path: [...ANNOTATIONS_PATH, MANIFEST_GENERATE_PATHS],
        messageId: 'missing',
        data: { name: String(getPath(application.object, ['metadata', 'name']) ?? ''), annotation: MANIFEST_GENERATE_PATHS },
      });
    }
  },
});

export default rule;
