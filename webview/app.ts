/**
 * The gallery: wires the model to the views, handles keys, and talks to the host. Every verdict it shows
 * comes from the host's `decisions/state` (what the manifest says, read with the engine's manifest
 * reader); the page sends what the person asked for and shows the new state when it arrives. It never
 * decides anything itself. Keys act only on what is on screen: the pair shown, or the cluster and member
 * shown.
 */
import { Announcer, pairAnnouncement } from './a11y.js';
import { pairCountText, reviewedText, verdictLabel } from './labels.js';
import type { DecideAction, DecisionsView, GalleryInit, HostMessage, PairView } from '../src/shared/protocol.js';
import { removalSummary } from '../src/shared/removals.js';
import { LeaksHeader } from './leaksView.js';
import { DecisionState } from './decisionState.js';
import { ContextMenu } from './contextMenu.js';
import { HelpOverlay } from './helpOverlay.js';
import { ClustersView } from './clustersView.js';
import { withUris, withVersions, type FileEntry } from './files.js';
import { CompareView } from './compareView.js';
import { decodeInit } from '../src/shared/protocol.js';
import { byId, h } from './dom.js';
import { formatDistance } from './format.js';
import { FiltersView } from './filtersView.js';
import { HistogramView } from './histogramView.js';
import { commandForKey, type Command } from './keymap.js';
import {
  DEFAULT_FILTER,
  clampPos,
  clusterOrder,
  nextAfterDecision,
  pairFolders,
  parsePersisted,
  visiblePairs,
  type CompareMode,
  type Filter,
  type PersistedState,
  type SortOrder,
  type ViewMode,
} from './model.js';
import { PairList } from './pairList.js';
import { Thumbs } from './thumbs.js';
import { Selection, type ClickMods } from './selection.js';
import type { Host } from './vscodeApi.js';
import { counted, formatCount } from '../src/shared/counted.js';

const DECISIONS: Partial<Record<Command, DecideAction>> = {
  'keep-left': 'keep-a',
  'keep-right': 'keep-b',
  'keep-both': 'keep-both',
  'not-duplicate': 'not-duplicate',
};

/** Metrics the e2e test reads from the page (and the host logs). */
interface Metrics {
  firstPairMs?: number;
  keyToNext: number[];
  clusterKeyToNext: number[];
}

export class App {
  private init: GalleryInit | undefined;
  /** After a scan across splits: the leaks per split pair (leaksView.ts). */
  private readonly leaksHeader = new LeaksHeader();
  private pairs: readonly PairView[] = [];
  private files: readonly FileEntry[] = [];
  private decisions: DecisionState | undefined;
  private view: number[] = [];
  private pos = 0;
  private filter: Filter = DEFAULT_FILTER;
  private sort: SortOrder = 'distance';
  private mode: ViewMode = 'pairs';
  private readonly help = new HelpOverlay();
  private readonly announcer = new Announcer();
  private readonly menu: ContextMenu;
  private readonly thumbs: Thumbs;
  private readonly compare: CompareView;
  private readonly list: PairList;
  private readonly clustersView: ClustersView;
  private readonly histogram: HistogramView;
  private readonly filters: FiltersView;
  private readonly summary: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly scanInfo: HTMLElement;
  private readonly scanText: HTMLElement;
  private readonly scanBar: HTMLElement;
  private readonly app: HTMLElement;
  private readonly listEl: HTMLElement;
  private readonly clusterListEl: HTMLElement;
  private readonly detail: HTMLElement;
  private readonly metrics: Metrics = { keyToNext: [], clusterKeyToNext: [] };
  private pendingKey: number | undefined;
  private readonly acceptShownButton: HTMLElement;
  private readonly skippedButton: HTMLElement;
  /** Pairs picked with Shift/Ctrl: the decision keys act on those of them the list shows. */
  private readonly pairSel = new Selection();
  private readonly selStatus: HTMLElement;

