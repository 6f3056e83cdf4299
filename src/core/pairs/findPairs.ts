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
 * Identical hashes are one node (collapse.ts): before `choose`, a hasher's rows are mapped to their
 * distinct hashes and only those are searched; a node pair stands for every pair of its rows. With
 * `identical: 'expand'` (default) those are enumerated, as perception lists them; with 'nodes' the items
 * identical under every hasher form one group (`identical` in the result) named by its first item in
 * the pairs, so many copies of one picture cost one group, not n^2 pairs.
 *
 * Seams for the work that comes next, each meant to fit without another reshuffle:
 * - query search (new hashes against a dataset's saved hashes): `queries` below, exact today; LSH would
 *   key the query rows into the data's buckets (choose.ts says where).
 * - LSH by table shard over memory-mapped hashes: lsh.ts deals tables to workers; a shard is that deal
 *   across processes (see there).
 */
import { invalidOption } from '../errors.js';
import type { GroupKeys } from './exactPlan.js';
import { searchPairs, searchQueries, searchVariantsForward } from './exact.js';
import { chooseSearch, type ChoiceOptions, type SearchChoice, type SearchReport } from './choose.js';
import { collapseIdentical, expandNodes, nodeItems, type IdenticalRows } from './collapse.js';
import { isometricPairs, type QueryJoin } from './isometric.js';
import { lshPairs, type LshOptions } from './lsh.js';
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
  /**
   * A split label per item (train, val, test): pairs only form between different splits, the leakage
   * search (with groups, both hold: same group, different split). The exact strategies search only
   * the rectangles between splits; every strategy's pairs pass the same check in hasherSink.
   */
  readonly splits?: GroupKeys;
  /** With queries and splits: a split label per query item. */
  readonly querySplits?: GroupKeys;
}

export interface FindPairsOptions extends ChoiceOptions, LshOptions {
  /**
   * Pairs of identical hashes: 'expand' (default) lists every pair, as perception does; 'nodes' lists one
   * group per set of items identical under every hasher (`identical` in the result) and names each group
   * by its first item in `pairs`, so the pairs stay linear in the number of distinct hashes.
   */
  readonly identical?: 'expand' | 'nodes';
}

/** Groups of items whose hashes are identical for every hasher: group g is items[start[g] .. start[g + 1]), ascending. */
export interface IdenticalGroups {
  readonly count: number;
  readonly start: Uint32Array;
  readonly items: Uint32Array;
}

export interface PairSearchResult {
  /** (i, j) items, perception's distance, tag = hasher and isometric variant (pairSet.ts); sorted by i then j. */
  readonly pairs: FoundPairs;
  /** How each hasher was searched, in input order (describeSearch prints one). */
  readonly searches: readonly SearchReport[];
  /**
   * With `identical: 'nodes'`: the groups of identical items (two or more each). The first item of a group
   * stands for all of them in `pairs`: a pair (first, x, d) means every member is at d from x, and members
   * are at 0 from each other. Other members never appear in `pairs`.
   */
  readonly identical?: IdenticalGroups;
}

export async function findPairs(input: FindPairsInput, opts: FindPairsOptions = {}): Promise<PairSearchResult> {
  const found = new PairSet();
  const searches: SearchReport[] = [];
  // A group of identical items would stand for pairs inside one split, which a split search never reports.
  if (input.splits && opts.identical === 'nodes') throw invalidOption('identical', "'expand' with splits", 'nodes');
  const collapsed = input.hashers.map((spec) => collapseHasher(spec, input.groups, input.splits));
  const groups = opts.identical === 'nodes' ? identicalGroups(input, collapsed) : undefined;
  for (let h = 0; h < input.hashers.length; h++) {
    const spec = input.hashers[h];
    const started = performance.now();
    const ids = collapsed[h];
    const choice = chooseSearch(ids ? { ...spec, distinct: ids.nodes } : spec, opts);
    const run = await search(spec, choice, input, opts, hasherSink(input, h, found), ids, groups?.represent(h));
    searches.push({ ...choice, hasher: h, ...run, seconds: (performance.now() - started) / 1000 });
  }
  return { pairs: found.toPairs(), searches, ...(groups ? { identical: groups.groups } : {}) };
}

