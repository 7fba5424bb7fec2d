import type { SourceLocation } from './location.ts';

/** A further problem of the same input (another invalid key of one configuration file, say). */
export interface RelatedProblem {
  location: SourceLocation;
  message: string;
}

/**
 * A problem with the user's input or invocation: reported as `file:line:col: message`
 * with exit code 2 and never a stack trace. `related` holds the other problems found in the
 * same document, each on its own line; `code` names the kind of problem for a program reading it.
 */
export class UserError extends Error {
  readonly location: SourceLocation | undefined;
  readonly related: readonly RelatedProblem[];
  readonly code: string | undefined;
  constructor(message: string, location?: SourceLocation, options: { related?: readonly RelatedProblem[]; code?: string } = {}) {
    super(message);
    this.name = 'UserError';
    this.location = location;
    this.related = options.related ?? [];
    this.code = options.code;
  }
}
