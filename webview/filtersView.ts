/** Filters: decided/undecided, a distance range, a folder, and the sort order. Built from @vscode-elements controls. */
import { h } from './dom.js';
import { formatDistance } from './format.js';
import { SORT_ORDERS, type Filter, type SortOrder, type StatusFilter } from './model.js';
import { counted, formatCount } from '../src/shared/counted.js';

type ValueElement = HTMLElement & { value: string };

export class FiltersView {
  readonly root: HTMLElement;
  private readonly status: ValueElement;
  private readonly min: ValueElement;
  private readonly max: ValueElement;
  private readonly folder: ValueElement;
  private readonly sort: ValueElement;
  private readonly count: HTMLElement;
  private folders: readonly string[] = [];

  constructor(private readonly onChange: (f: Filter, sort: SortOrder) => void) {
    this.status = select('filter-status', [
      ['all', 'All pairs'],
      ['undecided', 'Not reviewed (automatic)'],
      ['decided', 'Reviewed'],
    ]);
    this.min = h('vscode-textfield', {
      attrs: { id: 'filter-min', type: 'number', min: '0', step: '0.01', placeholder: 'min', 'aria-label': 'Minimum distance', label: 'Minimum distance' },
    }) as ValueElement;
    this.max = h('vscode-textfield', {
      attrs: { id: 'filter-max', type: 'number', min: '0', step: '0.01', placeholder: 'max', 'aria-label': 'Maximum distance', label: 'Maximum distance' },
    }) as ValueElement;
    this.folder = select('filter-folder', [['', 'All folders']]);
    this.sort = select('filter-sort', [
      ['distance', 'Closest first'],
      ['path', 'By path'],
      ['folder', 'By folder'],
      ['size', 'Largest files first'],
      ['resolution', 'Highest resolution first'],
      ['cluster', 'Biggest clusters first'],
    ]);
    const clearBtn = h('vscode-button', { text: 'Clear filters', attrs: { secondary: '', 'data-action': 'clear-filters' } });
    clearBtn.addEventListener('click', () => this.set({ status: 'all', minDistance: null, maxDistance: null, folder: '' }, this.sortValue(), true));
    this.count = h('span', { class: 'filter-count' });
    for (const el of [this.status, this.folder, this.sort]) el.addEventListener('change', () => this.emit());
    for (const el of [this.min, this.max]) el.addEventListener('change', () => this.emit());
    this.root = h('div', { class: 'filters', attrs: { role: 'group', 'aria-label': 'Filters' } }, [
      labelled('Show', this.status),
      labelled('Distance', h('span', { class: 'range' }, [this.min, h('span', { text: '–' }), this.max])),
      labelled('Folder', this.folder),
      labelled('Sort', this.sort),
      clearBtn,
      this.count,
    ]);
  }

  setFolders(folders: readonly string[]): void {
    if (folders.length === this.folders.length && folders.every((f, i) => f === this.folders[i])) return;
    this.folders = folders;
    const keep = this.folder.value;
    while (this.folder.children.length > 1) this.folder.lastElementChild!.remove();
    for (const f of folders) this.folder.appendChild(h('vscode-option', { text: f === '.' ? '(top level)' : f, attrs: { value: f } }));
    this.folder.value = keep;
  }

  /**
   * The scan's threshold as the empty maximum's hint: every pair is below it, so an empty box means "up to
   * the threshold" (the hasher's default unless the setting names another).
   */
  setThreshold(threshold: number, hasher: string): void {
    const t = formatDistance(threshold);
    this.max.setAttribute('placeholder', `< ${t}`);
    this.max.setAttribute('title', `Maximum distance; empty: every pair, all below the threshold ${t} (${hasher})`);
  }

  set(f: Filter, sort: SortOrder, emit = false): void {
    this.status.value = f.status;
    this.min.value = f.minDistance === null ? '' : String(f.minDistance);
    this.max.value = f.maxDistance === null ? '' : String(f.maxDistance);
    this.folder.value = f.folder;
    this.sort.value = sort;
    if (emit) this.emit();
  }

  setCount(shown: number, total: number): void {
    this.count.textContent = shown === total ? counted(total, 'pair') : `${formatCount(shown)} of ${counted(total, 'pair')}`;
  }

  private sortValue(): SortOrder {
    return SORT_ORDERS.find((o) => o === this.sort.value) ?? 'distance';
  }

  private emit(): void {
    const num = (v: string): number | null => {
      const n = Number.parseFloat(v);
      return v.trim() !== '' && Number.isFinite(n) ? n : null;
    };
    const status = (['all', 'undecided', 'decided'] as const).find((s) => s === this.status.value) ?? 'all';
    this.onChange(
      { status: status as StatusFilter, minDistance: num(this.min.value), maxDistance: num(this.max.value), folder: this.folder.value ?? '' },
      this.sortValue(),
    );
  }
}

function select(id: string, options: readonly (readonly [string, string])[]): ValueElement {
  const el = h('vscode-single-select', { attrs: { id } }) as ValueElement;
  for (const [value, label] of options) el.appendChild(h('vscode-option', { text: label, attrs: { value } }));
  return el;
}

function labelled(text: string, control: HTMLElement): HTMLElement {
  // A <label> does not name a custom element: the control passes `label` on to its inner combobox or input.
  if (control.tagName.startsWith('VSCODE-') && !control.hasAttribute('label')) control.setAttribute('label', control.getAttribute('aria-label') ?? text);
  return h('label', { class: 'filter' }, [h('span', { class: 'filter-label', text }), control]);
}
