/**
 * How far apart two colour signatures (hashers/colorSignature.ts) are once everything a duplicate may
 * legitimately do to colour is allowed for. Two numbers, each the larger of the two directions (a -> b
 * and b -> a), in 8-bit RGB units:
 *
 * - `mean`: the RMS colour residual over an 8 x 8 grid after the best global brightness/contrast fit
 *   (photometric.ts), where each cell may also be a mix with a neighbouring cell (a shift by a fraction
 *   of a cell: crops, re-framing, resampling). Luminance residuals count a quarter as much as chroma
 *   ones, since JPEG, blur and overlays move luminance far more than hue. Catches recolourings of a
 *   large part of the image (light/dark wallpapers, colour variants, skin tones of a large subject).
 * - `local`: the largest residual of a single cell on the 16 x 16 grid, where a cell may additionally be
 *   overlaid with any grey (white or black text, a watermark, a logo). Catches a recoloured small region
 *   whose new colour no overlay explains (a yellow face becoming a skin-toned one).
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

/** Below this spread between channels in every cell, a signature is grey (JPEG leaves ~1-2 on grey images). */
export const ACHROMATIC_CHROMA = 6;
/** Weight of a luminance residual relative to a chroma one in `mean` (squared-norm weight). */
export const LUMA_WEIGHT = 0.25;

/** Cell means this close to the ends of the range are (mostly) clipped pixels. */
const CLIPPED_HIGH = 250;
const CLIPPED_LOW = 5;

const G = COLOR_GRID;
const H = COLOR_GRID / 2;

/**
 * Both distances. `stopLocalAt`: the caller only needs to know whether `local` exceeds it, so cells that
 * cannot change that answer are skipped (the result is then exact up to that value).
 */
export function colorDistance(a: Uint8Array, b: Uint8Array, stopLocalAt = Infinity): ColorDistance {
  if (a.length !== COLOR_SIGNATURE_BYTES || b.length !== COLOR_SIGNATURE_BYTES) throw new RangeError('colorDistance: not colour signatures');
  let x: Float64Array = Float64Array.from(a);
  let y: Float64Array = Float64Array.from(b);
  if (isAchromatic(a) || isAchromatic(b)) {
    x = toGrey(x);
    y = toGrey(y);
  }
  const [ab, yb] = predict(x, y);
  const [ba, xa] = predict(y, x);
  const mean = Math.max(meanResidual(ab, yb), meanResidual(ba, xa));
  let local = localResidual(ab, yb, 0, stopLocalAt);
  if (local <= stopLocalAt) local = localResidual(ba, xa, local, stopLocalAt);
  return { mean, local };
}

/** Analysis: the residuals of each direction separately. */
export function colorResiduals(a: Uint8Array, b: Uint8Array): { meanAB: number; meanBA: number; localAB: number; localBA: number } {
  let x: Float64Array = Float64Array.from(a);
  let y: Float64Array = Float64Array.from(b);
  if (isAchromatic(a) || isAchromatic(b)) {
    x = toGrey(x);
    y = toGrey(y);
  }
  const [ab, yb] = predict(x, y);
  const [ba, xa] = predict(y, x);
  return { meanAB: meanResidual(ab, yb), meanBA: meanResidual(ba, xa), localAB: localResidual(ab, yb, 0, Infinity), localBA: localResidual(ba, xa, 0, Infinity) };
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
 * `from` mapped through the tone/saturation fit that best explains `to`, and `to` as it should be compared
 * with that prediction: where `from` is clipped (at 255 or 0) the edit may have pushed the value further
 * out, so there `to` only has to be on the far side of the prediction.
 */
function predict(from: Float64Array, to: Float64Array): [Float64Array, Float64Array] {
  const fit = fitPhotometric(from, to);
  const pred = applyPhotometric(from, fit);
  if (!Number(process.env.CC_CLIP ?? 1)) return [pred, to];
  // Only when this direction undoes an edit that pushed values out of range: `from` is the brighter
  // (resp. darker) image, its white (black) maps well inside the range.
  const [top, bottom] = applyPhotometric(Float64Array.of(255, 0, 0), { ...fit, saturation: 1 });
  const high = top < CLIPPED_HIGH - 8;
  const low = bottom > CLIPPED_LOW + 8;
  if (!high && !low) return [pred, to];
  const target = Float64Array.from(to);
  for (let i = 0; i < to.length; i++) {
    if ((high && from[i] >= CLIPPED_HIGH && to[i] > pred[i]) || (low && from[i] <= CLIPPED_LOW && to[i] < pred[i])) target[i] = pred[i];
  }
  return [pred, target];
}

/** 2 x 2 cell means: the 16 x 16 grid to 8 x 8. */
function halve(s: Float64Array): Float64Array {
  const out = new Float64Array(H * H * 3);
  for (let y = 0; y < G; y++) for (let x = 0; x < G; x++) for (let c = 0; c < 3; c++) out[((y >> 1) * H + (x >> 1)) * 3 + c] += s[(y * G + x) * 3 + c] / 4;
  return out;
}

/** RMS over 8 x 8 cells of the distance from `obs` to the nearest mix of its predicted cell with a neighbour. */
function meanResidual(pred16: Float64Array, obs16: Float64Array): number {
  const p = halve(pred16);
  const o = halve(obs16);
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
  const d0 = p[kb] - p[ka], d1 = p[kb + 1] - p[ka + 1], d2 = p[kb + 2] - p[ka + 2];
  const r0 = o[ko] - p[ka], r1 = o[ko + 1] - p[ka + 1], r2 = o[ko + 2] - p[ka + 2];
  const dd = d0 * d0 + d1 * d1 + d2 * d2 - w * (d0 + d1 + d2) ** 2;
  let t = dd > 1e-9 ? (r0 * d0 + r1 * d1 + r2 * d2 - w * (r0 + r1 + r2) * (d0 + d1 + d2)) / dd : 0;
  t = clamp(t, 0, 1);
  const e0 = r0 - t * d0, e1 = r1 - t * d1, e2 = r2 - t * d2;
  return e0 * e0 + e1 * e1 + e2 * e2 - w * (e0 + e1 + e2) ** 2;
}

/**
 * The largest distance over 16 x 16 cells from `obs` to its predicted cell overlaid with grey, or to a
 * mix with a neighbouring predicted cell overlaid with grey. Cells that cannot raise the maximum found so
 * far (`floor`), or push it past `stopAt`, are not refined.
 */
function localResidual(pred: Float64Array, obs: Float64Array, floor: number, stopAt: number): number {
  let worst = floor;
  for (let cy = 0; cy < G; cy++) {
    for (let cx = 0; cx < G; cx++) {
      const k = (cy * G + cx) * 3;
      const o = obs.subarray(k, k + 3);
      const own = pred.subarray(k, k + 3);
      let d = overlayDist(o, own);
      for (let dy = -1; dy <= 1 && d > worst; dy++) {
        for (let dx = -1; dx <= 1 && d > worst; dx++) {
          const ny = cy + dy;
          const nx = cx + dx;
          if ((dy === 0 && dx === 0) || ny < 0 || ny >= G || nx < 0 || nx >= G) continue;
          const n = (ny * G + nx) * 3;
          d = Math.min(d, mixOverlayDist(o, own, pred.subarray(n, n + 3)));
        }
      }
      if (d > worst) {
        worst = d;
        if (worst > stopAt) return worst;
      }
    }
  }
  return worst;
}
