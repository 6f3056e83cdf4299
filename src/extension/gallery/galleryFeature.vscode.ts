/**
 * The gallery feature: the "Open Duplicates Gallery" command, the panel serializer (galleries come back
 * after a window reload), the status bar count, and the reviews the galleries show. Other features reach
 * the gallery through `active`, `scanStarted` and `open`; the manifest and trash buttons go to the actions
 * those features provide.
 *
 * Panels are kept as a set, one per scanned folder (`panelFor`): a scan of another folder opens a panel of
 * its own beside the ones already open, and a scan of a folder shown already reuses its panel. The review
 * of the panel shown (or focused) last is the one commands act on.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ScanResult } from '../../core/types.js';
import { registerCommand } from '../commands.vscode.js';
import { decisionSettings, manifestPathFor, readConfig } from '../config.js';
import { Disposable, toDisposable } from '../disposable.js';
import { COMMANDS, CONFIG_SECTION, GALLERY_VIEW_TYPE } from '../ids.js';
import { readManifest } from '../../core/manifest/index.js';
import type { ExtensionDecisionSettings } from '../review/manifestOps.js';
import { resultFromManifest } from '../review/resultFromManifest.js';
import { openReview, type Review } from '../review/review.js';
import type { HostServices } from '../services.vscode.js';
import { showFailure, trace } from '../notify.vscode.js';
import { UndecidedStatus } from '../statusBar.vscode.js';
import { pairsToReview } from '../statusText.js';
import { isTestMode } from '../testMode.js';
import { posterGrabber } from '../thumbs/posterFrame.js';
import { Thumbnailer } from '../thumbs/thumbnailer.js';
import { GalleryPanel, type GalleryActions, type PanelHost } from './galleryPanel.vscode.js';
import { LoadFailed, SharedLoad } from './sharedLoad.js';

export class GalleryFeature extends Disposable {
  private review: Review | undefined;
  private readonly panels = new Set<GalleryPanel>();
  /** Reviews coming back without a scan: one load per folder and source, never shown over a scan's newer review. */
  private readonly loads = new SharedLoad<Review>();
  private readonly status = this._register(new UndecidedStatus());
  private askedRemoveMode = false;
  private readonly panelHost: PanelHost;

  constructor(
    private readonly services: HostServices,
    actions: GalleryActions,
  ) {
    super();
    const { log } = services;
    this.panelHost = {
      extensionUri: services.extensionUri,
      thumbsDir: services.thumbsDir,
      log,
      // sharp is loaded on first use: activation stays cheap and a broken native build only breaks thumbnails.
      // Video posters use the same ffmpeg as the scan (mediaDedupe.ffmpegPath, then PATH).
      thumbnailer: new Thumbnailer(
        services.thumbsDir.fsPath,
        () => require('sharp'),
        3,
        posterGrabber(() => readConfig((key) => vscode.workspace.getConfiguration(CONFIG_SECTION).get(key)).config.ffmpegPath),
      ),
      actions,
      onDecisionsChanged: (review) => this.updateStatus(review),
    };
    this._register(toDisposable(() => [...this.panels].forEach((p) => p.dispose())));
    this._register(registerCommand(COMMANDS.openGallery.id, () => this.openGallery(), log));
    this._register(
      vscode.window.registerWebviewPanelSerializer(GALLERY_VIEW_TYPE, {
        deserializeWebviewPanel: (panel, state) => this.revive(panel, state),
      }),
    );
  }

  /** The review shown last: the one the manifest and trash commands act on. */
  get active(): Review | undefined {
    return this.review;
  }

  /** A scan of `root` starts: its gallery opens now and shows the progress, so its page is loaded when the pairs arrive. */
  scanStarted(root: string, rootName: string): GalleryPanel {
    const existing = this.panelFor(root);
    const panel = existing ?? this.adopt(GalleryPanel.create(this.panelHost, root));
    if (existing) existing.reveal();
    panel.scanStarted(root, rootName);
    return panel;
  }

  /** Opens the review of `result` and shows it; an unreadable manifest is reported and left untouched. */
  async open(result: ScanResult, manifestPath: string, scanEndedAt: number): Promise<Review | undefined> {
    let review: Review;
    try {
      review = await openReview(result, manifestPath, scanEndedAt, true, this.decisionSettings(result.root));
    } catch (err) {
      // An unreadable manifest is never overwritten: the person's decisions may be in it.
      const msg = `Could not read ${manifestPath}: ${err instanceof Error ? err.message : String(err)}. Fix or move it, then scan again; it was left untouched.`;
      this.services.log.error(msg);
      void showFailure(this.services.log, `Media Dedupe: ${msg}`);
      return undefined;
    }
    trace(this.services.log, `session opened ${Date.now() - scanEndedAt} ms after the scan ended`);
    // A restore still reading the older state of this folder (at startup, a reload) must not show it over this.
    this.loads.overtaken(result.root);
    this.setActive(review);
    this.showActive();
    void this.askRemoveMode(review).catch((err: unknown) => this.services.log.error(`mediaDedupe.remove: ${String(err)}`));
    return review;
  }

  /** mediaDedupe.remove (unless `ask`) and mediaDedupe.keepPolicy (unless empty) for a folder, read at each write. */
  private decisionSettings(root: string): () => ExtensionDecisionSettings {
    return () => decisionSettings(this.services.settings(vscode.Uri.file(root)));
  }

  /**
   * The first time a scan ends while mediaDedupe.remove is `ask`: should the keep policy's removals enter
   * the manifest's `remove`, or only reviewed ones? The answer goes to the workspace settings and the
   * manifest. Until answered, the manifest keeps its own setting (the CLI's default, `all`). Not asked in
   * the e2e test mode, whose steps must not depend on a notification.
   */
  private async askRemoveMode(review: Review): Promise<void> {
    const uri = vscode.Uri.file(review.session.result.root);
    if (this.askedRemoveMode || isTestMode(process.env) || this.services.settings(uri).remove !== 'ask') return;
    this.askedRemoveMode = true;
    const all = 'Automatic too';
    const reviewed = 'Only reviewed';
    const pick = await vscode.window.showInformationMessage(
      'Media Dedupe: the keep policy proposes removals by itself. Should they go into the manifest\'s "remove" list, or only the removals you review? (setting mediaDedupe.remove)',
      all,
      reviewed,
    );
    if (!pick) return;
    const config = vscode.workspace.getConfiguration(CONFIG_SECTION, uri);
    const value = pick === all ? 'all' : 'reviewed';
    await config.update('remove', value, vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
    await review.session.save();
  }

  private setActive(review: Review): void {
    this.review = review;
    this.updateStatus(review);
  }

  private updateStatus(review: Review): void {
    if (review !== this.review) return;
    const state = review.session.known;
    if (state) this.status.show(state.totals, pairsToReview(state, review.session.pairs), review.rootName);
    else this.status.showPairs(review.session.pairCount, review.rootName);
  }

  /** The panel of `root`, if one is open: each scanned folder has its own. */
  private panelFor(root: string): GalleryPanel | undefined {
    for (const p of this.panels) if (!p.disposed && p.root === root) return p;
    return undefined;
  }

  private adopt(panel: GalleryPanel): GalleryPanel {
    this.panels.add(panel);
    panel.onDidDispose(() => this.panels.delete(panel));
    // Focusing a gallery makes its folder the one the manifest and trash commands (and the status bar) act on.
    panel.onDidActivate(() => {
      if (panel.shown && panel.shown !== this.review) this.setActive(panel.shown);
    });
    return panel;
  }

  private showActive(): void {
    const review = this.review;
    if (!review) return;
    const root = review.session.result.root;
    const existing = this.panelFor(root);
    if (existing) {
      existing.show(review);
      existing.reveal();
    } else {
      this.adopt(GalleryPanel.create(this.panelHost, root)).show(review);
    }
  }

  // ---- after a reload, and at startup -----------------------------------------------------------

  /**
   * The review of `root` coming back without a scan: from its last scan in storage, or from its manifest
   * alone, with the decisions now in the manifest, shown (made active) when it arrives. Startup (status
   * bar), the panel serializer and Open Duplicates Gallery may all ask at once: they share one load, so
   * only one session writes a manifest; and a scan that ends meanwhile keeps its newer review in front
   * (the load then answers with that one). 'failed' when it could not be read: logged, and shown with
   * this caller's `report` (a load shared with a quieter caller still reports to this one).
   */
  private async restore(root: string, from: 'storage' | 'manifest' = 'storage', report = false): Promise<Review | 'failed' | undefined> {
    const shownFor = (): Review | undefined => (this.review && this.review.session.result.root === root ? this.review : undefined);
    if (shownFor()) return shownFor();
    const loaded = await this.loads.load(
      root,
      `${from}\0${root}`,
      () => this.reopen(root, from),
      (review) => this.setActive(review),
    );
    if (loaded instanceof LoadFailed) {
      if (report) void showFailure(this.services.log, `Media Dedupe: ${loaded.message}`);
      return 'failed';
    }
    return loaded ?? shownFor();
  }

  /**
   * What restore loads (nothing else calls it): the scan kept in storage, or one rebuilt from the manifest
   * alone (a folder reviewed by the CLI or on another machine), with the decisions the manifest has now.
   * undefined when there is nothing to open (or the manifest's place is not confirmed); LoadFailed when it
   * could not be read: logged (restore shows it to a caller that reports), and the manifest is left untouched.
   */
  private async reopen(root: string, from: 'storage' | 'manifest'): Promise<Review | LoadFailed | undefined> {
    const manifestPath = manifestPathFor(root, this.services.settings(vscode.Uri.file(root)));
    const source = from === 'storage' ? 'its last scan' : manifestPath;
    try {
      // The place first: a manifest at a place not confirmed is not read at all (not even to fail on it).
      if (!(await this.services.manifestPlaceAllowed(manifestPath, root, false))) return undefined;
      const result = from === 'storage' ? await this.services.store.load(root) : await this.scanOfManifest(manifestPath);
      if (!result) return undefined;
      const review = await openReview(result, manifestPath, Date.now(), false, this.decisionSettings(result.root));
      const how = from === 'manifest' ? ` (no scan: ${result.pairs.length} pairs as the manifest lists them)` : '';
      this.services.log.info(`Opened the gallery of ${result.root} from ${source}${how}`);
      return review;
    } catch (err) {
      const msg = `Could not open the gallery of ${root} from ${source}: ${err instanceof Error ? err.message : String(err)}. The manifest was left untouched.`;
      this.services.log.error(msg);
      return new LoadFailed(msg);
    }
  }

  /** The scan a manifest describes (resultFromManifest), or undefined when there is no manifest there. */
  private async scanOfManifest(manifestPath: string): Promise<ScanResult | undefined> {
    if (!existsSync(manifestPath)) return undefined;
    const manifest = await readManifest(manifestPath);
    return manifest ? resultFromManifest(manifest, manifestPath) : undefined;
  }

  private async revive(webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const saved =
      typeof state === 'object' && state !== null && typeof (state as { rootPath?: unknown }).rootPath === 'string'
        ? (state as { rootPath: string }).rootPath
        : undefined;
    // Listening (and loading its page) before anything is awaited: the page's `ready` is never missed.
    const panel = this.adopt(GalleryPanel.revive(this.panelHost, webviewPanel, saved));
    const root = saved ?? (await this.services.store.lastRoot());
    const restored = root ? await this.restore(root) : undefined;
    const review = restored === 'failed' ? undefined : restored;
    this.services.log.info(`Restoring the gallery after a reload: ${root ?? 'no folder recorded'}${review ? '' : ' (no saved scan to show)'}`);
    if (panel.disposed) return;
    if (review) panel.show(review);
    else panel.unavailable();
  }

  /** At startup: the status bar count for the last scan of a folder in this workspace. */
  async restoreStatus(): Promise<void> {
    if (this.review) return;
    const root = await this.services.store.lastRoot();
    const inWorkspace = (r: string): boolean =>
      (vscode.workspace.workspaceFolders ?? []).some((f) => r === f.uri.fsPath || r.startsWith(f.uri.fsPath + path.sep));
    // Its review shown: done (a scan that could not be read was logged; the manifest below may still open).
    if (root && inWorkspace(root) && typeof (await this.restore(root)) === 'object') return;
    // A workspace reviewed before (a manifest, no scan kept here): its count from the manifest.
    if (!this.review) await this.openFromManifest(false);
  }

  /**
   * The gallery shown last, else the last scan kept here, else a workspace folder's manifest (a folder
   * reviewed before, by the CLI or on another machine: opened from the manifest, no scan); "nothing
   * scanned yet" only when there is no manifest either. A kept scan or a manifest that cannot be read is
   * reported (once each), and then "nothing scanned yet" is not said.
   */
  private async openGallery(): Promise<void> {
    if (!this.review) {
      const root = await this.services.store.lastRoot();
      const kept = root ? await this.restore(root, 'storage', true) : undefined;
      // A kept scan that cannot be read is reported, and the workspace's manifest may still open.
      const opened = typeof kept === 'object' ? kept : await this.openFromManifest(true);
      if (opened === 'failed' || (!opened && kept === 'failed')) return;
      if (!opened) {
        const act = await vscode.window.showInformationMessage(
          'Media Dedupe: nothing scanned yet (no scan kept here and no manifest in the workspace). Find duplicates in the workspace now?',
          'Find Duplicates',
        );
        if (act) await vscode.commands.executeCommand(COMMANDS.findInWorkspace.id);
        return;
      }
    }
    this.showActive();
  }

  /**
   * Opens the review of the first workspace folder with a manifest (mediaDedupe.manifestPath), built from
   * the manifest alone; false when there is none; 'failed' when none opened and a manifest could not be
   * read (reported with `report`, and left untouched).
   */
  private async openFromManifest(report: boolean): Promise<boolean | 'failed'> {
    let failed = false;
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      const r = await this.restore(folder.uri.fsPath, 'manifest', report);
      if (r === 'failed') failed = true;
      else if (r) return true;
    }
    return failed ? 'failed' : false;
  }
}
