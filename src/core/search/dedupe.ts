import { invalidOption } from '../errors.js';
import { ISOMETRIC_KEYS } from '../hashers/types.js';
import { searchPairs, type ThreadOptions } from './engine.js';
import { euclideanPairs, VectorHashes } from './euclidean.js';
import { searchIsometric, VARIANTS } from './isometric.js';
import { radiusFor, type PackedHashes } from './packed.js';
import type { GroupKeys } from './plan.js';
import { unionPairs, type ScoredPair } from './union.js';

/** One hasher's hashes of every item (row k = item k) and its threshold. */
export type HasherHashes =
  | {
      readonly kind: 'bits';
      readonly hashes: PackedHashes;
      /** isometric: 8 rows per item (ISOMETRIC_KEYS order); then `hashes` may be omitted */
      readonly variants?: PackedHashes;
      readonly threshold: number;
    }
  | {
      readonly kind: 'vectors';
      readonly hashes: VectorHashes;
      readonly variants?: VectorHashes;
      readonly threshold: number;
    };

export interface DedupeOptions extends ThreadOptions {
  readonly groups?: GroupKeys;
  /** see IsometricOptions.bothWays */
  readonly bothWays?: boolean;
}

/**
 * perception's `deduplicate` after hashing: each hasher at its own threshold (`distance < threshold`),
 * isometric where variants are given, pairs unioned over hashers.
 */
export async function findDuplicatePairs(hashers: readonly HasherHashes[], opts: DedupeOptions = {}): Promise<ScoredPair[]> {
  const lists: ScoredPair[][] = [];
  for (let h = 0; h < hashers.length; h++) lists.push(await pairsOfHasher(hashers[h], h, opts));
  return unionPairs(lists);
}

async function pairsOfHasher(spec: HasherHashes, hasher: number, opts: DedupeOptions): Promise<ScoredPair[]> {
  const { threshold } = spec;
  if (spec.kind === 'bits') {
    const bits = (spec.variants ?? spec.hashes).bits;
    const radius = radiusFor(threshold, bits);
    if (spec.variants) {
      const found = await searchIsometric(spec.variants, { ...opts, radius });
      return found.map((p) => ({ i: p.i, j: p.j, distance: p.d / bits, hasher, variant: p.variant, variantOf: p.variantOf }));
    }
    const found = await searchPairs(spec.hashes, { ...opts, radius });
    return Array.from({ length: found.count }, (_, k) => ({ i: found.i[k], j: found.j[k], distance: found.d[k] / bits, hasher }));
  }
  if (spec.variants) {
    const v = spec.variants;
    if (v.count % VARIANTS !== 0) throw invalidOption('isometric hashes', `${VARIANTS} rows per item`, `${v.count} rows`);
    const n = v.count / VARIANTS;
    const upright = v.values instanceof Uint8Array ? new Uint8Array(n * v.dim) : new Float32Array(n * v.dim);
    for (let k = 0; k < n; k++) upright.set(v.values.subarray(k * VARIANTS * v.dim, (k * VARIANTS + 1) * v.dim), k * v.dim);
    const data = new VectorHashes(n, v.dim, upright);
    // Plain loops, both ways (every variant of every item against every other upright hash).
    const found = euclideanPairs(data, threshold, {
      queries: v,
      groups: opts.groups,
      queryGroups: opts.groups && Array.from({ length: v.count }, (_, q) => opts.groups![Math.floor(q / VARIANTS)]),
      items: Int32Array.from({ length: n }, (_, k) => k),
      queryItems: Int32Array.from({ length: v.count }, (_, q) => Math.floor(q / VARIANTS)),
    });
    return Array.from({ length: found.count }, (_, k) => {
      const a = Math.floor(found.i[k] / VARIANTS);
      // unionPairs orders (a, j) and turns variantOf round when a > j
      return { i: a, j: found.j[k], distance: found.distance[k], hasher, variant: ISOMETRIC_KEYS[found.i[k] % VARIANTS], variantOf: 'i' as const };
    });
  }
  const found = euclideanPairs(spec.hashes, threshold, { groups: opts.groups });
  return Array.from({ length: found.count }, (_, k) => ({ i: found.i[k], j: found.j[k], distance: found.distance[k], hasher }));
}