  constructor(private readonly host: Host) {
    this.app = byId('app');
    this.menu = new ContextMenu((m) => host.post(m));
    this.thumbs = new Thumbs((m) => host.post(m));
    this.summary = h('div', { class: 'summary', attrs: { id: 'summary', role: 'status' }, text: 'Loading pairs…' });
    // The skipped files, each with its code and reason, one click from the header.
    this.skippedButton = h('vscode-button', {
      attrs: { secondary: '', 'data-action': 'show-skipped', title: 'List the files the scan skipped, with the reason' },
    });
    this.skippedButton.hidden = true;
    this.skippedButton.addEventListener('click', () => host.post({ type: 'skipped/show' }));
    this.banner = h('div', { class: 'banner', attrs: { role: 'alert' } });
    this.banner.hidden = true;
    this.scanText = h('span', { class: 'scan-text' });
    this.scanBar = h('div', { class: 'scan-bar-fill' });
    this.scanInfo = h('div', { class: 'scan-info', attrs: { role: 'status', id: 'scan-status' } }, [
      this.scanText,
      h('div', { class: 'scan-bar' }, [this.scanBar]),
    ]);
    this.scanInfo.hidden = true;
    this.filters = new FiltersView((f, s) => this.setFilter(f, s));
    this.histogram = new HistogramView((lo, hi) => {
      this.setFilter({ ...this.filter, minDistance: round(lo), maxDistance: round(hi) }, this.sort);
      this.filters.set(this.filter, this.sort);
    });
    this.listEl = h('div', { class: 'list', attrs: { id: 'pair-list', role: 'listbox', 'aria-label': 'Duplicate pairs', tabindex: '0' } });
    this.clusterListEl = h('div', { class: 'list', attrs: { id: 'cluster-list', role: 'listbox', 'aria-label': 'Clusters', tabindex: '0' } });
    this.clusterListEl.hidden = true;
    this.compare = new CompareView({
      thumbs: this.thumbs,
      run: (c) => this.run(c),
      open: (f) => host.post({ type: 'file/open', file: f }),
      frame: (file, at) => host.post({ type: 'frames/request', file, at }),
    });
    this.list = new PairList(this.listEl, {
      thumbs: this.thumbs,
      pairs: () => this.pairs,
      files: () => this.files,
      shown: (i) => this.decisions?.pair(i),
      current: () => this.view[this.pos],
      multi: (i) => this.pairSel.has(i),
      select: (pos, mods) => this.clickPair(pos, mods),
      leaks: () => this.init?.leaks,
      dropFrom: () => this.decisions?.view.leaks?.dropFrom,
    });
    this.selStatus = h('div', { class: 'selection-status', attrs: { role: 'status', 'aria-live': 'polite' } });
    this.selStatus.hidden = true;
    this.clustersView = new ClustersView(this.clusterListEl, {
      thumbs: this.thumbs,
      files: () => this.files,
      open: (f) => host.post({ type: 'file/open', file: f }),
      openPair: (a, b) => this.openPair(a, b),
      run: (c) => this.run(c),
      selectionChanged: () => this.renderSelection(),
      conflicted: (f) => this.decisions?.file(f).conflict ?? false,
      resolve: (f) => {
        const cluster = this.clustersView.selectedIndex;
        if (cluster !== undefined) host.post({ type: 'clusters/act', action: 'resolve', cluster, file: f });
      },
      changed: () => this.persist(),
    });
    const acceptShown = h('vscode-button', { attrs: { secondary: '', 'data-action': 'accept-shown' } });
    acceptShown.addEventListener('click', () => this.acceptShown());
    this.acceptShownButton = acceptShown;
    this.clustersView.setBulk(acceptShown);
    this.clustersView.detail.hidden = true;
    this.detail = h('div', { class: 'detail' }, [this.compare.root, this.clustersView.detail]);

    const toolbar = h('div', { class: 'toolbar-actions' }, [
      this.viewButton('Pairs', 'pairs'),
      this.viewButton('Clusters', 'clusters'),
      this.toolButton('Undo', 'undo', () => this.run('undo')),
      this.toolButton('Redo', 'redo', () => this.run('redo')),
      this.toolButton('Keys (?)', 'help', () => this.help.toggle()),
      this.toolButton('Write Manifest', 'write-manifest', () => host.post({ type: 'manifest/write' })),
      this.toolButton('Open Manifest', 'open-manifest', () => host.post({ type: 'manifest/open' })),
      this.toolButton('Move removed files to trash…', 'trash-removed', () => host.post({ type: 'files/trash' })),
    ]);
    this.app.replaceChildren(
      h('header', { class: 'toolbar' }, [this.summary, this.skippedButton, toolbar]),
      this.leaksHeader.root,
      this.scanInfo,
      this.banner,
      this.filters.root,
      this.histogram.root,
      h('main', { class: 'main' }, [h('div', { class: 'lists' }, [this.selStatus, this.listEl, this.clusterListEl]), this.detail]),
      this.help.root,
      this.menu.root,
      this.announcer.root,
    );
    this.app.setAttribute('data-state', 'waiting');
    this.compare.showEmpty('Waiting for a scan…');
    window.addEventListener('keydown', (e) => this.onKey(e));
    this.restoreUiState();
  }

