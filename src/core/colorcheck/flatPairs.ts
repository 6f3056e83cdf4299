/**
 * The near-flat path of the colour check. pHash keeps the signs of an image's lowest DCT coefficients;
 * on a nearly uniform picture (fog, a clear sky, a blank scan, a flat graphic, a patch of sensor noise)
 * those coefficients are all close to zero, so any re-encoding, resize or blur flips many of them and a
 * copy lands far above the threshold (a 64 x 64 patch of camera noise and its JPEG copy: 62 of 256 bits
 * apart, its quarter-size copy 130). What such a picture shows is its colour, and its colour signature
 * (hashers/colorSignature.ts, kept for every scanned image) holds all of it.
 *
 * So, among near-flat images only (the luma spread of the signature's cells at most FLAT_MAX_SPREAD),
 * two images whose signatures agree cell by cell within FLAT_TOLERANCE (RMS over the 768 values, no
 * brightness or colour fit: much tighter than the colour check itself, which still has to agree too)
 * are paired although their hashes are not within threshold. Such pairs keep their real hash distance
 * and carry `via: 'flat'`. Only pairs the hash search did not find are added, only inside one --group-by
 * group, and only with the colour check on: with it off the scan's pairs stay exactly perception's.
 *
 * Cost: the spread of every signature (one pass over 256 cells), then each near-flat image is compared
 * only with those whose mean colours are close enough to pair at all (the RMS of a difference bounds the
 * difference of the means, so no pair is missed): 100,000 near-flat images of random colours take about
 * 2 s on one core, a quarter of it decoding their signatures. N near-identical ones (a folder of blank
 * pages) are N (N - 1) / 2 pairs, as N identical copies are for the hash search, and each pair found costs
 * a colour comparison (about 0.2 ms). docs/color-check.md has the measurements the two thresholds come from.
 */
import { COLOR_GRID, COLOR_MARGIN, COLOR_SIGNATURE_BYTES, signatureMargin } from '../hashers/colorSignature.js';
import { decodeHash, vectorDistance } from '../hashers/format.js';
import { transformGrid } from '../hashers/isometric.js';
import { ISOMETRIC_KEYS, type IsometricKey } from '../hashers/types.js';
import type { Pair } from '../types.js';
import type { HashTable } from '../pairs/tablePairs.js';
import { colorsAgree } from './verifyPairs.js';

/** Largest luma spread (RMS over the 16 x 16 cells, 8-bit levels) of an image the near-flat path considers. */
export const FLAT_MAX_SPREAD = 10;
/** Largest RMS difference between two near-flat signatures (8-bit levels, over all cells and channels) that pairs them. */
export const FLAT_TOLERANCE = 3;

const G = COLOR_GRID;
const CELLS = G * G;
const BYTES = COLOR_SIGNATURE_BYTES;
/** Side of the candidate grid's cells over mean colour: the largest channel-mean difference two paired signatures can have. */
const MEAN_CELL = Math.sqrt(3) * FLAT_TOLERANCE;

/**
 * How much an image varies at the scale pHash looks at: the RMS deviation of its cells' Rec. 601 luma
 * from their mean. 0 for a uniform image; a few levels for fog or a noise patch; tens for a photo.
 */
export function lumaSpread(sig: Uint8Array): number {
  if (sig.length !== BYTES) throw new RangeError('lumaSpread: expected a colour signature');
  let sum = 0;
  let sum2 = 0;
  for (let i = 0; i < sig.length; i += 3) {
    const l = 0.299 * sig[i] + 0.587 * sig[i + 1] + 0.114 * sig[i + 2];
    sum += l;
    sum2 += l * l;
  }
  const mean = sum / CELLS;
  return Math.sqrt(Math.max(0, sum2 / CELLS - mean * mean));
}

/** Whether an image is near-flat: its pHash bits are noise, its colour signature is what identifies it. */
export function isNearFlat(sig: Uint8Array): boolean {
  return lumaSpread(sig) <= FLAT_MAX_SPREAD;
}

/** A margin differing from COLOR_MARGIN by more than this (a fraction of the side, ~7% of a cell) is resampled. */
const MARGIN_SLACK = 0.004;

/**
 * The signature as if its grid covered the standard central part of the image ([1/16, 15/16] of each
 * side). A side under 32 pixels keeps its margin (colorSignature), so the grid of a 16 x 16 copy covers
 * the whole picture while its 64 x 64 original's covers the middle 7/8: cell k of one is not cell k of
 * the other. Such grids are resampled (area-weighted, per axis); most images already have the standard
 * margin within a fraction of a pixel and are returned as they are.
 */
