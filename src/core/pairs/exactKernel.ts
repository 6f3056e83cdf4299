import { PairSet, type FoundPairs } from './pairSet.js';
import { POPCOUNT_WASM_BASE64 } from './popcountWasm.js';
import { compiledOnce, instantiate, wasm, type WasmMemory } from './wasm.js';

/** One tile kernel of popcount.wat; see the comments there for the calling convention. */
type TileKernel = (
  aBase: number,
  bBase: number,
  i0: number,
  i1: number,
  j0: number,
  j1: number,
  tri: number,
  shift: number,
  r: number,
  out: number,
  outEnd: number,
  w?: number,
  c?: number,
) => number;

/** The exports of popcount.wat. */
export interface PopcountKernel {
  readonly pairs1: TileKernel;
  readonly pairs4: TileKernel;
  readonly pairs4full: TileKernel;
  readonly pairsW: TileKernel;
  verify(aBase: number, bBase: number, w: number, cand: number, n: number, r: number, out: number): number;
  readonly resume: { value: unknown };
}

const popcountModule = compiledOnce(POPCOUNT_WASM_BASE64);

/** The module's memory is imported and shared, so workers run on the very bytes the main thread wrote. */
export function createSharedMemory(bytes: number): WasmMemory {
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  if (pages > 65535) throw new RangeError(`exact search needs ${bytes} bytes of wasm memory, more than 4 GB`);
  return new wasm.Memory({ initial: pages, maximum: pages, shared: true });
}

export const instantiateKernel = (memory: WasmMemory): PopcountKernel => instantiate(popcountModule(), { env: { memory } });

/**
 * How many leading words to sum before the one early check. Unrelated hashes differ in about half
 * their bits, so after c words the partial sum is about 32c with a spread of 4 sqrt(c); the check
 * pays when that is past the radius by 1.5 spreads, and is skipped (c = all words) otherwise: a check
 * that often passes costs a branch misprediction each time. Measured on 256-bit hashes the early
 * check after two words wins up to radius 56 (1.4 G pairs/s at 52, 0.84 with all four words).
 * Any c gives the same pairs: only the speed depends on it.
 */
export function checkWords(words: number, radius: number): number {
  for (let c = 1; c < words; c++) if (32 * c >= radius + 6 * Math.sqrt(c)) return c;
  return words;
}

/**
 * One search, as every thread that works on it sees it. All of it lives in shared memory, so
 * starting a worker copies nothing but these numbers.
 */
export interface SearchJob {
  readonly memory: WasmMemory;
  /** [next tile to take, tile count, then (i0, i1, j0, j1, tri) per tile]; threads take tiles with Atomics.add */
  readonly tiles: Int32Array;
  readonly aBase: number;
  readonly bBase: number;
  readonly words: number;
  readonly checkWords: number;
  readonly radius: number;
  readonly shift: number;
  /** per-thread result area: thread k writes at outBase + k * outCap * 12 */
  readonly outBase: number;
  readonly outCap: number;
  /** Pairs whose rows carry the same item (several hashes of one file) are dropped. */
  readonly aItems?: Int32Array;
  readonly bItems?: Int32Array;
}

export const TILE_INTS = 5;

/** Takes tiles until none are left and returns the pairs found, in the job's (permuted) row numbers. */
export function runTiles(job: SearchJob, thread: number, kernel: PopcountKernel = instantiateKernel(job.memory)): FoundPairs {
  const { tiles, aBase, bBase, words, checkWords: c, radius: r, shift, aItems, bItems } = job;
  const out = job.outBase + thread * job.outCap * 12;
  const outEnd = out + job.outCap * 12;
  const view = new Uint32Array(job.memory.buffer, out, job.outCap * 3);
  const found = new PairSet();
  const stride = words * 8;
  const count = tiles[1];
  for (;;) {
    const t = Atomics.add(tiles, 0, 1);
    if (t >= count) break;
    const base = 2 + t * TILE_INTS;
    let i0 = tiles[base];
    const i1 = tiles[base + 1];
    const j0 = tiles[base + 2];
    const j1 = tiles[base + 3];
    const tri = tiles[base + 4];
    while (i0 < i1) {
      let n: number;
      if (words === 4)
        n =
          c <= 2
            ? kernel.pairs4(aBase, bBase, i0, i1, j0, j1, tri, shift, r, out, outEnd)
            : kernel.pairs4full(aBase, bBase, i0, i1, j0, j1, tri, shift, r, out, outEnd);
      else if (words === 1) n = kernel.pairs1(aBase, bBase, i0, i1, j0, j1, tri, shift, r, out, outEnd);
      else n = kernel.pairsW(aBase, bBase, i0, i1, j0, j1, tri, shift, r, out, outEnd, words, c);
      // the kernels write row addresses (see popcount.wat); turn them into row numbers
      for (let k = 0; k < n; k++) {
        const i = (view[3 * k] - aBase) / stride;
        const j = (view[3 * k + 1] - bBase) / stride;
        if (!aItems || !bItems || aItems[i] !== bItems[j]) found.add(i, j, view[3 * k + 2]);
      }
      i0 = kernel.resume.value as number;
    }
  }
  return found.toPairs();
}
