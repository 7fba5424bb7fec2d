import { Ajv } from 'ajv';
import { UserError } from '../model/errors.ts';
import type { SourceLocation } from '../model/location.ts';

/*
 * The shape of one `replacements:` entry (inline, or read from a file, which the kustomization
 * schema does not see). Kustomize decodes it into Go structs and fails on a wrong type; checked
 * here so that a string where a list belongs is the user's error, never a crash. A YAML null
 * decodes to Go's zero value and is accepted wherever a value is.
 */

const str = { type: ['string', 'null'] };
const selectorProps = { group: str, version: str, kind: str, name: str, namespace: str, labelSelector: str, annotationSelector: str };
const options = {
  type: ['object', 'null'],
  properties: { delimiter: str, index: { type: ['integer', 'null'] }, create: { type: ['boolean', 'null'] } },
};
const selector = { type: ['object', 'null'], properties: selectorProps };

const schema = {
  type: 'object',
  properties: {
    path: str,
    source: { type: ['object', 'null'], properties: { ...selectorProps, fieldPath: str, options } },
    targets: {
      type: ['array', 'null'],
      items: {
        type: 'object',
        properties: {
          select: selector,
          reject: { type: ['array', 'null'], items: selector },
          fieldPaths: { type: ['array', 'null'], items: { type: 'string' } },
          options,
        },
      },
    },
  },
};

let validator: ReturnType<Ajv['compile']> | undefined;

/** Throws a UserError at the offending field when `rep` is not a replacement kustomize could decode. */
export function checkReplacementShape(rep: unknown, at: (...p: (string | number)[]) => SourceLocation): void {
  validator ??= new Ajv({ allErrors: false, strict: false }).compile(schema);
  if (validator(rep)) return;
  const err = validator.errors?.[0];
  const segs = (err?.instancePath ?? '')
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const expected = String((err?.params as { type?: string | string[] } | undefined)?.type ?? '')
    .split(',')
    .filter((t) => t !== 'null');
  const what =
    err?.keyword === 'type' && expected.length
      ? `must be ${expected.map((t) => (t === 'array' ? 'a list' : t === 'object' ? 'a mapping' : `a ${t}`)).join(' or ')}`
      : (err?.message ?? 'is invalid');
  throw new UserError(`invalid replacement field ${segs.join('.') || '(root)'}: ${what}`, at(...segs));
}
