import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { invalidOption } from '../errors.js';
import { checkWords, createSharedMemory } from './kernel.js';
import { concatPairs, NO_PAIRS, sortPairs, type BitPairs } from './pairList.js';
import type { PackedHashes } from './packed.js';
import { planRectangle, planTriangle, tileShape, type GroupKeys, type JoinPlan } from './plan.js';
import { runTiles, type SearchJob } from './runner.js';

export interface ThreadOptions {
  /** Threads to search on; default: every core. 1 searches in this thread. */
  readonly workers?: number;
  /** The bundled worker script; default: searchWorker.js beside the running bundle (or MEDIA_DEDUPE_SEARCH_WORKER). */
  readonly workerScript?: string;
  /** Pair checks below which starting workers costs more than it saves; default 3e7 (about 25 ms on one core). */
  readonly inThreadBelow?: number;
  /** Told how the search ran (for progress lines and benchmarks). */
  readonly report?: (info: SearchInfo) => void;
}

export interface SearchInfo {
  readonly threads: number;
  readonly tiles: number;
  /** pair checks */
  readonly work: number;
  readonly seconds: number;
}

export interface SelfSearchOptions extends ThreadOptions {
  /** Pairs have fewer than this many differing bits (see radiusFor). */
  readonly radius: number;
  /** Only rows with equal group keys are paired (e.g. per class folder). */
  readonly groups?: GroupKeys;
  /** Rows with the same item id are never paired (several hashes of one file, as perception's deduplicate_hashes). */
  readonly items?: ArrayLike<number>;
}

export interface QuerySearchOptions extends ThreadOptions {
  readonly radius: number;
  /** groups of the data rows and of the query rows: both or neither */
  readonly groups?: GroupKeys;
  readonly queryGroups?: GroupKeys;
  /** a query row and a data row with the same item id are never paired */
  readonly queryItems?: ArrayLike<number>;
  readonly dataItems?: ArrayLike<number>;
}

/**
 * Every pair i < j of `data` within the radius, exactly: (i, j, differing bits), sorted by i then j.
 */
export async function searchPairs(data: PackedHashes, opts: SelfSearchOptions): Promise<BitPairs> {
  checkRadius(opts.radius);
  checkItems(opts.items, data.count, 'items');
  const plan = planTriangle(data.count, 0, data.words, opts.groups);
  return execute(plan, data, data, opts.radius, opts.items, opts.items, true, opts);
}

/**
 * Every (query, data) pair within the radius: i indexes `queries`, j indexes `data`. For checking
 * new files against a dataset.
 */
export async function searchQueries(queries: PackedHashes, data: PackedHashes, opts: QuerySearchOptions): Promise<BitPairs> {
  checkRadius(opts.radius);
  checkWidth(queries, data);
  checkItems(opts.queryItems, queries.count, 'query items');
  checkItems(opts.dataItems, data.count, 'data items');
  if (!opts.queryItems !== !opts.dataItems) throw invalidOption('items', 'item ids for both queries and data, or for neither', 'one side only');
  const plan = planRectangle(queries.count, data.count, data.words, opts.queryGroups, opts.groups);
  return execute(plan, queries, data, opts.radius, opts.queryItems, opts.dataItems, false, opts);
}

/**
 * 2^shift rows of `variants` per row of `data` (variant row q belongs to item q >> shift), each
 * item against the items after it: pairs (q, j) with j > q >> shift. The isometric search uses it
 * with the 8 dihedral variants of every file.
 */
export async function searchVariantsForward(variants: PackedHashes, data: PackedHashes, shift: number, opts: SelfSearchOptions): Promise<BitPairs> {
  checkRadius(opts.radius);
  checkWidth(variants, data);
  if (variants.count !== data.count << shift) throw invalidOption('variants', `${1 << shift} rows per hash (${data.count << shift})`, `${variants.count} rows`);
  const plan = planTriangle(data.count, shift, data.words, opts.groups);
  let aItems: Int32Array | undefined;
  if (opts.items) {
    checkItems(opts.items, data.count, 'items');
    aItems = new Int32Array(variants.count);
    for (let q = 0; q < variants.count; q++) aItems[q] = opts.items[q >>> shift];
  }
  return execute(plan, variants, data, opts.radius, aItems, opts.items, false, opts);
}

