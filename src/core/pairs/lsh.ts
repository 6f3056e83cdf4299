/**
 * The approximate strategy for bit hashes beyond the exact range: bit-sampling LSH (lshParams.ts) run by
 * the WASM kernel (lshKernel.ts), its tables dealt round-robin to worker threads (lshWorker.ts). Every
 * reported pair was verified with its exact Hamming distance over all bits, so there are no false pairs;
 * what LSH can lose is recall, which the plan bounds per pair and bench/annoy.ts measures against exact.
 *
 * A table shard (`tables: {index: I, count: N}`, one task of a cluster job, `pairs --tables I/N`) is the
 * same deal as a worker's share, tables t with t % N === I: the union of the shards' pairs is the pairs
 * of one run, and their CPU adds up to one run's. The hashes are written once into one shared wasm
 * memory that every thread reads in place; each thread's scratch is bounded by its pass size (see
 * lshKernel.ts), so memory is 32 bytes a hash plus a fixed amount per thread.
 */
import { availableParallelism } from 'node:os';
import { invalidOption } from '../errors.js';
import type { ThreadOptions } from './exact.js';
import { createLshMemory, LSH_PASS_ROW_BYTES, LSH_ROW_BYTES, runLshTables, type LshJob, type LshResult } from './lshKernel.js';
import { sampleTableBits, type LshPlan } from './lshParams.js';
import { PackedHashes } from './packed.js';
import type { PairSink } from './pairSet.js';
import { runWorker, workerEntry } from './workers.js';

export interface LshRun {
  readonly threads: number;
  readonly candidates: number;
  readonly hits: number;
  /** Tables this run searched (its shard's share of the plan). */
  readonly tables: number;
  readonly passes: number;
}

/** One task's share of the plan's tables: t % count === index. */
export interface TableShard {
  readonly index: number;
  readonly count: number;
}

export interface LshOptions extends ThreadOptions {
  readonly tableShard?: TableShard;
  /**
   * Scratch bytes a thread gives to the rows of one pass (default 192 MB: one pass per table up to ~4.8M
   * distinct hashes); fewer bytes mean more passes over the hashes, the same pairs.
   */
  readonly passBytes?: number;
}

export const DEFAULT_PASS_BYTES = 192 * 2 ** 20;

/** The tables of `plan` a shard runs, in order. */
export function shardTables(tables: number, shard: TableShard | undefined): number[] {
  const { index, count } = shard ?? { index: 0, count: 1 };
  if (!Number.isInteger(count) || count < 1) throw invalidOption('the table shard count', 'a positive integer', count);
  if (!Number.isInteger(index) || index < 0 || index >= count) throw invalidOption('the table shard', `an index from 0 to ${count - 1}`, index);
  const out: number[] = [];
  for (let t = index; t < tables; t += count) out.push(t);
  return out;
}

/**
 * All pairs (i < j rows) with fewer than plan.radius differing bits, into `out` as (i, j, bits).
 * Deterministic for a given plan, whatever the number of workers. Memory: 32 bytes per hash (4 more with
 * items) shared by all threads, plus per thread 4 bytes per hash and its pass buffer. Rows with the same
 * item id are never paired.
 */
/**
 * Hashes that whoever holds them writes straight into the search's memory (`count` rows of
 * LSH_ROW_BYTES, e.g. read from a packed file), so a task never holds them twice.
 */
export interface LshRowSource {
  readonly count: number;
  fill(rows: Uint8Array): void;
}

export async function lshPairs(
  data: PackedHashes | LshRowSource,
  plan: LshPlan,
  items: ArrayLike<number> | undefined,
  opts: LshOptions,
  out: PairSink,
  /** Search only these rows of `data` (search row k is data row select[k]; items and pairs follow search rows). */
  select?: ArrayLike<number>,
): Promise<LshRun> {
  const n = select ? select.length : data.count;
  if (items && items.length !== n) throw invalidOption('items', `one item id per hash (${n})`, `${items.length} ids`);
  const workers = opts.workers ?? Math.min(2, availableParallelism());
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) throw invalidOption('workers', 'an integer between 1 and 256', workers);
  const passBytes = opts.passBytes ?? DEFAULT_PASS_BYTES;
  if (!(passBytes >= LSH_PASS_ROW_BYTES)) throw invalidOption('passBytes', `at least ${LSH_PASS_ROW_BYTES} bytes`, passBytes);
  const mine = shardTables(plan.tables, opts.tableShard);
  if (n < 2 || mine.length === 0) return { threads: 1, candidates: 0, hits: 0, tables: mine.length, passes: 0 };
  const script = workers > 1 ? workerEntry('lshWorker.js', opts.workerDir) : undefined;
  const threads = script ? Math.min(workers, mine.length) : 1;

  // The hashes, 32-byte rows, once, in the memory every thread's kernel reads.
  const dataBytes = n * LSH_ROW_BYTES;
  const memory = createLshMemory(dataBytes + (items ? n * 4 : 0));
  const rows = new Uint8Array(memory.buffer, 0, dataBytes);
  if (!(data instanceof PackedHashes)) {
    if (select) throw invalidOption('select', 'no row selection with a row source', select.length);
    data.fill(rows);
  } else if (data.strideBytes === LSH_ROW_BYTES && !select) rows.set(data.bytes.subarray(0, dataBytes));
  else {
    const stride = data.strideBytes;
    for (let r = 0; r < n; r++) {
      const from = select ? select[r] : r;
      rows.set(data.bytes.subarray(from * stride, from * stride + stride), r * LSH_ROW_BYTES);
    }
  }
  if (items) new Int32Array(memory.buffer, dataBytes, n).set(items);

  const tableBits = sampleTableBits(plan);
  const k = plan.keyBits;
  const jobs: LshJob[] = [];
  for (let w = 0; w < threads; w++) {
    const bits: number[] = [];
    for (let q = w; q < mine.length; q += threads) for (let j = 0; j < k; j++) bits.push(tableBits[mine[q] * k + j]);
    jobs.push({
      memory,
      dataAt: 0,
      n,
      ...(items ? { itemsAt: dataBytes } : {}),
      keyBits: k,
      partitionBits: plan.partitionBits,
      radius: plan.radius,
      tableBits: Int32Array.from(bits),
      passRows: Math.max(1, Math.floor(passBytes / LSH_PASS_ROW_BYTES)),
    });
  }
  const parts = script ? await Promise.all(jobs.map((j) => runWorker<LshResult>(script, j))) : [runLshTables(jobs[0])];
  for (const p of parts) for (let q = 0; q < p.pairs.count; q++) out.add(p.pairs.i[q], p.pairs.j[q], p.pairs.distance[q]);
  const sum = (f: (r: LshResult) => number): number => parts.reduce((s, p) => s + f(p), 0);
  return { threads, candidates: sum((p) => p.candidates), hits: sum((p) => p.hits), tables: mine.length, passes: sum((p) => p.passes) };
}