  /** The view switch: data-view="pairs|clusters" (a stable selector). */
  private viewButton(label: string, view: ViewMode): HTMLElement {
    const b = h('vscode-button', { text: label, attrs: { secondary: '', 'data-view': view } });
    b.addEventListener('click', () => this.setMode(view));
    return b;
  }

  private toolButton(label: string, action: string, onClick: () => void): HTMLElement {
    const b = h('vscode-button', { text: label, attrs: { secondary: '', 'data-action': action } });
    b.addEventListener('click', onClick);
    return b;
  }

  private restoreUiState(): void {
    const s = parsePersisted(this.host.getState());
    if (s.filter) this.filter = s.filter;
    if (s.sort) this.sort = s.sort;
    if (s.view) this.mode = s.view;
    this.filters.set(this.filter, this.sort);
  }

  handle(m: HostMessage): void {
    switch (m.type) {
      case 'gallery/init':
        this.onInit(decodeInit(m.init));
        break;
      case 'decisions/state':
        this.onDecisions(m.state);
        break;
      case 'thumbs/ready':
        this.thumbs.accept(m.items);
        this.list.list.refresh();
        this.compare.refreshImages(this.files);
        if (this.mode === 'clusters') this.clustersView.list.refresh();
        // In either view: the cluster's cards are drawn (hidden) while the pairs view is shown, and a
        // thumbnail that arrives then must be on its card when the person switches to clusters.
        this.clustersView.refreshImages();
        break;
      case 'files/versions':
        if (!this.init) break;
        this.onFilesChanged(m.items);
        break;
      case 'gallery/focus': {
        const pos = this.view.indexOf(m.pairIndex);
        if (pos >= 0) this.goTo(pos);
        break;
      }
      case 'scan/status':
        this.app.setAttribute('data-scan', m.state);
        // Which folder this gallery is for: one panel per scanned folder (a stable hook for checks).
        this.app.setAttribute('data-root-name', m.rootName);
        this.scanText.textContent = m.state === 'running' ? `Scanning ${m.rootName}: ${m.text}` : m.text;
        this.scanBar.style.width = `${Math.round((m.fraction ?? 0) * 100)}%`;
        // A phase that cannot count (finding pairs, clustering) moves without claiming how far it is.
        this.scanInfo.classList.toggle('indeterminate', m.state === 'running' && m.fraction === undefined);
        this.scanInfo.classList.toggle('failed', m.state === 'failed');
        this.scanInfo.classList.toggle('ended', m.state !== 'running');
        // How the scan ended (finished in N s, or cancelled with the hashes kept) stays readable above the pairs.
        this.scanInfo.hidden = false;
        if (!this.init) {
          this.summary.textContent = m.state === 'running' ? `Scanning ${m.rootName}…` : m.text;
          this.compare.showEmpty(m.state === 'running' ? `Scanning ${m.rootName}… the pairs appear here when it ends.` : m.text);
        }
        break;
      case 'frames/ready':
        this.compare.acceptFrame(m.file, m.at, m.uri, m.error);
        break;
      case 'gallery/error':
        this.banner.textContent = m.message;
        this.banner.hidden = false;
        setTimeout(() => (this.banner.hidden = true), 8000);
        break;
    }
  }

