import { defineRule } from '../src/engine/types.ts';
import { getPath } from '../src/model/provenance.ts';
import {
  ANNOTATIONS_PATH,
  MANIFEST_GENERATE_PATHS,
  applicationAnnotations,
  isCovered,
  parseManifestGeneratePaths,
  repoRelative,
  sourcePathFor,
} from './support/argocd.ts';
import { optionsSchema } from './support/options.ts';

const rule = defineRule({
  meta: {
    type: 'problem',
    docs: { description: 'The manifest-generate-paths annotation, when set, covers every directory the build reads.' },
    defaultSeverity: 'error',
    presets: ['recommended'],
    schema: optionsSchema({}),
    defaultOptions: {},
    messages: {
      uncovered:
        'Application "{{name}}": {{annotation}} "{{value}}" does not cover {{directory}}, which the build reads; changes there would not refresh the Application',
    },
  },
  check(context) {
    const { applications, repoRoot, dependencyDirs } = context.input;
    if (applications === undefined || repoRoot === undefined) return;
    for (const application of applications) {
      const value = applicationAnnotations(application)[MANIFEST_GENERATE_PATHS];
      if (value === undefined) continue;
      const covering = parseManifestGeneratePaths(value, repoRoot, sourcePathFor(application, context.input));
      const uncovered = dependencyDirs.find((dir) => !isCovered(dir, covering));
      if (uncovered === undefined) continue;
      context.report({
        application,
        path: [...ANNOTATIONS_PATH, MANIFEST_GENERATE_PATHS],
        messageId: 'uncovered',
        data: {
          name: String(getPath(application.object, ['metadata', 'name']) ?? ''),
          annotation: MANIFEST_GENERATE_PATHS,
          value,
          directory: repoRelative(uncovered, repoRoot),
        },
      });
    }
  },
});

export default rule;
