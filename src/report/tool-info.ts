import pkg from '../../package.json' with { type: 'json' };
import { VERSION } from '../model/version.ts';

/** Facts about the tool itself, for SARIF's tool driver and for links in reports. */
export const TOOL_NAME = 'cilium-etcd-lint';
export { VERSION as TOOL_VERSION };

/** `git+https://host/owner/repo.git` → `https://host/owner/repo`. */
export function repositoryWebUrl(repository: unknown): string {
  const raw = typeof repository === 'string' ? repository : (repository as { url?: unknown } | undefined)?.url;
  if (typeof raw !== 'string' || raw === '') throw new Error('package.json has no repository url');
  return raw
    .replace(/^git\+/, '')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '');
}

/** Where users learn about the tool (package.json `homepage`). */
export const INFORMATION_URI: string = pkg.homepage;
/** The repository's web address (from package.json `repository`). */
export const REPOSITORY_URL: string = repositoryWebUrl(pkg.repository);

/** The documentation page of a built-in rule. */
export function ruleHelpUri(ruleId: string): string {
  return `${REPOSITORY_URL}/blob/main/rules/${ruleId}.md`;
}

/** The README section that documents the tool's own findings (`render`, `argocd`). */
export const TOOL_FINDINGS_HELP_URI = `${REPOSITORY_URL}/blob/main/README.md#rules`;
