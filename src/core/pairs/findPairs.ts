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
 * identical under every hasher form one group (`identical` in the result), and only its first item is
 * searched and named in the pairs, so many copies of one picture cost one group, not n^2 pairs (the scan
 * uses this for groups of 16 or more: `nodeMin`).
 *
 * Seams for the work that comes next, each meant to fit without another reshuffle:
 * - query search (new hashes against a dataset's saved hashes): `queries` below, exact, and past the exact
 *   range one LSH run over dataset and queries (lshQuery.ts; choose.ts says when). Keying new hashes into a
 *   saved LSH table set is the next step for datasets of tens of millions.
 * - LSH by table shard over memory-mapped hashes: lsh.ts deals tables to workers; a shard is that deal
 *   across processes (see there).
 */
import { invalidOption } from '../errors.js';
import type { GroupKeys } from './exactPlan.js';
import { searchPairs, searchQueries, searchVariantsForward } from './exact.js';
import { chooseSearch, type ChoiceOptions, type SearchChoice, type SearchReport } from './choose.js';
import { closeNodes, searchWithCloseNodes } from './closeNodes.js';
import { collapseIdentical, expandNodes, nodeItems, type IdenticalRows } from './collapse.js';
import { isometricPairs, type QueryJoin } from './isometric.js';
import { lshPairs, type LshOptions } from './lsh.js';
import { lshQueryPairs } from './lshQuery.js';
import { PackedHashes } from './packed.js';
import { PairSet, tagOf, type FoundPairs, type PairSink } from './pairSet.js';
import { euclideanPairs, VectorHashes } from './vectors.js';

/** One hasher's hashes and threshold. */
/** One hasher's hash strings (as the cache and perception's JSON keep them) packed for the search: bits or vectors by dtype. */
export function packHashStrings(strings: readonly string[], dtype: 'bool' | 'uint8' | 'float32', length: number): PackedHashes | VectorHashes {
  return dtype === 'bool' ? PackedHashes.fromStrings(strings, length) : VectorHashes.fromStrings(strings, dtype, length);
}

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
  /** With 'nodes': groups of fewer identical items stay listed pair by pair, as 'expand' lists them (default 2: every group is a node). */
  readonly nodeMin?: number;
  /**
   * With 'nodes': near-identical items (within half the threshold of a centre, closeNodes.ts) also form
   * nodes of at least nodeMin, each member listed once against its centre (`close` in the result), the
   * pairs between members implied. Only for one bit hasher searched exactly (not isometric, no queries).
   */
  readonly close?: boolean;
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
  /**
   * With `close`: the near-identical nodes (two or more items each), the centre first. `pairs` holds each
   * member with its centre and every pair found outside the nodes; two members of one node are within
   * threshold of each other (triangle inequality) and are not listed.
   */
  readonly close?: IdenticalGroups;
}

export async function findPairs(input: FindPairsInput, opts: FindPairsOptions = {}): Promise<PairSearchResult> {
  const found = new PairSet();
  const searches: SearchReport[] = [];
  // A group of identical items would stand for pairs inside one split, which a split search never reports.
  if (input.splits && opts.identical === 'nodes') throw invalidOption('identical', "'expand' with splits", 'nodes');
  // Large groups of identical items are one node: only their first item is searched (linear in copies).
  const nodes = opts.identical === 'nodes' ? identicalItems(input, opts.nodeMin ?? 2) : undefined;
  const searched = nodes && nodes.groups.count > 0 ? withoutHidden(input, nodes.hidden) : input;
  const collapsed = searched.hashers.map((spec) => collapseHasher(spec, searched.groups, searched.splits));
  let close: IdenticalGroups | undefined;
  for (let h = 0; h < searched.hashers.length; h++) {
    const spec = searched.hashers[h];
    const started = performance.now();
    const ids = collapsed[h];
    const choice = chooseSearch(ids ? { ...spec, distinct: ids.nodes } : spec, opts);
    const near = opts.close && opts.identical === 'nodes' ? closeSearch(searched, choice.radius, choice.plan === undefined, opts.nodeMin ?? 2) : undefined;
    const sink = hasherSink(searched, h, found);
    const run = near
      ? { threads: await searchWithCloseNodes(spec.hashes as PackedHashes, choice.radius!, near.nodes, near.scope, opts, sink) }
      : await search(spec, choice, searched, opts, sink, ids);
    if (near && near.nodes.count > 0) close = near.groups;
    // with nodes, the hashes searched are distinct ones even when the hasher's own collapse found no more repeats
    const distinct = ids && searched !== input ? { distinct: ids.nodes } : {};
    searches.push({ ...choice, hasher: h, ...distinct, ...run, seconds: (performance.now() - started) / 1000 });
  }
  return { pairs: found.toPairs(), searches, ...(nodes ? { identical: nodes.groups } : {}), ...(close ? { close } : {}) };
}