export function standardGrid(sig: Uint8Array, width: number, height: number): Uint8Array | Float64Array {
  const mx = width > 0 ? signatureMargin(width) / width : COLOR_MARGIN;
  const my = height > 0 ? signatureMargin(height) / height : COLOR_MARGIN;
  const wx = Math.abs(mx - COLOR_MARGIN) > MARGIN_SLACK ? axisWeights(mx) : undefined;
  const wy = Math.abs(my - COLOR_MARGIN) > MARGIN_SLACK ? axisWeights(my) : undefined;
  if (!wx && !wy) return sig;
  const rows = new Float64Array(BYTES);
  for (let y = 0; y < G; y++) {
    for (let x = 0; x < G; x++) {
      for (let c = 0; c < 3; c++) {
        let v = 0;
        if (wx) for (const [k, w] of wx[x]) v += w * sig[(y * G + k) * 3 + c];
        else v = sig[(y * G + x) * 3 + c];
        rows[(y * G + x) * 3 + c] = v;
      }
    }
  }
  if (!wy) return rows;
  const out = new Float64Array(BYTES);
  for (let y = 0; y < G; y++)
    for (let x = 0; x < G; x++) for (let c = 0; c < 3; c++) for (const [k, w] of wy[y]) out[(y * G + x) * 3 + c] += w * rows[(k * G + x) * 3 + c];
  return out;
}

/**
 * For each standard cell along one axis, the source cells (of a grid covering [m, 1 - m]) it overlaps and
 * their weights. Where the standard cell reaches past the source coverage (a margin a little wider than
 * the standard one), the part outside is left out and the weights renormalised.
 */
function axisWeights(m: number): [number, number][][] {
  const src = (1 - 2 * m) / G;
  const dst = (1 - 2 * COLOR_MARGIN) / G;
  const out: [number, number][][] = [];
  for (let j = 0; j < G; j++) {
    const u0 = Math.max(0, (COLOR_MARGIN + j * dst - m) / src);
    const u1 = Math.min(G, (COLOR_MARGIN + (j + 1) * dst - m) / src);
    const cell: [number, number][] = [];
    for (let k = Math.floor(u0); k < Math.ceil(u1); k++) cell.push([k, Math.min(u1, k + 1) - Math.max(u0, k)]);
    const total = cell.reduce((s, [, w]) => s + w, 0);
    out.push(total > 0 ? cell.map(([k, w]) => [k, w / total]) : [[Math.min(G - 1, Math.max(0, Math.round(u0))), 1]]);
  }
  return out;
}

/** RMS difference of two signatures (standard grids), over every cell and channel, in 8-bit levels. */
export function flatDistance(a: ArrayLike<number>, b: ArrayLike<number>, perm?: Uint8Array): number {
  let s = 0;
  for (let k = 0; k < CELLS; k++) {
    const o = 3 * k;
    const p = 3 * (perm ? perm[k] : k);
    const d0 = a[o] - b[p];
    const d1 = a[o + 1] - b[p + 1];
    const d2 = a[o + 2] - b[p + 2];
    s += d0 * d0 + d1 * d1 + d2 * d2;
  }
  return Math.sqrt(s / BYTES);
}

/** For each dihedral variant, the source cell of each output cell (as transformGrid moves them). */
const PERMUTATIONS: ReadonlyMap<IsometricKey, Uint8Array> = new Map(
  ISOMETRIC_KEYS.map((key) => [key, transformGrid({ data: Uint8Array.from({ length: CELLS }, (_, k) => k), width: G, height: G }, 1, key).data] as const),
);

export interface FlatPairsInput {
  /** Sorted, as findPairs has them: a pair comes out with a = the earlier path. */
  readonly paths: readonly string[];
  /** The hash tables of the search, to give each added pair its real distance. */
  readonly tables: readonly HashTable[];
  /** Group label per path (--group-by); undefined: one group. */
  readonly groups?: readonly string[];
  /** Also compare the 8 dihedral variants of b's signature (the pair gets the one that matched as `transform`). */
  readonly isometric: boolean;
  /** Pairs the hash search found, kept or dropped by the colour check: never added again. */
  readonly found: readonly Pair[];
  readonly signatureOf: (path: string) => Uint8Array | undefined;
  /** Pixel size of the image (after EXIF orientation), to line up the grids of images too small for a margin. */
  readonly sizeOf: (path: string) => { readonly width: number; readonly height: number } | undefined;
}

export interface FlatPairsResult {
  /** The pairs added, sorted by (a, b), each with `via: 'flat'`. */
  readonly pairs: Pair[];
  /** How many images were near-flat (and had a hash to give a pair its distance). */
  readonly flatFiles: number;
}

interface FlatItem {
  readonly index: number;
  readonly sig: Uint8Array;
  readonly grid: ArrayLike<number>;
  readonly group: string;
  readonly channels: readonly [number, number, number];
}

