// VS Code client for slac, SLA-as-code for social media service level
// agreements. Syntax highlighting comes from the TextMate grammar declared in
// package.json; everything else (diagnostics, hover, go to definition,
// references, completion, document symbols, formatting) comes from the slac
// language server, started here as `slac lsp` over stdio.

import * as fs from 'fs';
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

/**
 * Where `command` would be found when spawned: itself if it has a directory
 * part, else the first match on `PATH` (with `PATHEXT` on Windows).
 * `undefined` when there is no such executable file.
 */
export function findExecutable(
  command: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  const isExecutable = (file: string): boolean => {
    try {
      if (!fs.statSync(file).isFile()) return false;
      if (platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  const extensions =
    platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';')] : [''];
  const candidates = (base: string): string[] => extensions.map((ext) => base + ext);
  if (command.includes('/') || command.includes('\\')) {
    return candidates(command).find(isExecutable);
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const found = candidates(path.join(dir, command)).find(isExecutable);
    if (found) return found;
  }
  return undefined;
}

function configuredCommand(): string {
  return resolveServerPath(
    vscode.workspace.getConfiguration('slac').get<string>('server.path', 'slac'),
    vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
  );
}

function serverOptions(): ServerOptions {
  const config = vscode.workspace.getConfiguration('slac');
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const command = configuredCommand();
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
  const command = configuredCommand();
  if (!findExecutable(command)) {
    // Say it once, in our words, instead of letting the client fail to spawn.
    const openSettings = 'Open Settings';
    const choice = await vscode.window.showWarningMessage(
      `slac: the language server needs \`${command}\`, which was not found. ` +
        'Install slac or set `slac.server.path`. Syntax highlighting works without it.',
      openSettings,
    );
    if (choice === openSettings) {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'slac.server');
    }
    return;
  }
  const next = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions(), clientOptions());
  try {
    await next.start();
    client = next;
  } catch (error) {
    // The client has already reported the failure; keep the details.
    const message = error instanceof Error ? error.message : String(error);
    outputChannel?.appendLine(`could not start \`${command} lsp\`: ${message}`);
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
