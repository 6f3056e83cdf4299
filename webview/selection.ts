/**
 * Multi-select in a list (pairs or clusters), as file managers do it: a click picks one item, Ctrl/Cmd +
 * click adds or removes one, Shift + click or Shift + arrow selects the range from the anchor. Items are
 * named by their stable index, so a selection survives a re-sort; what a bulk key acts on is only the
 * selected items the current view shows (`inView`), never ones a filter hid. Pure, so it is unit-tested.
 */
export interface ClickMods {
  readonly shift?: boolean;
  readonly toggle?: boolean;
}

export class Selection {
  private readonly picked = new Set<number>();
  private anchor: number | undefined;

  get size(): number {
    return this.picked.size;
  }

  has(item: number): boolean {
    return this.picked.has(item);
  }

  clear(): void {
    this.picked.clear();
    this.anchor = undefined;
  }

  /**
   * A click on the item at `pos` of `view` (the list as shown). `current` is the item the list had
   * selected before: Ctrl + click on another item starts a selection of both.
   */
  click(view: readonly number[], pos: number, mods: ClickMods, current?: number): void {
    const item = view[pos];
    if (item === undefined) return;
    if (mods.shift) return this.range(view, pos, current);
    if (mods.toggle) {
      if (this.picked.size === 0 && current !== undefined && current !== item) this.picked.add(current);
      if (this.picked.has(item)) this.picked.delete(item);
      else this.picked.add(item);
      this.anchor = item;
      return;
    }
    this.clear();
    this.anchor = item;
  }

  /** Shift + arrow (or Shift + click): everything from the anchor (else `current`) to `pos`, nothing else. */
  range(view: readonly number[], pos: number, current?: number): void {
    const item = view[pos];
    if (item === undefined) return;
    const anchor = this.anchor ?? current ?? item;
    let from = view.indexOf(anchor);
    if (from < 0) from = pos;
    this.picked.clear();
    const [lo, hi] = from <= pos ? [from, pos] : [pos, from];
    for (let i = lo; i <= hi; i++) this.picked.add(view[i]!);
    this.anchor = view[from];
  }

  /** The selected items the view shows, in its order: what a bulk action may act on. */
  inView(view: readonly number[]): number[] {
    if (this.picked.size === 0) return [];
    return view.filter((i) => this.picked.has(i));
  }
}
