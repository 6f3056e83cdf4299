/**
 * What the commands do. Keeps the current review session, the gallery panel and the status bar in step.
 * The heavy work happens elsewhere: scanning in a worker thread, manifest logic in the engine.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ScanResult } from '../core/types.js';
import { posterGrabber } from './thumbs/posterFrame.js';
import { readConfig, toScanOptions, type MediaDedupeConfig } from './config.js';
import { defaultThreshold, manifestOps } from './engine.js';
import { GalleryPanel, type GalleryContent, type GalleryHost } from './gallery/galleryPanel.js';
import { Session } from './gallery/session.js';
import { syntheticResult } from './gallery/synthetic.js';
import { CONFIG_SECTION } from './ids.js';
import { folderArg, workspaceRoot } from './pickFolder.js';
import { ProgressTracker, progressMessage } from './scan/progressText.js';
import { runScan, ScanFailed } from './scan/runScan.js';
import type { UndecidedStatus } from './statusBar.js';
import { findSimilarImages } from './similar.vscode.js';
import { ResultStore } from './store.js';
import { Thumbnailer } from './thumbs/thumbnailer.js';

export class Controller implements vscode.Disposable {
  private content: GalleryContent | undefined;
  private panel: GalleryPanel | undefined;
  private scanning = false;
  private restoring: { root: string; promise: Promise<boolean> } | undefined;
  readonly store: ResultStore;
  readonly thumbnailer: Thumbnailer;
  private readonly galleryHost: GalleryHost;

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
    private readonly status: UndecidedStatus,
  ) {
    const storage = context.storageUri ?? context.globalStorageUri;
    this.store = new ResultStore(storage.fsPath);
    const thumbsDir = vscode.Uri.joinPath(context.globalStorageUri, 'thumbs');
    // sharp is loaded on first use: activation stays cheap and a broken native build only breaks thumbnails.
    // Video posters use the same ffmpeg as the scan (mediaDedupe.ffmpegPath, then PATH).
    this.thumbnailer = new Thumbnailer(
      thumbsDir.fsPath,
      () => require('sharp'),
      3,
      posterGrabber(() => readConfig((key) => vscode.workspace.getConfiguration(CONFIG_SECTION).get(key)).config.ffmpegPath),
    );
    this.galleryHost = {
      extensionUri: context.extensionUri,
      thumbsDir,
      log,
      thumbnailer: this.thumbnailer,
      onStatusesChanged: (undecided) => this.updateStatus(undecided),
      writeManifest: () => this.writeManifest(),
      openManifest: () => this.openManifest(),
      trashRemoved: () => this.trashRemoved(),
    };
  }

  /** sharp must be loaded by this thread before a worker loads it: its native library is otherwise unloaded with the first worker that exits. */
  private preloadSharp(): void {
    try {
      require('sharp');
    } catch (err) {
      this.log.warn(`sharp did not load in the extension host: ${String(err)}`);
    }
  }

  private config(scope?: vscode.Uri): MediaDedupeConfig {
    const c = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
    const { config, problems } = readConfig((key) => c.get(key));
    for (const p of problems) {
      this.log.warn(p);
      void vscode.window.showWarningMessage(`Media Dedupe: ${p}`);
    }
    return config;
  }

  private manifestPathFor(root: string, config: MediaDedupeConfig): string {
    return path.resolve(root, config.manifestPath);
  }

  // ---- scanning -------------------------------------------------------------------------------------

  async findInWorkspace(): Promise<void> {
    const root = await workspaceRoot();
    if (root) await this.scan(root);
  }

  async findInFolder(arg: unknown): Promise<void> {
    const root = await folderArg(arg);
    if (root) await this.scan(root);
  }

  async scan(rootUri: vscode.Uri): Promise<void> {
    if (rootUri.scheme !== 'file') {
      void vscode.window.showErrorMessage(`Media Dedupe scans folders on disk; ${rootUri.toString()} is not one.`);
      return;
    }
    if (this.scanning) {
      void vscode.window.showInformationMessage('Media Dedupe: a scan is already running.');
      return;
    }
    const root = rootUri.fsPath;
    const config = this.config(rootUri);
    let options;
    try {
      options = toScanOptions(config, defaultThreshold);
    } catch (err) {
      void vscode.window.showErrorMessage(`Media Dedupe: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    this.scanning = true;
    this.log.info(`Scanning ${root} with ${JSON.stringify(options)}`);
    const name = path.basename(root) || root;
    // The gallery opens now and shows the progress: its page is loaded by the time the pairs arrive.
    const panel = this.panelForScan(root, name);
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Media Dedupe: finding duplicates in ${name}`, cancellable: true },
        async (progress, token) => {
          const tracker = new ProgressTracker();
          this.preloadSharp();
          const running = runScan({
            workerPath: path.join(this.context.extensionPath, 'dist', 'scanWorker.js'),
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
            log: (m) => this.log.info(m),
          });
          const sub = token.onCancellationRequested(() => {
            this.log.info('Scan cancelled: keeping the hashes already computed.');
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
      this.log.info(
        `Scan ${result.cancelled ? 'cancelled' : 'done'}: ${s.files} files (${s.hashed} hashed, ${s.cached} from cache), ${s.skipped} skipped, ${s.pairs} pairs, ${s.clusters} clusters in ${s.seconds.toFixed(1)} s`,
      );
      for (const k of result.skipped) this.log.warn(`skipped ${k.path}: ${k.code}: ${k.message}`);
      await this.store.save(result).catch((err: unknown) => this.log.warn(`Could not keep the result for the next window reload: ${String(err)}`));
      await this.openSession(result, this.manifestPathFor(root, config), scanEndedAt);
      const summary = `${s.pairs} duplicate pair${s.pairs === 1 ? '' : 's'} among ${s.files} files${s.skipped ? `, ${s.skipped} skipped (see the log)` : ''}.`;
      if (result.cancelled) void vscode.window.showWarningMessage(`Media Dedupe: scan cancelled. Showing what was found so far: ${summary}`);
      else if (s.pairs === 0) void vscode.window.showInformationMessage(`Media Dedupe: no duplicates in ${name}. ${summary}`);
    } catch (err) {
      const msg = err instanceof ScanFailed ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
      this.log.error(`Scan failed: ${msg}`);
      panel.scanStatus({ type: 'scan/status', state: 'failed', rootName: name, text: `The scan failed: ${msg.split('\n')[0]}` });
      void vscode.window.showErrorMessage(`Media Dedupe: the scan failed. ${msg.split('\n')[0]}`, 'Show Log').then((a) => a && this.log.show());
    } finally {
      this.scanning = false;
    }
  }

  private async openSession(result: ScanResult, manifestPath: string, scanEndedAt: number, sourceOf?: ReadonlyMap<string, string>): Promise<void> {
    let session: Session<unknown>;
    try {
      session = (await Session.open(result, manifestPath, manifestOps(result.root, manifestPath))) as Session<unknown>;
    } catch (err) {
      // An unreadable manifest is never overwritten: the person's decisions may be in it.
      const msg = `Could not read ${manifestPath}: ${err instanceof Error ? err.message : String(err)}. Fix or move it, then scan again; it was left untouched.`;
      this.log.error(msg);
      void vscode.window.showErrorMessage(`Media Dedupe: ${msg}`);
      return;
    }
    this.log.info(`session opened ${Date.now() - scanEndedAt} ms after the scan ended`);
    this.content = { session, rootName: path.basename(result.root) || result.root, scanEndedAt, ...(sourceOf ? { sourceOf } : {}) };
    this.updateStatus(session.undecided);
    this.showPanel();
  }

  private panelForScan(root: string, name: string): GalleryPanel {
    if (!this.panel || this.panel.isDisposed) this.adopt(GalleryPanel.create(this.galleryHost, undefined, root));
    else this.panel.reveal();
    this.panel!.scanStarted(root, name);
    return this.panel!;
  }

  private showPanel(): void {
    if (!this.content) return;
    if (this.panel && !this.panel.isDisposed) {
      this.panel.show(this.content);
      this.panel.reveal();
    } else {
      this.adopt(GalleryPanel.create(this.galleryHost, this.content));
    }
  }

  private adopt(panel: GalleryPanel): void {
    this.panel = panel;
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    });
  }

  private updateStatus(undecided: number): void {
    const c = this.content;
    if (!c || c.sourceOf) return; // the synthetic test data says nothing about the workspace
    this.status.show(undecided, c.session.pairCount, c.rootName);
  }

  // ---- the gallery after a reload, and at startup -------------------------------------------------

  /**
   * Loads the last scan of `root` from storage with the decisions now in its manifest. Startup (status bar)
   * and the panel serializer may both ask at once: they share one load, so there is only ever one session
   * writing a manifest.
   */
  private restore(root: string): Promise<boolean> {
    if (this.restoring?.root !== root) {
      const promise = this.load(root);
      this.restoring = { root, promise };
      void promise.finally(() => {
        if (this.restoring?.promise === promise) this.restoring = undefined;
      });
    }
    return this.restoring.promise;
  }

  private async load(root: string): Promise<boolean> {
    const result = await this.store.load(root);
    if (!result) return false;
    const config = this.config(vscode.Uri.file(root));
    const manifestPath = this.manifestPathFor(root, config);
    try {
      const session = (await Session.open(result, manifestPath, manifestOps(root, manifestPath))) as Session<unknown>;
      this.content = { session, rootName: path.basename(root) || root, scanEndedAt: Date.now() };
      this.updateStatus(session.undecided);
      return true;
    } catch (err) {
      this.log.error(`Could not restore the gallery for ${root}: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  }

  async revive(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const root =
      typeof state === 'object' && state !== null && typeof (state as { rootPath?: unknown }).rootPath === 'string'
        ? (state as { rootPath: string }).rootPath
        : await this.store.lastRoot();
    if (root && (!this.content || this.content.session.result.root !== root || this.content.sourceOf)) await this.restore(root);
    this.log.info(`Restoring the gallery after a reload: ${root ?? 'no folder recorded'}${this.content ? '' : ' (no saved scan to show)'}`);
    this.adopt(GalleryPanel.revive(this.galleryHost, panel, this.content));
  }

  /** At startup: the status bar count for the last scan of a folder in this workspace. */
  async restoreStatus(): Promise<void> {
    const root = await this.store.lastRoot();
    if (!root || this.content) return;
    const inWorkspace = (vscode.workspace.workspaceFolders ?? []).some((f) => root === f.uri.fsPath || root.startsWith(f.uri.fsPath + path.sep));
    if (inWorkspace) await this.restore(root);
  }

  async openGallery(): Promise<void> {
    if (!this.content) {
      const root = await this.store.lastRoot();
      if (!root || !(await this.restore(root))) {
        const act = await vscode.window.showInformationMessage('Media Dedupe: nothing scanned yet. Find duplicates in the workspace now?', 'Find Duplicates');
        if (act) await this.findInWorkspace();
        return;
      }
    }
    this.showPanel();
  }

  // ---- manifest ---------------------------------------------------------------------------------

  async writeManifest(): Promise<void> {
    const c = this.content;
    if (!c) {
      void vscode.window.showInformationMessage('Media Dedupe: run "Find Duplicates" first; the manifest is written from a scan.');
      return;
    }
    await c.session.save();
    this.log.info(`Manifest written: ${c.session.manifestPath}`);
    void vscode.window.showInformationMessage(`Media Dedupe: wrote ${c.session.manifestPath} (${c.session.removed().length} files to remove).`);
  }

  async openManifest(): Promise<void> {
    let target = this.content?.session.manifestPath;
    if (!target) {
      const root = await workspaceRoot();
      if (!root) return;
      target = this.manifestPathFor(root.fsPath, this.config(root));
    }
    if (this.content && !this.content.session.manifestOnDisk) await this.content.session.save();
    try {
      // Opened as JSON: contributes.jsonValidation attaches the shipped schema.
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(target));
      await vscode.window.showTextDocument(doc, { preview: false });
    } catch {
      void vscode.window.showInformationMessage(`Media Dedupe: there is no manifest at ${target} yet. Run "Find Duplicates" first.`);
    }
  }

  // ---- files --------------------------------------------------------------------------------------

  /** The one action that touches dataset files: to the OS trash, after an explicit confirmation. */
  async trashRemoved(): Promise<void> {
    const c = this.content;
    if (!c || c.sourceOf) return;
    const removed = c.session.removed();
    if (removed.length === 0) {
      void vscode.window.showInformationMessage('Media Dedupe: the manifest removes no files.');
      return;
    }
    const shown = removed.slice(0, 8).join('\n') + (removed.length > 8 ? `\n… and ${removed.length - 8} more` : '');
    const ok = await vscode.window.showWarningMessage(
      `Move ${removed.length} file${removed.length === 1 ? '' : 's'} marked "remove" to the trash?`,
      { modal: true, detail: `${shown}\n\nThe manifest keeps the list; you can restore the files from the trash.` },
      'Move to Trash',
    );
    if (ok !== 'Move to Trash') return;
    let moved = 0;
    const failed: string[] = [];
    for (const rel of removed) {
      const uri = vscode.Uri.file(path.join(c.session.result.root, ...rel.split('/')));
      try {
        await vscode.workspace.fs.delete(uri, { useTrash: true, recursive: false });
        moved++;
      } catch (err) {
        // Never fall back to deleting: if there is no trash, the file stays.
        failed.push(`${rel}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    this.log.info(`Moved ${moved} files to the trash.`);
    for (const f of failed) this.log.error(`Not moved to the trash: ${f}`);
    if (failed.length)
      void vscode.window.showErrorMessage(`Media Dedupe: ${failed.length} file(s) could not be moved to the trash and were left in place (see the log).`);
    else void vscode.window.showInformationMessage(`Media Dedupe: moved ${moved} file(s) to the trash.`);
  }

  async clearCache(): Promise<void> {
    const roots = new Set<string>((vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath));
    if (this.content) roots.add(this.content.session.result.root);
    const targets = [...roots].map((r) => vscode.Uri.file(path.join(r, '.media-dedupe')));
    targets.push(vscode.Uri.joinPath(this.context.globalStorageUri, 'thumbs'));
    let cleared = 0;
    for (const t of targets) {
      try {
        await vscode.workspace.fs.delete(t, { recursive: true, useTrash: false });
        cleared++;
        this.log.info(`Cleared ${t.fsPath}`);
      } catch {
        // nothing cached there
      }
    }
    void vscode.window.showInformationMessage(`Media Dedupe: cleared ${cleared} cache folder(s). The next scan hashes every file again.`);
  }

  async findSimilar(arg: unknown): Promise<void> {
    const uri = arg instanceof vscode.Uri ? arg : (vscode.window.activeTextEditor?.document.uri ?? activeTabUri());
    if (!uri || uri.scheme !== 'file') {
      void vscode.window.showInformationMessage('Media Dedupe: right-click an image in the Explorer and choose "Find Similar Images".');
      return;
    }
    this.preloadSharp();
    const lastRoot = this.content?.session.result.root ?? (await this.store.lastRoot());
    await findSimilarImages(uri, {
      log: this.log,
      workerPath: path.join(this.context.extensionPath, 'dist', 'scanWorker.js'),
      config: (scope) => this.config(scope),
      ...(lastRoot ? { lastRoot } : {}),
    });
  }

  // ---- test support ------------------------------------------------------------------------------

  /** Loads a large synthetic result into the gallery (e2e measurement); its manifest goes to storage, never the workspace. */
  async loadSyntheticPairs(count: unknown): Promise<void> {
    const n = typeof count === 'number' && Number.isInteger(count) && count > 0 && count <= 100_000 ? count : 5000;
    const base = this.content?.session.result ?? (await this.lastResult());
    if (!base) throw new Error('scan a folder first: the synthetic pairs borrow its images');
    const manifestPath = path.join((this.context.storageUri ?? this.context.globalStorageUri).fsPath, 'synthetic-manifest.json');
    await vscode.workspace.fs.delete(vscode.Uri.file(manifestPath)).then(undefined, () => undefined);
    const { result, sourceOf } = syntheticResult(base, n);
    // The moment a real scan's result would arrive from the worker.
    const scanEndedAt = Date.now();
    this.log.info(`synthetic: ${n} pairs made`);
    await this.openSession(result, manifestPath, scanEndedAt, sourceOf);
  }

  private async lastResult(): Promise<ScanResult | undefined> {
    const root = await this.store.lastRoot();
    return root ? this.store.load(root) : undefined;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

function activeTabUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom ? input.uri : undefined;
}
