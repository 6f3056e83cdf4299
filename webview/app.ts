/**
 * The gallery: wires the model to the views, handles keys, and talks to the host. Decisions are shown
 * at once (optimistically) and confirmed by the host's `pairs/statuses`, which are authoritative.
 */
import type { ClusterView, DecideAction, GalleryInit, HostMessage, PairStatus, PairView } from '../src/shared/protocol.js';
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
  History,
  clampPos,
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
import type { Host } from './vscodeApi.js';

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
}

export class App {
  private init: GalleryInit | undefined;
  private pairs: readonly PairView[] = [];
  private files: readonly FileEntry[] = [];
  private statuses: PairStatus[] = [];
  private view: number[] = [];
  private pos = 0;
  private filter: Filter = DEFAULT_FILTER;
  private sort: SortOrder = 'distance';
  private mode: ViewMode = 'pairs';
  private clusters: readonly ClusterView[] | undefined;
  private readonly history = new History();
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
  private readonly metrics: Metrics = { keyToNext: [] };
  private pendingKey: number | undefined;

  constructor(private readonly host: Host) {
    this.app = byId('app');
    this.thumbs = new Thumbs((m) => host.post(m));
    this.summary = h('div', { class: 'summary', attrs: { id: 'summary', role: 'status' }, text: 'Loading pairs…' });
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
    this.compare = new CompareView({ thumbs: this.thumbs, run: (c) => this.run(c), open: (f) => host.post({ type: 'file/open', file: f }) });
    this.list = new PairList(this.listEl, {
      thumbs: this.thumbs,
      pairs: () => this.pairs,
      files: () => this.files,
      status: (i) => this.statuses[i] ?? 'undecided',
      current: () => this.view[this.pos],
      select: (pos) => this.goTo(pos),
    });
    this.clustersView = new ClustersView(this.clusterListEl, {
      thumbs: this.thumbs,
      files: () => this.files,
      open: (f) => host.post({ type: 'file/open', file: f }),
      openPair: (a, b) => this.openPair(a, b),
    });
    this.clustersView.detail.hidden = true;
    this.detail = h('div', { class: 'detail' }, [this.compare.root, this.clustersView.detail]);

    const toolbar = h('div', { class: 'toolbar-actions' }, [
      this.toolButton('Pairs', 'view-pairs', () => this.setMode('pairs')),
      this.toolButton('Clusters', 'view-clusters', () => this.setMode('clusters')),
      this.toolButton('Write Manifest', 'write-manifest', () => host.post({ type: 'manifest/write' })),
      this.toolButton('Open Manifest', 'open-manifest', () => host.post({ type: 'manifest/open' })),
      this.toolButton('Move removed files to trash…', 'trash-removed', () => host.post({ type: 'files/trash' })),
    ]);
    this.app.replaceChildren(
      h('header', { class: 'toolbar' }, [this.summary, toolbar]),
      this.scanInfo,
      this.banner,
      this.filters.root,
      this.histogram.root,
      h('main', { class: 'main' }, [h('div', { class: 'lists' }, [this.listEl, this.clusterListEl]), this.detail]),
    );
    this.app.setAttribute('data-state', 'waiting');
    this.compare.showEmpty('Waiting for a scan…');
    window.addEventListener('keydown', (e) => this.onKey(e));
    this.restoreUiState();
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
      case 'pairs/statuses':
        for (const u of m.updates) if (u.index < this.statuses.length) this.statuses[u.index] = u.status;
        this.renderSummary(m.undecided);
        this.list.list.refresh();
        this.refreshCurrentStatus();
        if (this.mode === 'clusters') this.host.post({ type: 'clusters/request' });
        else this.clusters = undefined;
        break;
      case 'thumbs/ready':
        this.thumbs.accept(m.items);
        this.list.list.refresh();
        this.compare.refreshImages(this.files);
        if (this.clusters) this.clustersView.list.refresh();
        break;
      case 'files/versions':
        if (!this.init) break;
        this.onFilesChanged(m.items);
        break;
      case 'clusters/data':
        this.clusters = m.clusters;
        this.clustersView.setClusters(m.clusters);
        break;
      case 'gallery/focus': {
        const pos = this.view.indexOf(m.pairIndex);
        if (pos >= 0) this.goTo(pos);
        break;
      }
      case 'scan/status':
        this.app.setAttribute('data-scan', m.state);
        this.scanText.textContent = m.state === 'running' ? `Scanning ${m.rootName}: ${m.text}` : m.text;
        this.scanBar.style.width = `${Math.round((m.fraction ?? 0) * 100)}%`;
        this.scanInfo.classList.toggle('failed', m.state === 'failed');
        this.scanInfo.hidden = m.state === 'finished';
        if (!this.init) this.compare.showEmpty(m.state === 'running' ? `Scanning ${m.rootName}… the pairs appear here when it ends.` : m.text);
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
    if (this.clusters) this.clustersView.list.refresh();
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
    this.pairs = init.pairs;
    this.files = withUris(init);
    this.statuses = init.pairs.map((p) => p.status);
    this.thumbs.reset();
    this.clusters = undefined;
    if (!sameRoot) this.filter = DEFAULT_FILTER;
    this.filters.setFolders(pairFolders(this.pairs, this.files));
    this.filters.set(this.filter, this.sort);
    this.recompute();
    // Resume where the person left off: the saved pair, else the first undecided one.
    const want = sameRoot && saved.current !== undefined ? this.view.indexOf(saved.current) : -1;
    const firstUndecided = this.view.findIndex((i) => this.statuses[i] === 'undecided');
    this.pos = want >= 0 ? want : Math.max(0, firstUndecided);
    this.renderSummary(this.statuses.filter((s) => s === 'undecided').length);
    this.histogram.render(
      this.pairs.map((p) => p.distance),
      init.threshold,
      { min: this.filter.minDistance, max: this.filter.maxDistance },
    );
    this.setMode(this.mode);
    this.renderCurrent();
    this.scanInfo.hidden = true;
    this.app.setAttribute('data-state', 'ready');
    this.app.setAttribute('data-pair-count', String(this.pairs.length));
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

  private renderSummary(undecided: number): void {
    const init = this.init;
    if (!init) return;
    const parts = [
      `${init.rootName}: ${this.pairs.length} pair${this.pairs.length === 1 ? '' : 's'}`,
      `${undecided} undecided`,
      `${init.hasher} < ${formatDistance(init.threshold)}`,
    ];
    if (init.skipped > 0) parts.push(`${init.skipped} skipped (see Output)`);
    if (init.cancelled) parts.push('scan cancelled: partial result');
    this.summary.textContent = parts.join(' · ');
    this.app.setAttribute('data-undecided', String(undecided));
  }

  private recompute(): void {
    const current = this.view[this.pos];
    this.view = visiblePairs(this.pairs, this.files, this.filter, this.sort);
    const keep = current === undefined ? -1 : this.view.indexOf(current);
    this.pos = clampPos(keep >= 0 ? keep : this.pos, this.view.length);
    this.list.list.setItems(this.view);
    this.filters.setCount(this.view.length, this.pairs.length);
  }

  private setFilter(f: Filter, sort: SortOrder): void {
    this.filter = f;
    this.sort = sort;
    this.recompute();
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
    this.app.setAttribute('data-view', mode);
    for (const [id, on] of [
      ['view-pairs', pairs],
      ['view-clusters', !pairs],
    ] as const) {
      const b = this.app.querySelector(`[data-action="${id}"]`);
      if (on) b?.removeAttribute('secondary');
      else b?.setAttribute('secondary', '');
    }
    if (!pairs && !this.clusters) this.host.post({ type: 'clusters/request' });
    if (pairs) this.list.list.refresh();
    else this.clustersView.list.refresh();
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

  private goTo(pos: number): void {
    this.pos = clampPos(pos, this.view.length);
    this.renderCurrent();
  }

  /** Shows the current pair and scrolls the list to it (one list render). */
  private renderCurrent(): void {
    const index = this.view[this.pos];
    if (index === undefined) {
      this.compare.showEmpty(this.pairs.length === 0 ? 'No duplicate pairs were found.' : 'No pair matches the filters.');
    } else {
      this.compare.show(index, this.pairs[index]!, this.statuses[index] ?? 'undecided', this.files, this.pos, this.view.length);
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

  /** The host confirmed statuses: redraw the current pair's verdicts without moving or measuring. */
  private refreshCurrentStatus(): void {
    const index = this.view[this.pos];
    if (index === undefined) return;
    const key = this.pendingKey;
    this.pendingKey = undefined;
    this.compare.show(index, this.pairs[index]!, this.statuses[index] ?? 'undecided', this.files, this.pos, this.view.length);
    this.pendingKey = key;
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
    const cmd = commandForKey(e);
    if (!cmd) return;
    e.preventDefault();
    if (['keep-left', 'keep-right', 'keep-both', 'not-duplicate', 'undo', 'next', 'prev', 'first', 'last'].includes(cmd)) this.pendingKey = e.timeStamp;
    this.run(cmd);
  }

  run(cmd: Command): void {
    if (this.mode === 'clusters' && cmd !== 'undo') {
      if (cmd === 'next' || cmd === 'prev') return;
    }
    const index = this.view[this.pos];
    const decide = DECISIONS[cmd];
    if (decide !== undefined) {
      if (index === undefined) return;
      this.statuses[index] = decide as PairStatus;
      this.history.push(index);
      this.host.post({ type: 'pairs/decide', index, action: decide });
      this.pos = nextAfterDecision(this.view, this.pos, (i) => this.statuses[i] ?? 'undecided');
      this.renderSummary(this.statuses.filter((s) => s === 'undecided').length);
      this.renderCurrent();
      return;
    }
    switch (cmd) {
      case 'undo': {
        const last = this.history.pop();
        if (last === undefined) {
          this.pendingKey = undefined;
          return;
        }
        this.statuses[last] = 'undecided';
        this.host.post({ type: 'pairs/decide', index: last, action: 'undo' });
        const pos = this.view.indexOf(last);
        if (pos >= 0) this.pos = pos;
        this.renderSummary(this.statuses.filter((s) => s === 'undecided').length);
        this.renderCurrent();
        return;
      }
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
    }
  }

  private toggleCompare(mode: CompareMode): void {
    this.compare.setMode(this.compare.compareMode === mode ? 'side' : mode);
  }
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
