/**
 * Runs a list of LSH tables over packed hashes with the WASM kernel (lsh.wat) and returns the verified
 * pairs, deduplicated: in this thread, or in a worker (lshWorker.ts) with a share of the tables.
 *
 * Memory: the hashes sit once in a shared wasm memory (written by lsh.ts) that every thread reads in
 * place. A thread adds its own scratch at the end of that memory (memory.grow hands each caller its own
 * new pages, so threads never overlap): the keys of one table (4 bytes a row) and the rows of one pass
 * (40 bytes a row, at most `passRows`), so a thread's memory is bounded by the pass size, not by n.
 */
import { invalidOption } from '../errors.js';
import { LSH_WASM_BASE64 } from './lshWasm.js';
import { PairSet, type FoundPairs } from './pairSet.js';
import { compiledOnce, instantiate, wasm, type WasmMemory } from './wasm.js';

const lshModule = compiledOnce(LSH_WASM_BASE64);

/** Bytes of a row in the kernel: hashes of up to 256 bits, zero-padded (padding leaves distances unchanged). */
export const LSH_ROW_BYTES = 32;
/** Scratch bytes per row of a pass: the row, its index and its low key bits. */
export const LSH_PASS_ROW_BYTES = LSH_ROW_BYTES + 8;
const PAGE = 65536;
const MAX_PAGES = 65536;

export interface LshJob {
  /** Shared wasm memory: n rows of LSH_ROW_BYTES at `dataAt`, and an i32 item id per row at `itemsAt` when given. */
  readonly memory: WasmMemory;
  readonly dataAt: number;
  readonly n: number;
  /** Rows with the same item id are never paired (several hashes of one file or video). */
  readonly itemsAt?: number;
  readonly keyBits: number;
  readonly partitionBits: number;
  /** exclusive: pairs have fewer differing bits */
  readonly radius: number;
  /** Bit positions, keyBits per table, for the tables this job runs. */
  readonly tableBits: Int32Array;
  /** Most rows one pass holds (a partition larger than this is a pass of its own). */
  readonly passRows: number;
}

export interface LshResult {
  /** (row, row, differing bits), i < j */
  readonly pairs: FoundPairs;
  /** Pairs tested with exact popcount (each a candidate), over all tables, before deduplication. */
  readonly candidates: number;
  /** Pairs within the radius before deduplication (a true pair is found by many tables). */
  readonly hits: number;
  /** Passes over the hashes, over all tables (one per table when every table fits one pass). */
  readonly passes: number;
}

/** A shared memory holding `bytes` at first, growable up to the 4 GB a wasm memory can address. */
export function createLshMemory(bytes: number): WasmMemory {
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  if (pages > MAX_PAGES) throw tooLarge(bytes);
  return new wasm.Memory({ initial: pages, maximum: MAX_PAGES, shared: true });
}

const tooLarge = (bytes: number) =>
  invalidOption(
    'the LSH search',
    'hashes and scratch within the 4 GB a WebAssembly memory can address (shard the hashes or the tables across tasks)',
    `${(bytes / 2 ** 30).toFixed(2)} GB more`,
  );

/** New pages at the end of the shared memory, this caller's alone; returns their byte offset. */
function allocate(mem: WasmMemory, bytes: number): number {
  try {
    return mem.grow(Math.ceil(bytes / PAGE)) * PAGE;
  } catch {
    throw tooLarge(bytes);
  }
}

