/**
 * The gallery's Leaks header and split chips, after a scan across splits (train/test leakage): the leaks
 * per split pair ("val↔train: 12 · test↔train: 31") and, on each pair row, the split of each side. Only the
 * host's LeaksView is read; a plain scan shows none of this. Kept apart from the list and the toolbar,
 * which change often: app.ts mounts the header, pairList.ts asks for the chips.
 */
import type { LeaksView } from '../src/shared/protocol.js';
import { clear, h } from './dom.js';

export class LeaksHeader {
  readonly root: HTMLElement = h('div', { class: 'leaks', attrs: { id: 'leaks', role: 'status', hidden: '' } });

  set(leaks: LeaksView | undefined): void {
    clear(this.root);
    this.root.hidden = leaks === undefined;
    if (!leaks) {
      this.root.removeAttribute('data-leak-counts');
      return;
    }
    // Stable for tests and scripts: the counts as the manifest's leaks give them.
    this.root.setAttribute('data-leak-counts', JSON.stringify(leaks.counts));
    const entries = Object.entries(leaks.counts);
    const total = entries.reduce((s, [, n]) => s + n, 0);
    this.root.append(h('span', { class: 'leaks-title', text: `Leaks across splits: ${total}` }));
    for (const [label, n] of entries) this.root.append(h('span', { class: 'leaks-pair', attrs: { 'data-split-pair': label }, text: `${label}: ${n}` }));
    this.root.append(h('span', { class: 'leaks-drop', text: `dropped from ${leaks.dropFrom}` }));
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
