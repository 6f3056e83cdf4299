/** Registers a command whose failure is logged and shown, never thrown at VS Code (which would only print it to its own log). */
import * as vscode from 'vscode';
import { showFailure } from './notify.vscode.js';

export function registerCommand(id: string, fn: (...args: unknown[]) => unknown, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await fn(...args);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      log.error(`${id} failed: ${msg}`);
      void showFailure(log, `Media Dedupe: ${msg}`);
      return undefined;
    }
  });
}
