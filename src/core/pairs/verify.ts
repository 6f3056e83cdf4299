import { invalidOption } from '../errors.js';
import { createSharedMemory, instantiateKernel } from './exactKernel.js';
import type { PackedHashes } from './packed.js';
import { PairSet, type FoundPairs } from './pairSet.js';

export interface Candidates {
  readonly i: ArrayLike<number>;
  readonly j: ArrayLike<number>;
  /** how many of i/j to use; default i.length */
  readonly count?: number;
}

const CHUNK = 1 << 20;

/**
 * Exact distances for candidate pairs from elsewhere (a candidate list, LSH buckets keyed from query
 * rows): keeps those with fewer than `radius` differing bits. Without `queries` the candidates are pairs
 * within `data`: they are normalised to i < j, pairs of a row with itself are dropped. Returns sorted,
 * unique pairs (row, row, bits).
 */
export function verifyCandidates(data: PackedHashes, candidates: Candidates, radius: number, queries?: PackedHashes): FoundPairs {
  const a = queries ?? data;
  if (a.bits !== data.bits) throw invalidOption('query hashes', `${data.bits}-bit hashes`, `${a.bits}-bit hashes`);
  const n = candidates.count ?? candidates.i.length;
  if (candidates.j.length < n || candidates.i.length < n)
    throw invalidOption('candidates', `${n} values of i and of j`, `${candidates.i.length} and ${candidates.j.length}`);
  const out = new PairSet();
  if (n === 0 || radius <= 0) return out.toPairs();

  const bBase = 1024;
  const afterData = Math.ceil((bBase + data.bytes.length) / 64) * 64;
  const aBase = queries ? afterData : bBase;
  const candBase = queries ? Math.ceil((aBase + queries.bytes.length) / 64) * 64 : afterData;
  const chunk = Math.min(CHUNK, n);
  const outBase = candBase + chunk * 8;
  const memory = createSharedMemory(outBase + chunk * 12);
  const heap = new Uint8Array(memory.buffer);
  heap.set(data.bytes, bBase);
  if (queries) heap.set(queries.bytes, aBase);
  const kernel = instantiateKernel(memory);
  const cand = new Uint32Array(memory.buffer, candBase, chunk * 2);
  const res = new Uint32Array(memory.buffer, outBase, chunk * 3);

  for (let start = 0; start < n; start += chunk) {
    const m = Math.min(chunk, n - start);
    let used = 0;
    for (let k = start; k < start + m; k++) {
      let i = candidates.i[k];
      let j = candidates.j[k];
      if (!(i >= 0 && i < a.count && j >= 0 && j < data.count && Number.isInteger(i) && Number.isInteger(j))) {
        throw invalidOption(`candidate ${k}`, `row numbers below ${a.count} and ${data.count}`, [i, j]);
      }
      if (!queries) {
        if (i === j) continue;
        if (i > j) [i, j] = [j, i];
      }
      cand[2 * used] = i;
      cand[2 * used + 1] = j;
      used++;
    }
    const found = kernel.verify(aBase, bBase, data.words, candBase, used, radius, outBase);
    for (let k = 0; k < found; k++) out.add(res[3 * k], res[3 * k + 1], res[3 * k + 2]);
  }
  return out.toPairs();
}
