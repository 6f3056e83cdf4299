/**
 * CPU and memory of a table-shard task, from the number of distinct hashes and the LSH plan. The model
 * follows the native table loop (native/kernels/lsh.c): a table costs a pass over every hash (one key
 * computation, partitions, the bucket sort and the gather of the rows: perRow seconds a hash, plus perLog
 * for each doubling of the hashes past GROWS_FROM, as the gathers miss more of the caches), one exact test
 * per pair of hashes sharing a bucket (about d^2 / 2^(k+1) for k key bits: perTest each), and what a
 * budget too small for the keys adds (see pairs/lshNative.ts nativePassPlan): with coarse bytes kept,
 * perCoarse a hash (its key computed again in its own pass) and perScan a hash for each pass (the scan of
 * the bytes and the sparse reads of the pass's rows: about a stream of the hashes each); with nothing
 * kept, perKey a hash for each pass (every key again). Past COPY_ROWS_FROM hashes a pass that keeps coarse
 * bytes copies its rows instead (lshNative.ts): perCopy a hash for each of its passes and no gathers, so
 * no perLog. The constants were
 * fitted by least squares (relative errors) on table shards of 1M to 60M planted hashes on this project's
 * 2-core machine (`npm run bench -- --only lsh-engines` prints the fit and its error); memory is what the
 * code allocates.
 */
import { DEFAULT_NATIVE_TASK_BYTES } from '../pairs/lsh.js';
import { NATIVE_COARSE_BYTES, NATIVE_KEY_BYTES, NativeKeep, nativePassPlan, nativeThreads } from '../pairs/lshNative.js';
import { LSH_ROW_BYTES } from '../pairs/lshKernel.js';
import { collisionProbability, defaultKeyBits, defaultPartitionBits, tablesFor } from '../pairs/lshParams.js';

/**
 * Seconds a hash a table, and more for each doubling of the hashes past GROWS_FROM; a pair test; a hash a
 * recomputing pass; a hash with coarse bytes kept; a hash a coarse pass (fitted: see above).
 */
export interface CostConstants {
  readonly perRow: number;
  readonly perLog: number;
  readonly perTest: number;
  readonly perKey: number;
  readonly perCoarse: number;
  readonly perScan: number;
  /** A hash a pass that copies its rows (lsh.c LSH_PASS_ROWS): the scan, the sparse read and the copy; such a table gathers nothing, so no perLog. */
  readonly perCopy: number;
}
/* perCopy is not part of the least-squares fit (bench/scale.ts fitModel): it is 60M hashes on 1B's budget a
   hash, rows copied (52 passes a table), the median of 4 runs (8.07 CPU-s a table) less perRow, perCoarse
   and the pair tests, per hash per pass; `npm run bench -- --only lsh-engines` checks it (--check). */
export const FITTED: CostConstants = {
  perRow: 36.83e-9,
  perLog: 12.42e-9,
  perTest: 1.55e-9,
  perKey: 11.93e-9,
  perCoarse: -0.5e-9,
  perScan: 3.17e-9,
  perCopy: 1.67e-9,
};
/**
 * Hashes past which a hash costs more the more there are: a table gathers each of its rows from anywhere in
 * the hashes, and past ~128 MB of them (4M rows of 32 bytes) the page walks of those reads miss the caches
 * more with every doubling. Measured: 36-39 ns a hash a table besides its pair tests at 1M-3M, 52 at 10M,
 * 81 at 30M, 102 at 60M; a model linear in n put a 60M check 22 % above it.
 */
export const GROWS_FROM = 2 ** 22;
/** Doublings of d past GROWS_FROM (0 below it). */
export const doublings = (d: number): number => Math.max(0, Math.log2(d / GROWS_FROM));
/** The Node process itself, the plan and output buffers: measured baseline RSS of a task. */
const RUNTIME_BYTES = 80 * 2 ** 20;
/**
 * Peak bytes of a distinct pair a task finds (native/kernels/lsh.c), besides the passes' scratch: each
 * thread keeps its pairs in a hash set at most half full (12-byte slots: 24 to 48 bytes a pair), and a
 * set doubling holds its old and new slots at once (24 + 48) while the table's passes still run. Past the
 * tables the sets are freed before the sort (sort_pairs: keys and distances twice, 24 bytes a pair), and
 * the columns handed to JavaScript take 24. The pairs a task finds depend on the data, not the plan:
 * `plan --pairs N` adds N of them to the working memory.
 */
export const PAIR_BYTES = 72;

export interface SizingInput {
  readonly distinct: number;
  readonly bits: number;
  readonly keyBits: number;
  /** The plan's partition bits (default lshParams' for distinct and keyBits): a pass row's size depends on the key bits below them. */
  readonly partitionBits?: number;
  readonly tables: number;
  readonly tasks: number;
  readonly workers: number;
  /** The task's scratch besides the mapped hashes (default DEFAULT_NATIVE_TASK_BYTES, as pairs --memory sets it). */
  readonly taskBytes?: number;
  /** Pairs the task is expected to find (default 0): PAIR_BYTES each are added to the working memory. */
  readonly pairs?: number;
}

