/**
 * The virtualised list of pairs: two small thumbnails, both paths (shortened in the middle), the distance
 * and the verdict per row. Each row carries the stable data-* selectors of what the manifest says
 * (docs/decisions.md): the pair's own verdict and who made it, and each file's keep/remove.
 */
import { markOption, unmarkOption } from './a11y.js';
import { pathsKey, type FileEntry } from './files.js';
import type { LeaksView, PairView } from '../src/shared/protocol.js';
import { h } from './dom.js';
import { distinctNames, formatDistance, middleEllipsis } from './format.js';
import { pairLabel, shortPairLabel } from './labels.js';
import { ListNames } from './listNames.js';
import { setSplitChip, splitOfFile } from './leaksView.js';
import type { PairShown } from './decisionState.js';
import type { Thumbs } from './thumbs.js';
import type { ClickMods } from './selection.js';
import { VirtualList } from './virtualList.js';

export const ROW_HEIGHT = 60;
/** Room in a row besides its names (index, two thumbnails, distance and badge), and a character's width: the guess before a row is measured. */
const ROW_CHROME_PX = 250;
const CHAR_PX = 7;
/** A path of the kind a dataset holds, for a row font's mean character width. */
const SAMPLE_PATH = 'train/group041/08216_o000002__exact_copy.jpg';

export interface PairListDeps {
  readonly thumbs: Thumbs;
  pairs(): readonly PairView[];
  files(): readonly FileEntry[];
  /** What the manifest says of the pair and its files; undefined until the host has sent it. */
  shown(pair: number): PairShown | undefined;
  current(): number | undefined;
  select(pos: number, mods: ClickMods): void;
  /** In the multi-selection (Shift/Ctrl + click, Shift + arrow). */
  multi(pair: number): boolean;
  /** After a scan across splits: each file's split, shown as a chip beside its name. */
  leaks?(): LeaksView | undefined;
  /** The split leaks are dropped from, as the manifest says (its chips are marked). */
  dropFrom?(): string | undefined;
}

interface RowParts {
  readonly idx: HTMLElement;
  readonly ta: HTMLImageElement;
  readonly tb: HTMLImageElement;
  readonly na: HTMLElement;
  readonly nb: HTMLElement;
  readonly dist: HTMLElement;
  readonly badge: HTMLElement;
  readonly sa: HTMLElement;
  readonly sb: HTMLElement;
}

export class PairList {
  readonly list: VirtualList<number>;
  private readonly parts = new WeakMap<HTMLElement, RowParts>();
  /** How many characters of a path fit in a row: longer paths lose their middle, never their first folder or file name. */
  private nameChars = 34;
  /** Whether nameChars comes from the rows as laid out now (see measureNames). */
  private measured = false;
  private measuring = false;
  /** Each listed file's name, made distinct across the list. */
  private readonly names = new ListNames((run) => requestAnimationFrame(() => setTimeout(run, 0)));

  constructor(
    private readonly container: HTMLElement,
    private readonly deps: PairListDeps,
  ) {
    new ResizeObserver(() => {
      this.measured = false;
      this.fitNames(Math.floor((container.clientWidth - ROW_CHROME_PX) / CHAR_PX));
    }).observe(container);
    this.list = new VirtualList<number>({
      container,
      rowHeight: ROW_HEIGHT,
      createRow: () => this.createRow(),
      renderRow: (row, pair, pos) => this.renderRow(row, pair, pos),
      clearRow: (row) => {
        unmarkOption(container, row);
        for (const a of PAIR_ATTRIBUTES) row.removeAttribute(a);
        row.removeAttribute('data-pos');
        row.removeAttribute('data-selected');
      },
    });
  }

  private fitNames(chars: number): void {
    chars = Math.max(8, chars);
    if (chars === this.nameChars) return;
    this.nameChars = chars;
    this.list.refresh();
  }

  /**
   * How many characters fit in the names column of the rows on screen, from their laid-out width and the
   * row font: a narrow gallery lays rows out otherwise (stacked thumbnails, a shortened badge), and a guess
   * from the list's width gave names that the middle ellipsis cut and the column's end cut again
   * ("synth…t_copy.j…"). Measured once after a resize, on the next frame: never per row while scrolling.
   */
  private measureNames(): void {
    if (this.measured || this.measuring) return;
    this.measuring = true;
    requestAnimationFrame(() => {
      this.measuring = false;
      const names = [...this.container.querySelectorAll<HTMLElement>('.row-name')].filter((el) => el.clientWidth > 0);
      if (names.length === 0) return;
      this.measured = true;
      const ctx = document.createElement('canvas').getContext('2d');
      if (!ctx) return;
      ctx.font = getComputedStyle(names[0]!).font;
      const charPx = ctx.measureText(SAMPLE_PATH).width / SAMPLE_PATH.length;
      const width = Math.min(...names.map((el) => el.clientWidth));
      // Two characters to spare: digits and capitals are wider than the sample's mean.
      if (charPx > 0) this.fitNames(Math.floor(width / charPx) - 2);
    });
  }

