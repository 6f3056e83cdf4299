/**
 * The gallery's webview panel host: builds the page, answers the webview's messages (each validated
 * before use) and forwards actions to the controller. One panel at a time; it is restored after a window
 * reload through the serializer registered in extension.ts.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GalleryInit, HostMessage, WebviewMessage } from '../../shared/protocol.js';
import { encodeInit, parseWebviewMessage } from '../../shared/protocol.js';
import { GALLERY_VIEW_TYPE } from '../ids.js';
import { galleryHtml } from '../panel/html.js';
import { makeNonce } from '../panel/nonce.js';
import type { Thumbnailer } from '../thumbs/thumbnailer.js';
import { clusterViews, galleryFiles, galleryInit, type GalleryFiles } from './galleryModel.js';
import type { Session } from './session.js';

export interface GalleryContent {
  readonly session: Session<unknown>;
  readonly rootName: string;
  readonly scanEndedAt: number;
  /** Synthetic results borrow pixels from real files: maps a shown path to the file on disk. */
  readonly sourceOf?: ReadonlyMap<string, string>;
}

export interface GalleryHost {
  readonly extensionUri: vscode.Uri;
  readonly thumbsDir: vscode.Uri;
  readonly log: vscode.LogOutputChannel;
  readonly thumbnailer: Thumbnailer;
  onStatusesChanged(undecided: number): void;
  writeManifest(): Promise<void>;
  openManifest(): Promise<void>;
  trashRemoved(): Promise<void>;
}

