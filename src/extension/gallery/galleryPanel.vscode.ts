/**
 * One gallery webview panel: builds the page, answers the webview's messages (each validated before use)
 * and forwards the manifest and trash buttons to the actions it was given. It listens from the moment it
 * exists, before anything is shown or restored, so the page's one `ready` is always heard; the answer
 * (the review's state) is sent when the page is ready and the review is there, whichever comes last.
 */
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { contentHashOf } from '../../core/manifest/io.js';
import type { GalleryInit, HostMessage, WebviewMessage } from '../../shared/protocol.js';
import { counted } from '../../shared/counted.js';
import { encodeInit, parseWebviewMessage } from '../../shared/protocol.js';
import { Disposable, MutableDisposable, ScheduledTask, toDisposable } from '../disposable.js';
import { fileUri } from '../files/fileUri.vscode.js';
import { scanFilePath } from '../files/scanFile.js';
import { COMMANDS, GALLERY_VIEW_TYPE } from '../ids.js';
import { galleryHtml } from '../panel/html.js';
import { makeNonce } from '../panel/nonce.js';
import { trace } from '../notify.vscode.js';
import type { Review } from '../review/review.js';
import type { Thumbnailer } from '../thumbs/thumbnailer.js';
import { decisionsView, galleryFiles, galleryInit, type GalleryFiles } from './galleryModel.js';
import { changedVersions } from './resourceVersion.js';
import { showSkipped } from '../scan/skippedPick.vscode.js';

/** What the gallery's buttons do; the registrars of those features provide it. */
export interface GalleryActions {
  writeManifest(review: Review): Promise<void>;
  openManifest(review: Review): Promise<void>;
  trashRemoved(review: Review): Promise<void>;
}

export interface PanelHost {
  readonly extensionUri: vscode.Uri;
  readonly thumbsDir: vscode.Uri;
  readonly log: vscode.LogOutputChannel;
  readonly thumbnailer: Thumbnailer;
  readonly actions: GalleryActions;
  /** The review's decisions changed (status bar). */
  onDecisionsChanged(review: Review): void;
}

export type ScanStatus = Extract<HostMessage, { type: 'scan/status' }>;

/** How long the full manifest waits for the page to show its first pair before it is built anyway. */
const PREPARE_AFTER_MS = 5000;

