import { invalidOption } from '../errors.js';
import { TILE_INTS } from './exactKernel.js';

/** A group key per row: numbers or strings; rows pair only within one key. */
export type GroupKeys = ArrayLike<number | string>;

/** A rectangle of rows of A against rows of B; with `tri`, row i only sees columns j > i >> shift. */
interface Block {
  readonly a0: number;
  readonly a1: number;
  readonly b0: number;
  readonly b1: number;
  readonly tri: boolean;
}

export interface JoinPlan {
  /** row in the job -> row in the caller's set */
  readonly permA: Uint32Array;
  readonly permB: Uint32Array;
  readonly shift: number;
  /** [next, count, tiles...] on shared memory, ready for runTiles */
  readonly tiles: Int32Array;
  /** pair evaluations the tiles hold, to decide whether threads pay */
  readonly work: number;
}

/**
 * Tile sizes: a column block of B stays in the 32 KB L1 while the rows of A sweep over it; a tile is
 * a few hundred thousand pair checks (well under a millisecond), so threads taking tiles one at a
 * time stay balanced to the end, triangle or not, and each call is long enough for its overhead to vanish.
 */
export function tileShape(words: number): { rows: number; cols: number } {
  return { rows: 256, cols: Math.max(64, Math.floor(32768 / (words * 8))) };
}

const identity = (n: number): Uint32Array => Uint32Array.from({ length: n }, (_, k) => k);

/** Stable counting sort of rows by group; returns the order and each group's [start, end). */
function sortByGroup(keys: GroupKeys, index: Map<number | string, number>): { perm: Uint32Array; ranges: Map<number, [number, number]> } {
  const n = keys.length;
  const g = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const key = keys[k];
    if (typeof key !== 'string' && (typeof key !== 'number' || Number.isNaN(key))) throw invalidOption('groups', 'a number or string per row', key);
    let id = index.get(key);
    if (id === undefined) index.set(key, (id = index.size));
    g[k] = id;
  }
  const start = new Uint32Array(index.size + 1);
  for (let k = 0; k < n; k++) start[g[k] + 1]++;
  for (let k = 0; k < index.size; k++) start[k + 1] += start[k];
  const ranges = new Map<number, [number, number]>();
  for (let k = 0; k < index.size; k++) if (start[k + 1] > start[k]) ranges.set(k, [start[k], start[k + 1]]);
  const fill = start.slice();
  const perm = new Uint32Array(n);
  for (let k = 0; k < n; k++) perm[fill[g[k]]++] = k;
  return { perm, ranges };
}

function tilesFor(blocks: readonly Block[], shift: number, words: number): { tiles: Int32Array; work: number } {
  const { rows, cols } = tileShape(words);
  const list: number[] = [];
  let work = 0;
  for (const b of blocks) {
    for (let a0 = b.a0; a0 < b.a1; a0 += rows) {
      const a1 = Math.min(b.a1, a0 + rows);
      for (let j0 = b.b0; j0 < b.b1; j0 += cols) {
        const j1 = Math.min(b.b1, j0 + cols);
        if (b.tri && j1 - 1 <= a0 >>> shift) continue; // every column is at or left of the diagonal
        list.push(a0, a1, j0, j1, b.tri ? 1 : 0);
        // triangle tiles cut by the diagonal hold about half their area
        work += (a1 - a0) * (j1 - j0) * (b.tri && j0 <= (a1 - 1) >>> shift ? 0.5 : 1);
      }
    }
  }
  const tiles = new Int32Array(new SharedArrayBuffer((2 + list.length) * 4));
  tiles[1] = list.length / TILE_INTS;
  tiles.set(list, 2);
  return { tiles, work };
}

/**
 * A set against itself (pairs i < j), optionally with 2^shift rows of A per row of B (A row q stands
 * for item q >> shift; B holds one row per item): rows sorted by group so each group is one triangle.
 * With `splits` (shift 0 only), rows pair only across different split labels (train/test leakage): rows
 * are sorted by (group, split) and only the rectangles between two splits of one group are searched, so
 * within-split pairs cost nothing.
 */
export function planTriangle(items: number, shift: number, words: number, groups?: GroupKeys, splits?: GroupKeys): JoinPlan {
  if (groups && groups.length !== items) throw invalidOption('groups', `one group per hash (${items})`, `${groups.length} groups`);
  if (splits) return planAcrossSplits(items, words, groups, splits);
  let permB: Uint32Array;
  const blocks: Block[] = [];
  if (groups) {
    const sorted = sortByGroup(groups, new Map());
    permB = sorted.perm;
    for (const [s, e] of sorted.ranges.values()) if (e - s > 1) blocks.push({ a0: s << shift, a1: e << shift, b0: s, b1: e, tri: true });
  } else {
    permB = identity(items);
    if (items > 1) blocks.push({ a0: 0, a1: items << shift, b0: 0, b1: items, tri: true });
  }
  const per = 1 << shift;
  const permA = shift === 0 ? permB : new Uint32Array(items * per);
  if (shift) for (let k = 0; k < items; k++) for (let v = 0; v < per; v++) permA[k * per + v] = permB[k] * per + v;
  return { permA, permB, shift, ...tilesFor(blocks, shift, words) };
}