/** Pairs of near-flat images whose signatures agree within FLAT_TOLERANCE and that the hash search did not find. */
export function findFlatPairs(input: FlatPairsInput): FlatPairsResult {
  const items: FlatItem[] = [];
  for (let index = 0; index < input.paths.length; index++) {
    const path = input.paths[index];
    const sig = input.signatureOf(path);
    if (!sig || sig.length !== BYTES || !isNearFlat(sig)) continue;
    if (!input.tables.some((t) => t.hashes[index] !== null && t.hashes[index] !== undefined)) continue;
    const size = input.sizeOf(path);
    const grid = size ? standardGrid(sig, size.width, size.height) : sig;
    const channels: [number, number, number] = [0, 0, 0];
    for (let k = 0; k < BYTES; k++) channels[k % 3] += grid[k] / CELLS;
    items.push({ index, sig, grid, group: input.groups?.[index] ?? '', channels });
  }
  const found = new Set(input.found.map((p) => pairKey(p.a, p.b)));
  const variants: readonly IsometricKey[] = input.isometric ? ISOMETRIC_KEYS : ['r0'];
  const out: { i: number; j: number; pair: Pair }[] = [];
  const consider = (x: FlatItem, y: FlatItem): void => {
    // The mean of a difference is at most its RMS, per channel too (and a dihedral transform keeps every mean).
    const dc0 = y.channels[0] - x.channels[0];
    const dc1 = y.channels[1] - x.channels[1];
    const dc2 = y.channels[2] - x.channels[2];
    if (x.group !== y.group || (dc0 * dc0 + dc1 * dc1 + dc2 * dc2) / 3 > FLAT_TOLERANCE * FLAT_TOLERANCE) return;
    const [a, b] = x.index < y.index ? [x, y] : [y, x];
    const pa = input.paths[a.index];
    const pb = input.paths[b.index];
    if (found.has(pairKey(pa, pb))) return;
    let best = Infinity;
    let transform: IsometricKey = 'r0';
    for (const v of variants) {
      const d = flatDistance(a.grid, b.grid, v === 'r0' ? undefined : PERMUTATIONS.get(v));
      if (d < best) {
        best = d;
        transform = v;
      }
    }
    if (best > FLAT_TOLERANCE) return;
    // A flat pair never contradicts the colour check.
    if (!colorsAgree(a.sig, b.sig, transform)) return;
    const scored = hashDistance(input.tables, a.index, b.index, transform);
    if (!scored) return;
    out.push({
      i: a.index,
      j: b.index,
      pair: { a: pa, b: pb, distance: scored.distance, hasher: scored.hasher, ...(transform !== 'r0' ? { transform } : {}), via: 'flat' },
    });
  };

  // Candidates: a grid over (group, mean R, mean G, mean B) with cells of MEAN_CELL levels. Two signatures
  // within FLAT_TOLERANCE RMS have channel means within sqrt(3) * FLAT_TOLERANCE of each other, so they sit
  // in the same or neighbouring cells: each image is compared with the (few) images of 27 cells only.
  const groupIds = new Map<string, number>();
  const cellOf = (v: number): number => Math.floor(v / MEAN_CELL) + 1; // 1.., so neighbours stay >= 0
  const keyOf = (g: number, r: number, gr: number, b: number): number => ((g * 64 + r) * 64 + gr) * 64 + b;
  const grid = new Map<number, FlatItem[]>();
  for (const x of items) {
    let g = groupIds.get(x.group);
    if (g === undefined) groupIds.set(x.group, (g = groupIds.size));
    const [r0, g0, b0] = x.channels.map(cellOf);
    for (let dr = -1; dr <= 1; dr++)
      for (let dg = -1; dg <= 1; dg++) for (let db = -1; db <= 1; db++) for (const y of grid.get(keyOf(g, r0 + dr, g0 + dg, b0 + db)) ?? []) consider(y, x);
    const k = keyOf(g, r0, g0, b0);
    const cell = grid.get(k);
    if (cell) cell.push(x);
    else grid.set(k, [x]);
  }
  out.sort((p, q) => p.i - q.i || p.j - q.j);
  return { pairs: out.map((p) => p.pair), flatFiles: items.length };
}

/**
 * The pair's real distance: the smallest over the hashers that hashed both files, as the search reports
 * a pair (with a transform, a's hash against that variant of b's, when the isometric hashes are there).
 */
function hashDistance(tables: readonly HashTable[], i: number, j: number, transform: IsometricKey): { distance: number; hasher: string } | undefined {
  let best: { distance: number; hasher: string } | undefined;
  for (const t of tables) {
    const ha = t.hashes[i];
    const hb = (transform !== 'r0' ? t.isometric?.[j]?.[transform] : undefined) ?? t.hashes[j];
    if (!ha || !hb) continue;
    const d = vectorDistance(decodeHash(ha, t.dtype, t.length), decodeHash(hb, t.dtype, t.length), t.metric);
    if (!best || d < best.distance) best = { distance: d, hasher: t.label };
  }
  return best;
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}
