/**
 * The scan feature: "Find Duplicates in Folder" and "in Workspace". Runs one scan at a time in the worker
 * thread, reports its progress in a notification and in the folder's gallery, keeps the result for the next
 * window reload, and hands it to the gallery feature for review.
 */
import * as vscode from 'vscode';
import { createHasher } from '../../core/hashers/registry.js';
import { registerCommand } from '../commands.vscode.js';
import { manifestPathFor, toScanOptions, type MediaDedupeConfig } from '../config.js';
import { Disposable } from '../disposable.js';
import type { GalleryFeature } from '../gallery/galleryFeature.vscode.js';
import { COMMANDS, CONFIG_SECTION } from '../ids.js';
import { folderArg, workspaceRoot } from '../pickFolder.vscode.js';
import { folderName } from '../review/review.js';
import type { HostServices } from '../services.vscode.js';
import { clearDone, showDone, showFailure, trace } from '../notify.vscode.js';
import { CANCELLING, ProgressDisplay, type ProgressView } from './progressDisplay.js';
import { cancelledMessage, emptyFolderMessage, finishedMessage, foundSummary, identicalCopies } from './messages.js';
import { runScan, ScanFailed } from './runScan.js';
import { leakSummary } from './leakSummary.js';
import { detectSplitFolders, splitOfferText } from './splitOffer.js';

