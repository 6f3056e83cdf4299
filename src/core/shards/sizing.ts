/**
 * CPU and memory of a table-shard task, from the number of distinct hashes and the LSH plan. The model
 * follows the native table loop (native/kernels/lsh.c): a table costs a pass over every hash (one key
 * computation, partitions, the bucket sort and the gather of the rows: PER_ROW_TABLE seconds a hash), one
 * more key computation a hash for each extra time its budget makes it compute the keys (PER_KEY; see
 * pairs/lshNative.ts nativePassPlan), and one exact test per pair of hashes sharing a bucket (about
 * d^2 / 2^(k+1) for k key bits: PER_TEST seconds each). The constants were fitted by least squares on
 * table shards of 10M to 30M planted hashes on this project's 2-core machine (`npm run bench -- --only
 * lsh-engines` prints the fit and its error); memory is what the code allocates.
 */
import { DEFAULT_NATIVE_TASK_BYTES } from '../pairs/lsh.js';
import { NATIVE_KEY_BYTES, NATIVE_PASS_BYTES, NATIVE_PASS_ROW_BYTES, NativeKeep, nativePassPlan } from '../pairs/lshNative.js';
import { LSH_ROW_BYTES } from '../pairs/lshKernel.js';
import { collisionProbability, defaultKeyBits, tablesFor } from '../pairs/lshParams.js';

/** Seconds per hash per table, per extra key computation per hash, and per pair test (fitted: see above). */
export const PER_ROW_TABLE = 41e-9;
export const PER_KEY = 88e-9;
export const PER_TEST = 4e-9;
/** The Node process itself, the plan and output buffers: measured baseline RSS of a task. */
const RUNTIME_BYTES = 80 * 2 ** 20;

export interface SizingInput {
  readonly distinct: number;
  readonly bits: number;
  readonly keyBits: number;
  readonly tables: number;
  readonly tasks: number;
  readonly workers: number;
  /** The task's scratch besides the mapped hashes (default DEFAULT_NATIVE_TASK_BYTES, as pairs --memory sets it). */
  readonly taskBytes?: number;
}

export interface TaskEstimate {
  readonly tablesPerTask: number;
  /** CPU seconds of one task, and of all tasks together */
  readonly cpuPerTask: number;
  readonly cpuTotal: number;
  /** Hashes, memory-mapped (shared by the task's threads and, through the page cache, by tasks on one node), and everything else, bytes */
  readonly hashBytes: number;
  readonly workingBytes: number;
  /** Key computations a hash per table: 1 when a thread keeps the keys, more on a smaller budget. */
  readonly keyComputations: number;
  readonly passes: number;
}

/** Pair tests per table: pairs of distinct hashes that share a k-bit key, for unrelated hashes. */
export const testsPerTable = (d: number, k: number): number => (d * d) / 2 ** (k + 1);

/** Times a table computes every hash's key: kept keys once; kept pass numbers once, plus once in the first pass, plus the later passes' own rows; else once plus once per pass. */
export function keyComputations(keep: NativeKeep, passes: number): number {
  if (keep === NativeKeep.Keys) return 1;
  if (keep === NativeKeep.Passes) return passes > 1 ? 3 : 2;
  return 1 + passes;
}

export function cpuPerTable(d: number, k: number, keys = 1, perRow = PER_ROW_TABLE, perTest = PER_TEST, perKey = PER_KEY): number {
  return perRow * d + perKey * d * (keys - 1) + perTest * testsPerTable(d, k);
}

export function estimateTask(s: SizingInput): TaskEstimate {
  const tablesPerTask = Math.ceil(s.tables / s.tasks);
  const threads = Math.max(1, Math.min(s.workers, tablesPerTask));
  const pass = nativePassPlan(s.distinct, Math.floor((s.taskBytes ?? DEFAULT_NATIVE_TASK_BYTES) / threads));
  const keys = keyComputations(pass.keep, pass.passes);
  const perTable = cpuPerTable(s.distinct, s.keyBits, keys);
  const kept = pass.keep === NativeKeep.Keys ? NATIVE_KEY_BYTES : pass.keep === NativeKeep.Passes ? NATIVE_PASS_BYTES : 0;
  const perThread = s.distinct * kept + Math.min(s.distinct, pass.passRows) * NATIVE_PASS_ROW_BYTES;
  return {
    tablesPerTask,
    cpuPerTask: tablesPerTask * perTable,
    cpuTotal: s.tables * perTable,
    hashBytes: s.distinct * LSH_ROW_BYTES,
    workingBytes: RUNTIME_BYTES + threads * perThread,
    keyComputations: keys,
    passes: pass.passes,
  };
}

/** The plan lshParams would make for d distinct hashes (key bits and tables), for sizing datasets not hashed yet. */
export function plannedFor(d: number, bits: number, radius: number, recall: number): { keyBits: number; tables: number; recallAtRadius: number } {
  const keyBits = defaultKeyBits(d, bits, radius);
  const tables = tablesFor(bits, radius - 1, keyBits, recall);
  return { keyBits, tables, recallAtRadius: 1 - Math.pow(1 - collisionProbability(bits, radius - 1, keyBits), tables) };
}
