import type { FieldPath } from '../../src/model/provenance.ts';
import { findFlag, missingFlagPath, type Flag } from './flags.ts';
import { parseEtcdUrl, splitUrlList, urlPort } from './urls.ts';

export type UrlFlagProblem =
  | { messageId: 'missingFlag'; path: FieldPath; data: { container: string; flag: string } }
  | { messageId: 'invalidUrl'; path: FieldPath; data: { flag: string; url: string } }
  | { messageId: 'wrongPort'; path: FieldPath; data: { flag: string; url: string; expected: number } };

export const URL_FLAG_MESSAGES = {
  missingFlag: 'Container "{{container}}" must set {{flag}}',
  invalidUrl: '{{flag}} entry "{{url}}" is not a URL with an explicit port',
  wrongPort: '{{flag}} URL "{{url}}" must use port {{expected}}',
} as const;

/**
 * Checks that `flagName` is set and that every URL of its comma list names `expected` as its port.
 * One problem per offending URL, reported on the item holding the value.
 */
export function checkUrlFlagPort(
  flags: readonly Flag[],
  flagName: string,
  expected: number,
  container: string,
  containerPath: FieldPath,
): UrlFlagProblem[] {
  const flag = findFlag(flags, flagName);
  if (!flag) return [{ messageId: 'missingFlag', path: missingFlagPath(containerPath), data: { container, flag: flagName } }];
  const urls = splitUrlList(flag.value);
  if (urls.length === 0) return [{ messageId: 'invalidUrl', path: flag.path, data: { flag: flagName, url: flag.value ?? '' } }];
  const out: UrlFlagProblem[] = [];
  for (const raw of urls) {
    const url = parseEtcdUrl(raw);
    if (!url || url.port === undefined) {
      out.push({ messageId: 'invalidUrl', path: flag.path, data: { flag: flagName, url: raw } });
    } else if (urlPort(url) !== expected) {
      out.push({ messageId: 'wrongPort', path: flag.path, data: { flag: flagName, url: raw, expected } });
    }
  }
  return out;
}
