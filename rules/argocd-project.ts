import { defineRule } from '../src/engine/types.ts';
import { getPath } from '../src/model/provenance.ts';
import { optionsSchema } from './support/options.ts';

const PROJECT = ['spec', 'project'] as const;

const rule = defineRule({
  meta: {
    type: 'problem',
    docs: { description: "The Application's project is an AppProject defined in the repository (when the repository defines any)." },
    defaultSeverity: 'error',
    presets: ['recommended'],
    schema: optionsSchema({}),
    defaultOptions: {},
    messages: {
      unknownProject:
        'Application "{{name}}" is in project "{{project}}", but no AppProject of that name is in the repository (it has: {{known}})',
      missingProject: 'Application "{{name}}" names no spec.project',
    },
  },
  check(context) {
    const apps = context.input.applications;
    if (apps === undefined) return;
    // AppProjects of the repository, and any the render itself holds.
    const known = new Set(context.input.appProjects ?? []);
    for (const r of context.input.resources) {
      const name = getPath(r, ['metadata', 'name']);
      if (
        r.kind === 'AppProject' &&
        typeof r.apiVersion === 'string' &&
        r.apiVersion.startsWith('argoproj.io/') &&
        typeof name === 'string'
      )
        known.add(name);
    }
    if (known.size === 0) return;
    // ArgoCD creates the project "default" itself.
    known.add('default');
    for (const application of apps) {
      const name = String(getPath(application.object, ['metadata', 'name']) ?? '');
      const project = getPath(application.object, PROJECT);
      if (typeof project !== 'string' || project === '') {
        context.report({ application, path: PROJECT, messageId: 'missingProject', data: { name } });
      } else if (!known.has(project)) {
        context.report({
          application,
          path: PROJECT,
          messageId: 'unknownProject',
          data: { name, project, known: [...known].sort().join(', ') },
        });
      }
    }
  },
});

export default rule;
