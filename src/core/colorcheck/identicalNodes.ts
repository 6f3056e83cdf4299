/**
 * The colour check inside identical-hash nodes. The scan searches a large group of files whose hashes
 * are equal under every hasher as one node (findPairs' `identical: 'nodes'`), but equal grey hashes do
 * not mean equal colours (an emoji and its skin tones), and the pairs inside a node are never listed, so
 * verifyPairs cannot drop them. Each node is split here into colour classes instead: a member, in path
 * order, joins the first class whose first file (its leader) it agrees with in colour (colorsAgree, the
 * check every pair passes), else it leads a new class. Copies and one-pixel variants form one class, so
 * this is linear in them; k classes cost at most k comparisons per member.
 *
 * A pair the search found with the node's first file stands for every member; with several classes it
 * is repeated for each other leader (same hashes, so same distance) and checked like any other pair.
 */
import { comparePaths } from '../files/paths.js';
import { reversedPair } from '../pairs/tablePairs.js';
import type { Pair } from '../types.js';
import { colorsAgree } from './verifyPairs.js';

export interface ColourClasses {
  /** The classes of two or more files (each sorted, its leader first), sorted by first path: the nodes to cluster. */
  readonly identical: string[][];
  /** The pairs found, plus each pair naming a node's first file repeated for the node's other leaders; sorted. */
  readonly pairs: Pair[];
  /** Every leader: the files that stand for their class in the pair list (what the flat search must see). */
  readonly leaders: ReadonlySet<string>;
}

/** `nodes` each sorted, first file first; `signatureOf` a file's colour signature (none: the file agrees with any). */
export function colourClasses(
  nodes: readonly (readonly string[])[],
  pairs: readonly Pair[],
  signatureOf: (path: string) => Uint8Array | undefined,
): ColourClasses {
  const identical: string[][] = [];
  const leaders = new Set<string>();
  /** A node's first file -> its other leaders. */
  const others = new Map<string, string[]>();
  for (const node of nodes) {
    const classes: string[][] = [];
    for (const path of node) {
      const sig = signatureOf(path);
      const home = classes.find((c) => {
        const lead = signatureOf(c[0]);
        return !sig || !lead || colorsAgree(lead, sig);
      });
      if (home) home.push(path);
      else classes.push([path]);
    }
    for (const c of classes) {
      leaders.add(c[0]);
      if (c.length >= 2) identical.push(c);
    }
    if (classes.length > 1)
      others.set(
        node[0],
        classes.slice(1).map((c) => c[0]),
      );
  }
  identical.sort((x, y) => comparePaths(x[0], y[0]));
  if (others.size === 0) return { identical, pairs: [...pairs], leaders };
  const out: Pair[] = [...pairs];
  for (const p of pairs) {
    const as = [p.a, ...(others.get(p.a) ?? [])];
    const bs = [p.b, ...(others.get(p.b) ?? [])];
    for (const a of as)
      for (const b of bs) {
        if (a === p.a && b === p.b) continue;
        const q = { ...p, a, b };
        out.push(comparePaths(a, b) < 0 ? q : reversedPair(q));
      }
  }
  out.sort((x, y) => comparePaths(x.a, y.a) || comparePaths(x.b, y.b));
  return { identical, pairs: out, leaders };
}
