/**
 * `cilium-etcd-lint lsp --stdio`: the language server (issue: "In the editor"). Being written:
 * until it is, the command says so and exits 2.
 */
export function startLanguageServer(_argv: readonly string[], stderr: (s: string) => void): number {
  stderr('cilium-etcd-lint: lsp: the language server is not available in this build\n');
  return 2;
}
