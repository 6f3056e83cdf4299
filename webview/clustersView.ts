/**
 * Cluster-first triage: the clusters (connected pairs) as the manifest has them, a keyboard-driven
 * listbox (J/K between clusters) beside the selected cluster's members (arrow keys between them). Each
 * member shows decide's verdict, who made it and why; the selected member and the kept one are always
 * scrolled into view, and the bulk actions act on exactly the cluster and member on screen.
 */
import { markOption, unmarkOption } from './a11y.js';
import type { FileEntry } from './files.js';
import type { ClusterView } from '../src/shared/protocol.js';
import { formatCount } from '../src/shared/counted.js';
import { clear, h } from './dom.js';
import { distinctNames, formatBytes, formatDistance, formatResolution, middleEllipsis } from './format.js';
import { conflictNotes, fileLabel } from './labels.js';
import { bindingFor, type Command } from './keymap.js';
import type { Thumbs } from './thumbs.js';
import { Selection } from './selection.js';
import { VirtualList } from './virtualList.js';

export interface ClustersDeps {
  readonly thumbs: Thumbs;
  files(): readonly FileEntry[];
  openPair(a: number, b: number): void;
  open(file: number): void;
  run(command: Command): void;
  /** The multi-selection changed (the app shows its count). */
  selectionChanged(): void;
  /** Whether a file is kept because reviews contradict each other (the host's per-file flag, as the pair badges read it). */
  conflicted(file: number): boolean;
  /** The answer to a conflict of the cluster on screen: keep this file. */
  resolve(file: number): void;
  /** A cluster or member was picked (the app persists the position). */
  changed(): void;
}

const CLUSTER_BUTTONS: readonly Command[] = ['keep-this', 'accept-cluster', 'cluster-not-duplicates', 'split-out', 'undo', 'redo', 'prev', 'next'];

export class ClustersView {
  readonly list: VirtualList<number>;
  readonly detail: HTMLElement;
  private readonly head: HTMLElement;
  private readonly grid: HTMLElement;
  private readonly bulk: HTMLElement;
  private clusters: readonly ClusterView[] = [];
  /** Indices into `clusters` the filter lets through, in display order. */
  private order: readonly number[] = [];
  private pos = 0;
  /** Selected member: 0 = the kept file, k = members[k - 1]. */
  private member = 0;
  /** Clusters picked with Shift/Ctrl (indices into `clusters`): Y and N act on those the filter shows. */
  private readonly sel = new Selection();

  constructor(
    private readonly container: HTMLElement,
    private readonly deps: ClustersDeps,
  ) {
    this.head = h('div', { class: 'compare-head' });
    // Focusable: it scrolls, and keyboard users must be able to reach what is below the fold.
    this.grid = h('div', { class: 'cluster-grid', attrs: { role: 'listbox', 'aria-label': 'Files of the cluster', tabindex: '0' } });
    const actions = h('div', { class: 'actions', attrs: { role: 'toolbar', 'aria-label': 'Cluster triage' } });
    for (const cmd of CLUSTER_BUTTONS) {
      const b = bindingFor(cmd, 'clusters');
      const btn = h('vscode-button', { attrs: { 'data-action': cmd, title: `${b.label} (${b.hint})` } }, [
        document.createTextNode(`${b.label} `),
        h('kbd', { text: b.hint }),
      ]);
      if (!['keep-this', 'accept-cluster', 'cluster-not-duplicates'].includes(cmd)) btn.setAttribute('secondary', '');
      btn.addEventListener('click', () => this.deps.run(cmd));
      actions.appendChild(btn);
    }
    this.bulk = h('div', { class: 'cluster-bulk' });
    this.detail = h('div', { class: 'clusters-detail' }, [this.head, actions, this.grid, this.bulk]);
    this.list = new VirtualList<number>({
      container,
      rowHeight: 60,
      createRow: () => {
        const row = h('div', { class: 'row cluster-row', attrs: { role: 'option' } });
        row.addEventListener('click', (e) => {
          const pos = Number(row.getAttribute('data-pos'));
          if (!Number.isInteger(pos)) return;
          const mods = { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey };
          if (mods.shift || mods.toggle) this.sel.click(this.order, pos, mods, this.order[this.pos]);
          else this.sel.clear();
          this.select(pos);
          this.list.refresh();
          this.deps.selectionChanged();
        });
        return row;
      },
      renderRow: (row, i, pos) => this.renderRow(row, i, pos),
      clearRow: (row) => {
        unmarkOption(container, row);
        row.removeAttribute('data-cluster-index');
        row.removeAttribute('data-pos');
        row.removeAttribute('data-selected');
      },
    });
  }

