import type { SourceLocation } from './location.ts';

/**
 * A problem with the user's input or invocation: reported as `file:line:col: message`
 * with exit code 2 and never a stack trace.
 */
export class UserError extends Error {
  readonly location: SourceLocation | undefined;
  constructor(message: string, location?: SourceLocation) {
    super(message);
    this.name = 'UserError';
    this.location = location;
  }
}
