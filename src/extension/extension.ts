/**
 * Activation: registers the commands, the gallery's panel serializer and the status bar item. Everything
 * else lives in the controller and below; this file is only wiring.
 */
import * as vscode from 'vscode';
import { Controller } from './controller.js';
import { COMMANDS, GALLERY_VIEW_TYPE, TEST_COMMANDS } from './ids.js';
import { UndecidedStatus } from './statusBar.js';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Media Dedupe', { log: true });
  const status = new UndecidedStatus();
  const controller = new Controller(context, log, status);
  context.subscriptions.push(log, status, controller);

  const register = (id: string, fn: (...args: unknown[]) => unknown): void => {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await fn(...args);
        } catch (err) {
          const msg = err instanceof Error ? err.message : String(err);
          log.error(`${id} failed: ${msg}`);
          void vscode.window.showErrorMessage(`Media Dedupe: ${msg}`);
          return undefined;
        }
      }),
    );
  };
  register(COMMANDS.findInFolder.id, (arg) => controller.findInFolder(arg));
  register(COMMANDS.findInWorkspace.id, () => controller.findInWorkspace());
  register(COMMANDS.openGallery.id, () => controller.openGallery());
  register(COMMANDS.writeManifest.id, () => controller.writeManifest());
  register(COMMANDS.openManifest.id, () => controller.openManifest());
  register(COMMANDS.findSimilar.id, (arg) => controller.findSimilar(arg));
  register(COMMANDS.clearCache.id, () => controller.clearCache());
  register(COMMANDS.trashRemoved.id, () => controller.trashRemoved());
  register(COMMANDS.showLog.id, () => log.show());
  register(TEST_COMMANDS.loadSyntheticPairs, (n) => controller.loadSyntheticPairs(n));

  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(GALLERY_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state) => controller.revive(panel, state),
    }),
  );
  // The e2e test's hidden command shows in the palette only when the test starts VS Code with this variable.
  if (process.env['MEDIA_DEDUPE_E2E'] === '1') void vscode.commands.executeCommand('setContext', 'mediaDedupe.e2e', true);
  void controller.restoreStatus();
  log.info('Media Dedupe activated');
}

export function deactivate(): void {}