function checkRadius(r: number): void {
  if (!Number.isInteger(r) || r < 0) throw invalidOption('radius', 'a whole number of bits, 0 or more', r);
}

function checkWidth(a: PackedHashes, b: PackedHashes): void {
  if (a.bits !== b.bits) throw invalidOption('query hashes', `${b.bits}-bit hashes like the data`, `${a.bits}-bit hashes`);
}

function checkItems(items: ArrayLike<number> | undefined, n: number, name: string): void {
  if (items && items.length !== n) throw invalidOption(name, `one id per hash (${n})`, `${items.length} ids`);
}

const align = (n: number): number => Math.ceil(n / 64) * 64;

/** Lays the rows out in one shared wasm memory (permuted so groups are contiguous), runs the tiles, maps rows back. */
async function execute(
  plan: JoinPlan,
  a: PackedHashes,
  b: PackedHashes,
  radius: number,
  aItems: ArrayLike<number> | undefined,
  bItems: ArrayLike<number> | undefined,
  selfJoin: boolean,
  opts: ThreadOptions,
): Promise<BitPairs> {
  const count = plan.tiles[1];
  if (count === 0 || radius === 0) return NO_PAIRS;
  const script = workerScript(opts.workerScript);
  const wanted = opts.workers !== undefined && Number.isFinite(opts.workers) ? Math.max(1, Math.floor(opts.workers)) : availableParallelism();
  const perThread = opts.inThreadBelow ?? 3e7;
  const threads = script ? Math.max(1, Math.min(wanted, count, Math.ceil(plan.work / perThread))) : 1;

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
    ...permutedItems(aItems, bItems, plan),
  };

  const started = performance.now();
  const parts = threads === 1 || !script ? [runTiles(job, 0)] : await Promise.all(Array.from({ length: threads }, (_, k) => runWorker(script, job, k)));
  opts.report?.({ threads, tiles: count, work: plan.work, seconds: (performance.now() - started) / 1000 });
  const found = concatPairs(parts);
  const { permA, permB } = plan;
  for (let k = 0; k < found.count; k++) {
    let i = permA[found.i[k]];
    let j = permB[found.j[k]];
    if (selfJoin && i > j) [i, j] = [j, i];
    found.i[k] = i;
    found.j[k] = j;
  }
  return sortPairs(found);
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

function permutedItems(
  aItems: ArrayLike<number> | undefined,
  bItems: ArrayLike<number> | undefined,
  plan: JoinPlan,
): { aItems?: Int32Array; bItems?: Int32Array } {
  if (!aItems || !bItems) return {};
  const a = permutedInts(aItems, plan.permA);
  return { aItems: a, bItems: aItems === bItems && plan.permA === plan.permB ? a : permutedInts(bItems, plan.permB) };
}

function permutedInts(values: ArrayLike<number>, perm: Uint32Array): Int32Array {
  const out = new Int32Array(new SharedArrayBuffer(perm.length * 4));
  for (let k = 0; k < perm.length; k++) out[k] = values[perm[k]];
  return out;
}

/** The worker bundle sits beside the bundle that is running (dist/); from sources there is none and the search stays in this thread. */
function workerScript(explicit: string | undefined): string | undefined {
  const path = explicit ?? process.env.MEDIA_DEDUPE_SEARCH_WORKER ?? join(__dirname, 'searchWorker.js');
  if (existsSync(path)) return path;
  if (explicit) throw invalidOption('workerScript', 'the path of the bundled search worker', explicit);
  return undefined;
}

export interface SearchWorkerData {
  readonly job: SearchJob;
  readonly thread: number;
}

function runWorker(script: string, job: SearchJob, thread: number): Promise<BitPairs> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: { job, thread } satisfies SearchWorkerData });
    let done = false;
    worker.once('message', (p: BitPairs) => {
      done = true;
      resolve(p);
      void worker.terminate();
    });
    worker.once('error', (e) => {
      done = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!done) reject(new Error(`search worker ${thread} exited with code ${code} before reporting`));
    });
  });
}
