/**
 * The exact strategy for bit hashes: every pair of rows compared by popcount (popcount.wat), in tiles
 * that threads take from a shared queue. Rows go once into one shared wasm memory (permuted so groups
 * are contiguous); worker threads (exactWorker.ts) see the same bytes and copy nothing.
 */
import { availableParallelism } from 'node:os';
import { invalidOption } from '../errors.js';
import { checkWords, createSharedMemory, runTiles, type SearchJob } from './exactKernel.js';
import { planRectangle, planTriangle, tileShape, type GroupKeys, type JoinPlan } from './exactPlan.js';
import type { PackedHashes } from './packed.js';
import type { FoundPairs, PairSink } from './pairSet.js';
import { runWorker, workerEntry } from './workers.js';

export interface ThreadOptions {
  /** Threads to search on; default: every core (exact), 2 (LSH). 1 searches in this thread. */
  readonly workers?: number;
  /** Folder of the bundled worker entries; default: beside the running bundle (see workerEntry). */
  readonly workerDir?: string;
  /** Pair checks below which starting workers costs more than it saves; default 3e7 (about 25 ms on one core). */
  readonly inThreadBelow?: number;
}

/** Rows of `a` against rows of `b` as `plan` lays them out, pairs with fewer than `radius` differing bits. */
interface Join {
  readonly a: PackedHashes;
  readonly b: PackedHashes;
  readonly plan: JoinPlan;
  readonly radius: number;
  /** a row of a and a row of b with the same item id are never paired */
  readonly aItems?: ArrayLike<number>;
  readonly bItems?: ArrayLike<number>;
  /** a set against itself: pairs come out as (i, j) with i < j */
  readonly selfJoin: boolean;
}

/** Every pair i < j of `data` (groups and items per row), into `out` as (i, j, bits). Returns the threads used. */
export function searchPairs(
  data: PackedHashes,
  radius: number,
  scope: { groups?: GroupKeys; splits?: GroupKeys; items?: ArrayLike<number> },
  opts: ThreadOptions,
  out: PairSink,
) {
  checkItems(scope.items, data.count, 'items');
  const plan = planTriangle(data.count, 0, data.words, scope.groups, scope.splits);
  return execute({ a: data, b: data, plan, radius, aItems: scope.items, bItems: scope.items, selfJoin: true }, opts, out);
}

export interface QueryScope {
  /** groups of the data rows and of the query rows: both or neither */
  readonly groups?: GroupKeys;
  readonly queryGroups?: GroupKeys;
  /** split labels of the data rows and of the query rows (both or neither): rows pair only across different splits */
  readonly splits?: GroupKeys;
  readonly querySplits?: GroupKeys;
  /** a query row and a data row with the same item id are never paired */
  readonly items?: ArrayLike<number>;
  readonly queryItems?: ArrayLike<number>;
}

/** Every (query row, data row) pair: i indexes `queries`, j indexes `data`. */
export function searchQueries(queries: PackedHashes, data: PackedHashes, radius: number, scope: QueryScope, opts: ThreadOptions, out: PairSink) {
  checkWidth(queries, data);
  checkItems(scope.queryItems, queries.count, 'query items');
  checkItems(scope.items, data.count, 'items');
  if (!scope.queryItems !== !scope.items) throw invalidOption('items', 'item ids for both queries and data, or for neither', 'one side only');
  const plan = planRectangle(queries.count, data.count, data.words, scope.queryGroups, scope.groups, scope.querySplits, scope.splits);
  return execute({ a: queries, b: data, plan, radius, aItems: scope.queryItems, bItems: scope.items, selfJoin: false }, opts, out);
}

/**
 * 2^shift rows of `variants` per row of `data` (variant row q belongs to row q >> shift), each against
 * the rows after it: pairs (q, j) with j > q >> shift. The one-way isometric search uses it.
 */
export function searchVariantsForward(
  variants: PackedHashes,
  data: PackedHashes,
  shift: number,
  radius: number,
  scope: { groups?: GroupKeys; items?: ArrayLike<number> },
  opts: ThreadOptions,
  out: PairSink,
) {
  checkWidth(variants, data);
  if (variants.count !== data.count << shift) throw invalidOption('variants', `${1 << shift} rows per hash (${data.count << shift})`, `${variants.count} rows`);
  checkItems(scope.items, data.count, 'items');
  const plan = planTriangle(data.count, shift, data.words, scope.groups);
  const aItems = scope.items && Int32Array.from({ length: variants.count }, (_, q) => scope.items![q >>> shift]);
  return execute({ a: variants, b: data, plan, radius, aItems, bItems: scope.items, selfJoin: false }, opts, out);
}