/** Folders whose splits offer was declined for good (workspace state). */
const NO_SPLITS_OFFER_KEY = 'mediaDedupe.noSplitsOffer';

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
      void showFailure(log, `Media Dedupe: ${err instanceof Error ? err.message : String(err)}`);
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
    let finished = false;
    log.info(`Scanning ${root}`);
    trace(log, `scan options: ${JSON.stringify(options)}`);
    const name = folderName(root);
    // The gallery opens now and shows the progress: its page is loaded by the time the pairs arrive.
    clearDone();
    const panel = this.galleries.scanStarted(root, name);
    // Shown in the notification and the gallery's header alike; see ProgressDisplay for what it smooths.
    let report: (v: ProgressView) => void = () => {};
    const display = new ProgressDisplay((v) => report(v));
    const ticker = setInterval(() => display.tick(), 500);
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Media Dedupe: finding duplicates in ${name}`, cancellable: true },
        async (progress, token) => {
          report = (v) => {
            progress.report({ message: v.message, ...(v.increment !== undefined ? { increment: v.increment } : {}) });
            panel.scanStatus({
              type: 'scan/status',
              state: 'running',
              rootName: name,
              text: v.message,
              ...(v.fraction !== undefined ? { fraction: v.fraction } : {}),
            });
          };
          this.services.preloadSharp();
          const running = runScan({
            workerPath: this.services.workerPath,
            root,
            options,
            ffmpegPath: config.ffmpegPath,
            onProgress: (p) => display.update(p),
            log: (m) => log.info(m),
          });
          const sub = token.onCancellationRequested(() => {
            log.info('Scan cancelled: keeping the hashes already computed.');
            display.cancelling();
            // The notification closes when Cancel is pressed; the status bar (and the gallery's scan line) say
            // "Cancelling…" until the worker has stopped. Not a second notification: VS Code keeps a progress
            // notification up for at least 800 ms, so a quick stop left it beside the "Cancelled" message.
            void vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Media Dedupe: ${CANCELLING}` }, () =>
              running.result.catch(() => undefined),
            );
            running.cancel();
          });
          try {
            return await running.result;
          } finally {
            sub.dispose();
          }
        },
      );
      clearInterval(ticker);
      const scanEndedAt = Date.now();
      const ended = result.cancelled ? cancelledMessage(result.stats) : (emptyFolderMessage(result) ?? finishedMessage(result.stats, identicalCopies(result)));
      panel.scanStatus({ type: 'scan/status', state: 'finished', rootName: name, text: ended });
      log.info(ended);
      const s = result.stats;
      trace(
        log,
        `Scan ${result.cancelled ? 'cancelled' : 'done'}: ${s.files} files (${s.hashed} hashed, ${s.cached} from cache), ${s.skipped} skipped, ${s.pairs} pairs, ${s.clusters} clusters in ${s.seconds.toFixed(1)} s`,
      );
      for (const k of result.skipped) log.warn(`skipped ${k.path}: ${k.code}: ${k.message}`);
      await this.services.store.save(result).catch((err: unknown) => log.warn(`Could not keep the result for the next window reload: ${String(err)}`));
      const review = await this.galleries.open(result, manifestPath, scanEndedAt);
      const empty = emptyFolderMessage(result);
      const copies = identicalCopies(result);
      const summary = foundSummary(s, copies);
      finished = !result.cancelled;
      // The gallery's Leaks header shows them: a toast would only cover its triage buttons until closed. The
      // log says what the manifest says, once this scan is in it (a cancelled scan never is).
      if (review && result.options.splits?.length && !result.cancelled) {
        const sub = review.session.onDidChange((state) => {
          sub.dispose();
          const leaks = leakSummary(state.leaks);
          if (leaks) log.info(`Leaks in ${name}: ${leaks}`);
        });
      }
      // The gallery's header and scan line say all this too: the status bar repeats it for a few seconds.
      // A cancel's line is only how it ended: with what was found so far it ran past the status bar's room
      // (cut at 1600 px); the header says that ("N pairs found before the scan was cancelled"), the log too.
      if (result.cancelled) {
        log.info(`Found before the cancel: ${summary}`);
        showDone(`Media Dedupe: ${ended}`, 'warning');
      } else if (empty) showDone(`Media Dedupe: ${empty}`, 'info');
      else if (s.pairs === 0 && copies === 0) showDone(`Media Dedupe: no duplicates in ${name}. ${summary}`, 'info');
    } catch (err) {
      const msg = err instanceof ScanFailed ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
      log.error(`Scan failed: ${msg}`);
      panel.scanStatus({ type: 'scan/status', state: 'failed', rootName: name, text: `The scan failed: ${msg.split('\n')[0]}` });
      void showFailure(log, `Media Dedupe: the scan failed. ${msg.split('\n')[0]}`);
    } finally {
      clearInterval(ticker);
      this.scanning = false;
    }
    if (finished) void this.offerSplits(rootUri, config);
  }

  /**
   * After a plain scan of a folder with train/val/test folders: offer the leakage search, which sets
   * mediaDedupe.splits for that folder and scans again. Asked after the scan, never before, so a person
   * who ignores it still has the plain scan; "Don't Ask Again" is kept per folder.
   */
  private async offerSplits(rootUri: vscode.Uri, config: MediaDedupeConfig): Promise<void> {
    if (config.splits.length > 0) return;
    const declined = this.services.workspaceState.get<string[]>(NO_SPLITS_OFFER_KEY) ?? [];
    if (declined.includes(rootUri.fsPath)) return;
    let folders: string[];
    try {
      folders = (await vscode.workspace.fs.readDirectory(rootUri)).filter(([, t]) => t & vscode.FileType.Directory).map(([n]) => n);
    } catch {
      return;
    }
    const splits = detectSplitFolders(folders);
    if (splits.length === 0) return;
    const act = await vscode.window.showInformationMessage(splitOfferText(folderName(rootUri.fsPath), splits), 'Search Across Splits', "Don't Ask Again");
    if (act === "Don't Ask Again") await this.services.workspaceState.update(NO_SPLITS_OFFER_KEY, [...declined, rootUri.fsPath]);
    if (act !== 'Search Across Splits') return;
    const target = vscode.workspace.getWorkspaceFolder(rootUri) ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration(CONFIG_SECTION, rootUri).update('splits', splits, target);
    this.services.log.info(`mediaDedupe.splits set to ${JSON.stringify(splits)} for ${rootUri.fsPath}; scanning across splits`);
    await this.scan(rootUri);
  }
}