  /** Files changed on disk since the page got them: new URIs (so they load again) and new thumbnails. */
  private onFilesChanged(items: readonly { file: number; version: string }[]): void {
    this.files = withVersions(this.init!.baseUri, this.files, items);
    const changed = new Set(items.map((i) => i.file));
    for (const f of changed) this.thumbs.forget(f);
    this.list.list.refresh();
    if (this.mode === 'clusters') {
      this.clustersView.list.refresh();
      this.clustersView.refreshImages();
    }
    const index = this.view[this.pos];
    const pair = index === undefined ? undefined : this.pairs[index];
    if (pair && (changed.has(pair.a) || changed.has(pair.b))) {
      this.compare.invalidate();
      this.refreshCurrentStatus();
    }
  }

  private onInit(init: GalleryInit): void {
    // Split of the first-pair time: until here it was the host and the message's trip.
    document.body.setAttribute('data-init-received-ms', String(Math.max(0, Date.now() - init.scanEndedAt)));
    const saved = parsePersisted(this.host.getState());
    const sameRoot = saved.rootPath === init.rootPath;
    this.init = init;
    this.app.setAttribute('data-root-name', init.rootName);
    this.leaksHeader.set(init.leaks, undefined);
    this.pairs = init.pairs;
    this.files = withUris(init);
    this.decisions = undefined;
    this.app.removeAttribute('data-manifest-hash');
    document.body.removeAttribute('data-first-cluster-ms');
    document.body.removeAttribute('data-cluster-key-ms');
    this.metrics.clusterKeyToNext = [];
    this.thumbs.reset();
    if (!sameRoot) this.filter = DEFAULT_FILTER;
    this.filters.setFolders(pairFolders(this.pairs, this.files));
    this.filters.setThreshold(init.threshold, init.hasher);
    this.filters.set(this.filter, this.sort);
    this.recompute();
    // Resume where the person left off (the saved pair), else the first pair.
    const want = sameRoot && saved.current !== undefined ? this.view.indexOf(saved.current) : -1;
    this.pos = want >= 0 ? want : 0;
    this.renderSummary();
    this.histogram.render(
      this.pairs.map((p) => p.distance),
      init.threshold,
      { min: this.filter.minDistance, max: this.filter.maxDistance },
    );
    this.clustersView.setClusters([], []);
    this.setMode(this.mode);
    this.renderCurrent();
    this.scanInfo.hidden = true;
    this.app.setAttribute('data-state', 'ready');
    this.app.setAttribute('data-pair-count', String(this.pairs.length));
    this.app.setAttribute('data-implied-count', String(init.implied ?? 0));
    this.listEl.focus();
    // First pair visible: after the browser has laid out and painted this frame.
    requestAnimationFrame(() =>
      setTimeout(() => {
        const ms = Math.max(0, Date.now() - init.scanEndedAt);
        this.metrics.firstPairMs = ms;
        document.body.setAttribute('data-first-pair-ms', String(ms));
        this.host.post({ type: 'metrics/report', name: 'firstPair', ms });
      }, 0),
    );
  }

