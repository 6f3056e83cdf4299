/**
 * The LSH table loop in C (native/kernels/lsh.c, in the kernels addon that `npm ci` builds): the same
 * plan and the same pairs as the WebAssembly kernel (lshKernel.ts, which stays the fallback and the
 * oracle: lshNative.test.ts compares them), but it reads the hashes in place, a buffer or a
 * memory-mapped file, instead of holding them in one 4 GB wasm memory, and a pass moves 6 bytes a row
 * (8 when a key's bits below its partition pass 16) instead of the row. It runs when the addon is built and the kernel level (MEDIA_DEDUPE_KERNELS) allows
 * native code; otherwise lsh.ts runs the WebAssembly kernel and says why (`engine` of the run).
 */
import { kernelLevel, nativeKernels, nativeKernelsInfo } from '../kernels/kernels.js';
import { cpuPerTable, FITTED, KEYS_KEPT, restReadRate, type CostConstants, type PrefixSearch, type TableWork } from './lshCost.js';
import { LSH_ROW_BYTES } from './lshKernel.js';

export interface NativeLshResult {
  readonly i: Uint32Array;
  readonly j: Uint32Array;
  readonly distance: Uint32Array;
  readonly candidates: number;
  readonly hits: number;
  readonly passes: number;
  /** Pair tests a copied prefix did not reject, whose rest was read from the hashes. */
  readonly tails: number;
}

/** The addon's function: rows are a Uint8Array of n * stride bytes, or the path of a file of them (mapped read-only). */
export type LshTablesC = (
  rows: Uint8Array | string,
  n: number,
  stride: number,
  items: Int32Array | null,
  keyBits: number,
  partitionBits: number,
  radius: number,
  tableBits: Int32Array,
  passRows: number,
  keep: number,
  threads: number,
) => NativeLshResult;

/** What a thread keeps of a table between passes (lsh.h LSH_KEEP_*): nothing, each row's coarse byte (the top 8 bits of its partition), each row's key. */
export const NativeKeep = { Nothing: 0, Coarse: 1, Keys: 2 } as const;
export type NativeKeep = (typeof NativeKeep)[keyof typeof NativeKeep];

/** What a thread keeps, in words (undefined: the default budget, which keeps the keys up to ~100M hashes). */
export const nativeKeepName = (keep: NativeKeep | undefined): string =>
  keep === undefined || keep === NativeKeep.Keys ? 'keys' : keep === NativeKeep.Coarse ? 'coarse bytes' : 'nothing';

/**
 * Bytes a row takes in a native pass: its index (4) and its key's bits below the partition (lsh.c put_rec:
 * 2 bytes up to 16 bits, which the plan's keys always are: at most 26 bits, 16 of them partition bits past
 * 16M hashes; else 4). Then a kept key and a kept coarse byte.
 */
export const nativePassRowBytes = (lowBits: number): number => (lowBits <= 16 ? 6 : 8);
export const NATIVE_KEY_BYTES = 4;
export const NATIVE_COARSE_BYTES = 1;
/** Or'ed into the addon's keep argument (lsh.h LSH_PASS_ROWS): a pass record carries its row too. */
export const NATIVE_PASS_ROWS = 4;
/** lsh.h LSH_PASS_WORDS_SHIFT: the half words (4 bytes) of a row a pass record carries (1-7; 0: all of it), shifted in with NATIVE_PASS_ROWS. */
const NATIVE_PASS_WORDS_SHIFT = 3;
/**
 * Bytes of each row a copying pass carries by default: its first 24 (of 32). A bucket's pair tests
 * reject on them (their distance is a lower bound of the row's), and read the last 8 bytes of both rows
 * from the hashes only for a pair closer than the radius on the first 24 (for unrelated 256-bit hashes
 * about 1 in 10^7 at the 0.2 threshold: 24 bytes hold ~170 bits outside a table's key, 85 +- 6.5 of them
 * differ). 30 bytes a pass row instead of 38: at 1B on 1.75 GB, 37 passes a table instead of 52 (nativePasses).
 */
export const NATIVE_COPY_PREFIX_BYTES = 24;
/** The prefixes a copying pass may carry when the model knows the search (lsh.c copies 4 bytes at a time; 32: the whole row). */
export const COPY_PREFIX_CHOICES: readonly number[] = [16, 20, 24, 28, 32];
/**
 * Distinct hashes from which a thread keeping coarse bytes copies each row into its pass (lsh.c: while the
 * pass finds its rows in index order, a sparse stream of the hashes) instead of gathering a bucket's rows
 * from anywhere in them: 24 more bytes a pass row (NATIVE_COPY_PREFIX_BYTES), so about 5x the passes, but
 * no random read of the mapped hashes. One thread on 1B's budget a hash, interleaved (README): whole rows
 * copied took 1.5x the CPU at 10M, about the same at 30M, 0.91x at 60M; the gathers' cost grows with n
 * (page walks over more hashes), the copies' not.
 */
