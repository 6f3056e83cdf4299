/**
 * What assistive technology needs from the gallery, in one place: which option of a listbox is active
 * (aria-activedescendant, kept right while the virtual lists recycle their rows), and a polite live
 * region that says where the review is ("Pair 3 of 120, kept left").
 */
import { formatCount } from '../src/shared/counted.js';
import { h } from './dom.js';

/** Gives a listbox row its id and selection; the listbox names the selected row as its active descendant. */
export function markOption(list: HTMLElement, row: HTMLElement, id: string, selected: boolean): void {
  const before = row.id;
  row.id = id;
  row.setAttribute('aria-selected', String(selected));
  if (selected) list.setAttribute('aria-activedescendant', id);
  else if (before && list.getAttribute('aria-activedescendant') === before) list.removeAttribute('aria-activedescendant');
}

/** A recycled row leaves the screen: the listbox must not point at an id that is gone. */
export function unmarkOption(list: HTMLElement, row: HTMLElement): void {
  if (row.id && list.getAttribute('aria-activedescendant') === row.id) list.removeAttribute('aria-activedescendant');
  row.removeAttribute('id');
}

/** How long the position must stay put before it is announced: holding J says only where it stops. */
const SETTLE_MS = 250;

/** A polite live region, visually hidden. */
export class Announcer {
  readonly root: HTMLElement = h('div', { class: 'sr-only', attrs: { id: 'announcer', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' } });
  private timer: ReturnType<typeof setTimeout> | undefined;

  say(text: string): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.root.textContent !== text) this.root.textContent = text;
    }, SETTLE_MS);
  }
}

/** "Pair 3 of 120, kept left": the position in the list shown and the pair's verdict (a person's, or the keep policy's). */
export function pairAnnouncement(pos: number, total: number, verdict: string): string {
  return `Pair ${formatCount(pos + 1)} of ${formatCount(total)}, ${verdict}`;
}
