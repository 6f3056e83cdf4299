/**
 * The isometric strategy, as perception's `deduplicate(isometric=True)`: each item has 8 rows, the
 * hashes of its dihedral variants in ISOMETRIC_KEYS order (r0, the upright hash, first), and two items
 * match when ANY variant of one is within the limit of ANY variant of the other. pHash thresholds the
 * transformed DCT block at its own median, so the variants are not bit permutations of each other and
 * comparing variants of A with the upright hash of B alone misses pairs; every combination counts.
 *
 * Cost. All 64 combinations of every pair would be 4x the variants-against-upright join (8 rows against
 * 8 rows, a triangle, against 8 rows against 1 row, both ways). One symmetry halves it exactly: when an
 * item's transposed variants are its other variants with their bits transposed (true of every hash
 * derived from a square DCT block or pixel grid symmetric in x and y, e.g. pHash; checked on the data,
 * never assumed), then d(tA, sB) = d(t'A, s'B) for the pair transposed together, so the 4 variants that
 * do not transpose (r0 fv fh r180) of the earlier item against all 8 of the later one give every
 * distance: 32 per pair, twice the old join's 16. Otherwise (dHash, whose bits compare horizontal
 * neighbours) all 8 against all 8.
 *
 * A pair is reported as (i, j, distance, variant R of j, whose = 1): R = t^-1 s turns j into what
 * matched i, whichever (t, s) gave the smallest distance; (t, s) and their transposes give the same R.
 */
import { invalidOption } from '../errors.js';
import { transformGrid, type Grid } from '../hashers/isometric.js';
import { ISOMETRIC_KEYS } from '../hashers/types.js';
import type { GroupKeys } from './exactPlan.js';
import type { QueryScope } from './exact.js';
import type { PackedHashes } from './packed.js';
import { tagOf, type PairSink } from './pairSet.js';
import type { VectorHashes } from './vectors.js';

export const VARIANTS = ISOMETRIC_KEYS.length; // 8
const SHIFT = 3; // log2(VARIANTS)
/** ISOMETRIC_KEYS[0..3] (r0 fv fh r180) move no pixel across the diagonal; ISOMETRIC_KEYS[TRANSPOSE] is the transpose. */
const UPRIGHT_KEYS = 4;
const TRANSPOSE = ISOMETRIC_KEYS.indexOf('r90fv');

/** Query rows against data rows at the hasher's limit (exact popcount or Euclidean loops); resolves with the threads used. */
export type QueryJoin = (queries: PackedHashes | VectorHashes, data: PackedHashes | VectorHashes, scope: QueryScope, out: PairSink) => Promise<number>;

/** exact.ts' searchVariantsForward: 2^shift rows of `variants` per row of `data`, each against the data rows of later items. */
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
  /** per item: items pair only across different splits */
  readonly splits?: GroupKeys;
  readonly querySplits?: GroupKeys;
  readonly items?: ArrayLike<number>;
  /** Query items (8 rows each) against the data's upright hashes, instead of the data against itself. */
  readonly queries?: PackedHashes | VectorHashes;
  readonly queryGroups?: GroupKeys;
  readonly queryItems?: ArrayLike<number>;
  /** Bit hashes: the triangle join, so each pair is searched once (without it, both ways through `join`). */
  readonly forward?: ForwardJoin;
}