/**
 * The close nodes of the one bit hasher of `input` (closeNodes.ts), when its search is exact, not
 * isometric, not a query and not across splits; in items, centre first. Undefined otherwise.
 */
function closeSearch(input: FindPairsInput, radius: number | undefined, exact: boolean, min: number) {
  const spec = input.hashers[0];
  if (input.hashers.length !== 1 || !exact || radius === undefined || radius < 1 || input.splits) return undefined;
  if (!(spec.hashes instanceof PackedHashes) || spec.isometric || spec.queries) return undefined;
  const rows = spec.hashes.count;
  const groups = rowKeys(input.groups, spec.items, rows);
  const nodes = closeNodes(spec.hashes, radius, min, groups);
  if (nodes.count === 0) return undefined;
  const itemOf = (r: number): number => (spec.items ? spec.items[r] : r);
  const inItems: IdenticalGroups = { count: nodes.count, start: nodes.start, items: Uint32Array.from(nodes.rows, itemOf) };
  return { nodes, groups: inItems, scope: { groups, items: spec.items } };
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
 * Items identical under every hasher (and in one group and split): equal bytes in every hasher's row (all
 * eight variants with isometric), or no row in it. An item with several hashes in one hasher, or none at
 * all, stays alone. Linear: one map keyed by the bytes. Groups of at least `min` items are returned,
 * each named by its first item; every other member is `hidden` from the search.
 */
function identicalItems(input: FindPairsInput, min: number): { groups: IdenticalGroups; hidden: Uint8Array } {
  const itemCount = countItems(input.hashers);
  const none: { groups: IdenticalGroups; hidden: Uint8Array } = {
    groups: { count: 0, start: new Uint32Array(1), items: new Uint32Array(0) },
    hidden: new Uint8Array(itemCount),
  };
  // A query search pairs queries with the data, never the data among itself: nothing to group.
  if (input.hashers.some((s) => s.queries)) return none;
  const hashOf = input.hashers.map((s) => {
    const of = new Int32Array(itemCount).fill(-1); // -1: no hash, -2: several
    const n = s.isometric ? s.hashes.count / 8 : s.hashes.count;
    for (let k = 0; k < n; k++) {
      const item = s.items ? s.items[k] : k;
      of[item] = of[item] === -1 ? k : -2;
    }
    return of;
  });
  const keys = cellKeys(input.groups, input.splits);
  const byKey = new Map<string, number[]>();
  for (let item = 0; item < itemCount; item++) {
    let key: string | undefined = keys ? `${keys[item]}\u0000` : '';
    let alone = true;
    for (let h = 0; h < input.hashers.length && key !== undefined; h++) {
      const k = hashOf[h][item];
      if (k === -2) key = undefined;
      else if (k === -1) key += '\u0001';
      else {
        const s = input.hashers[h];
        key += '\u0002' + hashBytes(s.hashes, s.isometric ? 8 * k : k, s.isometric ? 8 : 1);
        alone = false;
      }
    }
    if (key === undefined || alone) continue;
    const g = byKey.get(key);
    if (g) g.push(item);
    else byKey.set(key, [item]);
  }
  const multi = [...byKey.values()].filter((g) => g.length >= Math.max(2, min)); // in order of first item
  if (multi.length === 0) return none;
  const start = new Uint32Array(multi.length + 1);
  multi.forEach((g, k) => (start[k + 1] = start[k] + g.length));
  const items = new Uint32Array(start[multi.length]);
  multi.forEach((g, k) => items.set(g, start[k]));
  const hidden = none.hidden;
  for (const g of multi) for (let k = 1; k < g.length; k++) hidden[g[k]] = 1;
  return { groups: { count: multi.length, start, items }, hidden };
}

