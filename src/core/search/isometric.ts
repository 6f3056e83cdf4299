import { invalidOption } from '../errors.js';
import { ISOMETRIC_KEYS, type IsometricKey } from '../hashers/types.js';
import { searchQueries, searchVariantsForward, type QuerySearchOptions, type SelfSearchOptions } from './engine.js';
import type { BitPairs } from './pairList.js';
import type { PackedHashes } from './packed.js';

export const VARIANTS = ISOMETRIC_KEYS.length; // 8
const SHIFT = 3; // log2(VARIANTS)

export interface IsometricPair {
  readonly i: number;
  readonly j: number;
  /** differing bits of the best match */
  readonly d: number;
  /** which dihedral variant matched the other item's upright hash */
  readonly variant: IsometricKey;
  /** whose variant it was */
  readonly variantOf: 'i' | 'j';
}

export interface IsometricOptions extends SelfSearchOptions {
  /**
   * true (default): the variants of each item are compared with the upright hash of every other
   * item, so a pair matches when a variant of either one is close to the other. false: only the
   * variants of the first item of each pair (half the work), the same result when variants are exact
   * isometries of the hash, which re-hashed pixels only approximately are.
   */
  readonly bothWays?: boolean;
}

/**
 * Isometric dedupe (perception's `isometric=True`): `variants` holds 8 rows per item, the hashes of
 * the item's dihedral variants in ISOMETRIC_KEYS order (r0 first). A pair of items matches when some
 * variant of one is within the radius of the other's r0 hash. Returns one entry per item pair,
 * i < j, with the smallest distance, sorted.
 */
export async function searchIsometric(variants: PackedHashes, opts: IsometricOptions): Promise<IsometricPair[]> {
  if (variants.count % VARIANTS !== 0) throw invalidOption('isometric hashes', `${VARIANTS} rows per item`, `${variants.count} rows`);
  const n = variants.count / VARIANTS;
  const upright = variants.select(Array.from({ length: n }, (_, k) => k * VARIANTS));
  const itemOfRow = Int32Array.from({ length: variants.count }, (_, q) => (opts.items ? opts.items[q >>> SHIFT] : q >>> SHIFT));
  const itemOfData = Int32Array.from({ length: n }, (_, k) => (opts.items ? opts.items[k] : k));
  let found: BitPairs;
  if (opts.bothWays ?? true) {
    const queryGroups = opts.groups && Array.from({ length: variants.count }, (_, q) => opts.groups![q >>> SHIFT]);
    found = await searchQueries(variants, upright, { ...opts, queryGroups, queryItems: itemOfRow, dataItems: itemOfData });
  } else {
    found = await searchVariantsForward(variants, upright, SHIFT, opts);
  }
  return bestPerItemPair(found);
}

export interface IsometricQueryPair {
  /** query item (its variants are rows 8i..8i+7) */
  readonly i: number;
  /** data row */
  readonly j: number;
  readonly d: number;
  /** the query's variant that matched */
  readonly variant: IsometricKey;
}

/**
 * New files against a data set, isometric: `queryVariants` holds 8 rows per query item (ISOMETRIC_KEYS
 * order), `data` one upright hash per row. A query matches a data row when any of its variants is within
 * the radius; one entry per (query item, data row) with the smallest distance, sorted.
 * `queryGroups` / `queryItems`, when given, are per query item.
 */
export async function searchIsometricQueries(queryVariants: PackedHashes, data: PackedHashes, opts: QuerySearchOptions): Promise<IsometricQueryPair[]> {
  if (queryVariants.count % VARIANTS !== 0) throw invalidOption('isometric query hashes', `${VARIANTS} rows per item`, `${queryVariants.count} rows`);
  const perRow = <T>(values: ArrayLike<T> | undefined): T[] | undefined => values && Array.from({ length: queryVariants.count }, (_, q) => values[q >>> SHIFT]);
  const found = await searchQueries(queryVariants, data, { ...opts, queryGroups: perRow(opts.queryGroups), queryItems: perRow(opts.queryItems) });
  const best = new Map<number, IsometricQueryPair>();
  const stride = 2 ** 26;
  for (let k = 0; k < found.count; k++) {
    const v = found.i[k] & (VARIANTS - 1);
    const pair: IsometricQueryPair = { i: found.i[k] >>> SHIFT, j: found.j[k], d: found.d[k], variant: ISOMETRIC_KEYS[v] };
    const key = pair.i * stride + pair.j;
    const old = best.get(key);
    if (!old || pair.d < old.d || (pair.d === old.d && ISOMETRIC_KEYS.indexOf(pair.variant) < ISOMETRIC_KEYS.indexOf(old.variant))) best.set(key, pair);
  }
  return [...best.values()].sort((x, y) => x.i - y.i || x.j - y.j);
}

function bestPerItemPair(found: BitPairs): IsometricPair[] {
  const best = new Map<number, IsometricPair>();
  const stride = 2 ** 26; // item indices below 67M, so the key is exact in a double
  for (let k = 0; k < found.count; k++) {
    const a = found.i[k] >>> SHIFT;
    const v = found.i[k] & (VARIANTS - 1);
    const b = found.j[k];
    const pair: IsometricPair =
      a < b
        ? { i: a, j: b, d: found.d[k], variant: ISOMETRIC_KEYS[v], variantOf: 'i' }
        : { i: b, j: a, d: found.d[k], variant: ISOMETRIC_KEYS[v], variantOf: 'j' };
    const key = pair.i * stride + pair.j;
    const old = best.get(key);
    if (!old || better(pair, old)) best.set(key, pair);
  }
  return [...best.values()].sort((x, y) => x.i - y.i || x.j - y.j);
}

/** Smallest distance; on a tie the upright comparison, then the earlier variant, then i's variant: deterministic whatever order threads finish in. */
function better(x: IsometricPair, y: IsometricPair): boolean {
  if (x.d !== y.d) return x.d < y.d;
  const vx = ISOMETRIC_KEYS.indexOf(x.variant);
  const vy = ISOMETRIC_KEYS.indexOf(y.variant);
  if (vx !== vy) return vx < vy;
  return x.variantOf === 'i' && y.variantOf === 'j';
}
