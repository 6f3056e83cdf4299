import { invalidOption } from '../errors.js';
import { createSharedMemory, instantiateKernel } from './kernel.js';
import { PairBuilder, sortPairs, type BitPairs } from './pairList.js';
import type { PackedHashes } from './packed.js';

export interface Candidates {
  readonly i: ArrayLike<number>;
  readonly j: ArrayLike<number>;
  /** how many of i/j to use; default i.length */
  readonly count?: number;
}

const CHUNK = 1 << 20;

/**
 * Exact distances for candidate pairs from an approximate index (Annoy, LSH, ...): keeps those with
 * fewer than `radius` differing bits. Without `queries` the candidates are pairs within `data`: they
 * are normalised to i < j, pairs of a row with itself are dropped. Returns sorted, unique pairs.
 */
export function verifyCandidates(data: PackedHashes, candidates: Candidates, radius: number, queries?: PackedHashes): BitPairs {
  const a = queries ?? data;
  if (a.bits !== data.bits) throw invalidOption('query hashes', `${data.bits}-bit hashes`, `${a.bits}-bit hashes`);
  const n = candidates.count ?? candidates.i.length;
  if (candidates.j.length < n || candidates.i.length < n)
    throw invalidOption('candidates', `${n} values of i and of j`, `${candidates.i.length} and ${candidates.j.length}`);
  const out = new PairBuilder();
  if (n === 0 || radius <= 0) return out.finish();

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
    out.pushTriples(res, found);
  }
  return unique(sortPairs(out.finish()));
}

function unique(p: BitPairs): BitPairs {
  let w = 0;
  for (let k = 0; k < p.count; k++) {
    if (w > 0 && p.i[w - 1] === p.i[k] && p.j[w - 1] === p.j[k]) continue;
    p.i[w] = p.i[k];
    p.j[w] = p.j[k];
    p.d[w] = p.d[k];
    w++;
  }
  return { count: w, i: p.i.subarray(0, w), j: p.j.subarray(0, w), d: p.d.subarray(0, w) };
}
