import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Media Dedupe', { log: true });
  context.subscriptions.push(log);
  log.info('Media Dedupe activated');
}

export function deactivate(): void {}