export class GalleryPanel extends Disposable {
  private review: Review | undefined;
  private files: GalleryFiles | undefined;
  /** The page now loaded has said `ready` (it listens). */
  private pageReady = false;
  /** A review is on its way (a window reload restores it): `ready` then waits for it instead of saying there is none. */
  private expecting = false;
  /** The folders the page may read now (localResourceRoots); changing them reloads the page. */
  private readable = new Set<string>();
  private lastScanStatus: ScanStatus | undefined;
  /** Builds the full manifest once the page shows its first pair (see sendInit). */
  private readonly prepare = this._register(new MutableDisposable<ScheduledTask>());
  /** The shown review's state listener and the watcher on its manifest file. */
  private readonly watching = this._register(new MutableDisposable<vscode.Disposable>());
  private readonly didDispose = this._register(new vscode.EventEmitter<void>());
  readonly onDidDispose = this.didDispose.event;
  /** The page now loaded shows what it was sent: its first pair, or that there is nothing to show yet. */
  private pageShown = false;
  private readonly didShowPage = this._register(new vscode.EventEmitter<void>());
  readonly onDidShowPage = this.didShowPage.event;
  /** The panel became the active editor: the commands act on its review from now on. */
  private readonly didActivate = this._register(new vscode.EventEmitter<void>());
  readonly onDidActivate = this.didActivate.event;
  /** The folder this panel is for (one panel per scanned folder): its scan, then its review. */
  private folder: string | undefined;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly host: PanelHost,
  ) {
    super();
    this._register(panel);
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register(panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)));
    this._register(panel.onDidChangeViewState((e) => e.webviewPanel.active && this.didActivate.fire()));
    panel.iconPath = vscode.Uri.joinPath(host.extensionUri, 'media', 'icon.png');
  }

  /** A new panel for `root` (a scan starting, or a review to show); the page loads at once. */
  static create(host: PanelHost, root: string): GalleryPanel {
    const roots = GalleryPanel.roots(host, root);
    const panel = vscode.window.createWebviewPanel(GALLERY_VIEW_TYPE, 'Duplicates', vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: roots,
    });
    const g = new GalleryPanel(panel, host);
    g.folder = root;
    g.setRoots(roots);
    g.render();
    return g;
  }

  /**
   * After a window reload VS Code hands back the panel: it listens and its page loads now, while the
   * caller restores the review of `root` (from the page's saved state) and then calls `show` or `unavailable`.
   */
  static revive(host: PanelHost, panel: vscode.WebviewPanel, root: string | undefined): GalleryPanel {
    const g = new GalleryPanel(panel, host);
    g.folder = root;
    g.expecting = true;
    g.setRoots(GalleryPanel.roots(host, root));
    g.render();
    return g;
  }

  /** Local resources: the scanned folder (images), the thumbnail cache and the extension's own dist/ and media/. */
  private static roots(host: PanelHost, root: string | undefined): vscode.Uri[] {
    const roots = [vscode.Uri.joinPath(host.extensionUri, 'dist'), vscode.Uri.joinPath(host.extensionUri, 'media'), host.thumbsDir];
    if (root) roots.push(vscode.Uri.file(root));
    return roots;
  }

  /** The review shown, if any. */
  get shown(): Review | undefined {
    return this.review;
  }

  /** The folder this panel shows (or scans, or restores after a reload). */
  get root(): string | undefined {
    return this.review?.session.result.root ?? this.folder;
  }

  get disposed(): boolean {
    return this.isDisposed;
  }

  /** The page has loaded and drawn what it was sent (see onDidShowPage). */
  get pageSettled(): boolean {
    return this.pageShown;
  }

  /**
   * Shows a (new) review. A page that may already read the folder just gets the new state (the fast path
   * after a scan: the panel opened when the scan started, and the folder was made readable then; the one
   * shown before stays readable until the page next reloads); otherwise the page reloads, says `ready`, and
   * gets it then.
   */
  show(review: Review): void {
    this.review = review;
    this.expecting = false;
    this.files = undefined;
    this.watch(review);
    this.panel.title = `Duplicates: ${review.rootName}`;
    const roots = GalleryPanel.roots(this.host, review.session.result.root);
    if (this.canRead(roots)) {
      if (this.pageReady) this.sendInit();
      return;
    }
    this.setRoots(roots);
    this.render();
  }

  /** The review this panel was restored for could not be loaded: the page says so. */
  unavailable(): void {
    this.expecting = false;
    if (this.pageReady && !this.review && !this.lastScanStatus) this.postUnavailable();
  }

  /** A scan of `root` starts: its folder must be readable by the page before the pairs arrive. */
  scanStarted(root: string, rootName: string): void {
    this.folder = root;
    const roots = GalleryPanel.roots(this.host, root);
    if (!this.canRead(roots)) {
      // Keep what the page shows readable too, until the new result replaces it.
      const current = this.review?.session.result.root;
      this.setRoots(current && current !== root ? [...roots, vscode.Uri.file(current)] : roots);
    }
    if (!this.review) this.panel.title = `Duplicates: ${rootName}`;
    this.scanStatus({ type: 'scan/status', state: 'running', rootName, text: 'Starting…' });
  }

  scanStatus(m: ScanStatus): void {
    this.lastScanStatus = m.state === 'running' ? m : undefined;
    if (this.pageReady) this.post(m);
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  /**
   * Every new state of the review goes to the page; the manifest file is watched, so an outside change (a
   * hand edit, a CLI run) is merged by the engine and shown, never overwritten by the page's next decision.
   */
  private watch(review: Review): void {
    const session = review.session;
    const listener = session.onDidChange(() => {
      if (this.review !== review) return;
      this.sendDecisions();
      this.host.onDecisionsChanged(review);
    });
    const file = vscode.Uri.file(session.manifestPath);
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(vscode.Uri.file(path.dirname(file.fsPath)), path.basename(file.fsPath)),
    );
    const changed = (): void => {
      void (async () => {
        let hash: string | undefined;
        try {
          hash = contentHashOf(await readFile(session.manifestPath, 'utf8'));
        } catch {
          return; // deleted or half-written: the next event (or write) tells
        }
        try {
          if (await session.outsideChange(hash)) this.host.log.info(`${session.manifestPath} changed on disk: merged`);
        } catch (err) {
          const message = `${session.manifestPath} changed on disk and could not be merged: ${err instanceof Error ? err.message : String(err)}`;
          this.host.log.error(message);
          this.post({ type: 'gallery/error', message });
        }
      })();
    };
    const subs = [watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed)];
    this.watching.value = toDisposable(() => {
      listener.dispose();
      for (const d of subs) d.dispose();
    }) as vscode.Disposable;
  }

  /** What the manifest says now, for every file and pair the page shows (nothing while it is not known yet). */
  private sendDecisions(): void {
    const r = this.review;
    const state = r?.session.known;
    if (!r || !state || !this.files || !this.pageReady) return;
    this.post({ type: 'decisions/state', state: decisionsView(state, r.session.pairs, this.files) });
  }

  /** Whether the page may read all of `roots` already: each is one of its roots or inside one, as VS Code checks. */
  private canRead(roots: readonly vscode.Uri[]): boolean {
    const readable = [...this.readable];
    return roots.map((r) => r.toString()).every((r) => readable.some((q) => r === q || r.startsWith(q.endsWith('/') ? q : `${q}/`)));
  }

  /** VS Code reloads the page when what it may read changes: it says `ready` again before it is sent anything. */
  private setRoots(roots: vscode.Uri[]): void {
    this.readable = new Set(roots.map((r) => r.toString()));
    this.pageReady = this.pageShown = false;
    this.panel.webview.options = { enableScripts: true, localResourceRoots: roots };
  }

  private render(): void {
    this.pageReady = this.pageShown = false;
    const w = this.panel.webview;
    const asset = (...p: string[]): string => w.asWebviewUri(vscode.Uri.joinPath(this.host.extensionUri, ...p)).toString();
    w.html = galleryHtml({
      cspSource: w.cspSource,
      nonce: makeNonce(),
      scriptUri: asset('dist', 'webview.js'),
      styleUri: asset('media', 'gallery.css'),
      title: this.panel.title,
    });
  }

  private pageDrawn(): void {
    this.pageShown = true;
    this.didShowPage.fire();
  }

  private post(m: HostMessage): void {
    if (!this.isDisposed) void this.panel.webview.postMessage(m);
  }

  private postUnavailable(): void {
    this.post({ type: 'gallery/error', message: 'The scan shown here is no longer available. Run "Media Dedupe: Find Duplicates" again.' });
  }

  private init(review: Review): GalleryInit {
    this.files ??= galleryFiles(review.session.result);
    return galleryInit({
      baseUri: this.panel.webview.asWebviewUri(vscode.Uri.file(review.session.result.root)).toString(),
      result: review.session.result,
      pairs: review.session.pairs,
      implied: review.session.impliedCount,
      files: this.files,
      rootName: review.rootName,
      manifestPath: review.session.manifestPath,
      scanEndedAt: review.scanEndedAt,
    });
  }

  private sendInit(): void {
    const review = this.review;
    if (!review) return;
    const t0 = Date.now();
    const init = this.init(review);
    this.post({ type: 'gallery/init', init: encodeInit(init) });
    this.sendDecisions();
    trace(
      this.host.log,
      `gallery: ${init.pairs.length} pairs prepared and posted in ${Date.now() - t0} ms (${Date.now() - init.scanEndedAt} ms after the scan ended)`,
    );
    // Build the full manifest and check the files on disk once the page has shown the first pair (or after
    // a few seconds): not before, since that work competes with the state on its way to the page.
    const session = review.session;
    this.prepare.value = new ScheduledTask(() => {
      if (!session.known) {
        session.current();
        this.sendDecisions();
        this.host.onDecisionsChanged(review);
      }
      void session.refreshOnDisk().catch((err: unknown) => this.host.log.error(`Could not update ${session.manifestPath}: ${String(err)}`));
      void this.sendChangedFiles(review);
    }, PREPARE_AFTER_MS);
  }

  /** Files changed on disk since the scan get a new `?version=`, so the page loads them again. */
  private async sendChangedFiles(review: Review): Promise<void> {
    const files = this.files;
    if (!files) return;
    const items = await changedVersions(
      files.files,
      (rel) => scanFilePath(review.session.result.root, rel),
      (p) => stat(p),
    );
    if (items.length === 0 || this.review !== review || this.files !== files) return;
    this.host.log.info(`gallery: ${counted(items.length, 'file')} changed on disk since the scan; the page reloads them`);
    // A page loaded later for this review gets the new versions with its state.
    for (const { file, version } of items) files.files[file] = { ...files.files[file]!, version };
    this.post({ type: 'files/versions', items });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.host.log.warn(`Ignored a message from the gallery: ${parsed.error}`);
      return;
    }
    try {
      await this.handle(parsed.message);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.host.log.error(`Gallery action ${parsed.message.type} failed: ${message}`);
      this.post({ type: 'gallery/error', message });
    }
  }

  private async handle(m: WebviewMessage): Promise<void> {
    const r = this.review;
    switch (m.type) {
      case 'ready': {
        trace(this.host.log, `gallery page ready${r ? '' : this.expecting ? ' (its scan is being restored)' : ' (nothing to show yet)'}`);
        this.pageReady = true;
        if (r) this.sendInit();
        else if (!this.lastScanStatus && !this.expecting) this.postUnavailable();
        if (this.lastScanStatus) this.post(this.lastScanStatus);
        if (!r) this.pageDrawn();
        return;
      }
      case 'pairs/decide': {
        if (!r) return;
        if (m.index >= r.session.pairCount) throw new Error(`There is no pair ${m.index}.`);
        const p = r.session.pairs[m.index]!;
        this.host.log.info(`${m.action}: ${p.a} | ${p.b}`);
        await this.saved(r, r.session.decide(m.index, m.action));
        return;
      }
      case 'history/step':
        if (r) await this.saved(r, m.direction === 'undo' ? r.session.undo() : r.session.redo());
        return;
      case 'clusters/act': {
        if (!r) return;
        const file = m.file === undefined ? undefined : this.files?.files[m.file]?.path;
        if (m.file !== undefined && file === undefined) throw new Error(`There is no file ${m.file}.`);
        this.host.log.info(`${m.action}: cluster ${m.cluster + 1}${file ? ` (${file})` : ''}`);
        await this.saved(r, r.session.act(m.cluster, m.action, file));
        return;
      }
      case 'clusters/accept':
        if (!r) return;
        this.host.log.info(`accept the automatic decisions of ${m.clusters.length} cluster(s)`);
        await this.saved(r, r.session.acceptClusters(m.clusters));
        return;
      case 'clusters/notDuplicates':
        if (!r) return;
        this.host.log.info(`not duplicates: ${m.clusters.length} cluster(s)`);
        await this.saved(r, r.session.actMany(m.clusters, 'not-duplicates'));
        return;
      case 'pairs/decideMany': {
        if (!r) return;
        const bad = m.indices.find((i) => i >= r.session.pairCount);
        if (bad !== undefined) throw new Error(`There is no pair ${bad}.`);
        this.host.log.info(`${m.action}: ${m.indices.length} selected pairs`);
        await this.saved(r, r.session.decideMany(m.indices, m.action));
        return;
      }
      case 'thumbs/request':
        if (r) await this.sendThumbs(r, m.files);
        return;
      case 'frames/request': {
        const f = r && this.files?.files[m.file];
        if (!r || !f || f.kind !== 'video') return;
        try {
          const out = await this.host.thumbnailer.thumbFor(scanFilePath(r.session.result.root, f.path), 'video', m.at);
          this.post({ type: 'frames/ready', file: m.file, at: m.at, uri: this.panel.webview.asWebviewUri(vscode.Uri.file(out)).toString() });
        } catch (err) {
          const error = err instanceof Error ? err.message : String(err);
          this.host.log.warn(`No frame at ${m.at} s of ${f.path}: ${error}`);
          this.post({ type: 'frames/ready', file: m.file, at: m.at, error });
        }
        return;
      }
      case 'file/open':
      case 'file/reveal':
      case 'file/copyPath':
      case 'file/findSimilar': {
        const f = r && this.files?.files[m.file];
        if (!r || !f) return;
        const uri = fileUri(r.session.result.root, f.path);
        if (m.type === 'file/open') await vscode.commands.executeCommand('vscode.open', uri, { viewColumn: vscode.ViewColumn.Beside, preview: true });
        else if (m.type === 'file/reveal') await vscode.commands.executeCommand('revealInExplorer', uri);
        else if (m.type === 'file/copyPath') await vscode.env.clipboard.writeText(uri.fsPath);
        else await vscode.commands.executeCommand(COMMANDS.findSimilar.id, uri);
        return;
      }
      case 'manifest/write':
        if (r) await this.host.actions.writeManifest(r);
        return;
      case 'manifest/open':
        if (r) await this.host.actions.openManifest(r);
        return;
      case 'files/trash':
        if (r) await this.host.actions.trashRemoved(r);
        return;
      case 'skipped/show':
        if (r) showSkipped(r.session.result, r.rootName);
        return;
      case 'metrics/report':
        trace(this.host.log, `gallery metric ${m.name}: ${m.ms.toFixed(1)} ms`);
        if (m.name === 'firstPair') {
          this.prepare.value?.soon();
          this.pageDrawn();
        }
        return;
    }
  }

  /** Waits for a decision to reach the manifest; when it does not, the page is told why and shows what the disk says. */
  private async saved(review: Review, saving: Promise<void>): Promise<void> {
    try {
      await saving;
    } catch (err) {
      if (this.review === review) this.sendDecisions();
      throw new Error(`Not saved to ${review.session.manifestPath}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async sendThumbs(review: Review, indices: readonly number[]): Promise<void> {
    const files = this.files;
    if (!files) return;
    const w = this.panel.webview;
    const jobs = indices.map(async (i) => {
      const f = files.files[i];
      if (!f || !f.thumb) return undefined;
      try {
        const out = await this.host.thumbnailer.thumbFor(scanFilePath(review.session.result.root, f.path), f.kind);
        return { file: i, uri: w.asWebviewUri(vscode.Uri.file(out)).toString() };
      } catch (err) {
        this.host.log.warn(`No thumbnail for ${f.path}: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      }
    });
    // Send as they finish, a few at a time, so the first rows fill in before the last thumbnail is made.
    let batch: { file: number; uri: string }[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = (): void => {
      if (batch.length) this.post({ type: 'thumbs/ready', items: batch });
      batch = [];
      timer = undefined;
    };
    await Promise.all(
      jobs.map((j) =>
        j.then((r) => {
          if (!r) return;
          batch.push(r);
          timer ??= setTimeout(flush, 50);
        }),
      ),
    );
    if (timer) clearTimeout(timer);
    flush();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    // Listeners hear it before the emitter itself is disposed with the rest.
    this.didDispose.fire();
    super.dispose();
  }
}