  /**
   * The names of every file the pairs list, made distinct across the whole list (distinctNames) once per list
   * of paths and width (ListNames). Made after the frame that shows the first rows (a list of 50,000 pairs
   * takes a few hundred ms on a busy machine, which the first pair would wait for); until then each row names
   * its two as a pair alone (undefined here), and the rows are drawn again when the names are made.
   */
  private fileNames(): ReadonlyMap<number, string> | undefined {
    const pairs = this.deps.pairs();
    const files = this.deps.files();
    const chars = this.nameChars;
    return this.names.get(
      pairs,
      pathsKey(files),
      chars,
      () => {
        const ids = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
        const at = new Map(ids.map((id, k) => [id, k]));
        const names = distinctNames(
          ids.map((i) => files[i]?.path ?? '?'),
          chars,
          pairs.map((p) => [at.get(p.a)!, at.get(p.b)!] as const),
        );
        return new Map(ids.map((id, k) => [id, names[k]!]));
      },
      () => this.list.refresh(),
    );
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
      sa: h('span', { class: 'split-chip', attrs: { hidden: '' } }),
      sb: h('span', { class: 'split-chip', attrs: { hidden: '' } }),
    };
    const row = h('div', { class: 'row', attrs: { role: 'option' } }, [
      p.idx,
      p.ta,
      p.tb,
      h('div', { class: 'row-names' }, [p.na, p.nb]),
      h('div', { class: 'row-meta' }, [h('div', { class: 'row-splits' }, [p.sa, p.sb]), p.dist, p.badge]),
    ]);
    row.addEventListener('click', (e) => {
      const pos = Number(row.getAttribute('data-pos'));
      if (Number.isInteger(pos)) this.deps.select(pos, { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey });
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
    const shown = this.deps.shown(index);
    row.setAttribute('data-pair-index', String(index));
    row.setAttribute('data-pos', String(pos));
    setPairAttributes(row, fa.path, fb.path, shown);
    const multi = this.deps.multi(index);
    markOption(this.container, row, `pair-row-${index}`, this.deps.current() === index);
    // A multi-selected row is selected too (aria-multiselectable listbox), and marked for checks.
    if (multi) row.setAttribute('aria-selected', 'true');
    row.classList.toggle('multi', multi);
    row.classList.toggle('current', this.deps.current() === index);
    if (multi) row.setAttribute('data-selected', 'true');
    else row.removeAttribute('data-selected');
    p.idx.textContent = String(pos + 1);
    // While the list flies past, rows keep no image (and ask for no thumbnail); they get them when it settles.
    const flying = this.list.scrolling;
    setSrc(p.ta, flying ? undefined : this.deps.thumbs.small(pair.a, fa), fa.kind);
    setSrc(p.tb, flying ? undefined : this.deps.thumbs.small(pair.b, fb), fb.kind);
    // data-file: which file a right-click's context menu acts on.
    for (const el of [p.ta, p.na]) el.setAttribute('data-file', String(pair.a));
    for (const el of [p.tb, p.nb]) el.setAttribute('data-file', String(pair.b));
    this.measureNames();
    // Shortened together, every file of the list: names that would read the same once cut (in a row or in
    // two rows) keep the parts where they differ.
    const names = this.fileNames();
    const [left, right] = names ? [names.get(pair.a)!, names.get(pair.b)!] : (distinctNames([fa.path, fb.path], this.nameChars) as [string, string]);
    p.na.textContent = left;
    p.nb.textContent = right;
    row.toggleAttribute('data-names-apart', left !== middleEllipsis(fa.path, this.nameChars) || right !== middleEllipsis(fb.path, this.nameChars));
    p.na.title = fa.path;
    p.nb.title = fb.path;
    p.na.classList.toggle('removed', shown?.left.decision === 'remove');
    p.nb.classList.toggle('removed', shown?.right.decision === 'remove');
    const leaks = this.deps.leaks?.();
    const dropFrom = this.deps.dropFrom?.();
    setSplitChip(p.sa, splitOfFile(leaks, pair.a), dropFrom);
    setSplitChip(p.sb, splitOfFile(leaks, pair.b), dropFrom);
    p.dist.textContent = formatDistance(pair.distance);
    // The row names the kept file by its base name (the badge is narrow); the tooltip and the compare view give the whole path.
    p.badge.textContent = shown ? pairLabel(shown, (i) => middleEllipsis(baseName(files[i]?.path ?? '?'), 20)) : '…';
    p.badge.title = shown ? pairLabel(shown, (i) => files[i]?.path ?? '?') : '';
    // What a narrow row's badge shows instead (gallery.css); its text stays the long label, for the tooltip's reader.
    if (shown) p.badge.setAttribute('data-short', shortPairLabel(shown));
    else p.badge.removeAttribute('data-short');
    p.badge.className = `badge status verdict-${shown?.verdict ?? 'pending'} by-${shown?.by ?? 'pending'}`;
  }
}

const baseName = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

function setSrc(img: HTMLImageElement, uri: string | undefined, kind: 'image' | 'video'): void {
  // Videos show their poster frame (made by the host with ffmpeg) in a slot styled as a video marker; empty until it arrives.
  const want = uri ?? '';
  img.classList.toggle('is-video', kind === 'video');
  if ((img.getAttribute('src') ?? '') === want) return;
  if (want) img.setAttribute('src', want);
  else img.removeAttribute('src');
}

const PAIR_ATTRIBUTES = ['data-pair-index', 'data-left-path', 'data-right-path', 'data-left-decision', 'data-right-decision', 'data-verdict', 'data-by'];

/** The stable selectors of a pair (a row or the compare view): paths, each file's decision, the pair's verdict. Absent until known. */
export function setPairAttributes(el: HTMLElement, left: string, right: string, shown: PairShown | undefined): void {
  el.setAttribute('data-left-path', left);
  el.setAttribute('data-right-path', right);
  if (!shown) {
    for (const a of PAIR_ATTRIBUTES.slice(3)) el.removeAttribute(a);
    return;
  }
  el.setAttribute('data-left-decision', shown.left.decision);
  el.setAttribute('data-right-decision', shown.right.decision);
  el.setAttribute('data-verdict', shown.verdict);
  el.setAttribute('data-by', shown.by);
}