  /** New clusters (after every decision) and the ones the filter shows; the selection stays on the same kept file when it can. */
  setClusters(clusters: readonly ClusterView[], order: readonly number[]): void {
    // Cluster indices change with every decision: a selection of the old ones would name other clusters.
    this.sel.clear();
    const keepBefore = this.selectedCluster()?.keep;
    const fileBefore = this.selectedFile();
    this.clusters = clusters;
    this.order = order;
    this.list.setItems(order);
    let pos =
      keepBefore === undefined ? -1 : order.findIndex((i) => clusters[i]!.keep === keepBefore || clusters[i]!.members.some((m) => m.file === keepBefore));
    if (pos < 0) pos = Math.min(this.pos, Math.max(0, order.length - 1));
    this.pos = pos;
    const c = this.selectedCluster();
    const member = c && fileBefore !== undefined ? this.filesOf(c).indexOf(fileBefore) : -1;
    this.member = member >= 0 ? member : 0;
    this.render();
  }

  get count(): number {
    return this.order.length;
  }

  /** The cluster on screen (index into the host's clusters), if any. */
  get selectedIndex(): number | undefined {
    return this.order[this.pos];
  }

  selectedCluster(): ClusterView | undefined {
    const i = this.order[this.pos];
    return i === undefined ? undefined : this.clusters[i];
  }

  /** The file of the selected member (the kept file when none is picked). */
  selectedFile(): number | undefined {
    const c = this.selectedCluster();
    return c ? this.filesOf(c)[this.member] : undefined;
  }

  /** The multi-selected clusters the filter shows (empty without a multi-selection). */
  selectedClusters(): number[] {
    return this.sel.inView(this.order);
  }

  clearSelection(): void {
    if (this.sel.size === 0) return;
    this.sel.clear();
    this.list.refresh();
  }

  /** Shift + J/K: the selection grows (or shrinks) from its anchor to the next cluster, which is shown. */
  extendSelection(delta: number): void {
    if (this.order.length === 0) return;
    const to = Math.max(0, Math.min(this.order.length - 1, this.pos + delta));
    this.sel.range(this.order, to, this.order[this.pos]);
    this.select(to);
    this.list.refresh();
    this.deps.selectionChanged();
  }

  /** The clusters the filter shows. */
  get shownClusters(): readonly number[] {
    return this.order;
  }

  select(pos: number): void {
    const next = Math.max(0, Math.min(this.order.length - 1, pos));
    // Already on screen (J on the last cluster, a click on the selected row): nothing to redraw.
    if (next === this.pos && this.order.length > 0 && this.detail.getAttribute('data-cluster-index') === String(this.order[next])) return;
    this.pos = next;
    this.member = 0;
    this.render();
  }

  moveCluster(delta: number): void {
    this.select(this.pos + delta);
  }

  moveMember(delta: number): void {
    const c = this.selectedCluster();
    if (!c) return;
    this.member = Math.max(0, Math.min(c.members.length, this.member + delta));
    this.markSelected();
  }

  /** Moves the selection mark without redrawing the cluster's cards (330 of them in a big cluster). */
  private markSelected(): void {
    const cards = this.grid.children;
    for (let k = 0; k < cards.length; k++) cards[k]!.setAttribute('aria-selected', String(k === this.member));
    // The selected member stays on screen: keys act on what is shown.
    (cards[this.member] as HTMLElement | undefined)?.scrollIntoView({ block: 'nearest' });
  }

  private filesOf(c: ClusterView): number[] {
    return [c.keep, ...c.members.map((m) => m.file)];
  }

  private render(): void {
    this.list.reveal(this.pos);
    this.renderDetail();
    this.deps.changed();
  }

