import type { ValidateFunction } from 'ajv';
import { UserError } from '../model/errors.ts';
import type { SourceLocation } from '../model/location.ts';
import { formatPath, locate, type FieldPath, type JsonObject } from '../model/provenance.ts';
import { explainErrors, type PathedError } from '../schema/ajv-errors.ts';

/** The location of a field path in a loaded YAML/JSON document: an unknown key is its own key. */
export function locateIn(root: JsonObject, path: FieldPath, fallback: SourceLocation): SourceLocation {
  return locate(root, path) ?? fallback;
}

export interface Problem {
  location: SourceLocation;
  message: string;
}

/**
 * The problems of a document as one UserError: the first (an unknown key before anything else,
 * then in file order) is the error's own message and location; the others are its `related`
 * problems, which the CLI prints as further `file:line:col: message` lines.
 */
export function problemsError(problems: Problem[], what: string): UserError {
  const rank = (p: Problem) =>
    p.message.includes('unknown field') || p.message.includes('unknown rule') || p.message.includes('is not a severity') ? 0 : 1;
  const sorted = [...problems].sort(
    (a, b) => rank(a) - rank(b) || a.location.line - b.location.line || a.location.column - b.location.column,
  );
  const [first, ...rest] = sorted;
  return new UserError(`${what}: ${first!.message}`, first!.location, { related: rest, code: 'invalid-document' });
}

/**
 * Validates a loaded document with a compiled schema; throws a UserError located on the first
 * offending key or value (file:line:column), listing the others, each with its suggestion.
 */
export function assertValid(
  validate: ValidateFunction,
  root: JsonObject,
  what: string,
  fallback: SourceLocation,
  prefix: FieldPath = [],
  value: unknown = root,
): void {
  if (validate(value)) return;
  const errors = explainErrors(validate.errors, value);
  throw problemsError(toProblems(errors, root, prefix, fallback), what);
}

export function toProblems(
  errors: PathedError[],
  root: JsonObject,
  prefix: FieldPath,
  fallback: SourceLocation,
): { location: SourceLocation; message: string }[] {
  return errors.map((e) => {
    const path = [...prefix, ...e.path];
    // An unknown or a missing field is named in the message: the prefix is its parent.
    const field = formatPath(e.unknownField !== undefined || e.keyword === 'required' ? path.slice(0, -1) : path);
    return { location: locateIn(root, path, fallback), message: field ? `${field}: ${e.message}` : e.message };
  });
}
