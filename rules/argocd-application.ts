import { defineRule } from '../src/engine/types.ts';
import { optionsSchema, resolveOptions } from './support/options.ts';
import { findComponentStatefulSets } from './support/statefulset.ts';

type Options = { search: string[] };
const defaultOptions: Options = { search: ['**'] };

/** A glob relative to the repository root: no leading `/`, no `..` segment, `[...]` and `{...}` closed within a segment, no dangling `\`. */
const GLOB = '^!?(?!/)(?!(?:.*/)?\\.\\.(?:/|$))(?:\\\\.|\\[[!^]?[^\\]/]+\\]|\\{[^{}/\\[\\]\\\\]*\\}|[^\\\\\\[\\]{}])+$';

const rule = defineRule({
  meta: {
    type: 'problem',
    docs: { description: 'An ArgoCD Application deploys the lint target.' },
    defaultSeverity: 'error',
    presets: ['recommended'],
    schema: optionsSchema({
      search: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'string',
          pattern: GLOB,
          title: 'a glob relative to the repository root (no leading "/", no "..", brackets and braces closed)',
        },
        description:
          'Where the ArgoCD Applications (and AppProjects, and the kustomizations that build them) are searched for: glob patterns relative to the repository root; a leading "!" excludes. Default: the whole repository.',
      },
    }),
    defaultOptions,
    messages: {
      missing: 'No ArgoCD Application in the repository has this directory as its source path',
      missingInScope: 'No ArgoCD Application in the search scope ({{search}}) has this directory as its source path',
    },
  },
  check(context) {
    const apps = context.input.applications;
    if (apps === undefined || apps.length > 0) return;
    // Repo mode: only a target that renders the cilium-etcd component (settings.component) must be
    // deployed by an Application. Found here, like every component rule finds it, rather than
    // trusting repoMode.component alone.
    if (context.input.repoMode && findComponentStatefulSets(context.input.resources, context.input.component).length === 0) return;
    const { search } = resolveOptions(defaultOptions, context.options);
    if (search.length === 1 && search[0] === '**') context.report({ target: true, messageId: 'missing' });
    else context.report({ target: true, messageId: 'missingInScope', data: { search: search.join(', ') } });
  },
});

export default rule;
