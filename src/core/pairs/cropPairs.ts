/**
 * The crop-resistant strategy (ScanOptions.cropResistant; issue 12, item 3): pairs a plain search cannot
 * see because a border was added or the picture was cropped. Every file also has the hash of its content
 * box (uniform borders trimmed) and of nine overlapping windows (crops/cropWindows.ts, hashed in the
 * hashing step from the same pixels). Two searches per hasher, both through findPairs:
 * - whole or content box of A against whole or content box of B, at BOX_RATIO of the hasher's threshold (a
 *   padded copy's box is its original; two copies padded differently meet box to box);
 * - every window of A against the whole or content box of B, at WINDOW_RATIO of the threshold (a copy
 *   cropped by 5-10 % lies close to one window of its original). Windows never meet windows: two
 *   unrelated pictures share a corner far more often than a whole picture.
 * Pairs the plain search found keep their plain distance; only new pairs come from here, each marked with
 * how it was found (Pair.via), so a reviewer can see why two files whose whole hashes differ are listed.
 */
import { WHOLE_VIEW } from '../crops/viewColors.js';
import { decodeHash, vectorDistance } from '../hashers/format.js';
import type { DistanceMetric, HashVector } from '../hashers/types.js';
import type { Pair, PairVia } from '../types.js';
import { findPairs, packHashStrings, type HasherInput } from './findPairs.js';
import { tagHasher } from './pairSet.js';
import type { HashTable, TablePairsInput } from './tablePairs.js';

/**
 * A content-box match must be this share of the hasher's threshold (0.175 for phash16 at 0.2, i.e. at most
 * 44 of 256 bits). Trimmed boxes of flags, clip art and screenshots (stripes, a panel on a plain ground)
 * meet strangers' boxes just under the threshold: on the held-out benchmark the pairs box matches added at
 * 46-50 bits were 378 false against 157 true. Chosen leave-one-source-family-out there: for each of the 13
 * source families, the cut that adds the most true minus false pairs on the other 12 was at most 44 bits
 * in 10 folds (46 in 2, 48 in 1), so no family's own pairs chose the cut it is measured with (README,
 * docs/crop-resistant.md).
 */
export const BOX_RATIO = 0.875;

/**
 * A window match must be this share of the hasher's threshold (0.15 for phash16 at 0.2): nine windows per
 * file are nine more chances to meet a stranger. Chosen on the public benchmark (`npm run bench -- --only
 * crop-resistant`), then measured on the held-out one (README).
 */
export const WINDOW_RATIO = 0.75;

/** The pairs the crop hashes add to `found` (the plain search's pairs), in path order like findTablePairs' (input.paths is sorted). */
export async function findCropPairs(input: TablePairsInput, found: readonly Pair[]): Promise<Pair[]> {
  const known = new Set(found.map((p) => `${p.a}\u0000${p.b}`));
  const n = input.paths.length;
  const best = new Map<number, Pair>(); // by i * n + j, i < j: item order is path order
  for (const t of input.tables) {
    if (!t.crops) continue;
    for (const { i, j, pair } of await tableCropPairs(input, t, (i, j) => known.has(`${input.paths[i]}\u0000${input.paths[j]}`))) {
      const old = best.get(i * n + j);
      if (!old || pair.distance < old.distance) best.set(i * n + j, pair);
    }
  }
  return [...best.entries()].sort((x, y) => x[0] - y[0]).map((e) => e[1]);
}

/**
 * One table's crop pairs: for each pair of files (i < j) the plain search did not list (`known`), the first
 * of its candidates (search order) with the smallest distance among those whose views agree in colour.
 * The candidates of a pair of files are tried by distance (ties in search order) and the first that
 * agrees is the answer, so a pair met both box to box and in a window is checked in colour once when its
 * closer way agrees, and a pair the plain search listed is not checked at all (before, every way a pair
 * met was checked and the closest kept, and listed pairs were dropped after their check: the same pairs).
 */