export class GalleryPanel implements vscode.Disposable {
  private content: GalleryContent | undefined;
  private files: GalleryFiles | undefined;
  private ready = false;
  private rootsKey = '';
  private lastScanStatus: Extract<HostMessage, { type: 'scan/status' }> | undefined;
  private pendingPrepare: (() => void) | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  readonly onDidDispose: vscode.Event<void>;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly host: GalleryHost,
  ) {
    const emitter = new vscode.EventEmitter<void>();
    this.onDidDispose = emitter.event;
    this.disposables.push(
      emitter,
      panel.onDidDispose(() => {
        this.disposed = true;
        emitter.fire();
        this.dispose();
      }),
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)),
    );
    panel.iconPath = vscode.Uri.joinPath(host.extensionUri, 'media', 'icon.png');
  }

  /** Opens the panel; with no content yet it waits (e.g. showing a scan's progress) until `show`. */
  static create(host: GalleryHost, content: GalleryContent | undefined, scanning?: string): GalleryPanel {
    const roots = GalleryPanel.roots(host, content?.session.result.root ?? scanning);
    const panel = vscode.window.createWebviewPanel(GALLERY_VIEW_TYPE, 'Duplicates', vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: roots,
    });
    const g = new GalleryPanel(panel, host);
    g.rootsKey = rootsKey(roots);
    if (content) g.show(content);
    else g.render();
    return g;
  }

  /** After a window reload: VS Code hands back the panel; the content is loaded by the caller. */
  static revive(host: GalleryHost, panel: vscode.WebviewPanel, content: GalleryContent | undefined): GalleryPanel {
    const g = new GalleryPanel(panel, host);
    if (content) g.show(content, true);
    else {
      panel.webview.options = { enableScripts: true, localResourceRoots: GalleryPanel.roots(host, undefined) };
      g.render();
    }
    return g;
  }

  /** Local resources: the scanned folder (images), the thumbnail cache and the extension's own dist/ and media/. */
  private static roots(host: GalleryHost, root: string | undefined): vscode.Uri[] {
    const roots = [vscode.Uri.joinPath(host.extensionUri, 'dist'), vscode.Uri.joinPath(host.extensionUri, 'media'), host.thumbsDir];
    if (root) roots.push(vscode.Uri.file(root));
    return roots;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  get session(): Session<unknown> | undefined {
    return this.content?.session;
  }

  /**
   * Shows a (new) session. A page that is already loaded and may read the folder just gets the new state
   * (the fast path after a scan: the panel opened when the scan started); otherwise the page reloads, says
   * `ready`, and gets it then.
   */
  show(content: GalleryContent, forceReload = false): void {
    this.content = content;
    this.files = undefined;
    this.panel.title = `Duplicates: ${content.rootName}`;
    const roots = GalleryPanel.roots(this.host, content.session.result.root);
    if (!forceReload && this.ready && rootsKey(roots) === this.rootsKey) {
      this.sendInit();
      return;
    }
    this.rootsKey = rootsKey(roots);
    this.panel.webview.options = { enableScripts: true, localResourceRoots: roots };
    this.render();
  }

  /** A scan of `root` starts: its folder must be readable by the page before the pairs arrive. */
  scanStarted(root: string, rootName: string): void {
    const roots = GalleryPanel.roots(this.host, root);
    if (rootsKey(roots) !== this.rootsKey) {
      // Keep what the page shows readable too, until the new result replaces it.
      const current = this.content?.session.result.root;
      const all = current && current !== root ? [...roots, vscode.Uri.file(current)] : roots;
      this.rootsKey = rootsKey(all);
      this.panel.webview.options = { enableScripts: true, localResourceRoots: all };
    }
    if (!this.content) this.panel.title = `Duplicates: ${rootName}`;
    this.scanStatus({ type: 'scan/status', state: 'running', rootName, text: 'Starting…' });
  }

  scanStatus(m: Extract<HostMessage, { type: 'scan/status' }>): void {
    this.lastScanStatus = m.state === 'running' ? m : undefined;
    if (this.ready) this.post(m);
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  private render(): void {
    this.ready = false;
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

  private post(m: HostMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(m);
  }

  private fileUri(rel: string): vscode.Uri {
    const c = this.content!;
    const real = c.sourceOf?.get(rel) ?? rel;
    return vscode.Uri.file(path.join(c.session.result.root, ...real.split('/')));
  }

  private init(): GalleryInit | undefined {
    const c = this.content;
    if (!c) return undefined;
    const w = this.panel.webview;
    this.files ??= galleryFiles(c.session.result, c.sourceOf);
    return galleryInit({
      baseUri: w.asWebviewUri(vscode.Uri.file(c.session.result.root)).toString(),
      result: c.session.result,
      statuses: c.session.allStatuses(),
      files: this.files,
      rootName: c.rootName,
      manifestPath: c.session.manifestPath,
      scanEndedAt: c.scanEndedAt,
    });
  }

  private sendInit(): void {
    const t0 = Date.now();
    const init = this.init();
    if (!init) return;
    this.post({ type: 'gallery/init', init: encodeInit(init) });
    this.host.log.info(
      `gallery: ${init.pairs.length} pairs prepared and posted in ${Date.now() - t0} ms (${Date.now() - init.scanEndedAt} ms after the scan ended)`,
    );
    // Build the full manifest once the page has shown the first pair (or after a few seconds): not before,
    // since that blocks this thread while the state is still on its way to the page.
    const session = this.content!.session;
    this.pendingPrepare = () => {
      this.pendingPrepare = undefined;
      clearTimeout(timer);
      session.prepare();
      void session.refreshOnDisk().catch((err: unknown) => this.host.log.error(`Could not update ${session.manifestPath}: ${String(err)}`));
    };
    const timer = setTimeout(() => this.pendingPrepare?.(), 5000);
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
    const c = this.content;
    switch (m.type) {
      case 'ready': {
        this.host.log.info(`gallery page ready${this.content ? '' : ' (nothing to show yet)'}`);
        this.ready = true;
        if (this.content) this.sendInit();
        else if (!this.lastScanStatus)
          this.post({ type: 'gallery/error', message: 'The scan shown here is no longer available. Run "Media Dedupe: Find Duplicates" again.' });
        if (this.lastScanStatus) this.post(this.lastScanStatus);
        return;
      }
      case 'pairs/decide': {
        if (!c) return;
        if (m.index >= c.session.pairCount) throw new Error(`There is no pair ${m.index}.`);
        const { updates, saved } = c.session.decide(m.index, m.action);
        this.post({ type: 'pairs/statuses', updates, undecided: c.session.undecided });
        this.host.onStatusesChanged(c.session.undecided);
        const p = c.session.result.pairs[m.index]!;
        this.host.log.info(`${m.action}: ${p.a} | ${p.b}`);
        try {
          await saved;
        } catch (err) {
          throw new Error(`The decision was not saved to ${c.session.manifestPath}: ${err instanceof Error ? err.message : String(err)}`);
        }
        // The engine has the last word on statuses; it normally agrees with what was shown.
        const corrections = c.session.confirmedStatuses(m.index);
        if (corrections.length > 0) {
          this.post({ type: 'pairs/statuses', updates: corrections, undecided: c.session.undecided });
          this.host.onStatusesChanged(c.session.undecided);
        }
        return;
      }
      case 'thumbs/request':
        return this.sendThumbs(m.files);
      case 'clusters/request':
        if (c && this.files) this.post({ type: 'clusters/data', clusters: clusterViews(c.session.clusters(), this.files.indexOf) });
        return;
      case 'file/open':
      case 'file/reveal': {
        const f = this.files?.files[m.file];
        if (!f) return;
        const uri = this.fileUri(f.path);
        if (m.type === 'file/open') await vscode.commands.executeCommand('vscode.open', uri, { viewColumn: vscode.ViewColumn.Beside, preview: true });
        else await vscode.commands.executeCommand('revealInExplorer', uri);
        return;
      }
      case 'manifest/write':
        return this.host.writeManifest();
      case 'manifest/open':
        return this.host.openManifest();
      case 'files/trash':
        return this.host.trashRemoved();
      case 'metrics/report':
        this.host.log.info(`gallery metric ${m.name}: ${m.ms.toFixed(1)} ms`);
        if (m.name === 'firstPair') setTimeout(() => this.pendingPrepare?.(), 0);
        return;
    }
  }

  private async sendThumbs(indices: readonly number[]): Promise<void> {
    const files = this.files;
    if (!files) return;
    const w = this.panel.webview;
    const jobs = indices.map(async (i) => {
      const f = files.files[i];
      if (!f || !f.thumb) return undefined;
      try {
        const out = await this.host.thumbnailer.thumbFor(this.fileUri(f.path).fsPath, f.kind);
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

  dispose(): void {
    if (!this.disposed) {
      this.disposed = true;
      this.panel.dispose();
    }
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function rootsKey(roots: readonly vscode.Uri[]): string {
  return roots.map((r) => r.toString()).join('\n');
}
