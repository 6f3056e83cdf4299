/**
 * A close node's listed pairs moved onto the file its cluster keeps. The search names each member of a
 * near-identical node once, with the node's centre (closeNodes.ts); the decisions then keep the file the
 * keep policy prefers, which is often another member. Listed against the centre, the other members would
 * reach the kept file only through the centre (chained: doubtful, not removed), although every two
 * members are within threshold. Listed against the kept file (distance measured), each is directly a
 * duplicate of it, as with every pair listed, and the manifest says so: still one pair per member.
 */
import { comparePaths } from '../files/paths.js';
import type { Pair } from '../types.js';
import { hammingBits, PackedHashes } from './packed.js';

export interface CloseHashes {
  /** The hash string of a file, as the cache keeps it (the one bit hasher the close nodes were formed with). */
  hashOf(path: string): string;
  readonly bits: number;
  /** The label named in the pairs. */
  readonly label: string;
}

/**
 * `nodes` centre first; `keepOf` the file a node's cluster keeps (undefined: leave the node as it is).
 * Only members whose pair with the centre is listed move (a pair the colour check dropped stays out).
 * Returns `pairs` itself when nothing moves; else a new sorted list.
 */
export function recentreClose(
  pairs: readonly Pair[],
  nodes: readonly (readonly string[])[],
  keepOf: (node: readonly string[]) => string | undefined,
  h: CloseHashes,
) {
  // Only pairs naming a centre can be a node's star: the rest of the list is neither looked up nor rebuilt.
  const centres = new Set(nodes.map((n) => n[0]!));
  const listed = new Set<string>();
  for (const p of pairs) if (centres.has(p.a) || centres.has(p.b)) listed.add(`${p.a}\u0000${p.b}`);
  const starOf = (centre: string, m: string): string => (comparePaths(centre, m) < 0 ? `${centre}\u0000${m}` : `${m}\u0000${centre}`);
  const drop = new Set<string>();
  const added: Pair[] = [];
  for (const node of nodes) {
    const centre = node[0]!;
    const keep = keepOf(node);
    if (keep === undefined || keep === centre || !listed.has(starOf(centre, keep))) continue;
    const linked = node.filter((m) => m === centre || listed.has(starOf(centre, m)));
    const packed = PackedHashes.fromStrings(
      linked.map((m) => h.hashOf(m)),
      h.bits,
    );
    const k = linked.indexOf(keep);
    linked.forEach((m, i) => {
      if (m !== centre) drop.add(starOf(centre, m));
      if (m === keep) return;
      const d = hammingBits(packed, k, packed, i) / h.bits;
      added.push(comparePaths(keep, m) < 0 ? { a: keep, b: m, distance: d, hasher: h.label } : { a: m, b: keep, distance: d, hasher: h.label });
    });
  }
  if (added.length === 0) return pairs;
  const kept = pairs.filter((p) => !((centres.has(p.a) || centres.has(p.b)) && drop.has(`${p.a}\u0000${p.b}`)));
  added.sort(byPair);
  // `pairs` is sorted: merged with the sorted additions, a listed pair first on a tie (as a stable sort of both).
  const out: Pair[] = [];
  let i = 0;
  let j = 0;
  while (i < kept.length && j < added.length) out.push(byPair(kept[i], added[j]) <= 0 ? kept[i++] : added[j++]);
  while (i < kept.length) out.push(kept[i++]);
  while (j < added.length) out.push(added[j++]);
  return out;
}

const byPair = (x: Pair, y: Pair): number => comparePaths(x.a, y.a) || comparePaths(x.b, y.b);
