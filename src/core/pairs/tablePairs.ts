import { ISOMETRIC_KEYS, type DistanceMetric, type HashDtype, type IsometricKey } from '../hashers/types.js';
import type { Pair } from '../types.js';
import { mergeSortedPairs } from '../files/paths.js';
import { describeSearch } from './choose.js';
import { findCropPairs } from './cropPairs.js';
import { findPairs, packHashStrings, type HasherInput } from './findPairs.js';
import { tagHasher, tagVariant, tagWhose } from './pairSet.js';

/** One hasher's hashes for every usable file, in `paths` order, as the cache stores them. */
export interface HashTable {
  readonly key: string; // hasherKey
  readonly label: string; // short name shown in pairs, e.g. phash16
  readonly threshold: number;
  readonly dtype: HashDtype;
  readonly metric: DistanceMetric;
  readonly length: number;
  readonly hashes: readonly (string | null)[];
  readonly isometric?: readonly (Readonly<Record<IsometricKey, string | null>> | undefined)[];
  /** With TablePairsInput.cropResistant: per file, its content box's hash (null when none) then its windows' (undefined: not hashed so). */
  readonly crops?: readonly (readonly (string | null)[] | undefined)[];
}

export interface TablePairsInput {
  /** Sorted, so item index order is path order and every pair comes out with a < b. */
  readonly paths: readonly string[];
  readonly tables: readonly HashTable[];
  /** Group label per file; pairs only form inside a group. Undefined: one group. */
  readonly groups?: readonly string[];
  /** Split label per file; pairs only form between different splits (with groups: same group, different split). */
  readonly splits?: readonly string[];
  readonly isometric: boolean;
  /** Also the crop-resistant strategy (cropPairs.ts) over the tables' crop hashes: borders trimmed, crop windows against whole files. */
  readonly cropResistant?: boolean;
  /**
   * With cropResistant: whether view `viewA` of file a and view `viewB` of file b (WHOLE_VIEW, 0 the content
   * box, 1-9 the windows) agree in colour; a crop pair whose matched views do not is dropped (the scan's
   * colorcheck/cropColors.ts). Undefined: no such check.
   */
  readonly cropCheck?: (a: string, b: string, viewA: number, viewB: number) => boolean;
  /** Above this many files, bit hashes go through the approximate (LSH) search. */
  readonly approximateAbove: number;
  /**
   * Groups of at least this many files identical under every hasher (and in one group) are one node:
   * only their first file is searched and named in the pairs (findPairs' `identical: 'nodes'`).
   * Undefined: every pair is listed, as perception lists them. Not with splits.
   */
  readonly nodeMin?: number;
  /** With nodeMin: near-identical files form nodes too (findPairs' `close`); `close` in the result. */
  readonly close?: boolean;
  readonly log?: (msg: string) => void;
}

export interface TablePairs {
  /** Sorted by a, then b. */
  readonly pairs: Pair[];
  /** With nodeMin: the groups of identical files (each sorted, first file first); a pair naming the first stands for every member. */
  readonly identical: string[][];
  /**
   * With `close`: the near-identical nodes, centre first, then members in path order. `pairs` names each
   * member once, with its centre; two members of one node are within threshold and not listed.
   */
  readonly close: string[][];
}

/** The variant of b that matches a, given that variant v of a matched b (r90 and r270 undo each other; the rest undo themselves). */
const INVERSE: Readonly<Record<string, string>> = { r90: 'r270', r270: 'r90' };

/** The same pair named the other way round (b, a): its transform, the variant of the new b, is inverted. */
export function reversedPair(p: Pair): Pair {
  const { transform, ...rest } = p;
  return { ...rest, a: p.b, b: p.a, ...(transform ? { transform: INVERSE[transform] ?? transform } : {}) };
}

/**
 * The scan's pairs: findPairs over the cached hash strings, named by path. Files whose hash is null for
 * a hasher (perception's None), or with isometric any of whose variants is, take no part in that
 * hasher's search.
 */
export async function findTablePairs(input: TablePairsInput): Promise<TablePairs> {
  const hashers: HasherInput[] = [];
  for (const t of input.tables) {
    const iso = input.isometric && t.isometric !== undefined;
    // Rows: the files this hasher has a hash (and, with isometric, every variant) for.
    const rows: number[] = [];
    for (let k = 0; k < t.hashes.length; k++) {
      if (t.hashes[k] === null) continue;
      if (iso && (!t.isometric![k] || ISOMETRIC_KEYS.some((v) => t.isometric![k]![v] === null))) continue;
      rows.push(k);
    }
    const strings = iso ? rows.flatMap((k) => ISOMETRIC_KEYS.map((v) => t.isometric![k]![v]!)) : rows.map((k) => t.hashes[k]!);
    const hashes = packHashStrings(strings, t.dtype, t.length);
    hashers.push({ hashes, threshold: t.threshold, isometric: iso, items: rows });
  }
  const nodes = input.nodeMin !== undefined ? ({ identical: 'nodes', nodeMin: input.nodeMin, close: input.close === true } as const) : {};
  const r = await findPairs({ hashers, groups: input.groups, splits: input.splits }, { approximateAbove: input.approximateAbove, ...nodes });
  for (const s of r.searches) {
    const t = input.tables[s.hasher];
    const n = hashers[s.hasher].items!.length;
    if (s.method === 'approximate') input.log?.(`search: ${t.label}: approximate candidates for ${n} files, verified exactly; ${describeSearch(s)}`);
    else if (n > input.approximateAbove) input.log?.(`search: ${t.label}: ${describeSearch(s)}`);
  }
  const p = r.pairs;
  const g = r.identical;
  const named = (x: typeof g): string[][] =>
    x ? Array.from({ length: x.count }, (_, k) => Array.from(x.items.subarray(x.start[k], x.start[k + 1]), (i) => input.paths[i])) : [];
  const identical = named(g);
  const close = named(r.close);
  const plain = Array.from({ length: p.count }, (_, k): Pair => {
    const v = ISOMETRIC_KEYS[tagVariant(p.tag[k])];
    const transform = v === 'r0' ? undefined : tagWhose(p.tag[k]) ? v : (INVERSE[v] ?? v);
    return {
      a: input.paths[p.i[k]],
      b: input.paths[p.j[k]],
      distance: p.distance[k],
      hasher: input.tables[tagHasher(p.tag[k])].label,
      ...(transform ? { transform } : {}),
    };
  });
  if (!input.cropResistant) return { pairs: plain, identical, close };
  // The crop windows of a node's other members are its first file's: searched once, as in the plain search.
  const added = await findCropPairs(identical.length > 0 ? withoutMembers(input, identical) : input, plain);
  if (added.length > 0) input.log?.(`search: crop-resistant: ${added.length} pairs found after trimming borders or in crop windows`);
  return { pairs: mergeSortedPairs(plain, added), identical, close };
}

/** The input without the members of `identical` other than each group's first file. */
function withoutMembers(input: TablePairsInput, identical: readonly (readonly string[])[]): TablePairsInput {
  const hidden = new Set(identical.flatMap((g) => g.slice(1)));
  const keep = input.paths.flatMap((p, k) => (hidden.has(p) ? [] : [k]));
  const pick = <T>(xs: readonly T[] | undefined): T[] | undefined => xs && keep.map((k) => xs[k]);
  return {
    ...input,
    paths: pick(input.paths)!,
    groups: pick(input.groups),
    splits: pick(input.splits),
    tables: input.tables.map((t) => ({ ...t, hashes: pick(t.hashes)!, isometric: pick(t.isometric), crops: pick(t.crops) })),
  };
}