/** What a table costs a thread besides its first key computation: passes that recompute every key, whether it kept coarse bytes, and the passes that scan them. */
export interface TableWork {
  readonly recomputes: number;
  readonly coarse: number;
  readonly scans: number;
  /** The passes copy their rows (scans of perCopy, no gathers), not gather them. */
  readonly copied?: boolean;
}
export const KEYS_KEPT: TableWork = { recomputes: 0, coarse: 0, scans: 0 };

export interface TaskEstimate {
  readonly tablesPerTask: number;
  /** CPU seconds of one task, and of all tasks together */
  readonly cpuPerTask: number;
  readonly cpuTotal: number;
  /** Hashes, memory-mapped (shared by the task's threads and, through the page cache, by tasks on one node), and everything else (with PAIR_BYTES for each expected pair), bytes */
  readonly hashBytes: number;
  readonly workingBytes: number;
  /** What the thread's budget keeps of a table, and the passes a table takes. */
  readonly keep: NativeKeep;
  readonly passes: number;
  readonly work: TableWork;
  /** Threads the task runs (fewer than asked when sharing the budget would keep less of a table: lshNative.ts nativeThreads). */
  readonly threads: number;
}

/** Pair tests per table: pairs of distinct hashes that share a k-bit key, for unrelated hashes. */
export const testsPerTable = (d: number, k: number): number => (d * d) / 2 ** (k + 1);

/**
 * A table's extra work: kept keys, none; kept coarse bytes, each hash's key once more in its own pass and
 * a scan per pass (one pass: every key once more, no scan); nothing kept, every key once more in each pass.
 */
export function tableWork(keep: NativeKeep, passes: number, copied = false): TableWork {
  if (keep === NativeKeep.Keys) return KEYS_KEPT;
  if (keep === NativeKeep.Coarse && copied) return { recomputes: 0, coarse: 1, scans: passes, copied: true };
  if (keep === NativeKeep.Coarse) return passes > 1 ? { recomputes: 0, coarse: 1, scans: passes } : { recomputes: 1, coarse: 0, scans: 0 };
  return { recomputes: passes, coarse: 0, scans: 0 };
}

export function cpuPerTable(d: number, k: number, work: TableWork = KEYS_KEPT, c: CostConstants = FITTED): number {
  if (work.copied) return d * (c.perRow + c.perCoarse + c.perCopy * work.scans) + c.perTest * testsPerTable(d, k);
  return (
    d * (c.perRow + c.perLog * doublings(d)) +
    c.perTest * testsPerTable(d, k) +
    d * (c.perKey * work.recomputes + c.perCoarse * work.coarse + c.perScan * work.scans)
  );
}

export function estimateTask(s: SizingInput, c: CostConstants = FITTED): TaskEstimate {
  const tablesPerTask = Math.ceil(s.tables / s.tasks);
  const taskBytes = s.taskBytes ?? DEFAULT_NATIVE_TASK_BYTES;
  const lowBits = s.keyBits - (s.partitionBits ?? defaultPartitionBits(s.distinct, s.keyBits));
  const threads = nativeThreads(s.distinct, Math.max(1, Math.min(s.workers, tablesPerTask)), taskBytes, lowBits);
  const pass = nativePassPlan(s.distinct, Math.floor(taskBytes / threads), lowBits);
  const work = tableWork(pass.keep, pass.passes, pass.copied);
  const perTable = cpuPerTable(s.distinct, s.keyBits, work, c);
  const kept = pass.keep === NativeKeep.Keys ? NATIVE_KEY_BYTES : pass.keep === NativeKeep.Coarse ? NATIVE_COARSE_BYTES : 0;
  const perThread = s.distinct * kept + Math.min(s.distinct, pass.passRows) * pass.rowBytes;
  return {
    tablesPerTask,
    cpuPerTask: tablesPerTask * perTable,
    cpuTotal: s.tables * perTable,
    hashBytes: s.distinct * LSH_ROW_BYTES,
    workingBytes: RUNTIME_BYTES + threads * perThread + (s.pairs ?? 0) * PAIR_BYTES,
    keep: pass.keep,
    passes: pass.passes,
    work,
    threads,
  };
}

/** The plan lshParams would make for d distinct hashes (key bits and tables), for sizing datasets not hashed yet. */
export function plannedFor(d: number, bits: number, radius: number, recall: number): { keyBits: number; tables: number; recallAtRadius: number } {
  const keyBits = defaultKeyBits(d, bits, radius);
  const tables = tablesFor(bits, radius - 1, keyBits, recall);
  return { keyBits, tables, recallAtRadius: 1 - Math.pow(1 - collisionProbability(bits, radius - 1, keyBits), tables) };
}
