/** A pair of items found by one or more hashers, with the distance that decided it. */
export interface ScoredPair {
  readonly i: number;
  readonly j: number;
  /** normalised Hamming distance (bits / length) or Euclidean distance */
  readonly distance: number;
  /** index of the hasher that gave `distance` */
  readonly hasher: number;
  /** for isometric searches: the dihedral variant that matched, and whose it was */
  readonly variant?: string;
  readonly variantOf?: 'i' | 'j';
}

/**
 * perception's rule for several hashers: a pair is a duplicate when any hasher, at its own
 * threshold, says so. Each pair is kept once (i < j), with the smallest distance over the hashers
 * that matched (ties go to the earlier hasher), sorted by i then j.
 */
export function unionPairs(lists: readonly (readonly ScoredPair[])[]): ScoredPair[] {
  const best = new Map<number, ScoredPair>();
  const stride = 2 ** 26;
  for (const list of lists) {
    for (const p0 of list) {
      const p = p0.i < p0.j ? p0 : { ...p0, i: p0.j, j: p0.i, ...(p0.variantOf ? { variantOf: p0.variantOf === 'i' ? ('j' as const) : ('i' as const) } : {}) };
      const key = p.i * stride + p.j;
      const old = best.get(key);
      if (!old || p.distance < old.distance || (p.distance === old.distance && p.hasher < old.hasher)) best.set(key, p);
    }
  }
  return [...best.values()].sort((x, y) => x.i - y.i || x.j - y.j);
}
