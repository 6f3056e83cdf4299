/**
 * Clusters (connected pairs) as the manifest sees them: the kept file and every member with its verdict.
 * The list is virtualised like the pairs; picking a member jumps to its pair with the kept file.
 */
import type { FileEntry } from './files.js';
import type { ClusterView } from '../src/shared/protocol.js';
import { clear, h } from './dom.js';
import { formatBytes, formatDistance, formatResolution } from './format.js';
import type { Thumbs } from './thumbs.js';
import { VirtualList } from './virtualList.js';

export interface ClustersDeps {
  readonly thumbs: Thumbs;
  files(): readonly FileEntry[];
  openPair(a: number, b: number): void;
  open(file: number): void;
}

export class ClustersView {
  readonly list: VirtualList<number>;
  readonly detail: HTMLElement;
  private clusters: readonly ClusterView[] = [];
  private current = 0;

  constructor(
    container: HTMLElement,
    private readonly deps: ClustersDeps,
  ) {
    this.detail = h('div', { class: 'clusters-detail' });
    this.list = new VirtualList<number>({
      container,
      rowHeight: 60,
      createRow: () => {
        const row = h('div', { class: 'row cluster-row', attrs: { role: 'option' } });
        row.addEventListener('click', () => this.select(Number(row.getAttribute('data-cluster-index'))));
        return row;
      },
      renderRow: (row, i) => this.renderRow(row, i),
      clearRow: (row) => row.removeAttribute('data-cluster-index'),
    });
  }

  setClusters(clusters: readonly ClusterView[]): void {
    this.clusters = clusters;
    this.list.setItems(clusters.map((_, i) => i));
    this.select(Math.min(this.current, Math.max(0, clusters.length - 1)));
  }

  private renderRow(row: HTMLElement, i: number): void {
    const c = this.clusters[i]!;
    const files = this.deps.files();
    const keep = files[c.keep]!;
    clear(row);
    row.setAttribute('data-cluster-index', String(i));
    row.setAttribute('aria-selected', String(i === this.current));
    const img = h('img', { class: 'row-thumb', attrs: { alt: '' } });
    const uri = this.deps.thumbs.small(c.keep, keep); // a video's poster frame
    if (uri) img.setAttribute('src', uri);
    const removed = c.members.filter((m) => m.decision === 'remove').length;
    row.append(
      h('span', { class: 'row-idx', text: String(i + 1) }),
      img,
      h('div', { class: 'row-names' }, [
        h('div', { class: 'row-name', text: keep.path, title: keep.path }),
        h('div', { class: 'row-sub', text: `${c.members.length + 1} files · ${removed} to remove` }),
      ]),
    );
  }

  select(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.clusters.length) {
      clear(this.detail);
      this.detail.appendChild(h('div', { class: 'compare-empty', text: 'No clusters.' }));
      return;
    }
    this.current = i;
    this.list.refresh();
    const c = this.clusters[i]!;
    clear(this.detail);
    const grid = h('div', { class: 'cluster-grid' });
    grid.appendChild(this.card(c.keep, 'keep', 'kept file', undefined));
    for (const m of c.members) grid.appendChild(this.card(m.file, m.decision, `${m.decision} · ${m.by}`, m.distance, () => this.deps.openPair(c.keep, m.file)));
    this.detail.append(h('div', { class: 'compare-head' }, [h('span', { class: 'compare-title', text: `Cluster ${i + 1} of ${this.clusters.length}` })]), grid);
  }

  private card(file: number, verdict: 'keep' | 'remove', label: string, distance: number | undefined, onPick?: () => void): HTMLElement {
    const f = this.deps.files()[file]!;
    const img = h('img', { class: 'card-img', attrs: { alt: f.path } });
    const uri = this.deps.thumbs.small(file, f);
    if (uri) img.setAttribute('src', uri);
    const path = h('button', { class: 'pane-path link', text: f.path, title: `Open ${f.path}`, attrs: { type: 'button' } });
    path.addEventListener('click', (e) => {
      e.stopPropagation();
      this.deps.open(file);
    });
    const card = h('figure', { class: `card verdict-${verdict}`, attrs: { 'data-verdict': verdict } }, [
      h('div', { class: 'card-frame' }, [img]),
      h('figcaption', {}, [
        h('span', { class: `verdict verdict-${verdict}`, text: label }),
        path,
        h('div', { class: 'pane-meta' }, [
          h('span', { text: formatResolution(f.width, f.height) }),
          h('span', { text: formatBytes(f.size) }),
          distance === undefined ? null : h('span', { text: `distance ${formatDistance(distance)}` }),
        ]),
      ]),
    ]);
    if (onPick) {
      card.classList.add('pickable');
      card.title = 'Show this pair';
      card.addEventListener('click', onPick);
    }
    return card;
  }
}
