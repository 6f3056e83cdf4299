/**
 * CPU and memory of a table-shard task, from the number of distinct hashes and the LSH plan. The model
 * follows the kernel (lshKernel.ts): a table costs a pass over every hash (keys, partitions, scatter,
 * bucket sort: PER_ROW_TABLE seconds a hash) plus one exact test per pair of hashes sharing a bucket
 * (about d^2 / 2^(k+1) for k key bits: PER_TEST seconds each). The two constants were fitted by least
 * squares on measured runs of 1M to 10M planted hashes on this project's 2-core machine
 * (`npm run bench -- --only scale` prints the fit and its error); memory is what the code allocates.
 */
import { collisionProbability, defaultKeyBits, tablesFor } from '../pairs/lshParams.js';
import { DEFAULT_PASS_BYTES } from '../pairs/lsh.js';
import { LSH_PASS_ROW_BYTES, LSH_ROW_BYTES } from '../pairs/lshKernel.js';

/** Seconds per hash per table, and per pair test (fitted: see above). */
export const PER_ROW_TABLE = 45e-9;
export const PER_TEST = 1.5e-9;
/** The Node process itself, the plan and output buffers: measured baseline RSS of a task. */
const RUNTIME_BYTES = 80 * 2 ** 20;
/** A wasm memory addresses at most 4 GB: hashes and every thread's scratch must fit in it. */
export const WASM_LIMIT_BYTES = 4 * 2 ** 30;

export interface SizingInput {
  readonly distinct: number;
  readonly bits: number;
  readonly keyBits: number;
  readonly tables: number;
  readonly tasks: number;
  readonly workers: number;
}

export interface TaskEstimate {
  readonly tablesPerTask: number;
  /** CPU seconds of one task, and of all tasks together */
  readonly cpuPerTask: number;
  readonly cpuTotal: number;
  /** Hashes in memory (shared by the task's threads) and everything else, bytes */
  readonly hashBytes: number;
  readonly workingBytes: number;
  /** false when hashes + scratch exceed what one wasm memory can address */
  readonly fitsWasm: boolean;
}

/** Pair tests per table: pairs of distinct hashes that share a k-bit key, for unrelated hashes. */
export const testsPerTable = (d: number, k: number): number => (d * d) / 2 ** (k + 1);

export function cpuPerTable(d: number, k: number, perRow = PER_ROW_TABLE, perTest = PER_TEST): number {
  return perRow * d + perTest * testsPerTable(d, k);
}

export function estimateTask(s: SizingInput): TaskEstimate {
  const perTable = cpuPerTable(s.distinct, s.keyBits);
  const tablesPerTask = Math.ceil(s.tables / s.tasks);
  const hashBytes = s.distinct * LSH_ROW_BYTES;
  const pass = Math.min(s.distinct * LSH_PASS_ROW_BYTES, DEFAULT_PASS_BYTES);
  const perThread = s.distinct * 4 + pass;
  const workingBytes = RUNTIME_BYTES + Math.min(s.workers, tablesPerTask) * perThread;
  return {
    tablesPerTask,
    cpuPerTask: tablesPerTask * perTable,
    cpuTotal: s.tables * perTable,
    hashBytes,
    workingBytes,
    fitsWasm: hashBytes + workingBytes - RUNTIME_BYTES <= WASM_LIMIT_BYTES,
  };
}

/** The plan lshParams would make for d distinct hashes (key bits and tables), for sizing datasets not hashed yet. */
export function plannedFor(d: number, bits: number, radius: number, recall: number): { keyBits: number; tables: number; recallAtRadius: number } {
  const keyBits = defaultKeyBits(d, bits, radius);
  const tables = tablesFor(bits, radius - 1, keyBits, recall);
  return { keyBits, tables, recallAtRadius: 1 - Math.pow(1 - collisionProbability(bits, radius - 1, keyBits), tables) };
}
