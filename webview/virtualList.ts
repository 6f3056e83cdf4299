/**
 * A fixed-row-height virtual list: only the rows in view (plus a small margin) exist in the DOM, and they
 * are recycled as the list scrolls, so 10k pairs scroll as smoothly as 10. Positions are set through the
 * CSSOM (element.style), which the CSP allows, never through style attributes in markup.
 */
export interface VirtualListOptions<T> {
  readonly container: HTMLElement; // scrolls; gets a spacer child
  readonly rowHeight: number;
  readonly overscan?: number;
  createRow(): HTMLElement;
  renderRow(row: HTMLElement, item: T, pos: number): void;
  /** Called on rows taken out of view, so stale data attributes never match a query. */
  clearRow?(row: HTMLElement): void;
  onRangeRendered?(items: readonly T[]): void;
}

export class VirtualList<T> {
  private items: readonly T[] = [];
  private readonly spacer: HTMLElement;
  private readonly pool: HTMLElement[] = [];
  private frame = 0;
  private readonly overscan: number;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  private ownScroll = false;
  /**
   * True while the person drags or wheels through the list: rows then skip loading images (a fling
   * through 10k pairs would otherwise decode hundreds of them per second) and get them when it settles.
   */
  scrolling = false;

  constructor(private readonly o: VirtualListOptions<T>) {
    this.overscan = o.overscan ?? 6;
    this.spacer = document.createElement('div');
    this.spacer.className = 'vlist-spacer';
    o.container.appendChild(this.spacer);
    o.container.addEventListener('scroll', () => this.onScroll(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(o.container);
  }

  setItems(items: readonly T[]): void {
    this.items = items;
    this.spacer.style.height = `${items.length * this.o.rowHeight}px`;
    this.render();
  }

  get length(): number {
    return this.items.length;
  }

  /** Scrolls just enough to show row `pos` (like a keyboard-driven list should). */
  reveal(pos: number): void {
    const c = this.o.container;
    const top = pos * this.o.rowHeight;
    const bottom = top + this.o.rowHeight;
    const want = top < c.scrollTop ? top : bottom > c.scrollTop + c.clientHeight ? bottom - c.clientHeight : c.scrollTop;
    if (want !== c.scrollTop) {
      this.ownScroll = true;
      c.scrollTop = want;
    }
    this.render();
  }

  /** Re-renders the rows in view, e.g. after a status or thumbnail changed. */
  refresh(): void {
    this.render();
  }

  private onScroll(): void {
    // Scrolling caused by reveal() (keyboard navigation) is one step, not a fling: images load at once.
    if (this.ownScroll) this.ownScroll = false;
    else {
      this.scrolling = true;
      if (this.settleTimer) clearTimeout(this.settleTimer);
      this.settleTimer = setTimeout(() => {
        this.scrolling = false;
        this.render();
      }, 120);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    const { container, rowHeight } = this.o;
    const height = container.clientHeight || 600;
    const first = Math.max(0, Math.floor(container.scrollTop / rowHeight) - this.overscan);
    const last = Math.min(this.items.length, Math.ceil((container.scrollTop + height) / rowHeight) + this.overscan);
    const needed = Math.max(0, last - first);
    while (this.pool.length < needed) {
      const row = this.o.createRow();
      row.classList.add('vlist-row');
      this.pool.push(row);
      this.spacer.appendChild(row);
    }
    const shown: T[] = [];
    for (let i = 0; i < this.pool.length; i++) {
      const row = this.pool[i]!;
      const pos = first + i;
      if (i < needed) {
        const item = this.items[pos]!;
        row.hidden = false;
        row.style.transform = `translateY(${pos * rowHeight}px)`;
        this.o.renderRow(row, item, pos);
        shown.push(item);
      } else if (!row.hidden) {
        row.hidden = true;
        this.o.clearRow?.(row);
      }
    }
    this.o.onRangeRendered?.(shown);
  }
}
