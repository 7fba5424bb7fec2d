import type { Rule } from '../src/engine/types.ts';
import { optionsSchema } from './support/options.ts';

type Options = Record<string, never>;

const rule: Rule<Options> = {
  meta: {
    type: 'problem',
    docs: { description: 'An ArgoCD Application deploys the lint target.' },
    defaultSeverity: 'error',
    schema: optionsSchema({}),
    defaultOptions: {},
    messages: {
      missing: 'No ArgoCD Application in the repository has this directory as its source path',
    },
  },
  check(context) {
    const apps = context.input.applications;
    // Repo mode: only a target that renders the cilium-etcd component must be deployed by an Application.
    if (context.input.repoMode && !context.input.repoMode.component) return;
    if (apps !== undefined && apps.length === 0) context.report({ target: true, messageId: 'missing' });
  },
};

export default rule;