  private renderRow(row: HTMLElement, i: number, pos: number): void {
    const c = this.clusters[i]!;
    const files = this.deps.files();
    const keep = files[c.keep]!;
    clear(row);
    row.setAttribute('data-cluster-index', String(i));
    row.setAttribute('data-pos', String(pos));
    const multi = this.sel.has(i);
    markOption(this.container, row, `cluster-row-${i}`, pos === this.pos);
    // A multi-selected row is selected too (aria-multiselectable listbox), and marked for checks.
    if (multi) row.setAttribute('aria-selected', 'true');
    row.classList.toggle('multi', multi);
    if (multi) row.setAttribute('data-selected', 'true');
    else row.removeAttribute('data-selected');
    row.classList.toggle('doubtful', c.doubtful.length > 0);
    const img = h('img', { class: 'row-thumb', attrs: { alt: '' } });
    const uri = this.deps.thumbs.small(c.keep, keep); // a video's poster frame
    if (uri) img.setAttribute('src', uri);
    const reviewed = c.members.filter((m) => m.decision === 'remove' && m.by === 'review').length;
    const auto = c.members.filter((m) => m.decision === 'remove' && m.by === 'auto').length;
    const flags = [c.doubtful.length > 0 ? 'doubtful' : '', this.inConflict(c) ? 'conflict' : ''].filter(Boolean).join(', ');
    row.append(
      h('span', { class: 'row-idx', text: String(pos + 1) }),
      img,
      h('div', { class: 'row-names' }, [
        h('div', { class: 'row-name', text: middleEllipsis(keep.path, 34), title: keep.path }),
        h('div', {
          class: 'row-sub',
          text: `${c.members.length + 1} files · remove ${reviewed} reviewed, ${auto} auto${flags ? ` · ${flags}` : ''}`,
        }),
      ]),
    );
  }

  private renderDetail(): void {
    const i = this.order[this.pos];
    const c = i === undefined ? undefined : this.clusters[i];
    clear(this.grid);
    clear(this.head);
    if (i === undefined || !c) {
      this.detail.removeAttribute('data-cluster-index');
      this.grid.appendChild(h('div', { class: 'compare-empty', text: this.clusters.length === 0 ? 'No clusters.' : 'No cluster matches the filters.' }));
      return;
    }
    this.detail.setAttribute('data-cluster-index', String(i));
    this.head.append(h('span', { class: 'compare-title', text: `Cluster ${formatCount(this.pos + 1)} of ${formatCount(this.order.length)}` }));
    // A kept file held by a conflict has the conflict for its reason: its note below says it once, with the
    // files it names (the head said the whole cycle twice, above and again in the note).
    if (!this.deps.conflicted(c.keep)) this.head.appendChild(h('span', { class: 'compare-distance', text: c.keepReason }));
    const files = this.filesOf(c);
    // Cards whose paths would shorten to the same text keep the part where they differ (a cluster of copies of one picture).
    const names = distinctNames(
      files.map((f) => this.deps.files()[f]?.path ?? '?'),
      30,
    );
    const notes = [...conflictNotes(c.conflicts, (f) => this.deps.files()[f]?.path ?? '?'), ...c.doubtful.map((t) => `Doubtful: ${t}`)];
    for (const n of notes) this.head.appendChild(h('div', { class: n.startsWith('Conflict') ? 'note conflict' : 'note doubtful', text: n }));
    this.askConflict(c, files);
    files.forEach((file, k) => {
      const m = k === 0 ? undefined : c.members[k - 1]!;
      const card = this.card(
        file,
        names[k]!,
        m ? m.decision : 'keep',
        m ? m.by : c.keepBy,
        m?.suggested === true,
        m ? m.reason : c.keepReason,
        m ? m.distance : undefined,
        k === this.member,
      );
      card.addEventListener('click', () => {
        this.member = k;
        this.markSelected();
      });
      if (m) card.addEventListener('dblclick', () => this.deps.openPair(c.keep, m.file));
      this.grid.appendChild(card);
    });
    const selected = this.grid.children[this.member] as HTMLElement | undefined;
    // The selected member and the kept file stay on screen: keys act on what is shown.
    selected?.scrollIntoView({ block: 'nearest' });
  }