/** The hasher's identical rows, for bit hashes searched as a set (isometric and query searches are not collapsed). */
function collapseHasher(spec: HasherInput, groups: GroupKeys | undefined, splits: GroupKeys | undefined): IdenticalRows | undefined {
  if (!(spec.hashes instanceof PackedHashes) || spec.isometric || spec.queries) return undefined;
  // with splits a node holds one split's rows only, so the search between nodes is the search between splits
  const keys = cellKeys(rowKeys(groups, spec.items, spec.hashes.count), rowKeys(splits, spec.items, spec.hashes.count));
  let groupOf: Int32Array | undefined;
  if (keys) {
    const index = new Map<number | string, number>();
    groupOf = Int32Array.from({ length: keys.length }, (_, r) => {
      let g = index.get(keys[r]);
      if (g === undefined) index.set(keys[r], (g = index.size));
      return g;
    });
  }
  return collapseIdentical(spec.hashes, groupOf);
}

/**
 * Items identical under every hasher: a hasher refines the groups by its node of each item. An item takes
 * part only through hashers where it has exactly one row (one hash) and that hasher was collapsed; in any
 * other hasher, and where it has no row at all, it stays alone.
 */
function identicalGroups(input: FindPairsInput, collapsed: readonly (IdenticalRows | undefined)[]) {
  let itemCount = 0;
  input.hashers.forEach((s) => {
    const rows = s.isometric ? s.hashes.count / 8 : s.hashes.count;
    for (let r = 0; r < rows; r++) itemCount = Math.max(itemCount, (s.items ? s.items[r] : r) + 1);
  });
  // group of every item, refined hasher by hasher; -1 = alone
  let group = new Int32Array(itemCount);
  const rowOfItem = input.hashers.map((s, h) => {
    const ofItem = new Int32Array(itemCount).fill(-1);
    const ids = collapsed[h];
    if (!ids) return ofItem;
    for (let r = 0; r < s.hashes.count; r++) {
      const item = s.items ? s.items[r] : r;
      ofItem[item] = ofItem[item] === -1 ? r : -2; // -2: several rows
    }
    return ofItem;
  });
  input.hashers.forEach((_, h) => {
    const ids = collapsed[h];
    const index = new Map<number, number>();
    const next = new Int32Array(itemCount);
    for (let item = 0; item < itemCount; item++) {
      const r = rowOfItem[h][item];
      if (!ids || r < 0 || group[item] < 0) {
        next[item] = -1;
        continue;
      }
      const key = group[item] * ids.nodes + ids.nodeOf[r];
      let g = index.get(key);
      if (g === undefined) index.set(key, (g = index.size));
      next[item] = g;
    }
    group = next;
  });
  // groups of two or more, each named by its first item
  const first = new Map<number, number>();
  const size = new Map<number, number>();
  for (let item = 0; item < itemCount; item++) {
    const g = group[item];
    if (g < 0) continue;
    if (!first.has(g)) first.set(g, item);
    size.set(g, (size.get(g) ?? 0) + 1);
  }
  const repOf = new Int32Array(itemCount).map((_, item) => (group[item] >= 0 && size.get(group[item])! > 1 ? first.get(group[item])! : item));
  const multi = [...first.entries()].filter(([g]) => size.get(g)! > 1).sort((a, b) => a[1] - b[1]);
  const slot = new Map<number, number>(multi.map(([g], k) => [g, k]));
  const start = new Uint32Array(multi.length + 1);
  multi.forEach(([g], k) => (start[k + 1] = start[k] + size.get(g)!));
  const items = new Uint32Array(start[multi.length]);
  const fill = Uint32Array.from(start.subarray(0, multi.length));
  for (let item = 0; item < itemCount; item++) {
    const k = group[item] >= 0 ? slot.get(group[item]) : undefined;
    if (k !== undefined) items[fill[k]++] = item;
  }
  return {
    groups: { count: multi.length, start, items } satisfies IdenticalGroups,
    /** Hasher h's row -> the row of its group's first item in that hasher. */
    represent: (h: number) => (row: number) => {
      const s = input.hashers[h];
      const item = s.items ? s.items[row] : row;
      const rep = repOf[item];
      return rep === item ? row : rowOfItem[h][rep];
    },
  };
}

