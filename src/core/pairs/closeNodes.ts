/**
 * Near-identical hashes as one node: the dense case the identical-hash node (collapse.ts) does not cover.
 * Thousands of near-copies of one picture whose hashes differ by a few bits (one-pixel variants of a small
 * picture, thumbnails of one frame re-encoded) are all within threshold of each other, so listing their
 * pairs is quadratic: 2,000 of them are 2 million pairs, 20,000 are 200 million.
 *
 * A close node is a set of rows every two of which are within threshold (a duplicate pair), so its pairs
 * are implied, not listed: each member is listed once, against the node's first row (distance measured),
 * and a node of n rows costs n - 1 pairs. It is built around a centre, the bitwise majority of a cloud of
 * near-copies (roughly the original picture's hash; no row needs to have it):
 * 1. the rows within h = floor((radius - 1) / 2) bits of the centre, every two of which are within
 *    2h <= radius - 1 bits by the triangle inequality (Hamming distance is a metric);
 * 2. then, closest to the centre first, each other row (in no node, or in a smaller one) measured against
 *    every member so far and added when it is within threshold of all of them (a near-copy just past h
 *    usually is).
 * Every pair not inside one node is still found exactly: the rows in no node among themselves at the real
 * radius, and each node's centre against them (and against the other centres) at the radius widened by
 * the node's own reach (its farthest member from the centre): a member x and a row y within threshold of
 * it put y within reach + radius - 1 of the centre. Each candidate is measured member by member.
 *
 * Nodes are found in row order (deterministic): a first greedy pass (a row joins the first of the
 * `probe` largest nodes whose first row it is within h of, else it starts one) finds the clouds and their
 * majority centres; the second pass puts each row in the first of the `probe` largest nodes (largest first)
 * whose centre it is within h of, else its first-pass node's. Checking a bounded number of nodes keeps this
 * linear on a dataset of distinct pictures (every row its own node); a near-copy that misses its node only
 * costs its pairs being listed. Nodes under `min` rows are dissolved: everyday pair lists are unchanged.
 */
import type { ThreadOptions } from './exact.js';
import { searchPairs, searchQueries } from './exact.js';
import type { GroupKeys } from './exactPlan.js';
import { hammingBits, PackedHashes, withinBits } from './packed.js';
import type { PairSink } from './pairSet.js';

/** Centres checked per row: enough for a few dense pictures, bounded so a sparse dataset stays linear. */
const PROBE = 64;

export interface CloseNodes {
  readonly count: number;
  /** Node k is rows[start[k] .. start[k + 1]): its row nearest the centre first, then the rest in row order. */
  readonly start: Uint32Array;
  readonly rows: Uint32Array;
  /** Node k's centre (row k): the bitwise majority of its cloud. */
  readonly centres: PackedHashes;
  /** Node k's reach: its farthest member's distance to its centre, in bits. */
  readonly reach: Uint32Array;
}

