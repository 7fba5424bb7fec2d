import type { Formatter } from './formatter.ts';
import { githubFormatter } from './github.ts';
import { jsonFormatter } from './json.ts';
import { junitFormatter } from './junit.ts';
import { rdjsonFormatter } from './rdjson.ts';
import { sarifFormatter } from './sarif.ts';
import { stylishFormatter } from './stylish.ts';

/**
 * The output formats, looked up by name (`--format`, the Action's `format`). Every formatter has
 * one signature: a whole run in, the text to print out. Adding a format is one module exporting a
 * `Formatter` and one line here.
 */

export const formatters = {
  github: githubFormatter,
  json: jsonFormatter,
  junit: junitFormatter,
  rdjson: rdjsonFormatter,
  sarif: sarifFormatter,
  stylish: stylishFormatter,
} as const satisfies Record<string, Formatter>;

export type FormatName = keyof typeof formatters;

export const FORMAT_NAMES = Object.keys(formatters) as FormatName[];

export function isFormatName(name: string): name is FormatName {
  return Object.hasOwn(formatters, name);
}

export type { FormatContext, Formatter } from './formatter.ts';
