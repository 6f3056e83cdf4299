/**
 * The isometric strategy (perception's `isometric=True`, as this engine does it today): each item has 8
 * rows, the hashes of its dihedral variants in ISOMETRIC_KEYS order (r0, the upright hash, first). Two
 * items match when some variant of one is within the limit of the other's upright hash; the pair is
 * tagged with that variant and whose it was, and the sink keeps the smallest distance per pair.
 * perception compares every variant of A with every variant of B (the pixels of a variant are re-hashed,
 * so variants are not bit permutations of each other): that is this join with the data side's 8 rows
 * per item kept instead of `upright` (a triangle with 8 rows per item on both sides).
 */
import { invalidOption } from '../errors.js';
import { ISOMETRIC_KEYS } from '../hashers/types.js';
import type { GroupKeys } from './exactPlan.js';
import type { QueryScope } from './exact.js';
import type { PackedHashes } from './packed.js';
import { tagOf, type PairSink } from './pairSet.js';
import type { VectorHashes } from './vectors.js';

export const VARIANTS = ISOMETRIC_KEYS.length; // 8
const SHIFT = 3; // log2(VARIANTS)

/** Query rows against data rows at the hasher's limit (exact popcount or Euclidean loops); resolves with the threads used. */
export type QueryJoin = (queries: PackedHashes | VectorHashes, data: PackedHashes | VectorHashes, scope: QueryScope, out: PairSink) => Promise<number>;

/** The one-way join of exact.ts (variant rows against the rows after their own), for bit hashes. */
export type ForwardJoin = (
  variants: PackedHashes,
  data: PackedHashes,
  shift: number,
  scope: { groups?: GroupKeys; items?: ArrayLike<number> },
  out: PairSink,
) => Promise<number>;

export interface IsometricScope {
  /** per item */
  readonly groups?: GroupKeys;
  readonly items?: ArrayLike<number>;
  /** Query items (8 rows each) against the data's upright hashes, instead of the data against itself. */
  readonly queries?: PackedHashes | VectorHashes;
  readonly queryGroups?: GroupKeys;
  readonly queryItems?: ArrayLike<number>;
  /**
   * Only the variants of the first item of each pair (half the work; the same pairs when variants are
   * exact isometries of the hash, which re-hashed pixels only approximately are). Bit hashes only.
   */
  readonly oneWay?: ForwardJoin;
}

/** Pairs of items, into `out` as (i, j, distance, variant tag) with i < j (or, with queries, i = query item, j = data row). */
export async function isometricPairs(variants: PackedHashes | VectorHashes, scope: IsometricScope, join: QueryJoin, out: PairSink): Promise<number> {
  const n = itemsOf(variants, 'isometric hashes');
  const upright = variants.select(Array.from({ length: n }, (_, k) => k * VARIANTS));
  const perRow = <T>(values: ArrayLike<T> | undefined): T[] | undefined =>
    values && Array.from({ length: values.length * VARIANTS }, (_, q) => values[q >>> SHIFT]);
  const variantOf = (q: number): number => q & (VARIANTS - 1);
  if (scope.queries) {
    itemsOf(scope.queries, 'isometric query hashes');
    const sink: PairSink = { add: (q, j, d) => out.add(q >>> SHIFT, j, d, tagOf(0, variantOf(q))) };
    return join(
      scope.queries,
      upright,
      { groups: scope.groups, items: scope.items, queryGroups: perRow(scope.queryGroups), queryItems: perRow(scope.queryItems) },
      sink,
    );
  }
  if (scope.oneWay) {
    const sink: PairSink = { add: (q, j, d) => out.add(q >>> SHIFT, j, d, tagOf(0, variantOf(q))) };
    return scope.oneWay(variants as PackedHashes, upright as PackedHashes, SHIFT, scope, sink);
  }
  const items = scope.items ?? Int32Array.from({ length: n }, (_, k) => k);
  const sink: PairSink = {
    add: (q, j, d) => {
      const a = q >>> SHIFT;
      if (a < j) out.add(a, j, d, tagOf(0, variantOf(q), 0));
      else out.add(j, a, d, tagOf(0, variantOf(q), 1));
    },
  };
  return join(variants, upright, { groups: scope.groups, queryGroups: perRow(scope.groups), items, queryItems: perRow(items) }, sink);
}

function itemsOf(v: PackedHashes | VectorHashes, what: string): number {
  if (v.count % VARIANTS !== 0) throw invalidOption(what, `${VARIANTS} rows per item`, `${v.count} rows`);
  return v.count / VARIANTS;
}
