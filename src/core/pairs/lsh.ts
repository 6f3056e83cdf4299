/**
 * The approximate strategy for bit hashes beyond the exact range: bit-sampling LSH (lshParams.ts) run by
 * the native table loop (lshNative.ts, threads of its own) where the kernels addon is built, else by the
 * WASM kernel (lshKernel.ts), its tables dealt round-robin to worker threads (lshWorker.ts); both deal
 * the tables the same way and find the same pairs. Every
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
import { nativeKeepArg, nativeLsh, nativePassPlan, nativeThreads, type NativeKeep } from './lshNative.js';
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
  /** Which table loop ran: 'native', or 'WebAssembly (why not native)'. */
  readonly engine: string;
  /** Native passes copying a prefix of each row: pair tests the prefix did not reject, whose rest was read from the hashes. */
  readonly tails?: number;
}

/** One task's share of the plan's tables: t % count === index. */
export interface TableShard {
  readonly index: number;
  readonly count: number;
}

export interface LshOptions extends ThreadOptions {
  readonly tableShard?: TableShard;
  /**
   * Scratch bytes a thread gives to the rows of one pass (WebAssembly: default 192 MB, one pass per table up
   * to ~4.8M distinct hashes; native: its share of DEFAULT_NATIVE_TASK_BYTES); fewer bytes mean more passes
   * over the hashes, the same pairs.
   */
  readonly passBytes?: number;
  /** Native: the task's scratch, shared out among its threads (default DEFAULT_NATIVE_TASK_BYTES); passBytes overrides a thread's share. */
  readonly taskBytes?: number;
  /**
   * Native, coarse bytes kept: the bytes of each row copied into its pass, 0 (gathered), a prefix (4 to
   * 28, a multiple of 4: the rest read from the hashes for a pair the prefix does not reject) or 32 (all);
   * by default the model's choice from COPY_ROWS_FROM hashes (lshNative.ts nativePassPlan: the prefix by
   * its passes and rest-reads), else 0.
   */
  readonly copyBytes?: number;
  /** Native: what a thread keeps of a table (default: the cheapest by the cost model that fits; lshNative.ts nativePassPlan). */
  readonly keep?: NativeKeep;
  /** The table loop: native (the kernels addon; an error where it is not built) or wasm; default native where built. */
  readonly engine?: 'native' | 'wasm';
}

export const DEFAULT_PASS_BYTES = 192 * 2 ** 20;
/**
 * The native loop's scratch for a whole task, shared out among its threads (default 1.75 GB, so a task
 * stays within 2 GB besides the mapped hashes); a thread allocates only what its tables need: 10 bytes a
 * hash when the keys are kept and one pass holds every row (4 of key, a pass row of 6), up to ~100M distinct
 * hashes at 2 threads.
 */
export const DEFAULT_NATIVE_TASK_BYTES = 1.75 * 2 ** 30;

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
  /** A file of exactly these rows, which the native loop maps read-only instead of reading into memory. */
  readonly path?: string;
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
  const native = opts.engine === 'wasm' ? { why: 'asked for' } : nativeLsh();
  if (opts.engine === 'native' && !native.run) throw invalidOption('the LSH engine', 'native only where the kernels addon is built and allowed', native.why);
  const engine = native.run ? 'native' : `WebAssembly (${native.why})`;
  if (n < 2 || mine.length === 0) return { threads: 1, candidates: 0, hits: 0, tables: mine.length, passes: 0, engine };
  const tableBits = sampleTableBits(plan);
  const k = plan.keyBits;
  if (native.run) {
    const taskBytes = opts.taskBytes ?? DEFAULT_NATIVE_TASK_BYTES;
    // the rest-reads of a copied prefix depend on the bits outside a table's key and the radius (lshCost.ts restReadRate)
    const search = { bits: plan.bits, keyBits: k, radius: plan.radius };
    const threads = opts.passBytes ? Math.min(workers, mine.length) : nativeThreads(n, Math.min(workers, mine.length), taskBytes, plan, search);
    const { rows, stride } = nativeRows(data, select);
    const bits = new Int32Array(mine.length * k);
    mine.forEach((t, q) => bits.set(tableBits.subarray(t * k, t * k + k), q * k));
    const budget = opts.passBytes ?? Math.floor(taskBytes / threads);
    const { keep, passRows, copyBytes } = nativePassPlan(n, budget, plan, { keep: opts.keep, copyBytes: opts.copyBytes, search });
    const r = native.run(
      rows,
      n,
      stride,
      items ? Int32Array.from(items) : null,
      k,
      plan.partitionBits,
      plan.radius,
      bits,
      passRows,
      nativeKeepArg(keep, copyBytes),
      threads,
    );
    for (let q = 0; q < r.i.length; q++) out.add(r.i[q], r.j[q], r.distance[q]);
    return { threads, candidates: r.candidates, hits: r.hits, tables: mine.length, passes: r.passes, engine, tails: r.tails };
  }
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
  return { threads, candidates: sum((p) => p.candidates), hits: sum((p) => p.hits), tables: mine.length, passes: sum((p) => p.passes), engine };
}

/** The rows as the native loop reads them: in place (a packed set, a file it maps), copied once only for a selection. */
function nativeRows(data: PackedHashes | LshRowSource, select: ArrayLike<number> | undefined): { rows: Uint8Array | string; stride: number } {
  if (data instanceof PackedHashes) return { rows: (select ? data.select(select) : data).bytes, stride: data.strideBytes };
  if (select) throw invalidOption('select', 'no row selection with a row source', select.length);
  if (data.path) return { rows: data.path, stride: LSH_ROW_BYTES };
  const rows = new Uint8Array(data.count * LSH_ROW_BYTES);
  data.fill(rows);
  return { rows, stride: LSH_ROW_BYTES };
}