function checkWidth(a: PackedHashes, b: PackedHashes): void {
  if (a.bits !== b.bits) throw invalidOption('query hashes', `${b.bits}-bit hashes like the data`, `${a.bits}-bit hashes`);
}

function checkItems(items: ArrayLike<number> | undefined, n: number, name: string): void {
  if (items && items.length !== n) throw invalidOption(name, `one id per hash (${n})`, `${items.length} ids`);
}

const align = (n: number): number => Math.ceil(n / 64) * 64;

/** Lays the rows out in one shared wasm memory, runs the tiles, maps rows back. Resolves with the thread count. */
async function execute(join: Join, opts: ThreadOptions, out: PairSink): Promise<number> {
  const { a, b, plan, radius } = join;
  if (!Number.isInteger(radius) || radius < 0) throw invalidOption('radius', 'a whole number of bits, 0 or more', radius);
  const count = plan.tiles[1];
  if (count === 0 || radius === 0) return 1;
  const script = workerEntry('exactWorker.js', opts.workerDir);
  const wanted = opts.workers !== undefined && Number.isFinite(opts.workers) ? Math.max(1, Math.floor(opts.workers)) : availableParallelism();
  const threads = script ? Math.max(1, Math.min(wanted, count, Math.ceil(plan.work / (opts.inThreadBelow ?? 3e7)))) : 1;

  const stride = b.strideBytes;
  const bBase = 1024;
  const same = a === b && plan.permA === plan.permB;
  const aBase = same ? bBase : align(bBase + b.count * stride);
  const outBase = align(aBase + a.count * stride);
  const outCap = Math.max(65536, 4 * tileShape(b.words).cols);
  const memory = createSharedMemory(outBase + threads * outCap * 12);
  const heap = new Uint8Array(memory.buffer);
  copyRows(heap, bBase, b, plan.permB);
  if (!same) copyRows(heap, aBase, a, plan.permA);

  const job: SearchJob = {
    memory,
    tiles: plan.tiles,
    aBase,
    bBase,
    words: b.words,
    checkWords: checkWords(b.words, radius),
    radius,
    shift: plan.shift,
    outBase,
    outCap,
    ...permutedItems(join),
  };
  const parts =
    threads === 1 ? [runTiles(job, 0)] : await Promise.all(Array.from({ length: threads }, (_, thread) => runWorker<FoundPairs>(script!, { job, thread })));
  const { permA, permB } = plan;
  for (const p of parts) {
    for (let k = 0; k < p.count; k++) {
      const i = permA[p.i[k]];
      const j = permB[p.j[k]];
      if (join.selfJoin && i > j) out.add(j, i, p.distance[k]);
      else out.add(i, j, p.distance[k]);
    }
  }
  return threads;
}

function copyRows(heap: Uint8Array, at: number, set: PackedHashes, perm: Uint32Array): void {
  const s = set.strideBytes;
  let identity = true;
  for (let k = 0; k < perm.length && identity; k++) identity = perm[k] === k;
  if (identity) {
    heap.set(set.bytes, at);
    return;
  }
  for (let k = 0; k < perm.length; k++) heap.set(set.bytes.subarray(perm[k] * s, perm[k] * s + s), at + k * s);
}

function permutedItems({ aItems, bItems, plan }: Join): { aItems?: Int32Array; bItems?: Int32Array } {
  if (!aItems || !bItems) return {};
  const a = permutedInts(aItems, plan.permA);
  return { aItems: a, bItems: aItems === bItems && plan.permA === plan.permB ? a : permutedInts(bItems, plan.permB) };
}

function permutedInts(values: ArrayLike<number>, perm: Uint32Array): Int32Array {
  const out = new Int32Array(new SharedArrayBuffer(perm.length * 4));
  for (let k = 0; k < perm.length; k++) out[k] = values[perm[k]];
  return out;
}
