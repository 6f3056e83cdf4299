/**
 * Many byte-identical copies of one file (a logo repeated thousands of times, blank scans, thumbnails of
 * one frame) as one node before the pair search: n copies would otherwise give n(n-1)/2 pairs, each
 * colour-checked and written (20,000 copies: 200 million pairs). Copies with the same bytes have the same
 * hashes under every hasher and the same colours, so only the first of a group is searched; the group is
 * returned as an identical-hash group (ScanResult.identical: a pair naming the first stands for every
 * member, the pairs inside are implied at distance 0) and the decision model treats it as one node.
 * Small groups stay enumerated, so everyday pairs lists (and perception parity) are unchanged.
 */
import { comparePaths } from '../files/paths.js';

/** Groups of at least this many identical files become one node; smaller ones are listed pair by pair. */
export const COPIES_NODE_MIN = 16;

export interface CopyGroups {
  /** The paths to search: every file outside a large group, and the first of each large group. */
  readonly searched: readonly string[];
  /** Large groups of byte-identical files (same fingerprint, same pairing group), each sorted; sorted by first path. */
  readonly identical: readonly (readonly string[])[];
}

/**
 * `paths` sorted; `fingerprintOf` the SHA-256 of each file's bytes; `groupOf` the pairing group of each
 * path (groupBy), so copies in two class folders that must not pair are never one node.
 */
export function collapseCopies(
  paths: readonly string[],
  fingerprintOf: (path: string) => string | undefined,
  groupOf: (index: number) => string = () => '',
  min = COPIES_NODE_MIN,
): CopyGroups {
  const byKey = new Map<string, string[]>();
  paths.forEach((p, i) => {
    const f = fingerprintOf(p);
    if (!f) return;
    const key = `${groupOf(i)}\u0000${f}`;
    const g = byKey.get(key);
    if (g) g.push(p);
    else byKey.set(key, [p]);
  });
  const identical = [...byKey.values()].filter((g) => g.length >= min).map((g) => [...g].sort(comparePaths));
  if (identical.length === 0) return { searched: paths, identical: [] };
  identical.sort((a, b) => comparePaths(a[0], b[0]));
  const hidden = new Set<string>();
  for (const g of identical) for (let k = 1; k < g.length; k++) hidden.add(g[k]);
  return { searched: paths.filter((p) => !hidden.has(p)), identical };
}