async function tableCropPairs(input: TablePairsInput, t: HashTable, known: (i: number, j: number) => boolean): Promise<{ i: number; j: number; pair: Pair }[]> {
  const crops = t.crops!;
  // Data: every file's whole hash and, where it has one, its content box's; queries: every window.
  const dataItems: number[] = [];
  const data: string[] = [];
  const queryItems: number[] = [];
  const queries: string[] = [];
  for (let k = 0; k < t.hashes.length; k++) {
    const whole = t.hashes[k];
    const c = crops[k];
    if (whole === null || !c) continue; // no whole hash (perception's None) or no crop hashes: no part in it
    dataItems.push(k);
    data.push(whole);
    if (c[0] !== null && c[0] !== undefined) {
      dataItems.push(k);
      data.push(c[0]);
    }
    for (let w = 1; w < c.length; w++)
      if (c[w] !== null) {
        queryItems.push(k);
        queries.push(c[w]!);
      }
  }
  if (data.length === 0) return [];
  const pack = (s: readonly string[]) => packHashStrings(s, t.dtype, t.length);
  const hashes = pack(data);
  const hashers: HasherInput[] = [{ hashes, threshold: t.threshold * BOX_RATIO, items: dataItems }];
  if (queries.length > 0) hashers.push({ hashes, threshold: t.threshold * WINDOW_RATIO, items: dataItems, queries: pack(queries), queryItems });
  const r = await findPairs(
    { hashers, groups: input.groups, splits: input.splits, queryGroups: input.groups, querySplits: input.splits },
    { approximateAbove: input.approximateAbove },
  );
  const p = r.pairs;
  const whole = wholeDistance(t);
  const view = viewVectors(t);
  const n = input.paths.length;
  // The candidates of each pair of files, in search order (rows of p).
  const candidates = new Map<number, number[]>(); // by i * n + j
  for (let k = 0; k < p.count; k++) {
    const [i, j] = p.i[k] < p.j[k] ? [p.i[k], p.j[k]] : [p.j[k], p.i[k]];
    if (i === j) continue; // a window of a file against the file itself
    // Whole hashes within the threshold: the plain search's pair, listed by it or left implied by its node
    // of near-identical files (a default scan does not list those); not one this strategy adds. On the
    // held-out benchmark such pairs were 1,485 of the 2,004 false pairs the mode added (grey-identical
    // recolourings of one design) and none of its true ones.
    if (whole(i, j) < t.threshold || known(i, j)) continue;
    const key = i * n + j;
    const c = candidates.get(key);
    if (c) c.push(k);
    else candidates.set(key, [k]);
  }
  const out: { i: number; j: number; pair: Pair }[] = [];
  let dropped = 0;
  const check = input.cropCheck;
  for (const [key, ks] of candidates) {
    const i = Math.floor(key / n);
    const j = key - i * n;
    if (ks.length > 1) ks.sort((x, y) => p.distance[x] - p.distance[y] || x - y);
    // The colour check depends on the two files and how they met, not on which window or box row met: a
    // pair met by several windows is checked once per way (on the public benchmark most candidates are met 2-9 times).
    const agreed: (boolean | undefined)[] = [undefined, undefined];
    let chosen = -1;
    for (const k of ks) {
      const way = tagHasher(p.tag[k]) === 0 ? 0 : 1;
      if (check) {
        agreed[way] ??= cropViewsAgree(t.metric, view(i), view(j), way === 0 ? 'content-box' : 'crop-window', (vi, vj) =>
          check(input.paths[i], input.paths[j], vi, vj),
        );
        if (!agreed[way]) continue;
      }
      chosen = k;
      break;
    }
    if (chosen < 0) {
      dropped++;
      continue;
    }
    const via: PairVia = tagHasher(p.tag[chosen]) === 0 ? 'content-box' : 'crop-window';
    out.push({ i, j, pair: { a: input.paths[i], b: input.paths[j], distance: p.distance[chosen], hasher: t.label, via } });
  }
  if (dropped > 0) input.log?.(`search: crop-resistant: ${dropped} pairs of files dropped, the views that matched differ in colour`);
  return out;
}

