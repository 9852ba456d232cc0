// The mcp-lint extension for VS Code: starts `mcp-lint server` for JSON, JSONC, YAML and TOML
// files (the server reports only the MCP configs among them) and passes it the editor's
// settings. Everything else (diagnostics, quick fixes, fix all, hover, pinning with progress)
// is the language server's, through vscode-languageclient.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

/** The settings the server reads: its `ClientSettings` (offline, select, ignore). */
function serverSettings() {
  const config = vscode.workspace.getConfiguration('mcp-lint');
  return {
    offline: config.get('offline', false),
    select: config.get('select', []),
    ignore: config.get('ignore', []),
  };
}

async function activate(context) {
  const command = vscode.workspace.getConfiguration('mcp-lint').get('path', 'mcp-lint');
  const languages = ['json', 'jsonc', 'yaml', 'toml'];
  client = new LanguageClient(
    'mcp-lint',
    'mcp-lint',
    { command, args: ['server'] },
    {
      documentSelector: languages.map((language) => ({ scheme: 'file', language })),
      initializationOptions: serverSettings(),
    },
  );
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('mcp-lint') && client) {
        // Only the server's own settings: `path` is the extension's.
        client.sendNotification('workspace/didChangeConfiguration', { settings: serverSettings() });
      }
    }),
  );
  await client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