interface Kernel {
  keys(data: number, n: number, lut: number, touched: number, nt: number, out: number): void;
  histogram(keys: number, n: number, low: number, np: number, start: number): void;
  scatter(
    data: number,
    n: number,
    keys: number,
    low: number,
    p0: number,
    p1: number,
    start: number,
    cur: number,
    prows: number,
    pidx: number,
    pkey: number,
  ): void;
  scan(
    prows: number,
    pidx: number,
    pkey: number,
    start: number,
    base: number,
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
}

/** Offsets of one thread's pass buffers; re-made (at the end of memory) when a pass needs more room. */
interface PassArea {
  readonly rows: number; // capacity of prows/pidx/pkey
  readonly part: number; // capacity of lrows/lidx (the largest partition)
  readonly cap: number; // capacity of out, in pairs
  readonly prows: number;
  readonly pidx: number;
  readonly pkey: number;
  readonly lrows: number;
  readonly lidx: number;
  readonly out: number;
}

function passArea(mem: WasmMemory, rows: number, part: number, cap: number): PassArea {
  const bytes = rows * LSH_PASS_ROW_BYTES + part * (LSH_ROW_BYTES + 4) + cap * 12 + 4 * 64;
  let at = allocate(mem, bytes);
  const take = (b: number): number => {
    const p = at;
    at += Math.ceil(b / 64) * 64;
    return p;
  };
  return {
    rows,
    part,
    cap,
    prows: take(rows * LSH_ROW_BYTES),
    pidx: take(rows * 4),
    pkey: take(rows * 4),
    lrows: take(part * LSH_ROW_BYTES),
    lidx: take(part * 4),
    out: take(cap * 12),
  };
}

/**
 * Groups partitions into passes of at most `passRows` rows (a larger partition alone): [p0, p1) per pass.
 * `start` holds the np + 1 partition offsets.
 */
export function planPasses(start: Uint32Array, passRows: number): { readonly bounds: number[]; readonly largestPass: number; readonly largestPart: number } {
  const np = start.length - 1;
  const bounds = [0];
  let largestPass = 0;
  let largestPart = 0;
  for (let p = 0; p < np; p++) {
    largestPart = Math.max(largestPart, start[p + 1] - start[p]);
    const p0 = bounds[bounds.length - 1];
    if (p > p0 && start[p + 1] - start[p0] > passRows) {
      largestPass = Math.max(largestPass, start[p] - start[p0]);
      bounds.push(p);
    }
  }
  largestPass = Math.max(largestPass, start[np] - start[bounds[bounds.length - 1]]);
  bounds.push(np);
  return { bounds, largestPass, largestPart };
}

export function runLshTables(job: LshJob): LshResult {
  const { memory: mem, dataAt, n, keyBits, partitionBits, radius, tableBits } = job;
  const tables = tableBits.length / keyBits;
  const low = keyBits - partitionBits;
  const np = 2 ** partitionBits;
  const nb = 2 ** low;
  const exp = instantiate<Kernel>(lshModule(), { env: { memory: mem } });

  // Fixed scratch: the table's keys, partition offsets, bucket counts, the key lookup table, stats.
  const fixedBytes = [n * 4, (np + 1) * 4, np * 4, (nb + 1) * 4, 32 * 256 * 4, 32 * 4, 8].reduce((s, b) => s + Math.ceil(b / 64) * 64, 0);
  let at = allocate(mem, fixedBytes);
  const take = (b: number): number => {
    const p = at;
    at += Math.ceil(b / 64) * 64;
    return p;
  };
  const oKeys = take(n * 4);
  const oStart = take((np + 1) * 4);
  const oCur = take(np * 4);
  const oLcnt = take((nb + 1) * 4);
  const oLut = take(32 * 256 * 4);
  const oTouched = take(32 * 4);
  const oStats = take(8);
  let area: PassArea | undefined;

  const useItems = job.itemsAt === undefined ? 0 : 1;
  const found = new PairSet(Math.max(1024, n >>> 4));
  let candidates = 0;
  let hits = 0;
  let passes = 0;
  const used = new Uint8Array(32);
  for (let t = 0; t < tables; t++) {
    // A lookup table per touched byte: byte value -> its sampled bits moved to their key positions.
    const lut = new Uint32Array(mem.buffer, oLut, 32 * 256);
    const touched = new Int32Array(mem.buffer, oTouched, 32);
    used.fill(0);
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
    exp.keys(dataAt, n, oLut, oTouched, nt, oKeys);
    exp.histogram(oKeys, n, low, np, oStart);
    const plan = planPasses(new Uint32Array(mem.buffer, oStart, np + 1).slice(), job.passRows);
    // Old areas are not reclaimed (a wasm memory never shrinks), so areas are sized to be re-made rarely:
    // a full pass from the start, partitions with room to spare (only skewed keys exceed it).
    if (!area || area.rows < plan.largestPass || area.part < plan.largestPart)
      area = passArea(
        mem,
        Math.max(area?.rows ?? Math.min(n, job.passRows), plan.largestPass),
        Math.min(n, Math.max(area?.part ?? 0, 2 * plan.largestPart, 4 * Math.ceil(n / np), 1024)),
        area?.cap ?? Math.max(4096, Math.min(n, 1 << 18)),
      );
    for (let q = 0; q + 1 < plan.bounds.length; q++) {
      const p0 = plan.bounds[q];
      const p1 = plan.bounds[q + 1];
      passes++;
      exp.scatter(dataAt, n, oKeys, low, p0, p1, oStart, oCur, area.prows, area.pidx, area.pkey);
      const base = new Uint32Array(mem.buffer, oStart, np + 1)[p0];
      const scan = (a: PassArea): number => {
        new BigUint64Array(mem.buffer, oStats, 1)[0] = 0n;
        return exp.scan(a.prows, a.pidx, a.pkey, oStart, base, low, p0, p1, oLcnt, a.lrows, a.lidx, radius, a.out, a.cap, oStats, job.itemsAt ?? 0, useItems);
      };
      let count = scan(area);
      if (count > area.cap) {
        // More hits than room: a bigger output (pass buffers re-filled there) and the same pass again.
        area = passArea(mem, area.rows, area.part, 2 * count);
        exp.scatter(dataAt, n, oKeys, low, p0, p1, oStart, oCur, area.prows, area.pidx, area.pkey);
        count = scan(area);
      }
      candidates += Number(new BigUint64Array(mem.buffer, oStats, 1)[0]);
      hits += count;
      const out = new Uint32Array(mem.buffer, area.out, count * 3);
      for (let k = 0; k < count * 3; k += 3) found.add(out[k], out[k + 1], out[k + 2]);
    }
  }
  return { pairs: found.toPairs(), candidates, hits, passes };
}