/** Each file's views as decoded hash vectors (viewsOfFile), each decoded once, on demand. */
function viewVectors(t: HashTable): (k: number) => (v: number) => HashVector | null {
  const files = new Map<number, (v: number) => HashVector | null>();
  return (k) => {
    let views = files.get(k);
    if (!views) {
      const decode = viewsOfFile(t.hashes[k], t.crops![k], t.dtype, t.length);
      const decoded = new Map<number, HashVector | null>();
      views = (v) => (decoded.has(v) ? decoded.get(v)! : decoded.set(v, decode(v)).get(v)!);
      files.set(k, views);
    }
    return views;
  };
}

/**
 * One file's views in a table as hash vectors: WHOLE_VIEW its whole hash, 0 its content box's, 1-9 its
 * windows'; null where it has none. Decoded when asked.
 */
export function viewsOfFile(
  whole: string | null | undefined,
  crops: readonly (string | null)[] | undefined,
  dtype: HashTable['dtype'],
  length: number,
): (v: number) => HashVector | null {
  return (v) => {
    const s = v === WHOLE_VIEW ? whole : crops?.[v];
    return typeof s === 'string' ? decodeHash(s, dtype, length) : null;
  };
}

/**
 * A crop pair's check, as the scan and `compare` run it: the views of the two files that made the pair
 * (matchedViews), then `agree` on those two views (the scan's colour check, colorcheck/cropColors.ts).
 */
export function cropViewsAgree(
  metric: DistanceMetric,
  viewsOfA: (v: number) => HashVector | null,
  viewsOfB: (v: number) => HashVector | null,
  via: PairVia,
  agree: (viewA: number, viewB: number) => boolean,
): boolean {
  const [va, vb] = matchedViews(metric, viewsOfA, viewsOfB, via);
  return agree(va, vb);
}

/**
 * Which views of files i and j (each view's hash vector, WHOLE_VIEW, 0 the content box, 1-9 the windows; null
 * when it has none) made their crop pair: the closest of whole or content box against whole or
 * content box (via content-box), or of a window of one against the whole or content box of the other (via
 * crop-window), as the search compared them. Ties go to the first in that order.
 */
export function matchedViews(
  metric: DistanceMetric,
  viewOfI: (v: number) => HashVector | null,
  viewOfJ: (v: number) => HashVector | null,
  via: PairVia,
): [number, number] {
  let best: [number, number] = [WHOLE_VIEW, WHOLE_VIEW];
  let bestDistance = Infinity;
  const tryPair = (vi: number, vj: number): void => {
    const a = viewOfI(vi);
    const b = viewOfJ(vj);
    if (!a || !b) return;
    const d = vectorDistance(a, b, metric);
    if (d < bestDistance) [best, bestDistance] = [[vi, vj], d];
  };
  const bases = [WHOLE_VIEW, 0];
  for (const vi of bases) for (const vj of bases) if (via === 'content-box') tryPair(vi, vj);
  if (via === 'crop-window')
    for (let w = 1; w <= 9; w++)
      for (const b of bases) {
        tryPair(w, b);
        tryPair(b, w);
      }
  return best;
}

/** The distance of two files' whole hashes in the table (Infinity when either has none), each hash decoded once. */
function wholeDistance(t: HashTable): (i: number, j: number) => number {
  const decoded = new Map<number, HashVector | null>();
  const vector = (k: number): HashVector | null => {
    let v = decoded.get(k);
    if (v === undefined) {
      const s = t.hashes[k];
      v = s === null ? null : decodeHash(s, t.dtype, t.length);
      decoded.set(k, v);
    }
    return v;
  };
  return (i, j) => {
    const a = vector(i);
    const b = vector(j);
    return a && b ? vectorDistance(a, b, t.metric) : Infinity;
  };
}
