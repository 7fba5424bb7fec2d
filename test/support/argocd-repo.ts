/** Files for ArgoCD discovery tests: an Application manifest and a small component with a dev overlay. */

/** An argoproj.io Application deploying `sourcePath`, into a namespace of its own name; `extra` is appended. */
export function app(name: string, sourcePath: string, extra = ''): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
spec:
  project: default
  source:
    repoURL: https://example.com/repo.git
    targetRevision: main
    path: ${sourcePath}
  destination:
    server: https://kubernetes.default.svc
    namespace: ${name}
${extra}`;
}

/** `<name>/base` (one ConfigMap) and `<name>/overlays/dev` on it. */
export const overlay = (name: string): Record<string, string> => ({
  [`${name}/base/kustomization.yaml`]: 'resources:\n  - cm.yaml\n',
  [`${name}/base/cm.yaml`]: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`,
  [`${name}/overlays/dev/kustomization.yaml`]: 'resources:\n  - ../../base\n',
});
