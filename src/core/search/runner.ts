import { instantiateKernel, type PopcountKernel, type WasmMemory } from './kernel.js';
import { PairBuilder, type BitPairs } from './pairList.js';

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
export function runTiles(job: SearchJob, thread: number, kernel: PopcountKernel = instantiateKernel(job.memory)): BitPairs {
  const { tiles, aBase, bBase, words, checkWords: c, radius: r, shift, aItems, bItems } = job;
  const out = job.outBase + thread * job.outCap * 12;
  const outEnd = out + job.outCap * 12;
  const view = new Uint32Array(job.memory.buffer, out, job.outCap * 3);
  const found = new PairBuilder();
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
        if (!aItems || !bItems || aItems[i] !== bItems[j]) found.push(i, j, view[3 * k + 2]);
      }
      i0 = kernel.resume.value as number;
    }
  }
  return found.finish();
}