/** Nodes of rows pairwise within `radius` (exclusive, bits), found around majority centres (same group only); nodes of fewer than `min` rows dropped. */
export function closeNodes(hashes: PackedHashes, radius: number, min: number, groups?: GroupKeys, probe = PROBE): CloseNodes {
  const half = Math.floor((radius - 1) / 2);
  const least = Math.max(2, min);
  const empty: CloseNodes = {
    count: 0,
    start: new Uint32Array(1),
    rows: new Uint32Array(0),
    centres: new PackedHashes(0, hashes.bits),
    reach: new Uint32Array(0),
  };
  if (half < 0) return empty;
  const first = greedy(hashes, half, groups, probe).filter((m) => m.length >= least);
  if (first.length === 0) return empty;
  // Largest first: a row checks the big clouds before the small ones.
  first.sort((x, y) => y.length - x.length || x[0] - y[0]);
  const centres = new PackedHashes(first.length, hashes.bits);
  first.forEach((rows, k) => majority(hashes, rows, centres, k));
  const firstNode = new Int32Array(hashes.count).fill(-1);
  first.forEach((rows, k) => rows.forEach((r) => (firstNode[r] = k)));
  const groupOf = (k: number): number | string | undefined => groups?.[first[k][0]];
  const sameGroup = (k: number, r: number): boolean => !groups || groupOf(k) === groups[r];
  const toCentre = (r: number, k: number): number => hammingBits(hashes, r, centres, k);
  const toCentreWithin = withinBits(hashes, centres);
  const rowsWithin = withinBits(hashes, hashes);
  const members: number[][] = first.map(() => []);
  const nodeOf = new Int32Array(hashes.count).fill(-1);
  const top = Math.min(probe, first.length);
  for (let r = 0; r < hashes.count; r++) {
    const own = firstNode[r];
    const within = (k: number): boolean => sameGroup(k, r) && toCentreWithin(r, k, half);
    // The largest node first (so two first-pass nodes of one cloud merge into the bigger), its own last.
    let home = -1;
    for (let k = 0; home < 0 && k < top; k++) if (within(k)) home = k;
    if (home < 0 && own >= top && within(own)) home = own;
    if (home >= 0) {
      members[home].push(r);
      nodeOf[r] = home;
    }
  }
  // Step 2: rows past h that are within threshold of every member, closest to the centre first.
  // A row of a smaller node may move to a bigger one (its smaller node stays pairwise within threshold).
  for (let k = 0; k < first.length; k++) {
    members[k] = members[k].filter((r) => nodeOf[r] === k);
    if (members[k].length < least) continue;
    const near: { r: number; d: number }[] = [];
    for (let r = 0; r < hashes.count; r++) {
      if ((nodeOf[r] >= 0 && nodeOf[r] <= k) || !sameGroup(k, r)) continue;
      if (toCentreWithin(r, k, radius + half - 1)) near.push({ r, d: toCentre(r, k) });
    }
    near.sort((x, y) => x.d - y.d || x.r - y.r);
    for (const { r } of near) {
      const m = members[k];
      let all = true;
      for (let x = 0; x < m.length && all; x++) all = rowsWithin(m[x], r, radius - 1);
      if (!all) continue;
      m.push(r);
      nodeOf[r] = k;
    }
    members[k].sort((x, y) => x - y);
  }
  const kept: number[] = [];
  members.forEach((m, k) => {
    if (m.length >= least) kept.push(k);
  });
  const start = new Uint32Array(kept.length + 1);
  kept.forEach((k, i) => (start[i + 1] = start[i] + members[k].length));
  const rows = new Uint32Array(start[kept.length]);
  const out = new PackedHashes(kept.length, hashes.bits);
  const reach = new Uint32Array(kept.length);
  kept.forEach((k, i) => {
    const m = members[k];
    const d = m.map((r) => toCentre(r, k));
    // The row nearest the centre names the node (its members are listed against it).
    let best = 0;
    for (let x = 1; x < m.length; x++) if (d[x] < d[best]) best = x;
    rows.set([m[best], ...m.slice(0, best), ...m.slice(best + 1)], start[i]);
    out.bytes.set(centres.row(k), i * out.strideBytes);
    reach[i] = Math.max(...d);
  });
  return { count: kept.length, start, rows, centres: out, reach };
}

/** The first pass: a row joins the first of the `probe` largest nodes whose first row it is within `half` bits of, else starts a node. */
function greedy(hashes: PackedHashes, half: number, groups: GroupKeys | undefined, probe: number): number[][] {
  const members: number[][] = [];
  const within = withinBits(hashes, hashes);
  /** Indices into `members` of the largest nodes, largest first (ties: the older first). */
  let top: number[] = [];
  for (let r = 0; r < hashes.count; r++) {
    let home = -1;
    for (const c of top) {
      const lead = members[c][0];
      if (groups && groups[lead] !== groups[r]) continue;
      if (within(lead, r, half)) {
        home = c;
        break;
      }
    }
    if (home >= 0) {
      members[home].push(r);
      // Keep `top` ordered by size: the node that grew moves up past smaller ones.
      let at = top.indexOf(home);
      while (at > 0 && members[top[at - 1]].length < members[home].length) {
        top[at] = top[at - 1];
        top[at - 1] = home;
        at--;
      }
      continue;
    }
    members.push([r]);
    const c = members.length - 1;
    if (top.length < probe) top.push(c);
    // Full: a new node takes the last slot when that one is a single row, so fresh rows get a chance.
    else if (members[top[top.length - 1]].length <= 1) top = [...top.slice(0, -1), c];
  }
  return members;
}