  /** What the manifest says now: every row, the compare view, the clusters and the header show it. */
  private onDecisions(view: DecisionsView): void {
    if (!this.init) return;
    const first = this.decisions === undefined;
    this.decisions = new DecisionState(view, this.pairs);
    this.leaksHeader.set(this.init.leaks, view.leaks);
    // Filters depend on decisions ("undecided"): recomputed on every change.
    this.recompute();
    this.clustersView.setClusters(view.clusters, this.clusterView());
    this.renderSummary();
    this.list.list.refresh();
    this.refreshCurrentStatus();
    for (const [action, on, label] of [
      ['undo', view.history.canUndo, view.history.undoLabel],
      ['redo', view.history.canRedo, view.history.redoLabel],
    ] as const) {
      for (const b of this.app.querySelectorAll(`[data-action="${action}"]`)) {
        b.toggleAttribute('disabled', !on);
        b.setAttribute('aria-disabled', String(!on)); // the custom button does not say it itself
        b.setAttribute('title', on && label ? `${action === 'undo' ? 'Undo' : 'Redo'}: ${label}` : `Nothing to ${action}`);
      }
    }
    this.app.setAttribute('data-remove-mode', view.removeMode);
    // Set last: a check that waits for the manifest's hash finds everything above already drawn.
    this.app.setAttribute('data-manifest-hash', view.manifestHash);
    if (first && this.mode === 'clusters') this.clustersView.list.refresh();
    if (first && view.clusters.length > 0) {
      // Scale figure: scan end to the first cluster on screen (its verdicts need the whole manifest).
      const t = this.init.scanEndedAt;
      requestAnimationFrame(() => setTimeout(() => document.body.setAttribute('data-first-cluster-ms', String(Math.max(0, Date.now() - t))), 0));
    }
  }

  /** The clusters the current filter shows: a member in the folder, every member within the distance range. */
  private clusterView(): number[] {
    const clusters = this.decisions?.view.clusters ?? [];
    return clusterOrder(clusters, this.files, this.filter, this.sort);
  }

  private acceptShown(): void {
    const shown = this.clustersView.shownClusters;
    if (shown.length === 0 || this.mode !== 'clusters') return;
    this.host.post({ type: 'clusters/accept', clusters: [...shown] });
  }

  private renderSummary(): void {
    const init = this.init;
    if (!init) return;
    const d = this.decisions;
    if (init.emptyMessage) {
      // Nothing was found to compare: say that, not "0 pairs among 0 files".
      this.summary.textContent = `${init.rootName}: no images or videos found`;
      this.app.setAttribute('data-empty', '');
      this.skippedButton.hidden = init.skipped === 0;
      this.skippedButton.textContent = `${formatCount(init.skipped)} skipped`;
      return;
    }
    this.app.removeAttribute('data-empty');
    // Copies searched as one node are listed as pairs too (against their kept file): the count says how many.
    // A cancelled scan says so first, in one phrase with its count: "found before the scan was cancelled".
    const parts = [pairCountText(init.rootName, this.pairs.length, init.implied ?? 0, init.cancelled)];
    if (d) {
      const t = d.view.totals;
      parts.push(counted(t.clusters, 'cluster'), removalSummary(t), reviewedText(d.reviewedCount, this.pairs.length));
      if (t.doubtful > 0) parts.push(`${formatCount(t.doubtful)} doubtful`);
      if (t.conflicts > 0) parts.push(`${counted(t.conflicts, 'file')} in conflict: see Clusters`);
      if (t.orphaned > 0) parts.push(`${formatCount(t.orphaned)} orphaned`);
      this.app.setAttribute('data-remove', String(t.remove));
      this.app.setAttribute('data-remove-reviewed', String(t.removeReviewed));
      this.app.setAttribute('data-remove-auto', String(t.removeAuto));
    } else if (!init.cancelled) parts.push('reading the manifest…');
    // A cancelled scan never writes the manifest: its decisions are this partial result's preview, so no
    // "reading the manifest…" beside "cancelled" (it read as a scan still at work).
    parts.push(`${init.hasher} < ${formatDistance(init.threshold)}`);
    this.summary.textContent = parts.join(' · ');
    this.skippedButton.hidden = init.skipped === 0;
    this.skippedButton.textContent = `${formatCount(init.skipped)} skipped`;
    if (d) {
      const n = this.clustersView.shownClusters.length;
      this.acceptShownButton.textContent = `Accept the automatic decisions of the ${counted(n, 'cluster')} shown`;
    }
  }

