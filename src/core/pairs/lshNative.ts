/**
 * The LSH table loop in C (native/kernels/lsh.c, in the kernels addon that `npm ci` builds): the same
 * plan and the same pairs as the WebAssembly kernel (lshKernel.ts, which stays the fallback and the
 * oracle: lshNative.test.ts compares them), but it reads the hashes in place, a buffer or a
 * memory-mapped file, instead of holding them in one 4 GB wasm memory, and a pass moves 6 bytes a row
 * (8 when a key's bits below its partition pass 16) instead of the row. It runs when the addon is built and the kernel level (MEDIA_DEDUPE_KERNELS) allows
 * native code; otherwise lsh.ts runs the WebAssembly kernel and says why (`engine` of the run).
 */
import { kernelLevel, nativeKernels, nativeKernelsInfo } from '../kernels/kernels.js';
import { LSH_ROW_BYTES } from './lshKernel.js';

export interface NativeLshResult {
  readonly i: Uint32Array;
  readonly j: Uint32Array;
  readonly distance: Uint32Array;
  readonly candidates: number;
  readonly hits: number;
  readonly passes: number;
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
  keep: NativeKeep,
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
/**
 * Distinct hashes from which a thread keeping coarse bytes copies each row into its pass (lsh.c: while the
 * pass finds its rows in index order, a sparse stream of the hashes) instead of gathering a bucket's rows
 * from anywhere in them: 32 more bytes a pass row, so about 7x the passes, but no random read of the
 * mapped hashes. One thread on 1B's budget a hash, interleaved (README): 1.5x the CPU at 10M, about the
 * same at 30M, 0.91x at 60M; the gathers' cost grows with n (page walks over more hashes), the copies' not.
 */
export const COPY_ROWS_FROM = 2 ** 25;

/** The native table loop, or why it does not run here. */
export function nativeLsh(): { readonly run?: LshTablesC; readonly why?: string } {
  if (kernelLevel() !== 'native') return { why: `MEDIA_DEDUPE_KERNELS=${kernelLevel()}` };
  const addon = nativeKernels() as { lshTables?: LshTablesC } | undefined;
  if (!addon) return { why: `the kernels addon is unavailable: ${nativeKernelsInfo().reason}` };
  if (typeof addon.lshTables !== 'function') return { why: 'the kernels addon predates the LSH table loop (run npm rebuild)' };
  return { run: addon.lshTables };
}

/**
 * How a thread spends its scratch budget: the table's keys (4 bytes a row) are kept when they take at most
 * three quarters of it, the rest holding passes of nativePassRowBytes a row (6, or 8 past 16 low key bits; re-reading kept keys per pass is cheap).
 * Else each row's coarse byte (1 byte a row) when it takes at most three quarters: the partition count
 * computes every key once, and each pass scans the bytes for its own rows and computes only their keys,
 * so a table costs two key computations a row however many passes it takes. Else every pass recomputes
 * every key (a read of the hashes per pass), so a thread's memory stays within the budget at any n.
 */
export function nativePassPlan(
  n: number,
  budgetBytes: number,
  lowBits: number,
  /** Copy rows into the passes (only when coarse bytes are kept); default: from COPY_ROWS_FROM hashes. */
  copyRows?: boolean,
): { readonly keep: NativeKeep; readonly passRows: number; readonly passes: number; readonly rowBytes: number; readonly copied: boolean } {
  const keep: NativeKeep =
    n * NATIVE_KEY_BYTES * 4 <= budgetBytes * 3 ? NativeKeep.Keys : n * NATIVE_COARSE_BYTES * 4 <= budgetBytes * 3 ? NativeKeep.Coarse : NativeKeep.Nothing;
  const kept = keep === NativeKeep.Keys ? n * NATIVE_KEY_BYTES : keep === NativeKeep.Coarse ? n * NATIVE_COARSE_BYTES : 0;
  const copied = keep === NativeKeep.Coarse && (copyRows ?? n >= COPY_ROWS_FROM);
  // a copied row takes a full row's bytes (LSH_ROW_BYTES; fewer with shorter hashes, so a pass stays within the budget)
  const rowBytes = nativePassRowBytes(lowBits) + (copied ? LSH_ROW_BYTES : 0);
  const passRows = Math.max(1, Math.floor((budgetBytes - kept) / rowBytes));
  return { keep, passRows, passes: Math.ceil(n / passRows), rowBytes, copied };
}

/**
 * Threads for a task's native loop: as many as asked (and as it has tables), unless sharing the budget
 * among them would keep less of a table than one thread could (keys, or coarse bytes): then the most
 * threads that still keep as much. A thread's passes cost a read of the hashes each, so at 1B hashes
 * one thread keeping coarse bytes costs about a third of the CPU of two keeping nothing.
 */
export function nativeThreads(n: number, workers: number, taskBytes: number, lowBits: number): number {
  const best = nativePassPlan(n, taskBytes, lowBits).keep;
  let threads = Math.max(1, workers);
  while (threads > 1 && nativePassPlan(n, Math.floor(taskBytes / threads), lowBits).keep < best) threads--;
  return threads;
}