/** Pairs of items, into `out` as (i, j, distance, variant tag) with i < j (or, with queries, i = query item, j = data row). */
export async function isometricPairs(variants: PackedHashes | VectorHashes, scope: IsometricScope, join: QueryJoin, out: PairSink): Promise<number> {
  const n = itemsOf(variants, 'isometric hashes');
  const perRow = <T>(values: ArrayLike<T> | undefined, per = VARIANTS): T[] | undefined =>
    values && Array.from({ length: values.length * per }, (_, q) => values[Math.floor(q / per)]);
  if (scope.queries) {
    // Query-by-example: a new file's variants against the data set's upright hashes.
    itemsOf(scope.queries, 'isometric query hashes');
    const upright = variants.select(Array.from({ length: n }, (_, k) => k * VARIANTS));
    const sink: PairSink = { add: (q, j, d) => out.add(q >>> SHIFT, j, d, tagOf(0, q & (VARIANTS - 1))) };
    return join(
      scope.queries,
      upright,
      {
        groups: scope.groups,
        items: scope.items,
        queryGroups: perRow(scope.queryGroups),
        queryItems: perRow(scope.queryItems),
        ...(scope.splits ? { splits: scope.splits, querySplits: perRow(scope.querySplits) } : {}),
      },
      sink,
    );
  }
  const items = scope.items ?? Int32Array.from({ length: n }, (_, k) => k);
  if (scope.forward) {
    const bits = variants as PackedHashes;
    // 4 rows of each earlier item when the set is closed under transposition (then shift 2), else 8.
    const shift = transposeClosed(bits) ? 2 : SHIFT;
    const per = 1 << shift;
    const left = per === VARIANTS ? bits : bits.select(Array.from({ length: n * per }, (_, q) => (q >>> shift) * VARIANTS + (q & (per - 1))));
    let threads = 1;
    for (let s = 0; s < VARIANTS; s++) {
      const right = bits.select(Array.from({ length: n }, (_, k) => k * VARIANTS + s));
      const sink: PairSink = { add: (q, j, d) => out.add(q >>> shift, j, d, tagOf(0, RELATIVE[(q & (per - 1)) * VARIANTS + s], 1)) };
      threads = Math.max(threads, await scope.forward(left, right, shift, { groups: scope.groups, items }, sink));
    }
    return threads;
  }
  // Vectors: every row against every row, both ways (each pair is met from both ends with the same distances).
  const sink: PairSink = {
    add: (q, r, d) => {
      const a = q >>> SHIFT;
      const b = r >>> SHIFT;
      if (a < b) out.add(a, b, d, tagOf(0, RELATIVE[(q & 7) * VARIANTS + (r & 7)], 1));
    },
  };
  const rowGroups = perRow(scope.groups);
  const rowSplits = scope.splits ? { splits: perRow(scope.splits), querySplits: perRow(scope.splits) } : {};
  return join(variants, variants, { groups: rowGroups, queryGroups: rowGroups, items: perRow(items), queryItems: perRow(items), ...rowSplits }, sink);
}

/** Bit hashes: whether every item's transposed variants are its upright-axis variants with their bits transposed (a square grid of bits). */
export function transposeClosed(v: PackedHashes): boolean {
  const side = Math.round(Math.sqrt(v.bits));
  if (side * side !== v.bits) return false;
  const bit = (row: Uint8Array, k: number): number => (row[k >>> 3] >>> (7 - (k & 7))) & 1;
  for (let item = 0; item < v.count / VARIANTS; item++) {
    for (let t = 0; t < UPRIGHT_KEYS; t++) {
      const a = v.row(item * VARIANTS + t);
      const b = v.row(item * VARIANTS + COMPOSE[TRANSPOSE * VARIANTS + t]);
      for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) if (bit(a, y * side + x) !== bit(b, x * side + y)) return false;
    }
  }
  return true;
}

/**
 * The dihedral group on ISOMETRIC_KEYS, worked out once from transformGrid itself (so it cannot drift
 * from the transforms that made the hashes): COMPOSE[u * 8 + t] = the key of "t, then u";
 * RELATIVE[t * 8 + s] = the R with t R = s, i.e. t^-1 s.
 */
const { COMPOSE, RELATIVE } = (() => {
  const probe: Grid = { data: Uint8Array.from({ length: 6 }, (_, k) => k), width: 3, height: 2 };
  const image = (k: number, g = probe): Grid => transformGrid(g, 1, ISOMETRIC_KEYS[k]);
  const same = (a: Grid, b: Grid): boolean => a.width === b.width && a.data.every((x, i) => x === b.data[i]);
  const compose = new Uint8Array(VARIANTS * VARIANTS);
  const relative = new Uint8Array(VARIANTS * VARIANTS);
  for (let u = 0; u < VARIANTS; u++) {
    for (let t = 0; t < VARIANTS; t++) {
      const tu = image(u, image(t));
      compose[u * VARIANTS + t] = ISOMETRIC_KEYS.findIndex((_, k) => same(image(k), tu));
    }
  }
  for (let t = 0; t < VARIANTS; t++) for (let r = 0; r < VARIANTS; r++) relative[t * VARIANTS + compose[t * VARIANTS + r]] = r;
  return { COMPOSE: compose, RELATIVE: relative };
})();

/** The variant of b that matches a when variant t of a met variant s of b (t^-1 s, as an index into ISOMETRIC_KEYS). */
export const relativeVariant = (t: number, s: number): number => RELATIVE[t * VARIANTS + s];

function itemsOf(v: PackedHashes | VectorHashes, what: string): number {
  if (v.count % VARIANTS !== 0) throw invalidOption(what, `${VARIANTS} rows per item`, `${v.count} rows`);
  return v.count / VARIANTS;
}
