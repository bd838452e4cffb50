// A minimal VS Code client for `womlint server`: starts it over stdio for Markdown and
// plain-text documents (saved or not) and passes the womlint.* settings as initialization
// options. Everything else (diagnostics, quick fixes, hover) is the server's.
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const settings = vscode.workspace.getConfiguration("womlint");
  const command = settings.get("path", "womlint");
  const serverOptions = { command, args: ["server"], transport: TransportKind.stdio };
  const clientOptions = {
    documentSelector: [
      { language: "markdown" },
      { language: "plaintext" },
    ],
    initializationOptions: {
      jurisdiction: settings.get("jurisdiction") || undefined,
      strict: settings.get("strict", false),
      extraPacks: settings.get("extraPacks", []),
    },
  };
  client = new LanguageClient("womlint", "womlint", serverOptions, clientOptions);
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