/** Row k of `out` := the bitwise majority of `rows` of `hashes` (ties: 0). */
function majority(hashes: PackedHashes, rows: readonly number[], out: PackedHashes, k: number): void {
  const s = hashes.strideBytes;
  const ones = new Uint32Array(s * 8);
  for (const r of rows) {
    const at = r * s;
    for (let b = 0; b < s; b++) {
      const v = hashes.bytes[at + b];
      if (v === 0) continue;
      for (let bit = 0; bit < 8; bit++) if (v & (0x80 >> bit)) ones[b * 8 + bit]++;
    }
  }
  const row = out.row(k);
  for (let b = 0; b < s; b++) {
    let v = 0;
    for (let bit = 0; bit < 8; bit++) if (2 * ones[b * 8 + bit] > rows.length) v |= 0x80 >> bit;
    row[b] = v;
  }
}

/**
 * Every pair within `radius` (exclusive, bits) of `hashes`, with the pairs inside one close node implied:
 * each member is named once with the node's first row; the rest as an exact search finds them. Rows as in
 * `hashes`; `items` (same item never paired) and `groups` as searchPairs takes them. Resolves with the
 * threads used.
 */
export async function searchWithCloseNodes(
  hashes: PackedHashes,
  radius: number,
  nodes: CloseNodes,
  scope: { groups?: GroupKeys; items?: ArrayLike<number> },
  opts: ThreadOptions,
  out: PairSink,
): Promise<number> {
  const nodeOf = new Int32Array(hashes.count).fill(-1);
  for (let k = 0; k < nodes.count; k++) for (let x = nodes.start[k]; x < nodes.start[k + 1]; x++) nodeOf[nodes.rows[x]] = k;
  const sameItem = (a: number, b: number): boolean => scope.items !== undefined && scope.items[a] === scope.items[b];
  const emit = (a: number, b: number, d: number): void => {
    if (a === b || sameItem(a, b)) return;
    if (a < b) out.add(a, b, d);
    else out.add(b, a, d);
  };
  const rowsOf = (k: number): Uint32Array => nodes.rows.subarray(nodes.start[k], nodes.start[k + 1]);
  /** Members of node k against rows `bs`, each measured. */
  const verify = (k: number, bs: ArrayLike<number>): void => {
    for (const a of rowsOf(k))
      for (let y = 0; y < bs.length; y++) {
        const e = hammingBits(hashes, a, hashes, bs[y]);
        if (e < radius) emit(a, bs[y], e);
      }
  };
  // Each member against the node's first row: the node's listed pairs.
  for (let k = 0; k < nodes.count; k++) {
    const [lead, ...rest] = rowsOf(k);
    for (const m of rest) emit(lead, m, hammingBits(hashes, lead, hashes, m));
  }
  // Node against node: few nodes, so every pair of centres is looked at.
  for (let k = 0; k < nodes.count; k++)
    for (let l = k + 1; l < nodes.count; l++) {
      const lead = rowsOf(l)[0];
      if (scope.groups && scope.groups[rowsOf(k)[0]] !== scope.groups[lead]) continue;
      if (hammingBits(nodes.centres, k, nodes.centres, l) < radius + nodes.reach[k] + nodes.reach[l]) verify(k, rowsOf(l));
    }
  const plain: number[] = [];
  for (let r = 0; r < hashes.count; r++) if (nodeOf[r] < 0) plain.push(r);
  if (plain.length === 0) return 1;
  const data = hashes.select(plain);
  const pick = <T>(keys: ArrayLike<T> | undefined): T[] | undefined => keys && plain.map((r) => keys[r]);
  const groups = pick(scope.groups);
  const items = pick(scope.items);
  // Rows in no node among themselves, at the real radius.
  const threads = await searchPairs(data, radius, { groups, items }, opts, {
    add: (i, j, d) => emit(plain[i], plain[j], d),
  });
  if (nodes.count === 0) return threads;
  // Each centre against them, at the radius its reach widens it to; candidates measured member by member.
  let widest = 0;
  for (let k = 0; k < nodes.count; k++) widest = Math.max(widest, nodes.reach[k]);
  const centreGroups = scope.groups && Array.from({ length: nodes.count }, (_, k) => scope.groups![rowsOf(k)[0]]);
  // A centre is no file: an id no row has, so the search never skips it as "the same item".
  const centreItems = items && Int32Array.from({ length: nodes.count }, (_, k) => -1 - k);
  await searchQueries(nodes.centres, data, radius + widest, { groups, queryGroups: centreGroups, items, queryItems: centreItems }, opts, {
    add: (k, j, d) => {
      if (d < radius + nodes.reach[k]) verify(k, [plain[j]]);
    },
  });
  return threads;
}
