/**
 * The pairs an identical-hash group implies, one per member. The scan searches a large group of files
 * whose hashes are equal as one node (pairs/findPairs' `identical: 'nodes'`), so the pairs inside it are
 * listed nowhere: neither in the scan's pairs nor in the manifest's, whose clusters name the files to
 * remove. A person reviewing pairs must still see each of those files next to the file it is removed in
 * favour of, so this lists, for every member, one pair against its cluster's kept file at the distance
 * the cluster records: N - 1 pairs for N copies, never the N² the group stands for.
 */
import { comparePaths } from '../files/paths.js';
import { pairKey } from './verdict.js';

/** Where a file sits in the decisions: its cluster's kept file, and its distance to it (null when it is only linked through others). */
export interface ClusterPlace {
  readonly keep: string;
  readonly distance: number | null;
}

export interface ImpliedPair {
  /** a < b (comparePaths), as every pair is listed. */
  readonly a: string;
  readonly b: string;
  readonly distance: number;
}

/**
 * `groups`: the identical-hash groups (each two or more files); `placeOf`: where the decisions put a file
 * (undefined when it is in no cluster); `listed`: the pairs already shown, never repeated here.
 *
 * A member is paired with its cluster's kept file when it is directly a duplicate of it (the kept file is
 * in the group, or a listed pair links the group to it); otherwise (a member the decisions do not tie
 * to the kept file directly, or no cluster at all) with the group's first file at distance 0, which is
 * always true of two files of one group. Sorted by (a, b); linear in the groups' sizes.
 */
export function impliedPairs(
  groups: readonly (readonly string[])[],
  placeOf: (path: string) => ClusterPlace | undefined,
  listed: Iterable<{ readonly a: string; readonly b: string }>,
): ImpliedPair[] {
  const inGroup = new Set<string>();
  for (const g of groups) for (const p of g) inGroup.add(p);
  if (inGroup.size === 0) return [];
  // Only listed pairs that touch a group can repeat one of these.
  const seen = new Set<string>();
  for (const p of listed) if (inGroup.has(p.a) || inGroup.has(p.b)) seen.add(pairKey(p.a, p.b));
  const out: ImpliedPair[] = [];
  const add = (x: string, y: string, distance: number): void => {
    const k = pairKey(x, y);
    if (x === y || seen.has(k)) return;
    seen.add(k);
    out.push(comparePaths(x, y) < 0 ? { a: x, b: y, distance } : { a: y, b: x, distance });
  };
  for (const g of groups) {
    if (g.length < 2) continue;
    const first = [...g].sort(comparePaths)[0]!;
    for (const m of g) {
      const place = placeOf(m);
      if (place && place.keep === m) continue;
      if (place && place.distance !== null) add(place.keep, m, place.distance);
      else add(first, m, 0);
    }
  }
  out.sort((x, y) => comparePaths(x.a, y.a) || comparePaths(x.b, y.b));
  return out;
}
