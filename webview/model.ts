/**
 * The gallery's view model, without the DOM: which pairs the filters let through, in which order,
 * where the cursor goes after a decision, and the undo history. Pure, so it is unit-tested on Node.
 */
import type { ClusterView, FileView, PairView } from '../src/shared/protocol.js';
import { folderOf } from './format.js';

/** undecided: no person decided the pair (its verdict is the keep policy's); decided: a person did. */
export type StatusFilter = 'all' | 'undecided' | 'decided';
export const SORT_ORDERS = ['distance', 'path', 'folder', 'size', 'resolution', 'cluster'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/** What the filters and sorts need to know of a pair beyond the pair itself. */
export interface PairFacts {
  /** A person decided this pair (its verdict is by review). */
  reviewed(pair: number): boolean;
  /** Files in the pair's cluster (0 when none). */
  clusterSize(pair: number): number;
}

const NO_FACTS: PairFacts = { reviewed: () => false, clusterSize: () => 0 };

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

export function matches(pair: PairView, files: readonly FileView[], f: Filter, reviewed = false): boolean {
  if (f.status === 'undecided' && reviewed) return false;
  if (f.status === 'decided' && !reviewed) return false;
  if (f.minDistance !== null && pair.distance < f.minDistance) return false;
  if (f.maxDistance !== null && pair.distance > f.maxDistance) return false;
  if (f.folder !== '') {
    const a = files[pair.a];
    const b = files[pair.b];
    if (!(a && isInFolder(a.path, f.folder)) && !(b && isInFolder(b.path, f.folder))) return false;
  }
  return true;
}

/** Indices into `pairs` that pass the filter, in display order. Recomputed after every decision (a decision changes what "undecided" shows). */
export function visiblePairs(pairs: readonly PairView[], files: readonly FileView[], f: Filter, sort: SortOrder, facts: PairFacts = NO_FACTS): number[] {
  const out: number[] = [];
  for (let i = 0; i < pairs.length; i++) if (matches(pairs[i]!, files, f, facts.reviewed(i))) out.push(i);
  const key = sortKey(pairs, files, sort, facts);
  // Stable tie-break on the index keeps the host's (a, b) order (which is path order) among equal keys.
  if (key) out.sort((x, y) => key(x, y) || x - y);
  return out;
}

function sortKey(pairs: readonly PairView[], files: readonly FileView[], sort: SortOrder, facts: PairFacts): ((x: number, y: number) => number) | undefined {
  const larger = (p: PairView, m: (f: FileView) => number): number => Math.max(m(files[p.a] ?? ZERO), m(files[p.b] ?? ZERO));
  const text = (s: string, t: string): number => (s < t ? -1 : s > t ? 1 : 0);
  switch (sort) {
    case 'path':
      return undefined;
    case 'distance':
      return (x, y) => pairs[x]!.distance - pairs[y]!.distance;
    case 'folder':
      return (x, y) => text(folderOf(files[pairs[x]!.a]?.path ?? ''), folderOf(files[pairs[y]!.a]?.path ?? ''));
    case 'size':
      // Largest first: the space a decision frees.
      return (x, y) => larger(pairs[y]!, (f) => f.size) - larger(pairs[x]!, (f) => f.size);
    case 'resolution':
      return (x, y) => larger(pairs[y]!, (f) => f.width * f.height) - larger(pairs[x]!, (f) => f.width * f.height);
    case 'cluster':
      // Biggest clusters first: where one bulk action does the most.
      return (x, y) => facts.clusterSize(y) - facts.clusterSize(x) || pairs[x]!.distance - pairs[y]!.distance;
  }
}

const ZERO: FileView = { path: '', thumb: false, renderable: false, kind: 'image', width: 0, height: 0, size: 0 };

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
 * Where the cursor goes after deciding the pair at `pos` in `view`: the next pair no person decided yet
 * after it, else the next pair, else stay. Triage moves forward, never back to something already seen.
 */
export function nextAfterDecision(view: readonly number[], pos: number, reviewed: (pair: number) => boolean): number {
  for (let p = pos + 1; p < view.length; p++) if (!reviewed(view[p]!)) return p;
  return Math.min(pos + 1, view.length - 1);
}

/**
 * The clusters the filter shows, in display order: a file in the chosen folder, every member's known
 * distance to the kept file within the range; "undecided" keeps clusters with an automatic verdict left,
 * "decided" those a person has fully decided. Biggest first when sorted by cluster size.
 */
export function clusterOrder(clusters: readonly ClusterView[], files: readonly FileView[], f: Filter, sort: SortOrder): number[] {
  const out: number[] = [];
  clusters.forEach((c, i) => {
    const paths = [c.keep, ...c.members.map((m) => m.file)].map((x) => files[x]?.path ?? '');
    if (f.folder !== '' && !paths.some((p) => isInFolder(p, f.folder))) return;
    const d = c.members.flatMap((m) => (m.distance !== null && Number.isFinite(m.distance) ? [m.distance] : []));
    if (f.minDistance !== null && !d.some((x) => x >= f.minDistance!)) return;
    if (f.maxDistance !== null && d.some((x) => x > f.maxDistance!)) return;
    const open = c.members.some((m) => m.by === 'auto') || c.keepBy === 'auto';
    if (f.status === 'undecided' && !open) return;
    if (f.status === 'decided' && open) return;
    out.push(i);
  });
  const key = clusterSortKey(clusters, files, sort);
  if (key) out.sort((x, y) => key(x, y) || x - y);
  return out;
}

/**
 * The clusters view sorts as the pairs view does, by its kept file: path (the host's order), folder,
 * size and resolution (largest first), distance (closest first: the cluster's farthest member to its kept
 * file, so a tight cluster comes before one with a doubtful member), cluster size (biggest first).
 */
function clusterSortKey(clusters: readonly ClusterView[], files: readonly FileView[], sort: SortOrder): ((x: number, y: number) => number) | undefined {
  const kept = (i: number): FileView => files[clusters[i]!.keep] ?? ZERO;
  const farthest = (i: number): number => {
    let d = 0;
    for (const m of clusters[i]!.members) d = Math.max(d, m.distance !== null && Number.isFinite(m.distance) ? m.distance : Number.POSITIVE_INFINITY);
    return d;
  };
  const text = (s: string, t: string): number => (s < t ? -1 : s > t ? 1 : 0);
  switch (sort) {
    case 'path':
      return (x, y) => text(kept(x).path, kept(y).path);
    case 'distance':
      return (x, y) => farthest(x) - farthest(y) || 0;
    case 'folder':
      return (x, y) => text(folderOf(kept(x).path), folderOf(kept(y).path));
    case 'size':
      return (x, y) => kept(y).size - kept(x).size;
    case 'resolution':
      return (x, y) => kept(y).width * kept(y).height - kept(x).width * kept(x).height;
    case 'cluster':
      return (x, y) => clusters[y]!.members.length - clusters[x]!.members.length;
  }
}

export function clampPos(pos: number, length: number): number {
  if (length === 0) return 0;
  return Math.max(0, Math.min(length - 1, pos));
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
  if ((SORT_ORDERS as readonly unknown[]).includes(r['sort'])) out.sort = r['sort'] as SortOrder;
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
