/**
 * Finding pairs: the one entry point, for the scan, `media-dedupe pairs`, `check`, the extension and the
 * benchmarks. perception's `deduplicate` after hashing: each hasher at its own threshold, a pair when
 * `distance < threshold` (normalised Hamming distance for bit hashes: see radiusFor, the one radius
 * convention; Euclidean for vectors), pairs unioned over hashers with the smallest distance kept.
 *
 * Rows become pairs in three steps, each with one owner: choose.ts picks the strategy per hasher (exact,
 * LSH; isometric and vectors are exact) and says why; exact.ts / lsh.ts / isometric.ts / vectors.ts find
 * row pairs; the sink below names them by item and unions them in one PairSet. bruteForce.ts takes the
 * same input and is the oracle of every strategy.
 *
 * Seams for the work that comes next, each meant to fit without another reshuffle:
 * - identical hashes as one node (many copies of one picture must be linear): a step before `choose`
 *   that maps rows to distinct hashes and searches those; the pairs inside a node are then implied by
 *   the node's rows, and the result gains the nodes instead of enumerating them.
 * - isometric as perception does it (every variant of A against every variant of B): isometric.ts keeps
 *   the data side's 8 rows per item instead of its upright rows.
 * - query search (new hashes against a dataset's saved hashes): `queries` below, exact today; LSH would
 *   key the query rows into the data's buckets (choose.ts says where).
 * - LSH by table shard over memory-mapped hashes: lsh.ts deals tables to workers; a shard is that deal
 *   across processes (see there).
 */
import type { GroupKeys } from './exactPlan.js';
import { searchPairs, searchQueries, type ThreadOptions } from './exact.js';
import { chooseSearch, type ChoiceOptions, type SearchChoice, type SearchReport } from './choose.js';
import { isometricPairs, type QueryJoin } from './isometric.js';
import { lshPairs } from './lsh.js';
import { PackedHashes } from './packed.js';
import { PairSet, tagOf, type FoundPairs, type PairSink } from './pairSet.js';
import { euclideanPairs, type VectorHashes } from './vectors.js';

/** One hasher's hashes and threshold. */
export interface HasherInput {
  /** One row per hash; with `isometric`, 8 rows per hash (its dihedral variants, ISOMETRIC_KEYS order, r0 first). */
  readonly hashes: PackedHashes | VectorHashes;
  readonly threshold: number;
  readonly isometric?: boolean;
  /**
   * The item of every hash (default: hash k is item k). Hashes of one item are never paired (several
   * hashes of one file, as perception's deduplicate_hashes); a pair is named (item of the earlier hash,
   * item of the later hash), once, with its smallest distance.
   */
  readonly items?: ArrayLike<number>;
  /** Query search: these hashes against `hashes` (not against each other); pairs are (query item, item). */
  readonly queries?: PackedHashes | VectorHashes;
  readonly queryItems?: ArrayLike<number>;
}

export interface FindPairsInput {
  readonly hashers: readonly HasherInput[];
  /** A group key per item; pairs only form inside a group (e.g. one class folder). */
  readonly groups?: GroupKeys;
  /** With queries: a group key per query item. */
  readonly queryGroups?: GroupKeys;
}

export interface FindPairsOptions extends ChoiceOptions, ThreadOptions {}

export interface PairSearchResult {
  /** (i, j) items, perception's distance, tag = hasher and isometric variant (pairSet.ts); sorted by i then j. */
  readonly pairs: FoundPairs;
  /** How each hasher was searched, in input order (describeSearch prints one). */
  readonly searches: readonly SearchReport[];
}

export async function findPairs(input: FindPairsInput, opts: FindPairsOptions = {}): Promise<PairSearchResult> {
  const found = new PairSet();
  const searches: SearchReport[] = [];
  for (let h = 0; h < input.hashers.length; h++) {
    const spec = input.hashers[h];
    const started = performance.now();
    const choice = chooseSearch(spec, opts);
    const run = await search(spec, choice, input, opts, hasherSink(input, h, found));
    searches.push({ ...choice, hasher: h, ...run, seconds: (performance.now() - started) / 1000 });
  }
  return { pairs: found.toPairs(), searches };
}

async function search(
  spec: HasherInput,
  choice: SearchChoice,
  input: FindPairsInput,
  opts: FindPairsOptions,
  out: PairSink,
): Promise<{ threads: number; candidates?: number }> {
  const { hashes, isometric, queries } = spec;
  const rows = isometric ? hashes.count / 8 : hashes.count;
  const groups = rowKeys(input.groups, spec.items, rows);
  if (choice.plan) {
    const r = await lshPairs(hashes as PackedHashes, choice.plan, spec.items, opts, out);
    return { threads: r.threads, candidates: r.candidates };
  }
  const join: QueryJoin =
    hashes instanceof PackedHashes
      ? (q, d, scope, sink) => searchQueries(q as PackedHashes, d as PackedHashes, choice.radius!, scope, opts, sink)
      : async (q, d, scope, sink) => (euclideanPairs(d as VectorHashes, spec.threshold, { ...scope, queries: q as VectorHashes }, sink), 1);
  const queryGroups = queries && rowKeys(input.queryGroups, spec.queryItems, isometric ? queries.count / 8 : queries.count);
  const scope = { groups, items: spec.items, queryGroups, queryItems: spec.queryItems };
  if (isometric) return { threads: await isometricPairs(hashes, { ...scope, queries }, join, out) };
  if (queries) return { threads: await join(queries, hashes, scope, out) };
  if (hashes instanceof PackedHashes) return { threads: await searchPairs(hashes, choice.radius!, scope, opts, out) };
  euclideanPairs(hashes, spec.threshold, scope, out);
  return { threads: 1 };
}

/** Group keys per row from keys per item. */
function rowKeys(groups: GroupKeys | undefined, items: ArrayLike<number> | undefined, rows: number): GroupKeys | undefined {
  return groups && items ? Array.from({ length: rows }, (_, r) => groups[items[r]]) : groups;
}

/**
 * Where a hasher's strategies put their row pairs: named by item, normalised to perception's distance,
 * tagged with the hasher, pairs across groups dropped (LSH does not know groups), unioned into `out`.
 */
export function hasherSink(input: FindPairsInput, hasher: number, out: PairSink): PairSink {
  const spec = input.hashers[hasher];
  const bits = spec.hashes instanceof PackedHashes ? spec.hashes.bits : 0;
  const items = spec.items;
  const queryItems = spec.queries ? spec.queryItems : items;
  const { groups } = input;
  const queryGroups = spec.queries ? input.queryGroups : groups;
  return {
    add(i, j, d, tag = 0) {
      const a = queryItems ? queryItems[i] : i;
      const b = items ? items[j] : j;
      if (groups && queryGroups && queryGroups[a] !== groups[b]) return;
      out.add(a, b, bits ? d / bits : d, tagOf(hasher) + tag);
    },
  };
}
