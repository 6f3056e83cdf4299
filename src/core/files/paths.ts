/**
 * One total order for every path list the engine emits (files, pairs, clusters, manifest arrays).
 * UTF-16 code-unit order rather than localeCompare: it is the same on every machine and locale,
 * which is what makes a re-run produce a byte-identical manifest.
 */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Pairs in (a, b) order. */
export const comparePairs = (x: { a: string; b: string }, y: { a: string; b: string }): number => comparePaths(x.a, y.a) || comparePaths(x.b, y.b);

/** Two pair lists sorted by (a, b) as one (they never share a pair: image and video pairs, hash and flat pairs). */
export function mergeSortedPairs<T extends { a: string; b: string }>(x: readonly T[], y: readonly T[]): T[] {
  return y.length === 0 ? [...x] : [...x, ...y].sort(comparePairs);
}