async function search(
  spec: HasherInput,
  choice: SearchChoice,
  input: FindPairsInput,
  opts: FindPairsOptions,
  out: PairSink,
  ids: IdenticalRows | undefined,
  represent: ((row: number) => number) | undefined,
): Promise<{ threads: number; candidates?: number; distinct?: number }> {
  const { hashes, isometric, queries } = spec;
  const rows = isometric ? hashes.count / 8 : hashes.count;
  if (ids && (ids.nodes < rows || represent)) {
    // Search the distinct hashes; the node pairs become row pairs (all, or one per group of identical items).
    const expand = expandNodes(ids, out, spec.items, represent);
    const items = spec.items && nodeItems(ids, spec.items);
    const groups = rowKeys(input.groups, spec.items, rows);
    const splits = rowKeys(input.splits, spec.items, rows);
    const nodeGroups = groups && Array.from(ids.firstRow, (r) => groups[r]);
    const nodeSplits = splits && Array.from(ids.firstRow, (r) => splits[r]);
    const distinct = { hashes: hashes as PackedHashes, items, groups: nodeGroups, splits: nodeSplits, select: ids.firstRow };
    const run = await searchDistinct(distinct, choice, opts, expand.sink);
    // distance 0 is a pair only under a positive threshold (perception's strict `distance < threshold`)
    if (0 < spec.threshold) expand.addImplied();
    return { ...run, distinct: ids.nodes };
  }
  const groups = rowKeys(input.groups, spec.items, rows);
  const splits = rowKeys(input.splits, spec.items, rows);
  if (choice.plan) {
    const r = await lshPairs(hashes as PackedHashes, choice.plan, spec.items, opts, out);
    return { threads: r.threads, candidates: r.candidates };
  }
  const join: QueryJoin =
    hashes instanceof PackedHashes
      ? (q, d, scope, sink) => searchQueries(q as PackedHashes, d as PackedHashes, choice.radius!, scope, opts, sink)
      : async (q, d, scope, sink) => (euclideanPairs(d as VectorHashes, spec.threshold, { ...scope, queries: q as VectorHashes }, sink), 1);
  const queryRows = queries && (isometric ? queries.count / 8 : queries.count);
  const queryGroups = queries && rowKeys(input.queryGroups, spec.queryItems, queryRows!);
  const querySplits = queries && rowKeys(input.querySplits, spec.queryItems, queryRows!);
  const scope = { groups, items: spec.items, queryGroups, queryItems: spec.queryItems, ...(splits ? { splits, querySplits } : {}) };
  if (isometric) {
    // The one-way bit search plans triangles, so it leaves pairs within a split to hasherSink's check.
    const forward =
      hashes instanceof PackedHashes
        ? (v: PackedHashes, d: PackedHashes, shift: number, sc: { groups?: GroupKeys; items?: ArrayLike<number> }, sink: PairSink) =>
            searchVariantsForward(v, d, shift, choice.radius!, sc, opts, sink)
        : undefined;
    return { threads: await isometricPairs(hashes, { ...scope, queries, forward }, join, out) };
  }
  if (queries) return { threads: await join(queries, hashes, scope, out) };
  if (hashes instanceof PackedHashes) return { threads: await searchPairs(hashes, choice.radius!, scope, opts, out) };
  euclideanPairs(hashes, spec.threshold, scope, out);
  return { threads: 1 };
}

/** LSH or exact over the distinct rows `select` of `hashes` (items and groups per distinct row). */
async function searchDistinct(
  d: { hashes: PackedHashes; items?: Int32Array; groups?: GroupKeys; splits?: GroupKeys; select: Uint32Array },
  choice: SearchChoice,
  opts: FindPairsOptions,
  out: PairSink,
): Promise<{ threads: number; candidates?: number }> {
  if (choice.plan) {
    const r = await lshPairs(d.hashes, choice.plan, d.items, opts, out, d.select);
    return { threads: r.threads, candidates: r.candidates };
  }
  return { threads: await searchPairs(d.hashes.select(d.select), choice.radius!, { groups: d.groups, splits: d.splits, items: d.items }, opts, out) };
}

/** One key per row for (group, split), when either is given. */
function cellKeys(groups: GroupKeys | undefined, splits: GroupKeys | undefined): GroupKeys | undefined {
  if (!splits) return groups;
  return Array.from({ length: splits.length }, (_, r) => `${groups ? groups[r] : ''}\u0000${splits[r]}`);
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
  const { groups, splits } = input;
  const queryGroups = spec.queries ? input.queryGroups : groups;
  const querySplits = spec.queries ? input.querySplits : splits;
  return {
    add(i, j, d, tag = 0) {
      const a = queryItems ? queryItems[i] : i;
      const b = items ? items[j] : j;
      if (groups && queryGroups && queryGroups[a] !== groups[b]) return;
      if (splits && querySplits && querySplits[a] === splits[b]) return;
      out.add(a, b, bits ? d / bits : d, tagOf(hasher) + tag);
    },
  };
}
