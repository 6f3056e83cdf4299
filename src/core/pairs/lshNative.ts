/**
 * The LSH table loop in C (native/kernels/lsh.c, in the kernels addon that `npm ci` builds): the same
 * plan and the same pairs as the WebAssembly kernel (lshKernel.ts, which stays the fallback and the
 * oracle: lshNative.test.ts compares them), but it reads the hashes in place, a buffer or a
 * memory-mapped file, instead of holding them in one 4 GB wasm memory, and a pass moves 8 bytes a row
 * instead of the row. It runs when the addon is built and the kernel level (MEDIA_DEDUPE_KERNELS) allows
 * native code; otherwise lsh.ts runs the WebAssembly kernel and says why (`engine` of the run).
 */
import { kernelLevel, nativeKernels, nativeKernelsInfo } from '../kernels/kernels.js';

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
  keepKeys: boolean,
  threads: number,
) => NativeLshResult;

/** Bytes a row takes in a native pass (its index and low key bits) and a kept key. */
export const NATIVE_PASS_ROW_BYTES = 8;
export const NATIVE_KEY_BYTES = 4;

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
 * three quarters of it, the rest holding passes of 8 bytes a row (re-reading kept keys per pass is cheap);
 * past that every pass recomputes the keys from the hashes, which costs a read of the hashes per pass but
 * keeps the thread's memory within the budget at any n (1B hashes: 4 GB of keys would not fit a 2 GB worker).
 */
export function nativePassPlan(n: number, budgetBytes: number): { readonly keepKeys: boolean; readonly passRows: number } {
  const keepKeys = n * NATIVE_KEY_BYTES * 4 <= budgetBytes * 3;
  const rest = budgetBytes - (keepKeys ? n * NATIVE_KEY_BYTES : 0);
  return { keepKeys, passRows: Math.max(1, Math.floor(rest / NATIVE_PASS_ROW_BYTES)) };
}
