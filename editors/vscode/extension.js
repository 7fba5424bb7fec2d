// A minimal VS Code client for `cilium-etcd-lint lsp --stdio` (see docs/editors.md): starts the
// server for YAML files (and `Kustomization`), with the workspace folders as its roots. The
// server does the rest (diagnostics, hover, definition, quick fixes, watched files).
'use strict';
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

async function activate(context) {
  const config = vscode.workspace.getConfiguration('ciliumEtcdLint');
  const [command, ...args] = config.get('command') ?? ['cilium-etcd-lint', 'lsp', '--stdio'];
  // No `transport`: the client then talks over stdio without adding `--stdio` (it is in the command).
  const serverOptions = { command, args, options: { shell: process.platform === 'win32' } };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'file', pattern: '**/Kustomization' },
    ],
    initializationOptions: { debounceMs: config.get('debounceMs') ?? 30 },
  };
  client = new LanguageClient('ciliumEtcdLint', 'cilium-etcd-lint', serverOptions, clientOptions);
  context.subscriptions.push({ dispose: () => client?.stop() });
  await client.start();
}

function deactivate() {
  return client?.stop();
}

module.exports = { activate, deactivate };
