import { defineRule } from '../src/engine/types.ts';
import { hasSchema } from '../src/schema/kubernetes.ts';
import { optionsSchema } from './support/options.ts';

const rule = defineRule({
  meta: {
    type: 'suggestion',
    docs: {
      description: 'Says, once per apiVersion and kind, that no bundled schema covers a rendered kind, so it was not schema-checked.',
    },
    defaultSeverity: 'info',
    presets: ['recommended', 'baseline'],
    schema: optionsSchema({}),
    defaultOptions: {},
    messages: {
      noSchema: 'No bundled schema for {{apiVersion}} {{kind}}: its objects are not schema-checked',
    },
  },
  check(context) {
    const seen = new Set<string>();
    const objects = [
      ...context.input.resources.map((resource) => ({ resource })),
      ...(context.input.applications ?? []).map((application) => ({ application })),
    ];
    for (const o of objects) {
      const obj = 'resource' in o ? o.resource : o.application.object;
      const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
      const kind = typeof obj.kind === 'string' ? obj.kind : '';
      const key = `${apiVersion}/${kind}`;
      if (seen.has(key) || hasSchema(apiVersion, kind)) continue;
      seen.add(key);
      const data = { apiVersion: apiVersion || '(no apiVersion)', kind: kind || '(no kind)' };
      if ('resource' in o) context.report({ resource: o.resource, path: ['kind'], messageId: 'noSchema', data });
      else context.report({ application: o.application, path: ['kind'], messageId: 'noSchema', data });
    }
  },
});

export default rule;