export const COPY_ROWS_FROM = 2 ** 25;

/** The addon's keep argument: what a thread keeps, and the bytes of a row its passes copy (0: none; LSH_ROW_BYTES or more: all). */
export const nativeKeepArg = (keep: NativeKeep, copyBytes: number): number =>
  keep | (copyBytes > 0 ? NATIVE_PASS_ROWS | (copyBytes < LSH_ROW_BYTES ? Math.ceil(copyBytes / 4) << NATIVE_PASS_WORDS_SHIFT : 0) : 0);

/** The native table loop, or why it does not run here. */
export function nativeLsh(): { readonly run?: LshTablesC; readonly why?: string } {
  if (kernelLevel() !== 'native') return { why: `MEDIA_DEDUPE_KERNELS=${kernelLevel()}` };
  const addon = nativeKernels() as { lshTables?: LshTablesC } | undefined;
  if (!addon) return { why: `the kernels addon is unavailable: ${nativeKernelsInfo().reason}` };
  if (typeof addon.lshTables !== 'function') return { why: 'the kernels addon predates the LSH table loop (run npm rebuild)' };
  return { run: addon.lshTables };
}

/** What a thread keeps of a table and how its passes move the rows: forced (the bench, the tests), else chosen by the cost model. */
export interface NativePassChoice {
  readonly keep?: NativeKeep;
  /**
   * Bytes of each row the passes copy (only when coarse bytes are kept): 0 gathers the rows, 8, 16 or 24
   * copy a prefix (the rest read from the hashes for the pairs it does not reject), 32 the whole row.
   */
  readonly copyBytes?: number;
  /**
   * The search (hash bits, key bits, radius): with it the model picks the prefix a copying pass carries
   * (COPY_PREFIX_CHOICES) by the rest-reads each sends to the hashes (lshCost.ts restReadRate, perRest);
   * without it, NATIVE_COPY_PREFIX_BYTES.
   */
  readonly search?: PrefixSearch;
}

export interface NativePassPlan {
  readonly keep: NativeKeep;
  readonly passRows: number;
  readonly passes: number;
  readonly rowBytes: number;
  readonly copied: boolean;
  /** Bytes of a row a pass record carries (0 when rows are gathered). */
  readonly copyBytes: number;
  /** Of the pair tests, the share the copied prefix sends to the hashes by the model (restReadRate; 0 without the search). */
  readonly restRate: number;
  /** What a table costs a thread by the model (lshCost.ts), seconds a hash besides the pair tests (but with those rest-reads). */
  readonly costPerHash: number;
}

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

/** Bytes a thread keeps of a table, a hash. */
const keptBytes = (keep: NativeKeep): number => (keep === NativeKeep.Keys ? NATIVE_KEY_BYTES : keep === NativeKeep.Coarse ? NATIVE_COARSE_BYTES : 0);

/** A table's key bits and the top ones of them that pick its partition (lsh.ts LshPlan has both). */
export interface KeySplit {
  readonly keyBits: number;
  readonly partitionBits: number;
}

/**
 * The passes lsh.c makes a table: a pass is a run of whole units (a partition, or with coarse bytes kept
 * past 8 partition bits the partitions of one coarse byte: 256 units) holding at most passRows rows, so a
 * pass holds a whole number of units and a budget a little short of another unit leaves that room unused
 * (at 1B on 1.75 GB, 3.9M rows a coarse unit: a pass of 33.8M rows takes 8 units, 32 passes, not the 30 that
 * n / passRows gives). Units counted as equally full (uniform keys; the loop's own counts vary by a few
 * parts in a thousand at 1B).
 */
export function nativePasses(n: number, passRows: number, key: KeySplit, keep: NativeKeep): number {
  const units = keep === NativeKeep.Coarse && key.partitionBits > 8 ? 256 : 2 ** key.partitionBits;
  if (passRows >= n) return 1;
  return Math.ceil(units / Math.max(1, Math.floor(passRows / (n / units))));
}

