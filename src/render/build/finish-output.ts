/**
 * The marks kustomize's own bookkeeping and printing leave on its output, restated on each
 * rendered object once the build is done, so that the render prints kustomize's bytes.
 */
import type { SourceLocation } from '../../model/location.ts';
import { RAW_TEXT, deleteField, isObject, type Json, type JsonObject } from '../../model/provenance.ts';
import { UserError } from '../../model/errors.ts';
import { stringifyValues } from '../untagged.ts';

/**
 * Kustomize keeps bookkeeping annotations on every resource while it works, which leaves two
 * marks on its output: an empty (or null) `annotations` is dropped (an empty `labels` is not),
 * and every annotation value is a string: the scalar's text as written (`0644` stays "0644",
 * `~` is "~"), or, once a JSON6902 patch has turned the resource into JSON, the text Go prints
 * for the value (420, 1e+06, null).
 */
export function finishAnnotations(obj: JsonObject): void {
  const meta = obj.metadata;
  if (!isObject(meta) || !Object.prototype.hasOwnProperty.call(meta, 'annotations')) return;
  const ann = meta.annotations;
  if (ann === null || (isObject(ann) && Object.keys(ann).length === 0)) {
    deleteField(meta, 'annotations', undefined);
    return;
  }
  if (!isObject(ann)) return;
  stringifyValues(ann);
  delete ann[RAW_TEXT];
}

/** Characters yaml.v2's reader refuses raw (Go's JSON leaves them unescaped): DEL, C1 controls but NEL, U+FFFE/U+FFFF. */
const UNREADABLE = /[\u007f\u0080-\u0084\u0086-\u009f\ufffe\uffff]/;

/**
 * Kustomize prints through JSON and reads that JSON back with yaml.v2 before printing it as
 * YAML. Go's JSON escapes C0 controls and U+2028/U+2029 but not DEL, the C1 controls or NEL, so
 * yaml.v2 reads those raw, inside a double-quoted scalar: DEL and C1 controls fail the build
 * ("control characters are not allowed"), and NEL is a line break there, folded (with the
 * spaces around it) into one space, or into n-1 newlines for n of them. Keys alike.
 */
export function finishStrings(v: Json, loc: SourceLocation): void {
  const fix = (text: string): string => {
    const bad = UNREADABLE.exec(text);
    if (bad) {
      const cp = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      throw new UserError(
        `the rendered object holds the control character U+${cp} in ${JSON.stringify(text.slice(0, 40))}: kustomize fails on it (yaml: "control characters are not allowed")`,
        loc,
      );
    }
    return text.includes('\u0085')
      ? text.replace(/ *(?:\u0085 *)+/g, (m) => {
          const n = m.split('\u0085').length - 1;
          return n === 1 ? ' ' : '\n'.repeat(n - 1);
        })
      : text;
  };
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      if (typeof x === 'string') v[i] = fix(x);
      else finishStrings(x, loc);
    });
  } else if (isObject(v)) {
    for (const key of Object.keys(v)) {
      const x = v[key]!;
      const k2 = fix(key);
      if (typeof x === 'string') v[key] = fix(x);
      else finishStrings(x, loc);
      if (k2 !== key) {
        const val = v[key]!;
        delete v[key];
        v[k2] = val;
      }
    }
  }
}
