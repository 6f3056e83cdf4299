/**
 * How far apart two colour signatures (hashers/colorSignature.ts) are once everything a duplicate may
 * legitimately do to colour is allowed for, in 8-bit RGB units:
 *
 * - `mean`: the RMS colour residual over an 8 x 8 grid after the best global brightness/contrast fit
 *   (photometric.ts), where each cell may also be a mix with a neighbouring cell (a shift by a fraction
 *   of a cell: crops, re-framing, resampling). Luminance residuals count a quarter as much as chroma
 *   ones, since JPEG, blur and overlays move luminance far more than hue. Catches recolourings of a
 *   large part of the image (light/dark wallpapers, colour variants, skin tones of a large subject).
 *   The smaller of the two directions: an edit that loses information (clipping by a brightness change,
 *   a greyscale or heavily compressed copy) can only be explained from the original to the copy.
 * - `local`: the largest residual of a single cell of the 16 x 16 grid, where a cell may additionally be
 *   overlaid with any grey (white or black text, a watermark, a logo). Catches a recoloured small region
 *   whose new colour no overlay explains (a yellow face becoming a skin-toned one). The larger of the two
 *   directions: an overlay only ever explains one of them, and a dark skin tone laid over with white
 *   would otherwise pass for a light one.
 *
 * When either image has no colour at all (a greyscale copy), both are compared in grey only: such an
 * image holds no evidence about colour, and a greyscale copy of a photo is still a duplicate.
 *
 * The thresholds that turn these into a decision, and how they were chosen, are in verifyPairs.ts.
 */
import { COLOR_GRID, COLOR_SIGNATURE_BYTES } from '../hashers/colorSignature.js';
import { mixOverlayDist, overlayDist } from './hullDistance.js';
import { applyPhotometric, clamp, fitPhotometric } from './photometric.js';

export interface ColorDistance {
  readonly mean: number;
  readonly local: number;
}

/** Up to this spread between channels in every cell, a signature is grey (JPEG leaves ~1-2 on grey images). */
export const ACHROMATIC_CHROMA = 6;
/** Weight of a luminance residual relative to a chroma one in `mean` (squared-norm weight). */
export const LUMA_WEIGHT = 0.25;

const G = COLOR_GRID;
const H = COLOR_GRID / 2;

/**
 * Both distances. `stopLocalAt`: the caller only needs to know whether `local` exceeds it, so the search
 * stops as soon as it does (`local` is then some value above it, not the maximum).
 */
export function colorDistance(a: Uint8Array, b: Uint8Array, stopLocalAt = Infinity): ColorDistance {
  const { x, y, ab, ba, mean } = fitted(a, b);
  let local = localResidual(ab, y, 0, stopLocalAt);
  if (local <= stopLocalAt) local = localResidual(ba, x, local, stopLocalAt);
  return { mean, local };
}

/** colorDistance's `mean` alone (the colour check of crop pairs, colorcheck/cropColors.ts, reads nothing else). */
export function colorMeanDistance(a: Uint8Array, b: Uint8Array): number {
  return preparedMeanDistance(prepareSignature(a), prepareSignature(b));
}

/**
 * A colour signature with what `fitted` derives from it alone (its doubles, in colour or in grey, and their
 * 8 x 8 means), worked out when first needed and kept: a crop-resistant scan checks one file's view against
 * several others (colorcheck/cropColors.ts CropColorCheck keeps them), and these were half of each check.
 */
export interface PreparedSignature {
  readonly bytes: Uint8Array;
  readonly achromatic: boolean;
  /** [x, halve(x)] of the colours, and of their grey. */
  colour?: readonly [Float64Array, Float64Array];
  grey?: readonly [Float64Array, Float64Array];
}

export function prepareSignature(a: Uint8Array): PreparedSignature {
  if (a.length !== COLOR_SIGNATURE_BYTES) throw new RangeError('colorDistance: expected two colour signatures');
  return { bytes: a, achromatic: isAchromatic(a) };
}

