/** The virtualised list of pairs: two small thumbnails, both paths, the distance and the status per row. */
import type { FileEntry } from './files.js';
import type { PairStatus, PairView } from '../src/shared/protocol.js';
import { h } from './dom.js';
import { formatDistance } from './format.js';
import { STATUS_LABEL } from './labels.js';
import type { Thumbs } from './thumbs.js';
import { VirtualList } from './virtualList.js';

export const ROW_HEIGHT = 60;

export interface PairListDeps {
  readonly thumbs: Thumbs;
  pairs(): readonly PairView[];
  files(): readonly FileEntry[];
  status(pair: number): PairStatus;
  current(): number | undefined;
  select(pos: number): void;
}

interface RowParts {
  readonly idx: HTMLElement;
  readonly ta: HTMLImageElement;
  readonly tb: HTMLImageElement;
  readonly na: HTMLElement;
  readonly nb: HTMLElement;
  readonly dist: HTMLElement;
  readonly badge: HTMLElement;
}

export class PairList {
  readonly list: VirtualList<number>;
  private readonly parts = new WeakMap<HTMLElement, RowParts>();

  constructor(
    container: HTMLElement,
    private readonly deps: PairListDeps,
  ) {
    this.list = new VirtualList<number>({
      container,
      rowHeight: ROW_HEIGHT,
      createRow: () => this.createRow(),
      renderRow: (row, pair, pos) => this.renderRow(row, pair, pos),
      clearRow: (row) => {
        row.removeAttribute('data-pair-index');
        row.removeAttribute('data-pos');
      },
    });
  }

  private createRow(): HTMLElement {
    const p: RowParts = {
      idx: h('span', { class: 'row-idx' }),
      ta: h('img', { class: 'row-thumb', attrs: { alt: '', decoding: 'async' } }),
      tb: h('img', { class: 'row-thumb', attrs: { alt: '', decoding: 'async' } }),
      na: h('div', { class: 'row-name' }),
      nb: h('div', { class: 'row-name' }),
      dist: h('span', { class: 'row-dist' }),
      badge: h('span', { class: 'badge status' }),
    };
    const row = h('div', { class: 'row', attrs: { role: 'option' } }, [
      p.idx,
      p.ta,
      p.tb,
      h('div', { class: 'row-names' }, [p.na, p.nb]),
      h('div', { class: 'row-meta' }, [p.dist, p.badge]),
    ]);
    row.addEventListener('click', () => {
      const pos = Number(row.getAttribute('data-pos'));
      if (Number.isInteger(pos)) this.deps.select(pos);
    });
    this.parts.set(row, p);
    return row;
  }

  private renderRow(row: HTMLElement, index: number, pos: number): void {
    const p = this.parts.get(row)!;
    const pair = this.deps.pairs()[index]!;
    const files = this.deps.files();
    const fa = files[pair.a]!;
    const fb = files[pair.b]!;
    const status = this.deps.status(index);
    row.setAttribute('data-pair-index', String(index));
    row.setAttribute('data-pos', String(pos));
    row.setAttribute('data-status', status);
    row.setAttribute('aria-selected', String(this.deps.current() === index));
    p.idx.textContent = String(pos + 1);
    // While the list flies past, rows keep no image (and ask for no thumbnail); they get them when it settles.
    const flying = this.list.scrolling;
    setSrc(p.ta, flying ? undefined : this.deps.thumbs.small(pair.a, fa), fa.kind);
    setSrc(p.tb, flying ? undefined : this.deps.thumbs.small(pair.b, fb), fb.kind);
    p.na.textContent = fa.path;
    p.na.title = fa.path;
    p.nb.textContent = fb.path;
    p.nb.title = fb.path;
    p.dist.textContent = formatDistance(pair.distance);
    p.badge.textContent = STATUS_LABEL[status];
    p.badge.className = `badge status status-${status}`;
  }
}

function setSrc(img: HTMLImageElement, uri: string | undefined, kind: 'image' | 'video'): void {
  // Videos show their poster frame (made by the host with ffmpeg) in a slot styled as a video marker; empty until it arrives.
  const want = uri ?? '';
  img.classList.toggle('is-video', kind === 'video');
  if ((img.getAttribute('src') ?? '') === want) return;
  if (want) img.setAttribute('src', want);
  else img.removeAttribute('src');
}