/** One more than the largest item any hasher names. */
function countItems(hashers: readonly HasherInput[]): number {
  let n = 0;
  for (const s of hashers) {
    const rows = s.isometric ? s.hashes.count / 8 : s.hashes.count;
    if (!s.items) n = Math.max(n, rows);
    else for (let r = 0; r < rows; r++) n = Math.max(n, s.items[r] + 1);
  }
  return n;
}

/** Rows first .. first + count of a hash set as a string of their bytes (a map key). */
function hashBytes(h: PackedHashes | VectorHashes, first: number, count: number): string {
  const v = h instanceof PackedHashes ? h.bytes : h.values;
  const rowBytes = h instanceof PackedHashes ? h.strideBytes : h.dim * h.values.BYTES_PER_ELEMENT;
  return Buffer.from(v.buffer, v.byteOffset + first * rowBytes, count * rowBytes).toString('latin1');
}

/** Every hasher without the hashes of hidden items; the items of the rest are named explicitly. */
function withoutHidden(input: FindPairsInput, hidden: Uint8Array): FindPairsInput {
  const hashers = input.hashers.map((s): HasherInput => {
    const n = s.isometric ? s.hashes.count / 8 : s.hashes.count;
    const kept: number[] = [];
    for (let k = 0; k < n; k++) if (!hidden[s.items ? s.items[k] : k]) kept.push(k);
    if (kept.length === n) return s;
    const rows = s.isometric ? kept.flatMap((k) => Array.from({ length: 8 }, (_, v) => 8 * k + v)) : kept;
    const hashes = s.hashes instanceof PackedHashes ? s.hashes.select(rows) : s.hashes.select(rows);
    return { ...s, hashes, items: Int32Array.from(kept, (k) => (s.items ? s.items[k] : k)) };
  });
  return { ...input, hashers };
}

async function search(
  spec: HasherInput,
  choice: SearchChoice,
  input: FindPairsInput,
  opts: FindPairsOptions,
  out: PairSink,
  ids: IdenticalRows | undefined,
): Promise<{ threads: number; candidates?: number; distinct?: number; engine?: string }> {
  const { hashes, isometric, queries } = spec;
  const rows = isometric ? hashes.count / 8 : hashes.count;
  if (ids && ids.nodes < rows) {
    // Search the distinct hashes; the node pairs become every pair of their rows.
    const expand = expandNodes(ids, out, spec.items);
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
    const r = queries
      ? await lshQueryPairs(hashes as PackedHashes, queries as PackedHashes, choice.plan, { items: spec.items, queryItems: spec.queryItems }, opts, out)
      : await lshPairs(hashes as PackedHashes, choice.plan, spec.items, opts, out);
    return { threads: r.threads, candidates: r.candidates, engine: r.engine };
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
): Promise<{ threads: number; candidates?: number; engine?: string }> {
  if (choice.plan) {
    const r = await lshPairs(d.hashes, choice.plan, d.items, opts, out, d.select);
    return { threads: r.threads, candidates: r.candidates, engine: r.engine };
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
