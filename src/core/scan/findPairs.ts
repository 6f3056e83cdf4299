import { ISOMETRIC_KEYS, type DistanceMetric, type HashDtype, type IsometricKey } from '../hashers/types.js';
import { describeSearch, searchBitPairs } from '../index/pairSearch.js';
import { findDuplicatePairs, type HasherHashes } from '../search/dedupe.js';
import { VectorHashes } from '../search/euclidean.js';
import { PackedHashes, radiusFor } from '../search/packed.js';
import { unionPairs, type ScoredPair } from '../search/union.js';
import type { Pair } from '../types.js';

/** One hasher's hashes for every usable file, in `paths` order. */
export interface HashTable {
  readonly key: string; // hasherKey
  readonly label: string; // short name shown in pairs, e.g. phash16
  readonly threshold: number;
  readonly dtype: HashDtype;
  readonly metric: DistanceMetric;
  readonly length: number;
  readonly hashes: readonly (string | null)[];
  readonly isometric?: readonly (Readonly<Record<IsometricKey, string | null>> | undefined)[];
}

export interface FindPairsInput {
  /** Sorted, so item index order is path order and every pair comes out with a < b. */
  readonly paths: readonly string[];
  readonly tables: readonly HashTable[];
  /** Group label per file; pairs only form inside a group. Undefined: one group. */
  readonly groups?: readonly string[];
  readonly isometric: boolean;
  /** Above this many files, bit hashes go through the approximate (LSH) candidate generator. */
  readonly approximateAbove: number;
  readonly log?: (msg: string) => void;
}

/** The variant of b that matches a, given that variant v of a matched b (r90 and r270 undo each other; the rest undo themselves). */
const INVERSE: Readonly<Record<string, string>> = { r90: 'r270', r270: 'r90' };

/**
 * All duplicate pairs: each hasher at its own threshold (distance < threshold, as perception), pairs
 * unioned over hashers with the smallest distance kept. Exact search (all pairs, popcount on every
 * core) by default; above `approximateAbove` files, bit hashes use LSH candidates, each verified with
 * its exact distance. Files whose hash is null for a hasher (perception's None) take no part in
 * that hasher's search.
 */
export async function findPairs(input: FindPairsInput): Promise<Pair[]> {
  const lists: ScoredPair[][] = [];
  for (let h = 0; h < input.tables.length; h++) lists.push(await pairsOfTable(input, input.tables[h], h));
  const union = unionPairs(lists);
  return union.map((p): Pair => {
    const transform = !p.variant || p.variant === 'r0' ? undefined : p.variantOf === 'j' ? p.variant : (INVERSE[p.variant] ?? p.variant);
    return { a: input.paths[p.i], b: input.paths[p.j], distance: p.distance, hasher: input.tables[p.hasher].label, ...(transform ? { transform } : {}) };
  });
}

async function pairsOfTable(input: FindPairsInput, t: HashTable, hasher: number): Promise<ScoredPair[]> {
  const iso = input.isometric && t.isometric !== undefined;
  // Rows: the files this hasher has a hash (and, with isometric, every variant) for.
  const rows: number[] = [];
  for (let k = 0; k < t.hashes.length; k++) {
    if (t.hashes[k] === null) continue;
    if (iso && (!t.isometric![k] || ISOMETRIC_KEYS.some((v) => t.isometric![k]![v] === null))) continue;
    rows.push(k);
  }
  if (rows.length < 2) return [];
  const groups = input.groups && rows.map((k) => input.groups![k]);
  const strings = iso ? rows.flatMap((k) => ISOMETRIC_KEYS.map((v) => t.isometric![k]![v]!)) : rows.map((k) => t.hashes[k]!);

  let found: ScoredPair[];
  if (t.dtype === 'bool') {
    const packed = PackedHashes.fromStrings(strings, t.length);
    if (!iso) found = await bitTable(packed, t, hasher, groups, input);
    else {
      // LSH has no rotations: isometric search stays exact at any size.
      const spec: HasherHashes = { kind: 'bits', hashes: packed, variants: packed, threshold: t.threshold };
      if (rows.length > input.approximateAbove) input.log?.(`search: isometric search is exact only; ${rows.length} files may take a while`);
      found = await findDuplicatePairs([spec], { groups });
    }
  } else {
    const vectors = VectorHashes.fromStrings(strings, t.dtype, t.length);
    const spec: HasherHashes = iso
      ? { kind: 'vectors', hashes: vectors, variants: vectors, threshold: t.threshold }
      : { kind: 'vectors', hashes: vectors, threshold: t.threshold };
    found = await findDuplicatePairs([spec], { groups });
  }
  // Back to file indices; rows are ascending, so i < j still holds.
  return found.map((p) => ({ ...p, i: rows[p.i], j: rows[p.j], hasher }));
}

/** Exact search, or above `approximateAbove` files LSH candidates verified exactly (searchBitPairs chooses and says why). */
async function bitTable(
  packed: PackedHashes,
  t: HashTable,
  hasher: number,
  groups: readonly string[] | undefined,
  input: FindPairsInput,
): Promise<ScoredPair[]> {
  const r = await searchBitPairs(packed, { radius: radiusFor(t.threshold, t.length), groups, approximateAbove: input.approximateAbove });
  const p = r.pairs;
  if (r.method === 'approximate')
    input.log?.(`search: ${t.label}: approximate candidates for ${packed.count} files, ${p.count} pairs verified exactly; ${describeSearch(r)}`);
  else if (packed.count > input.approximateAbove) input.log?.(`search: ${t.label}: ${describeSearch(r)}`);
  return Array.from({ length: p.count }, (_, k) => ({ i: p.i[k], j: p.j[k], distance: p.d[k] / t.length, hasher }));
}