/** The signature's doubles (grey ones when `grey`) and their 8 x 8 means, as `fitted` makes them. */
function doublesOf(s: PreparedSignature, grey: boolean): readonly [Float64Array, Float64Array] {
  if (grey) {
    if (!s.grey) {
      const x = toGrey(new Float64Array(s.bytes));
      s.grey = [x, halve(x)];
    }
    return s.grey;
  }
  if (!s.colour) {
    const x = new Float64Array(s.bytes);
    s.colour = [x, halve(x)];
  }
  return s.colour;
}

/**
 * colorMeanDistance of two prepared signatures: `fitted`'s mean, with the fitted copies written into
 * scratch arrays instead of new ones (colorDistance keeps them).
 */
export function preparedMeanDistance(a: PreparedSignature, b: PreparedSignature): number {
  return fitBoth(a, b, meanScratchAB, meanScratchBA).mean;
}

const meanScratchAB = new Float64Array(COLOR_SIGNATURE_BYTES);
const meanScratchBA = new Float64Array(COLOR_SIGNATURE_BYTES);
const meanScratch8 = new Float64Array(H * H * 3);

/** Both signatures as doubles (grey when either has no colour), each fitted to the other, and `mean`. */
function fitted(a: Uint8Array, b: Uint8Array): { x: Float64Array; y: Float64Array; ab: Float64Array; ba: Float64Array; mean: number } {
  if (a.length !== COLOR_SIGNATURE_BYTES || b.length !== COLOR_SIGNATURE_BYTES) throw new RangeError('colorDistance: expected two colour signatures');
  return fitBoth(prepareSignature(a), prepareSignature(b));
}

/** `fitted` of prepared signatures, the fitted copies written into `abOut` and `baOut` when given (else new arrays). */
function fitBoth(
  a: PreparedSignature,
  b: PreparedSignature,
  abOut?: Float64Array<ArrayBuffer>,
  baOut?: Float64Array<ArrayBuffer>,
): { x: Float64Array; y: Float64Array; ab: Float64Array; ba: Float64Array; mean: number } {
  const grey = a.achromatic || b.achromatic;
  const [x, x8] = doublesOf(a, grey);
  const [y, y8] = doublesOf(b, grey);
  // The fit is global, so the 8 x 8 means carry enough of it and cost a quarter of the 16 x 16 cells.
  const ab = applyPhotometric(x, fitPhotometric(x8, y8), abOut);
  const ba = applyPhotometric(y, fitPhotometric(y8, x8), baOut);
  const mean = Math.min(meanResidual(halve(ab, meanScratch8), y8), meanResidual(halve(ba, meanScratch8), x8));
  return { x, y, ab, ba, mean };
}

export function isAchromatic(sig: Uint8Array): boolean {
  for (let i = 0; i < sig.length; i += 3) {
    const hi = Math.max(sig[i], sig[i + 1], sig[i + 2]);
    const lo = Math.min(sig[i], sig[i + 1], sig[i + 2]);
    if (hi - lo > ACHROMATIC_CHROMA) return false;
  }
  return true;
}

/** Rec. 601 luma (as a JPEG or PIL greyscale conversion), in all three channels. */
function toGrey(s: Float64Array): Float64Array {
  const out = new Float64Array(s.length);
  for (let i = 0; i < s.length; i += 3) {
    const v = 0.299 * s[i] + 0.587 * s[i + 1] + 0.114 * s[i + 2];
    out[i] = out[i + 1] = out[i + 2] = v;
  }
  return out;
}

/**
 * 2 x 2 cell means: the 16 x 16 grid to 8 x 8. Each mean is 0 + a / 4 + b / 4 + c / 4 + d / 4 added left to
 * right in row order, the sum a loop adding every cell into its mean in row order made (the same doubles).
 */
function halve(s: Float64Array, out = new Float64Array(H * H * 3)): Float64Array {
  for (let Y = 0; Y < H; Y++)
    for (let X = 0; X < H; X++) {
      const a = (2 * Y * G + 2 * X) * 3;
      const c0 = a + G * 3;
      const o = (Y * H + X) * 3;
      for (let c = 0; c < 3; c++) out[o + c] = 0 + s[a + c] / 4 + s[a + 3 + c] / 4 + s[c0 + c] / 4 + s[c0 + 3 + c] / 4;
    }
  return out;
}

