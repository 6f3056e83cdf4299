/**
 * CPU and memory of a table-shard task, from the number of distinct hashes and the LSH plan: CPU by the
 * cost model of the native table loop (src/core/pairs/lshCost.ts, fitted on table shards of 1M to 60M
 * planted hashes on this project's 2-core machine: `npm run bench -- --only lsh-engines` prints the fit
 * and its error), for the passes lshNative.ts nativePassPlan chooses; memory is what the code allocates.
 */
import { DEFAULT_NATIVE_TASK_BYTES } from '../pairs/lsh.js';
import { cpuPerTable, FITTED, type CostConstants, type TableWork } from '../pairs/lshCost.js';
import { NATIVE_COARSE_BYTES, NATIVE_KEY_BYTES, NativeKeep, nativePassPlan, nativeThreads, tableWork } from '../pairs/lshNative.js';
import { LSH_ROW_BYTES } from '../pairs/lshKernel.js';
import { collisionProbability, defaultKeyBits, defaultPartitionBits, tablesFor } from '../pairs/lshParams.js';

export { cpuPerTable, doublings, FITTED, GROWS_FROM, KEYS_KEPT, testsPerTable, type CostConstants, type TableWork } from '../pairs/lshCost.js';
export { tableWork } from '../pairs/lshNative.js';

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
  /** The search's radius (exclusive, bits): the rest-reads of a copied prefix depend on it (lshCost.ts restReadRate); without it a copying pass carries lshNative's default prefix. */
  readonly radius?: number;
  /** Pairs the task is expected to find (default 0): PAIR_BYTES each are added to the working memory. */
  readonly pairs?: number;
}

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
  /** Threads the task runs (fewer than asked when sharing the budget would cost a table over 10 % more CPU by the model: lshNative.ts nativeThreads). */
  readonly threads: number;
}

export function estimateTask(s: SizingInput, c: CostConstants = FITTED): TaskEstimate {
  const tablesPerTask = Math.ceil(s.tables / s.tasks);
  const taskBytes = s.taskBytes ?? DEFAULT_NATIVE_TASK_BYTES;
  const key = { keyBits: s.keyBits, partitionBits: s.partitionBits ?? defaultPartitionBits(s.distinct, s.keyBits) };
  const search = s.radius === undefined ? undefined : { bits: s.bits, keyBits: s.keyBits, radius: s.radius };
  const threads = nativeThreads(s.distinct, Math.max(1, Math.min(s.workers, tablesPerTask)), taskBytes, key, search);
  const pass = nativePassPlan(s.distinct, Math.floor(taskBytes / threads), key, { search });
  const work = { ...tableWork(pass.keep, pass.passes, pass.copied), restRate: pass.restRate };
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