  private recompute(): void {
    const current = this.view[this.pos];
    const d = this.decisions;
    this.view = visiblePairs(this.pairs, this.files, this.filter, this.sort, {
      reviewed: (i) => d?.reviewed(i) ?? false,
      clusterSize: (i) => d?.clusterSize(i) ?? 0,
    });
    const keep = current === undefined ? -1 : this.view.indexOf(current);
    this.pos = clampPos(keep >= 0 ? keep : this.pos, this.view.length);
    this.list.list.setItems(this.view);
    this.filters.setCount(this.view.length, this.pairs.length);
  }

  private setFilter(f: Filter, sort: SortOrder): void {
    this.filter = f;
    this.sort = sort;
    // A new filter starts a new selection: nothing picked before may be acted on unseen.
    this.pairSel.clear();
    this.clustersView.clearSelection();
    this.selStatus.hidden = true;
    this.recompute();
    if (this.decisions) this.clustersView.setClusters(this.decisions.view.clusters, this.clusterView());
    this.renderSummary();
    if (this.init)
      this.histogram.render(
        this.pairs.map((p) => p.distance),
        this.init.threshold,
        { min: f.minDistance, max: f.maxDistance },
      );
    this.renderCurrent();
  }

  private setMode(mode: ViewMode): void {
    this.mode = mode;
    const pairs = mode === 'pairs';
    this.listEl.hidden = !pairs;
    this.clusterListEl.hidden = pairs;
    this.compare.root.hidden = !pairs;
    this.clustersView.detail.hidden = pairs;
    this.app.setAttribute('data-current-view', mode);
    for (const v of ['pairs', 'clusters'] as const) {
      const b = this.app.querySelector(`[data-view="${v}"]`);
      b?.toggleAttribute('secondary', v !== mode);
      b?.setAttribute('aria-pressed', String(v === mode));
    }
    if (pairs) this.list.list.refresh();
    else {
      this.clustersView.list.refresh();
      this.clustersView.refreshImages();
    }
    (pairs ? this.listEl : this.clusterListEl).focus();
    this.renderSelection();
    this.persist();
  }

  private openPair(a: number, b: number): void {
    const [x, y] = a < b ? [a, b] : [b, a];
    const index = this.pairs.findIndex((p) => (p.a === x && p.b === y) || (p.a === y && p.b === x));
    if (index < 0) return;
    if (!this.view.includes(index)) this.setFilter(DEFAULT_FILTER, this.sort);
    this.setMode('pairs');
    const pos = this.view.indexOf(index);
    if (pos >= 0) this.goTo(pos);
  }

  /** A click on a pair row: plain selects it; Ctrl/Cmd adds or removes it; Shift selects the range. */
  private clickPair(pos: number, mods: ClickMods): void {
    if (mods.shift || mods.toggle) this.pairSel.click(this.view, pos, mods, this.view[this.pos]);
    else this.pairSel.clear();
    this.goTo(pos);
    this.renderSelection();
  }

  private extendPairs(delta: number): void {
    const to = clampPos(this.pos + delta, this.view.length);
    this.pairSel.range(this.view, to, this.view[this.pos]);
    this.goTo(to);
    this.renderSelection();
  }

  /** The selection's count on screen (and data-selected-count): what the keys will act on. */
  private renderSelection(): void {
    const pairs = this.pairSel.inView(this.view).length;
    const clusters = this.clustersView.selectedClusters().length;
    const n = this.mode === 'pairs' ? pairs : clusters;
    this.selStatus.hidden = n < 2;
    this.selStatus.textContent =
      this.mode === 'pairs'
        ? `${formatCount(n)} pairs selected: ← → B N act on all ${formatCount(n)} · Esc clears`
        : `${formatCount(n)} clusters selected: Y (accept) and N (not duplicates) act on all ${formatCount(n)} · Esc clears`;
    this.app.setAttribute('data-selected-count', String(n));
    this.list.list.refresh();
  }

  private goTo(pos: number): void {
    this.pos = clampPos(pos, this.view.length);
    this.renderCurrent();
  }