/**
 * (group, split) cells, numbered in first-seen order over every row sorted so far; both sides of a join
 * share one Cells, so equal keys get equal ids. sortByGroup numbers its keys in the same first-seen order,
 * so its range ids are the cell ids.
 */
class Cells {
  private readonly groupIds = new Map<number | string, number>();
  private readonly splitIds = new Map<number | string, number>();
  private readonly cellIds = new Map<string, number>();
  private readonly sortIndex = new Map<number | string, number>();
  /** cell id -> [group id, split id] */
  private readonly meta: [number, number][] = [];

  sort(n: number, groups: GroupKeys | undefined, splits: GroupKeys): ReturnType<typeof sortByGroup> {
    const keys = new Array<number>(n);
    for (let k = 0; k < n; k++) {
      const g = groups ? idOf(this.groupIds, groups[k], 'groups') : 0;
      const s = idOf(this.splitIds, splits[k], 'splits');
      let c = this.cellIds.get(`${g}:${s}`);
      if (c === undefined) {
        this.cellIds.set(`${g}:${s}`, (c = this.meta.length));
        this.meta.push([g, s]);
      }
      keys[k] = c;
    }
    return sortByGroup(keys, this.sortIndex);
  }

  /** Cells a and b may pair: same group, different split. */
  across(a: number, b: number): boolean {
    return this.meta[a][0] === this.meta[b][0] && this.meta[a][1] !== this.meta[b][1];
  }
}

function idOf(index: Map<number | string, number>, key: number | string, what: string): number {
  if (typeof key !== 'string' && (typeof key !== 'number' || Number.isNaN(key))) throw invalidOption(what, 'a number or string per row', key);
  let id = index.get(key);
  if (id === undefined) index.set(key, (id = index.size));
  return id;
}

/** The triangle restricted to pairs across splits: one rectangle per pair of cells of one group with different splits. */
function planAcrossSplits(items: number, words: number, groups: GroupKeys | undefined, splits: GroupKeys): JoinPlan {
  if (splits.length !== items) throw invalidOption('splits', `one split per hash (${items})`, `${splits.length} splits`);
  const cells = new Cells();
  const sorted = cells.sort(items, groups, splits);
  const ranges = [...sorted.ranges.entries()];
  const blocks: Block[] = [];
  for (let x = 0; x < ranges.length; x++)
    for (let y = x + 1; y < ranges.length; y++)
      if (cells.across(ranges[x][0], ranges[y][0]))
        blocks.push({ a0: ranges[x][1][0], a1: ranges[x][1][1], b0: ranges[y][1][0], b1: ranges[y][1][1], tri: false });
  return { permA: sorted.perm, permB: sorted.perm, shift: 0, ...tilesFor(blocks, 0, words) };
}

/**
 * Every row of A against every row of B (within equal groups when both have groups; with splits on both
 * sides, only between different split labels).
 */
export function planRectangle(
  nA: number,
  nB: number,
  words: number,
  groupsA?: GroupKeys,
  groupsB?: GroupKeys,
  splitsA?: GroupKeys,
  splitsB?: GroupKeys,
): JoinPlan {
  if (!groupsA !== !groupsB)
    throw invalidOption('groups', 'groups for both the queries and the data, or for neither', groupsA ? 'query groups only' : 'data groups only');
  if (!splitsA !== !splitsB)
    throw invalidOption('splits', 'splits for both the queries and the data, or for neither', splitsA ? 'query splits only' : 'data splits only');
  if (groupsA && groupsA.length !== nA) throw invalidOption('query groups', `one group per query hash (${nA})`, `${groupsA.length} groups`);
  if (groupsB && groupsB.length !== nB) throw invalidOption('groups', `one group per hash (${nB})`, `${groupsB.length} groups`);
  if (splitsA && splitsB) {
    if (splitsA.length !== nA) throw invalidOption('query splits', `one split per query hash (${nA})`, `${splitsA.length} splits`);
    if (splitsB.length !== nB) throw invalidOption('splits', `one split per hash (${nB})`, `${splitsB.length} splits`);
    const cells = new Cells();
    const a = cells.sort(nA, groupsA, splitsA);
    const b = cells.sort(nB, groupsB, splitsB);
    const blocks: Block[] = [];
    for (const [ca, [s, e]] of a.ranges)
      for (const [cb, [s2, e2]] of b.ranges) if (cells.across(ca, cb)) blocks.push({ a0: s, a1: e, b0: s2, b1: e2, tri: false });
    return { permA: a.perm, permB: b.perm, shift: 0, ...tilesFor(blocks, 0, words) };
  }
  const blocks: Block[] = [];
  let permA: Uint32Array;
  let permB: Uint32Array;
  if (groupsA && groupsB) {
    const index = new Map<number | string, number>();
    const a = sortByGroup(groupsA, index);
    const b = sortByGroup(groupsB, index);
    permA = a.perm;
    permB = b.perm;
    for (const [g, [s, e]] of a.ranges) {
      const other = b.ranges.get(g);
      if (other) blocks.push({ a0: s, a1: e, b0: other[0], b1: other[1], tri: false });
    }
  } else {
    permA = identity(nA);
    permB = identity(nB);
    if (nA && nB) blocks.push({ a0: 0, a1: nA, b0: 0, b1: nB, tri: false });
  }
  return { permA, permB, shift: 0, ...tilesFor(blocks, 0, words) };
}
