// VS Code client for slac, SLA-as-code for social media service level
// agreements. Syntax highlighting comes from the TextMate grammar declared in
// package.json; everything else (diagnostics, hover, go to definition,
// references, completion, document symbols, formatting) comes from the slac
// language server, started here as `slac lsp` over stdio.

import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';

const CLIENT_ID = 'slac';
const CLIENT_NAME = 'slac Language Server';

let client: LanguageClient | undefined;
let outputChannel: vscode.OutputChannel | undefined;

/** The configured `slac` executable, with `~` and relative paths resolved. */
export function resolveServerPath(
  configured: string,
  workspaceFolder: string | undefined,
  home: string = os.homedir(),
): string {
  let command = configured.trim() || 'slac';
  if (command === '~' || command.startsWith('~/')) {
    command = path.join(home, command.slice(1));
  }
  // A bare name ("slac") is left for the OS to find on PATH; anything with a
  // directory part that is not absolute is taken relative to the workspace.
  const hasDirectory = command.includes('/') || command.includes('\\');
  if (hasDirectory && !path.isAbsolute(command) && workspaceFolder) {
    command = path.join(workspaceFolder, command);
  }
  return command;
}

function serverOptions(): ServerOptions {
  const config = vscode.workspace.getConfiguration('slac');
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const command = resolveServerPath(config.get<string>('server.path', 'slac'), folder);
  const args = ['lsp', ...config.get<string[]>('server.extraArgs', [])];
  const executable = {
    command,
    args,
    transport: TransportKind.stdio,
    options: folder ? { cwd: folder } : undefined,
  };
  return { run: executable, debug: executable };
}

function clientOptions(): LanguageClientOptions {
  outputChannel ??= vscode.window.createOutputChannel(CLIENT_NAME);
  return {
    documentSelector: [
      { scheme: 'file', language: 'slac' },
      { scheme: 'untitled', language: 'slac' },
    ],
    synchronize: {
      // Imported files (`import "calendars.sla" as cal`) affect diagnostics of
      // the files importing them.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.sla'),
    },
    outputChannel,
  };
}

async function startClient(): Promise<void> {
  const next = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions(), clientOptions());
  try {
    await next.start();
    client = next;
  } catch (error) {
    client = undefined;
    const command = resolveServerPath(
      vscode.workspace.getConfiguration('slac').get<string>('server.path', 'slac'),
      vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    );
    const message = error instanceof Error ? error.message : String(error);
    const openSettings = 'Open Settings';
    const choice = await vscode.window.showErrorMessage(
      `slac: could not start the language server with \`${command} lsp\` (${message}). ` +
        'Install slac or set `slac.server.path`. Syntax highlighting still works.',
      openSettings,
    );
    if (choice === openSettings) {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'slac.server');
    }
  }
}

async function stopClient(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.stop();
    } catch {
      // The server may already be gone; nothing to clean up.
    }
  }
}

async function restartClient(): Promise<void> {
  await stopClient();
  await startClient();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand('slac.restartServer', restartClient),
    vscode.commands.registerCommand('slac.showOutput', () => outputChannel?.show(true)),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('slac.server')) {
        await restartClient();
      }
    }),
    { dispose: () => void stopClient() },
  );
  await startClient();
}

export async function deactivate(): Promise<void> {
  await stopClient();
  outputChannel?.dispose();
  outputChannel = undefined;
}
