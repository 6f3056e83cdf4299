/**
 * Runs a list of LSH tables over packed hashes with the WASM kernel (lsh.wat) and returns the verified
 * pairs, deduplicated: in this thread, or in a worker (lshWorker.ts) with a share of the tables.
 */
import { LSH_WASM_BASE64 } from './lshWasm.js';
import { PairSet, type FoundPairs } from './pairSet.js';
import { compiledOnce, instantiate, type WasmMemory } from './wasm.js';

const lshModule = compiledOnce(LSH_WASM_BASE64);

export interface LshJob {
  /** n rows of `wordsPerRow` 32-bit words (a SharedArrayBuffer when sent to workers, so it is not copied). */
  readonly data: Uint32Array;
  readonly n: number;
  readonly wordsPerRow: number;
  readonly keyBits: number;
  readonly partitionBits: number;
  /** exclusive: pairs have fewer differing bits */
  readonly radius: number;
  /** Bit positions, keyBits per table, for the tables this job runs. */
  readonly tableBits: Int32Array;
  /** An item id per row: rows of one item are never paired (shared like `data` when sent to workers). */
  readonly items?: Int32Array;
}

export interface LshResult {
  /** (row, row, differing bits), i < j */
  readonly pairs: FoundPairs;
  /** Pairs tested with exact popcount (each a candidate), over all tables, before deduplication. */
  readonly candidates: number;
  /** Pairs within the radius before deduplication (a true pair is found by many tables). */
  readonly hits: number;
}

export function runLshTables(job: LshJob): LshResult {
  const { n, wordsPerRow, keyBits, partitionBits, radius, tableBits } = job;
  const tables = tableBits.length / keyBits;
  const low = keyBits - partitionBits;
  const np = 2 ** partitionBits;
  const nb = 2 ** low;
  const align = (x: number) => Math.ceil(x / 64) * 64;

  // Byte offsets of every buffer in the kernel's memory; `out` last so it can grow.
  let at = 0;
  const take = (bytes: number) => {
    const p = at;
    at = align(at + bytes);
    return p;
  };
  const oData = take(n * 32);
  const oKeys = take(n * 4);
  const oProws = take(n * 32);
  const oPidx = take(n * 4);
  const oPkey = take(n * 4);
  // Sized for a partition holding every row (degenerate data); only the pages a partition touches are used.
  const oLrows = take(n * 32);
  const oLidx = take(n * 4);
  const oStart = take((np + 1) * 4);
  const oCur = take(np * 4);
  const oLcnt = take((nb + 1) * 4);
  const oLut = take(32 * 256 * 4);
  const oTouched = take(32 * 4);
  const oStats = take(8);
  const oItems = take(job.items ? n * 4 : 0);
  const oOut = at;
  let cap = Math.max(4096, Math.min(n, 1 << 20));

  const exp = instantiate<{
    memory: WasmMemory;
    keys(data: number, n: number, lut: number, touched: number, nt: number, out: number): void;
    partition(data: number, n: number, keys: number, low: number, np: number, start: number, cur: number, prows: number, pidx: number, pkey: number): void;
    scan(
      prows: number,
      pidx: number,
      pkey: number,
      start: number,
      low: number,
      p0: number,
      p1: number,
      lcnt: number,
      lrows: number,
      lidx: number,
      radius: number,
      out: number,
      cap: number,
      stats: number,
      items: number,
      useItems: number,
    ): number;
  }>(lshModule());
  const mem = exp.memory;
  const need = oOut + cap * 12;
  if (mem.buffer.byteLength < need) mem.grow(Math.ceil((need - mem.buffer.byteLength) / 65536));

  // Rows are 32 bytes in the kernel; shorter hashes are zero-padded, which leaves distances unchanged.
  {
    const dst = new Uint32Array(mem.buffer, oData, n * 8);
    if (wordsPerRow === 8) dst.set(job.data.subarray(0, n * 8));
    else for (let r = 0; r < n; r++) for (let w = 0; w < wordsPerRow; w++) dst[r * 8 + w] = job.data[r * wordsPerRow + w];
  }

  const useItems = job.items ? 1 : 0;
  if (job.items) new Int32Array(mem.buffer, oItems, n).set(job.items.subarray(0, n));

  const found = new PairSet(Math.max(1024, n >>> 4));
  let candidates = 0;
  let hits = 0;
  for (let t = 0; t < tables; t++) {
    // A lookup table per touched byte: byte value -> its sampled bits moved to their key positions.
    const lut = new Uint32Array(mem.buffer, oLut, 32 * 256);
    const touched = new Int32Array(mem.buffer, oTouched, 32);
    const used = new Uint8Array(32);
    let nt = 0;
    for (let j = 0; j < keyBits; j++) {
      const p = tableBits[t * keyBits + j];
      const byte = p >>> 3;
      if (!used[byte]) {
        used[byte] = 1;
        touched[nt++] = byte;
        lut.fill(0, byte * 256, byte * 256 + 256);
      }
      const bit = 1 << (p & 7);
      for (let v = 0; v < 256; v++) if (v & bit) lut[byte * 256 + v] |= 1 << j;
    }
    exp.keys(oData, n, oLut, oTouched, nt, oKeys);
    exp.partition(oData, n, oKeys, low, np, oStart, oCur, oProws, oPidx, oPkey);
    new BigUint64Array(mem.buffer, oStats, 1)[0] = 0n;
    let count = exp.scan(oProws, oPidx, oPkey, oStart, low, 0, np, oLcnt, oLrows, oLidx, radius, oOut, cap, oStats, oItems, useItems);
    if (count > cap) {
      // More hits than room: grow the output and scan this table again (same result, deterministic).
      cap = count;
      const want = oOut + cap * 12;
      if (mem.buffer.byteLength < want) mem.grow(Math.ceil((want - mem.buffer.byteLength) / 65536));
      new BigUint64Array(mem.buffer, oStats, 1)[0] = 0n;
      count = exp.scan(oProws, oPidx, oPkey, oStart, low, 0, np, oLcnt, oLrows, oLidx, radius, oOut, cap, oStats, oItems, useItems);
    }
    candidates += Number(new BigUint64Array(mem.buffer, oStats, 1)[0]);
    hits += count;
    const out = new Uint32Array(mem.buffer, oOut, count * 3);
    for (let q = 0; q < count * 3; q += 3) found.add(out[q], out[q + 1], out[q + 2]);
  }
  return { pairs: found.toPairs(), candidates, hits };
}
