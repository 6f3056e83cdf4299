import { relativeVariant } from './isometric.js';
import { hasherSink, type FindPairsInput, type FindPairsOptions } from './findPairs.js';
import { hammingBits, PackedHashes } from './packed.js';
import { PairSet, tagOf, type FoundPairs } from './pairSet.js';
import type { VectorHashes } from './vectors.js';

/**
 * The oracle every strategy is tested against: findPairs' arguments, findPairs' pairs (LSH's are a
 * subset of them, with the same distances), found the slow obvious way: every row against every row,
 * a byte or a value at a time, perception's `distance < threshold` as written, no radius, no tiles, no
 * wasm, no threads, no plan (so `opts`, which only says how to search, changes nothing).
 */
export function bruteForcePairs(input: FindPairsInput, _opts?: FindPairsOptions): FoundPairs {
  const found = new PairSet();
  input.hashers.forEach((spec, h) => {
    const out = hasherSink(input, h, found);
    const per = spec.isometric ? 8 : 1;
    const data = spec.hashes;
    const q = spec.queries ?? data;
    const bits = data instanceof PackedHashes ? data.bits : 0;
    const distance = (a: number, b: number): number =>
      bits ? hammingBits(q as PackedHashes, a, data as PackedHashes, b) : euclidean(q as VectorHashes, a, data as VectorHashes, b);
    const itemsA = spec.queries ? spec.queryItems : spec.items;
    for (let a = 0; a < q.count / per; a++) {
      for (let b = 0; b < data.count / per; b++) {
        if (!spec.queries && b <= a) continue;
        if (itemsA && spec.items && itemsA[a] === spec.items[b]) continue;
        if (spec.queries) {
          // Query-by-example: every variant of the query against the upright hash of b.
          for (let v = 0; v < per; v++) {
            const d = distance(a * per + v, b * per);
            if ((bits ? d / bits : d) < spec.threshold) out.add(a, b, d, tagOf(0, v, 0));
          }
          continue;
        }
        // perception's isometric deduplicate: every variant of a against every variant of b, named by the variant of b that matches a.
        for (let t = 0; t < per; t++) {
          for (let s = 0; s < per; s++) {
            const d = distance(a * per + t, b * per + s);
            if ((bits ? d / bits : d) < spec.threshold) out.add(a, b, d, per === 1 ? 0 : tagOf(0, relativeVariant(t, s), 1));
          }
        }
      }
    }
  });
  return found.toPairs();
}

/** scipy's pdist: the float64 sum of squares in vector order, then its square root. */
function euclidean(x: VectorHashes, a: number, y: VectorHashes, b: number): number {
  let s = 0;
  for (let k = 0; k < x.dim; k++) {
    const t = x.values[a * x.dim + k] - y.values[b * y.dim + k];
    s += t * t;
  }
  return Math.sqrt(s);
}