/** One way to spend the budget: the passes it makes and what a table costs by the model. */
function passPlan(
  n: number,
  budgetBytes: number,
  key: KeySplit,
  keep: NativeKeep,
  copyBytes: number,
  costs: CostConstants,
  search?: PrefixSearch,
): NativePassPlan {
  const lowBits = key.keyBits - key.partitionBits;
  // a copied row takes at most a full row's bytes (LSH_ROW_BYTES; fewer with shorter hashes, so a pass stays within the budget)
  const copy = keep !== NativeKeep.Coarse ? 0 : Math.min(LSH_ROW_BYTES, Math.ceil(copyBytes / 4) * 4); // lsh.c copies 4 bytes at a time
  const rowBytes = nativePassRowBytes(lowBits) + copy;
  const passRows = Math.max(1, Math.floor((budgetBytes - n * keptBytes(keep)) / rowBytes));
  const passes = nativePasses(n, passRows, key, keep);
  // the pair tests are the same whatever the budget: left out (key bits past any test)
  // nor the pair tests, but those a copied prefix sends to the hashes (perRest each): theirs at the plan's key bits
  const work = tableWork(keep, passes, copy > 0);
  const restRate = copy > 0 && search ? restReadRate(copy, search) : 0;
  const rest = search ? costs.perRest * restRate * (n / 2 ** (search.keyBits + 1)) : 0;
  const costPerHash = n > 0 ? cpuPerTable(n, 62, work, costs) / n + rest : 0;
  return { keep, passRows, passes, rowBytes, copied: copy > 0, copyBytes: copy, restRate, costPerHash };
}

/**
 * How a thread spends its scratch budget, the cheapest way by the cost model (lshCost.ts) among those that
 * fit: the table's keys (4 bytes a row, when they take at most three quarters of it), the rest holding
 * passes of nativePassRowBytes a row (6, or 8 past 16 low key bits) whose buckets gather their rows from
 * the hashes; or each row's coarse byte (1 byte a row, at most three quarters): the partition count
 * computes every key once, and each pass scans the bytes for its own rows and computes only their keys,
 * gathering its buckets' rows, or, from COPY_ROWS_FROM hashes and in more than one pass, copying each
 * row's first bytes into the pass as it finds them (no gathers, more passes; the prefix, COPY_PREFIX_CHOICES,
 * the cheapest by its passes and the rest-reads it sends to the hashes when the search is known, else
 * NATIVE_COPY_PREFIX_BYTES: at threshold 0.2, 20 bytes from 60M to 1B); or
 * nothing: every pass recomputes every key (a read of the hashes per pass), so a thread's memory stays
 * within the budget at any n. Gathers cost more the more hashes there are (perLog) and copies more the
 * more passes, so where both fit the model picks: at 1B on --memory 5 (5 GB, one thread) copying 24 bytes
 * a row (7 passes; 20 bytes, 6 passes, with the search known) instead of keeping the keys (5 passes, rows gathered), which keeping whatever fits chose; measured at 30M on that budget a hash: 0.89x the CPU a table.
 */
export function nativePassPlan(n: number, budgetBytes: number, key: KeySplit, choice: NativePassChoice = {}, costs: CostConstants = FITTED): NativePassPlan {
  const fits = (keep: NativeKeep): boolean => n * keptBytes(keep) * 4 <= budgetBytes * 3;
  // rows copied are asked for with coarse bytes, the only keep that copies them
  const asked = choice.keep ?? (choice.copyBytes ? NativeKeep.Coarse : undefined);
  const keeps =
    asked !== undefined && fits(asked) ? [asked] : [NativeKeep.Keys, NativeKeep.Coarse, NativeKeep.Nothing].filter((k) => k === NativeKeep.Nothing || fits(k));
  let best: NativePassPlan | undefined;
  for (const keep of keeps)
    for (const copy of keep !== NativeKeep.Coarse
      ? [0]
      : choice.copyBytes !== undefined
        ? [choice.copyBytes]
        : n >= COPY_ROWS_FROM
          ? [0, ...(choice.search ? COPY_PREFIX_CHOICES : [NATIVE_COPY_PREFIX_BYTES])]
          : [0]) {
      const p = passPlan(n, budgetBytes, key, keep, copy, costs, choice.search);
      // a copy in one pass is not what lsh.c's copying passes do (one pass recomputes every key): not offered
      if (choice.copyBytes === undefined && p.copied && p.passes < 2) continue;
      if (!best || p.costPerHash < best.costPerHash) best = p;
    }
  return best!;
}

/**
 * Threads for a task's native loop: as many as asked (and as it has tables), unless sharing the budget
 * among them would make a table cost a thread more than 10 % more CPU by the model than one thread with the
 * whole budget: then the most threads that stay within that. A thread's passes cost a read of the hashes
 * each, so at 1B hashes one thread keeping coarse bytes costs about half the CPU a table of two keeping
 * nothing (115 against 218 ns a hash by the model).
 */
export function nativeThreads(n: number, workers: number, taskBytes: number, key: KeySplit, search?: PrefixSearch): number {
  const best = nativePassPlan(n, taskBytes, key, { search }).costPerHash;
  let threads = Math.max(1, workers);
  while (threads > 1 && nativePassPlan(n, Math.floor(taskBytes / threads), key, { search }).costPerHash > best * 1.1) threads--;
  return threads;
}
