/**
 * The gallery's view model, without the DOM: which pairs the filters let through, in which order,
 * where the cursor goes after a decision, and the undo history. Pure, so it is unit-tested on Node.
 */
import type { FileView, PairStatus, PairView } from '../src/shared/protocol.js';
import { folderOf } from './format.js';

export type StatusFilter = 'all' | 'undecided' | 'decided';
export type SortOrder = 'distance' | 'path';

export interface Filter {
  readonly status: StatusFilter;
  readonly minDistance: number | null;
  readonly maxDistance: number | null;
  readonly folder: string; // '' = every folder
}

export const DEFAULT_FILTER: Filter = { status: 'all', minDistance: null, maxDistance: null, folder: '' };

export function isInFolder(path: string, folder: string): boolean {
  if (folder === '') return true;
  if (folder === '.') return !path.includes('/');
  return path.startsWith(`${folder}/`);
}

export function matches(pair: PairView, files: readonly FileView[], f: Filter): boolean {
  if (f.status === 'undecided' && pair.status !== 'undecided') return false;
  if (f.status === 'decided' && pair.status === 'undecided') return false;
  if (f.minDistance !== null && pair.distance < f.minDistance) return false;
  if (f.maxDistance !== null && pair.distance > f.maxDistance) return false;
  if (f.folder !== '') {
    const a = files[pair.a];
    const b = files[pair.b];
    if (!(a && isInFolder(a.path, f.folder)) && !(b && isInFolder(b.path, f.folder))) return false;
  }
  return true;
}

/** Indices into `pairs` that pass the filter, in display order. */
export function visiblePairs(pairs: readonly PairView[], files: readonly FileView[], f: Filter, sort: SortOrder): number[] {
  const out: number[] = [];
  for (let i = 0; i < pairs.length; i++) if (matches(pairs[i]!, files, f)) out.push(i);
  if (sort === 'distance') {
    // Stable tie-break on the index keeps the host's (a, b) order among equal distances.
    out.sort((x, y) => pairs[x]!.distance - pairs[y]!.distance || x - y);
  }
  return out;
}

/** Every folder holding at least one paired file, sorted, for the folder filter. Capped so the select stays usable. */
export function pairFolders(pairs: readonly PairView[], files: readonly FileView[], cap = 500): string[] {
  const set = new Set<string>();
  for (const p of pairs) {
    for (const i of [p.a, p.b]) {
      const f = files[i];
      if (!f) continue;
      // Every ancestor folder too, so a class folder can be chosen as well as its subfolders.
      let dir = folderOf(f.path);
      while (dir !== '.' && !set.has(dir)) {
        set.add(dir);
        dir = folderOf(dir);
      }
      if (dir === '.') set.add('.');
    }
    if (set.size > cap) break;
  }
  return [...set].sort();
}

/**
 * Where the cursor goes after deciding the pair at `pos` in `view`: the next undecided pair after it,
 * else the next pair, else stay. Triage moves forward, never back to something already seen.
 */
export function nextAfterDecision(view: readonly number[], pos: number, statusOf: (pair: number) => PairStatus): number {
  for (let p = pos + 1; p < view.length; p++) if (statusOf(view[p]!) === 'undecided') return p;
  return Math.min(pos + 1, view.length - 1);
}

export function clampPos(pos: number, length: number): number {
  if (length === 0) return 0;
  return Math.max(0, Math.min(length - 1, pos));
}

/** Undo history: the pairs decided in this session, most recent last. */
export class History {
  private readonly stack: number[] = [];
  constructor(private readonly limit = 1000) {}
  push(pair: number): void {
    this.stack.push(pair);
    if (this.stack.length > this.limit) this.stack.shift();
  }
  pop(): number | undefined {
    return this.stack.pop();
  }
  get size(): number {
    return this.stack.length;
  }
}

export interface HistogramBins {
  readonly lo: number;
  readonly hi: number;
  readonly counts: readonly number[];
  readonly max: number;
}

/** Pair distances in `bins` equal bins over [0, max(threshold, largest distance)], so the threshold always fits. */
export function histogram(distances: Iterable<number>, threshold: number, bins = 40): HistogramBins {
  // A little room past the threshold, so its marker is not lost on the chart's edge.
  let hi = threshold > 0 ? threshold * 1.08 : 0;
  const all: number[] = [];
  for (const d of distances) {
    if (!Number.isFinite(d)) continue;
    all.push(d);
    if (d > hi) hi = d;
  }
  if (hi <= 0) hi = 1;
  const counts = new Array<number>(bins).fill(0);
  for (const d of all) {
    const i = Math.min(bins - 1, Math.max(0, Math.floor((d / hi) * bins)));
    counts[i]!++;
  }
  return { lo: 0, hi, counts, max: Math.max(0, ...counts) };
}

export type ViewMode = 'pairs' | 'clusters';
export type CompareMode = 'side' | 'flicker' | 'overlay' | 'difference';

/** What survives hiding the panel and reloading the window (webview getState/setState). */
export interface PersistedState {
  readonly rootPath: string;
  readonly current: number; // pair index
  readonly filter: Filter;
  readonly sort: SortOrder;
  readonly view: ViewMode;
}

export function parsePersisted(raw: unknown): Partial<PersistedState> {
  if (typeof raw !== 'object' || raw === null) return {};
  const r = raw as Record<string, unknown>;
  const out: { -readonly [K in keyof PersistedState]?: PersistedState[K] } = {};
  if (typeof r['rootPath'] === 'string') out.rootPath = r['rootPath'];
  if (typeof r['current'] === 'number' && Number.isInteger(r['current']) && r['current'] >= 0) out.current = r['current'];
  if (r['sort'] === 'distance' || r['sort'] === 'path') out.sort = r['sort'];
  if (r['view'] === 'pairs' || r['view'] === 'clusters') out.view = r['view'];
  const f = r['filter'];
  if (typeof f === 'object' && f !== null) {
    const ff = f as Record<string, unknown>;
    const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
    out.filter = {
      status: ff['status'] === 'undecided' || ff['status'] === 'decided' ? ff['status'] : 'all',
      minDistance: num(ff['minDistance']),
      maxDistance: num(ff['maxDistance']),
      folder: typeof ff['folder'] === 'string' ? ff['folder'] : '',
    };
  }
  return out;
}
