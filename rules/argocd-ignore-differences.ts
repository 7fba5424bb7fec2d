import { defineRule } from '../src/engine/types.ts';
import { getPath, isObject, type FieldPath } from '../src/model/provenance.ts';
import { optionsSchema } from './support/options.ts';

const IGNORE = ['spec', 'ignoreDifferences'] as const;
const STRING_FIELDS = ['group', 'kind', 'name', 'namespace'] as const;
const LIST_FIELDS = ['jsonPointers', 'jqPathExpressions', 'managedFieldsManagers'] as const;

const rule = defineRule({
  meta: {
    type: 'problem',
    docs: {
      description:
        'Every spec.ignoreDifferences entry of the Application is well-formed: a kind, and JSON pointers, jq expressions or managers that can match.',
    },
    defaultSeverity: 'error',
    presets: ['recommended'],
    schema: optionsSchema({}),
    defaultOptions: {},
    messages: {
      notList: 'Application "{{name}}": spec.ignoreDifferences must be a list',
      notMapping: 'Application "{{name}}": spec.ignoreDifferences[{{index}}] must be a mapping',
      missingKind: 'Application "{{name}}": spec.ignoreDifferences[{{index}}] needs a kind (ArgoCD ignores the entry without one)',
      notString: 'Application "{{name}}": spec.ignoreDifferences[{{index}}].{{field}} must be a string',
      nothingIgnored:
        'Application "{{name}}": spec.ignoreDifferences[{{index}}] gives no jsonPointers, jqPathExpressions or managedFieldsManagers, so it ignores nothing',
      notStringList: 'Application "{{name}}": spec.ignoreDifferences[{{index}}].{{field}} must be a list of non-empty strings',
      badPointer: 'Application "{{name}}": "{{value}}" is not a JSON pointer (RFC 6901: "" or starting with "/", "~" only as ~0 or ~1)',
    },
  },
  check(context) {
    for (const application of context.input.applications ?? []) {
      const name = String(getPath(application.object, ['metadata', 'name']) ?? '');
      const list = getPath(application.object, IGNORE);
      if (list === undefined || list === null) continue;
      if (!Array.isArray(list)) {
        context.report({ application, path: IGNORE, messageId: 'notList', data: { name } });
        continue;
      }
      list.forEach((entry, index) => {
        const at: FieldPath = [...IGNORE, index];
        if (!isObject(entry)) {
          context.report({ application, path: at, messageId: 'notMapping', data: { name, index } });
          return;
        }
        for (const field of STRING_FIELDS) {
          if (entry[field] !== undefined && typeof entry[field] !== 'string')
            context.report({ application, path: [...at, field], messageId: 'notString', data: { name, index, field } });
        }
        if (typeof entry.kind !== 'string' || entry.kind === '')
          context.report({ application, path: at, messageId: 'missingKind', data: { name, index } });
        let any = false;
        for (const field of LIST_FIELDS) {
          const v = entry[field];
          if (v === undefined || v === null) continue;
          if (!Array.isArray(v) || v.some((s) => typeof s !== 'string' || s === '')) {
            context.report({ application, path: [...at, field], messageId: 'notStringList', data: { name, index, field } });
            continue;
          }
          if (v.length) any = true;
          if (field === 'jsonPointers') {
            v.forEach((p, j) => {
              if (typeof p === 'string' && (!p.startsWith('/') || /~(?![01])/.test(p)))
                context.report({ application, path: [...at, field, j], messageId: 'badPointer', data: { name, value: p } });
            });
          }
        }
        if (!any) context.report({ application, path: at, messageId: 'nothingIgnored', data: { name, index } });
      });
    }
  },
});

export default rule;