  /** Shows the current pair and scrolls the list to it (one list render). */
  private renderCurrent(): void {
    const index = this.view[this.pos];
    if (index === undefined) {
      this.compare.showEmpty(this.pairs.length === 0 ? (this.init?.emptyMessage ?? 'No duplicate pairs were found.') : 'No pair matches the filters.');
    } else {
      this.compare.show(index, this.pairs[index]!, this.decisions?.pair(index), this.files, this.pos, this.view.length);
      this.announcePair(index);
    }
    this.list.list.reveal(this.pos);
    this.persist();
    if (this.pendingKey !== undefined) {
      const t0 = this.pendingKey;
      this.pendingKey = undefined;
      // Measured to the frame that shows the new pair, not to the end of our own code.
      requestAnimationFrame(() =>
        setTimeout(() => {
          const ms = performance.now() - t0;
          this.metrics.keyToNext.push(ms);
          document.body.setAttribute('data-key-to-next-ms', this.metrics.keyToNext.map((x) => x.toFixed(1)).join(','));
          this.host.post({ type: 'metrics/report', name: 'keyToNext', ms });
        }, 0),
      );
    }
  }

  /** New decisions arrived: redraw the current pair's verdicts without moving or measuring. */
  private refreshCurrentStatus(): void {
    const index = this.view[this.pos];
    if (index === undefined) return;
    const key = this.pendingKey;
    this.pendingKey = undefined;
    this.compare.show(index, this.pairs[index]!, this.decisions?.pair(index), this.files, this.pos, this.view.length);
    this.pendingKey = key;
    this.announcePair(index);
  }

  /** The live region: where the review is, and the pair's verdict. */
  private announcePair(index: number): void {
    const shown = this.decisions?.pair(index);
    this.announcer.say(pairAnnouncement(this.pos, this.view.length, shown ? verdictLabel(shown.verdict, shown.by) : 'undecided'));
  }

  private persist(): void {
    if (!this.init) return;
    const s: PersistedState = { rootPath: this.init.rootPath, current: this.view[this.pos] ?? 0, filter: this.filter, sort: this.sort, view: this.mode };
    this.host.setState(s);
  }

  private onKey(e: KeyboardEvent): void {
    // Typing into a filter field must not triage pairs.
    const path = e.composedPath();
    if (
      path.some(
        (n) =>
          n instanceof HTMLElement &&
          (n.tagName === 'INPUT' || n.tagName === 'TEXTAREA' || n.tagName === 'VSCODE-TEXTFIELD' || n.tagName === 'VSCODE-SINGLE-SELECT'),
      )
    )
      return;
    if (e.key === 'Escape' && this.help.open) {
      this.help.toggle(false);
      return;
    }
    if (e.key === 'Escape') {
      this.pairSel.clear();
      this.clustersView.clearSelection();
      this.renderSelection();
      return;
    }
    const cmd = commandForKey(e, this.mode);
    if (!cmd) return;
    e.preventDefault();
    // Shift + arrow (or Shift + J/K) extends the multi-selection instead of moving.
    if (e.shiftKey && (cmd === 'next' || cmd === 'prev')) {
      if (this.mode === 'pairs') return this.extendPairs(cmd === 'next' ? 1 : -1);
      return this.clustersView.extendSelection(cmd === 'next' ? 1 : -1);
    }
    if (this.mode === 'pairs' && ['keep-left', 'keep-right', 'keep-both', 'not-duplicate', 'next', 'prev', 'first', 'last'].includes(cmd))
      this.pendingKey = e.timeStamp;
    if (this.mode === 'clusters' && ['next', 'prev'].includes(cmd)) this.clusterKeyAt = e.timeStamp;
    this.run(cmd);
  }

