/**
 * The gallery's Leaks header and split chips, after a scan across splits (train/test leakage): the leaks
 * per split pair ("val↔train: 12 · test↔train: 31") and, on each pair row, the split of each side. The
 * header shows the manifest's leaks as the host reads them (DecisionsView.leaks): until that arrives it
 * says it is counting, and it never counts anything itself. A plain scan shows none of this. Kept apart
 * from the list and the toolbar, which change often: app.ts mounts the header, pairList.ts asks for the chips.
 */
import type { LeakCountsView, LeaksView } from '../src/shared/protocol.js';
import { clear, h } from './dom.js';
import { counted, formatCount } from '../src/shared/counted.js';

export class LeaksHeader {
  readonly root: HTMLElement = h('div', { class: 'leaks', attrs: { id: 'leaks', role: 'status', hidden: '' } });

  /** `splits`: the scan was across splits (GalleryInit.leaks); `counts`: the manifest's leaks, once known. */
  set(splits: LeaksView | undefined, counts: LeakCountsView | undefined): void {
    clear(this.root);
    this.root.hidden = splits === undefined;
    // Stable for tests and scripts: the counts and total exactly as the manifest's leaks give them.
    if (!splits || !counts) {
      this.root.removeAttribute('data-leak-counts');
      this.root.removeAttribute('data-leak-total');
      if (splits) this.root.append(h('span', { class: 'leaks-title', text: 'Leaks across splits: reading the manifest…' }));
      return;
    }
    this.root.setAttribute('data-leak-counts', JSON.stringify(counts.counts));
    this.root.setAttribute('data-leak-total', String(counts.total));
    this.root.append(h('span', { class: 'leaks-title', text: `Leaks across splits: ${formatCount(counts.total)}` }));
    for (const [label, n] of Object.entries(counts.counts))
      this.root.append(h('span', { class: 'leaks-pair', attrs: { 'data-split-pair': label }, text: `${label}: ${formatCount(n)}` }));
    if (counts.unresolved > 0) this.root.append(h('span', { class: 'leaks-unresolved', text: `${formatCount(counts.unresolved)} unresolved` }));
    this.root.append(h('span', { class: 'leaks-drop', text: `dropped from ${counts.dropFrom}` }));
    if (counts.outsideSplits > 0) this.root.append(h('span', { class: 'leaks-drop', text: `${counted(counts.outsideSplits, 'file')} in no split left out` }));
  }
}

/** The split of file `index` for its chip, or undefined (no split scan, or a file in no split). */
export function splitOfFile(leaks: LeaksView | undefined, index: number): string | undefined {
  const s = leaks?.fileSplit[index];
  return s === undefined || s < 0 ? undefined : leaks!.splits[s];
}

/** Shows `split` on a chip element (hidden without one). */
export function setSplitChip(chip: HTMLElement, split: string | undefined, dropFrom: string | undefined): void {
  chip.hidden = split === undefined;
  chip.textContent = split ?? '';
  if (split === undefined) chip.removeAttribute('data-split');
  else chip.setAttribute('data-split', split);
  chip.classList.toggle('split-drop', split !== undefined && split === dropFrom);
}