  /**
   * Reviews that contradict each other (keep A over B, B over C, C over A) keep every file involved until
   * a person chooses: the cluster asks which file to keep, one button per file named by the conflict.
   * Nothing is resolved without that answer.
   */
  private askConflict(c: ClusterView, files: readonly number[]): void {
    const named = files.filter((f) => this.deps.conflicted(f));
    if (named.length === 0) return;
    const all = this.deps.files();
    const ask = h(
      'div',
      { class: 'conflict-ask', attrs: { role: 'group', 'aria-label': 'Resolve the conflict', 'data-conflict-files': String(named.length) } },
      [h('span', { text: 'Your reviews contradict each other, so none of these files is removed until you choose. Which file do you keep?' })],
    );
    for (const f of named) {
      const path = all[f]?.path ?? '?';
      const b = h(
        'vscode-button',
        { attrs: { 'data-action': 'resolve-conflict', 'data-file': String(f), title: `Keep ${path}: the reviews that removed it now keep it` } },
        [document.createTextNode(`Keep ${middleEllipsis(path, 30)}`)],
      );
      b.addEventListener('click', () => this.deps.resolve(f));
      ask.appendChild(b);
    }
    this.head.appendChild(ask);
  }

  /** A cluster with a file in conflict, or a conflict line of the manifest no file accounts for (a hand edit): the header counts it. */
  private inConflict(c: ClusterView): boolean {
    return this.deps.conflicted(c.keep) || c.members.some((m) => this.deps.conflicted(m.file)) || c.conflicts.some((g) => g.files.length === 0);
  }

  private card(
    file: number,
    name: string,
    decision: 'keep' | 'remove',
    by: 'auto' | 'review' | 'protect',
    suggested: boolean,
    reason: string,
    distance: number | null | undefined,
    selected: boolean,
  ): HTMLElement {
    const f = this.deps.files()[file]!;
    const img = h('img', { class: 'card-img', attrs: { alt: f.path, 'data-file': String(file) } });
    const uri = this.deps.thumbs.small(file, f);
    if (uri) img.setAttribute('src', uri);
    // Not a button: a card is a listbox option, and an option holds no control of its own (the keys [ and ] open files).
    // The caption is cut at its start (direction rtl, as the compare panes'); the marks keep a name that starts
    // with an ellipsis or digits in its order ("…0/016_o000003__exact_copy.jpg" read "o000003…jpg_00/016…").
    const path = h('span', { class: 'pane-path link', text: `\u200e${name}\u200e`, title: `Open ${f.path}` });
    path.addEventListener('click', (e) => {
      e.stopPropagation();
      this.deps.open(file);
    });
    return h(
      'figure',
      {
        class: `card verdict-${decision} by-${by}${suggested ? ' suggested' : ''}`,
        attrs: {
          'data-member-path': f.path,
          'data-decision': decision,
          'data-by': by,
          'data-file': String(file),
          role: 'option',
          'aria-selected': String(selected),
        },
      },
      [
        h('div', { class: 'card-frame' }, [img]),
        h('figcaption', {}, [
          h('span', { class: `verdict verdict-${decision} by-${by}`, text: fileLabel(decision, by, suggested) }),
          path,
          h('div', { class: 'pane-meta' }, [
            h('span', { text: formatResolution(f.width, f.height) }),
            h('span', { text: formatBytes(f.size) }),
            distance === undefined
              ? null
              : h('span', { text: distance !== null && Number.isFinite(distance) ? `distance ${formatDistance(distance)}` : 'linked through others' }),
          ]),
          h('div', { class: 'pane-reason', text: reason }),
        ]),
      ],
    );
  }

  /**
   * Thumbnails that arrived (or files that changed on disk) after the cards were drawn: each card's image
   * takes its current URI. Cards are not redrawn when only the selection moves, so without this a card
   * drawn before its thumbnail was made (a large PNG in the 54,285-pair cluster) kept no image at all.
   */
  refreshImages(): void {
    const files = this.deps.files();
    for (const img of this.grid.querySelectorAll<HTMLImageElement>('img.card-img[data-file]')) {
      const i = Number(img.getAttribute('data-file'));
      const f = files[i];
      const uri = f ? this.deps.thumbs.small(i, f) : undefined;
      if (uri && img.getAttribute('src') !== uri) img.setAttribute('src', uri);
    }
  }

  /** The "over the current filter" bulk action's button text, with how many clusters it covers. */
  setBulk(node: HTMLElement): void {
    clear(this.bulk);
    this.bulk.appendChild(node);
  }
}