  run(cmd: Command): void {
    switch (cmd) {
      case 'undo':
      case 'redo':
        this.host.post({ type: 'history/step', direction: cmd });
        return;
      case 'toggle-view':
        return this.setMode(this.mode === 'pairs' ? 'clusters' : 'pairs');
      case 'help':
        return this.help.toggle();
    }
    if (this.mode === 'clusters') return this.runCluster(cmd);
    const index = this.view[this.pos];
    const decide = DECISIONS[cmd];
    if (decide !== undefined) {
      if (this.compare.root.hidden) return;
      // A multi-selection: the selected pairs the list shows, nothing a filter hid, as one operation.
      const selected = this.pairSel.inView(this.view);
      if (selected.length > 1) {
        this.host.post({ type: 'pairs/decideMany', indices: selected, action: decide });
        this.pairSel.clear();
        this.renderSelection();
        return;
      }
      // Only the pair on screen.
      if (index === undefined) return;
      this.host.post({ type: 'pairs/decide', index, action: decide });
      this.pos = nextAfterDecision(this.view, this.pos, (i) => i === index || (this.decisions?.reviewed(i) ?? false));
      this.renderCurrent();
      return;
    }
    switch (cmd) {
      case 'next':
        return this.goTo(this.pos + 1);
      case 'prev':
        return this.goTo(this.pos - 1);
      case 'first':
        return this.goTo(0);
      case 'last':
        return this.goTo(this.view.length - 1);
      case 'flicker':
        return this.toggleCompare('flicker');
      case 'overlay': {
        // O cycles: overlay, difference, side by side.
        const m = this.compare.compareMode;
        return this.compare.setMode(m === 'overlay' ? 'difference' : m === 'difference' ? 'side' : 'overlay');
      }
      case 'open-left':
      case 'open-right': {
        const p = index === undefined ? undefined : this.pairs[index];
        if (p) this.host.post({ type: 'file/open', file: cmd === 'open-left' ? p.a : p.b });
        return;
      }
      default:
        return;
    }
  }

  /** Cluster keys: on the cluster and member shown in the clusters view, nothing else. */
  private runCluster(cmd: Command): void {
    const v = this.clustersView;
    const cluster = v.selectedIndex;
    const file = v.selectedFile();
    switch (cmd) {
      case 'next':
      case 'prev':
        v.moveCluster(cmd === 'next' ? 1 : -1);
        this.measureClusterKey();
        return;
      case 'first':
        return v.select(0);
      case 'last':
        return v.select(v.count - 1);
      case 'next-member':
      case 'prev-member':
        return v.moveMember(cmd === 'next-member' ? 1 : -1);
    }
    if (cluster === undefined) return;
    // A multi-selection of clusters (the ones the filter shows): Y and N act on all of them, once.
    const many = this.clustersView.selectedClusters();
    switch (cmd) {
      case 'keep-this':
      case 'split-out':
        if (file !== undefined) this.host.post({ type: 'clusters/act', action: cmd, cluster, file });
        return;
      case 'accept-cluster':
        if (many.length > 1) this.host.post({ type: 'clusters/accept', clusters: many });
        else this.host.post({ type: 'clusters/act', action: 'accept', cluster });
        break;
      case 'cluster-not-duplicates':
        if (many.length > 1) this.host.post({ type: 'clusters/notDuplicates', clusters: many });
        else this.host.post({ type: 'clusters/act', action: 'not-duplicates', cluster });
        break;
      default:
        return;
    }
    this.clustersView.clearSelection();
    this.renderSelection();
  }

  private clusterKeyAt: number | undefined;

  /** J/K in the clusters view: key press to the frame that shows the next cluster (e2e scale figures). */
  private measureClusterKey(): void {
    const t0 = this.clusterKeyAt;
    this.clusterKeyAt = undefined;
    if (t0 === undefined) return;
    requestAnimationFrame(() =>
      setTimeout(() => {
        this.metrics.clusterKeyToNext.push(performance.now() - t0);
        document.body.setAttribute('data-cluster-key-ms', this.metrics.clusterKeyToNext.map((x) => x.toFixed(1)).join(','));
      }, 0),
    );
  }

  private toggleCompare(mode: CompareMode): void {
    this.compare.setMode(this.compare.compareMode === mode ? 'side' : mode);
  }
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
