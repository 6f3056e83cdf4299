import { decodeHash, hammingBytes, hashStringToBytes, vectorDistance } from '../hashers/format.js';
import type { Hasher } from '../hashers/types.js';
import { comparePaths } from '../files/paths.js';

export interface Neighbour {
  readonly path: string;
  readonly distance: number;
}

/**
 * The k dataset hashes nearest to any of the query hashes (several when the query's isometric variants
 * are given), exactly: every hash is compared, ties broken by path. Brute force is the oracle for
 * query-by-example and is fast enough for a one-off query (about 1 s per million 256-bit hashes).
 */
export function nearest(queries: readonly string[], data: readonly { path: string; hash: string }[], hasher: Hasher, k: number): Neighbour[] {
  const dist: (h: string) => number =
    hasher.dtype === 'bool'
      ? (() => {
          const qs = queries.map((q) => hashStringToBytes(q));
          return (h: string): number => {
            const b = hashStringToBytes(h);
            let best = Infinity;
            for (const q of qs) best = Math.min(best, hammingBytes(q, b));
            return best / hasher.hashLength;
          };
        })()
      : (() => {
          const qs = queries.map((q) => decodeHash(q, hasher.dtype, hasher.hashLength));
          return (h: string): number => {
            const v = decodeHash(h, hasher.dtype, hasher.hashLength);
            return Math.min(...qs.map((q) => vectorDistance(q, v, hasher.distanceMetric)));
          };
        })();
  return nearestFirst(
    data.map((d) => ({ path: d.path, distance: dist(d.hash) })),
    k,
  );
}

/** The first k of `found` nearest first, ties broken by path (sorts `found`). */
export function nearestFirst(found: Neighbour[], k: number): Neighbour[] {
  return found.sort((a, b) => a.distance - b.distance || comparePaths(a.path, b.path)).slice(0, k);
}