/** RMS over 8 x 8 cells of the distance from `o` to the nearest mix of its predicted cell `p` with a neighbour. */
function meanResidual(p: Float64Array, o: Float64Array): number {
  let sum = 0;
  for (let cy = 0; cy < H; cy++) {
    for (let cx = 0; cx < H; cx++) {
      const k = (cy * H + cx) * 3;
      let best = Infinity;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const ny = cy + dy;
          const nx = cx + dx;
          if (ny < 0 || ny >= H || nx < 0 || nx >= H) continue;
          best = Math.min(best, segmentDist2(o, k, p, k, (ny * H + nx) * 3));
        }
      }
      sum += best;
    }
  }
  return Math.sqrt(sum / (H * H));
}

/**
 * Squared distance, in the luma-weighted norm, from colour o[ko] to the segment p[ka] - p[kb]. The norm:
 * |r|^2 - 3 (1 - LUMA_WEIGHT) mean(r)^2, i.e. the grey component of r weighted by LUMA_WEIGHT.
 */
function segmentDist2(o: Float64Array, ko: number, p: Float64Array, ka: number, kb: number): number {
  const w = (1 - LUMA_WEIGHT) / 3;
  const d0 = p[kb] - p[ka],
    d1 = p[kb + 1] - p[ka + 1],
    d2 = p[kb + 2] - p[ka + 2];
  const r0 = o[ko] - p[ka],
    r1 = o[ko + 1] - p[ka + 1],
    r2 = o[ko + 2] - p[ka + 2];
  const dd = d0 * d0 + d1 * d1 + d2 * d2 - w * (d0 + d1 + d2) ** 2;
  let t = dd > 1e-9 ? (r0 * d0 + r1 * d1 + r2 * d2 - w * (r0 + r1 + r2) * (d0 + d1 + d2)) / dd : 0;
  t = clamp(t, 0, 1);
  const e0 = r0 - t * d0,
    e1 = r1 - t * d1,
    e2 = r2 - t * d2;
  return e0 * e0 + e1 * e1 + e2 * e2 - w * (e0 + e1 + e2) ** 2;
}

/**
 * The largest distance over 16 x 16 cells from `obs` to its predicted cell overlaid with grey, or to a
 * mix with a neighbouring predicted cell overlaid with grey. Allowing a neighbour only lowers a cell's
 * distance, so only cells whose own distance beats the maximum so far (`floor` on entry) are refined,
 * the worst one first; the search stops once the maximum passes `stopAt`.
 */
function localResidual(pred: Float64Array, obs: Float64Array, floor: number, stopAt: number): number {
  const own = new Float64Array(G * G);
  const o = new Float64Array(3);
  const p = new Float64Array(3);
  const n = new Float64Array(3);
  let first = 0;
  for (let k = 0; k < G * G; k++) {
    load(o, obs, k);
    load(p, pred, k);
    own[k] = overlayDist(o, p);
    if (own[k] > own[first]) first = k;
  }
  const refine = (k: number, worst: number): number => {
    let d = own[k];
    const cy = (k / G) | 0;
    const cx = k % G;
    load(o, obs, k);
    load(p, pred, k);
    for (let dy = -1; dy <= 1 && d > worst; dy++) {
      for (let dx = -1; dx <= 1 && d > worst; dx++) {
        const ny = cy + dy;
        const nx = cx + dx;
        if ((dy === 0 && dx === 0) || ny < 0 || ny >= G || nx < 0 || nx >= G) continue;
        load(n, pred, ny * G + nx);
        d = Math.min(d, mixOverlayDist(o, p, n));
      }
    }
    return d;
  };
  // The worst cell first: its refined distance is usually close to the answer, so few others need work.
  let worst = Math.max(floor, own[first] > floor ? refine(first, floor) : floor);
  for (let k = 0; k < G * G && worst <= stopAt; k++) {
    if (k === first || own[k] <= worst) continue;
    worst = Math.max(worst, refine(k, worst));
  }
  return worst;
}

function load(v: Float64Array, s: Float64Array, cell: number): void {
  v[0] = s[3 * cell];
  v[1] = s[3 * cell + 1];
  v[2] = s[3 * cell + 2];
}
