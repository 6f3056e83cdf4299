/**
 * The scan feature: "Find Duplicates in Folder" and "in Workspace". Runs one scan at a time in the worker
 * thread, reports its progress in a notification and in the folder's gallery, keeps the result for the next
 * window reload, and hands it to the gallery feature for review.
 */
import * as vscode from 'vscode';
import { createHasher } from '../../core/hashers/registry.js';
import { registerCommand } from '../commands.vscode.js';
import { manifestPathFor, toScanOptions } from '../config.js';
import { Disposable } from '../disposable.js';
import type { GalleryFeature } from '../gallery/galleryFeature.vscode.js';
import { COMMANDS } from '../ids.js';
import { folderArg, workspaceRoot } from '../pickFolder.vscode.js';
import { folderName } from '../review/review.js';
import type { HostServices } from '../services.vscode.js';
import { ProgressTracker, progressMessage } from './progressText.js';
import { runScan, ScanFailed } from './runScan.js';

/** perception's recommended threshold for a hasher configuration, from the engine's registry. */
function defaultThreshold(spec: { name: string; hashSize?: number }): number {
  return createHasher(spec.name, spec.hashSize !== undefined ? { hashSize: spec.hashSize } : {}).defaultThreshold;
}

export class ScanFeature extends Disposable {
  private scanning = false;

  constructor(
    private readonly services: HostServices,
    private readonly galleries: GalleryFeature,
  ) {
    super();
    this._register(registerCommand(COMMANDS.findInFolder.id, (arg) => this.findInFolder(arg), services.log));
    this._register(registerCommand(COMMANDS.findInWorkspace.id, () => this.findInWorkspace(), services.log));
  }

  private async findInWorkspace(): Promise<void> {
    const root = await workspaceRoot();
    if (root) await this.scan(root);
  }

  private async findInFolder(arg: unknown): Promise<void> {
    const root = await folderArg(arg);
    if (root) await this.scan(root);
  }

  private async scan(rootUri: vscode.Uri): Promise<void> {
    const { log } = this.services;
    if (rootUri.scheme !== 'file') {
      void vscode.window.showErrorMessage(`Media Dedupe scans folders on disk; ${rootUri.toString()} is not one.`);
      return;
    }
    if (this.scanning) {
      void vscode.window.showInformationMessage('Media Dedupe: a scan is already running.');
      return;
    }
    const root = rootUri.fsPath;
    const config = this.services.settings(rootUri);
    let options;
    try {
      options = toScanOptions(config, defaultThreshold);
    } catch (err) {
      void vscode.window.showErrorMessage(`Media Dedupe: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const manifestPath = manifestPathFor(root, config);
    if (!(await this.services.manifestPlaceAllowed(manifestPath, root, true))) {
      void vscode.window.showInformationMessage(
        `Media Dedupe: not scanning; set mediaDedupe.manifestPath to a path inside the workspace (now ${manifestPath}).`,
      );
      return;
    }
    this.scanning = true;
    log.info(`Scanning ${root} with ${JSON.stringify(options)}`);
    const name = folderName(root);
    // The gallery opens now and shows the progress: its page is loaded by the time the pairs arrive.
    const panel = this.galleries.scanStarted(root, name);
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Media Dedupe: finding duplicates in ${name}`, cancellable: true },
        async (progress, token) => {
          const tracker = new ProgressTracker();
          this.services.preloadSharp();
          const running = runScan({
            workerPath: this.services.workerPath,
            root,
            options,
            ffmpegPath: config.ffmpegPath,
            onProgress: (p) => {
              const message = progressMessage(p);
              progress.report({ message, increment: tracker.increment(p) });
              panel.scanStatus({
                type: 'scan/status',
                state: 'running',
                rootName: name,
                text: message,
                ...(p.total > 0 ? { fraction: p.done / p.total } : {}),
              });
            },
            log: (m) => log.info(m),
          });
          const sub = token.onCancellationRequested(() => {
            log.info('Scan cancelled: keeping the hashes already computed.');
            progress.report({ message: 'Cancelling: saving the hashes computed so far…' });
            running.cancel();
          });
          try {
            return await running.result;
          } finally {
            sub.dispose();
          }
        },
      );
      const scanEndedAt = Date.now();
      panel.scanStatus({ type: 'scan/status', state: 'finished', rootName: name, text: result.cancelled ? 'Scan cancelled' : 'Scan finished' });
      const s = result.stats;
      log.info(
        `Scan ${result.cancelled ? 'cancelled' : 'done'}: ${s.files} files (${s.hashed} hashed, ${s.cached} from cache), ${s.skipped} skipped, ${s.pairs} pairs, ${s.clusters} clusters in ${s.seconds.toFixed(1)} s`,
      );
      for (const k of result.skipped) log.warn(`skipped ${k.path}: ${k.code}: ${k.message}`);
      await this.services.store.save(result).catch((err: unknown) => log.warn(`Could not keep the result for the next window reload: ${String(err)}`));
      await this.galleries.open(result, manifestPath, scanEndedAt);
      const summary = `${s.pairs} duplicate pair${s.pairs === 1 ? '' : 's'} among ${s.files} files${s.skipped ? `, ${s.skipped} skipped (see the log)` : ''}.`;
      if (result.cancelled) void vscode.window.showWarningMessage(`Media Dedupe: scan cancelled. Showing what was found so far: ${summary}`);
      else if (s.pairs === 0) void vscode.window.showInformationMessage(`Media Dedupe: no duplicates in ${name}. ${summary}`);
    } catch (err) {
      const msg = err instanceof ScanFailed ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
      log.error(`Scan failed: ${msg}`);
      panel.scanStatus({ type: 'scan/status', state: 'failed', rootName: name, text: `The scan failed: ${msg.split('\n')[0]}` });
      void vscode.window.showErrorMessage(`Media Dedupe: the scan failed. ${msg.split('\n')[0]}`, 'Show Log').then((a) => a && log.show());
    } finally {
      this.scanning = false;
    }
  }
}
