/**
 * Pixel pair signals for the verify study, third round (issue 12): the pair compared at the smaller file's own
 * resolution, on pixels instead of the 64 x 64 grids' cell means.
 *
 * Each file keeps its pixels area-reduced to at most CAP pixels on the longer side (`reducePixels`). Per pair
 * the larger file is area-resampled to the smaller file's size and moved into its frame with the pair's
 * alignment (verifyAligned.ts: per-axis scale and offset for a 1-3 % crop), then compared only where both
 * pictures are. Signals (each "smaller = more alike"):
 *  - pxTone: one monotone tone curve shared by R, G and B fitted on pixels (isotonic) after both sides got the
 *    same small blur (3 x 3 binomial: JPEG, resize and blur edits vanish), each way (A to B, B to A); a source
 *    value near clipping (0..4 or 251..255 in its 3 x 3 neighbourhood) is left out of the fit and the residual,
 *    so a channel that clipped under brightness clips in the pixels where it does (the other way sees them)
 *    instead of being averaged with unclipped ones in a cell; the RMS residual of the worse way;
 *  - pxLocalAbs: the largest mean |residual| (levels) of a window of WIN of the short side, either way;
 *  - pxLocal: the same window's residual over its local contrast (the blurred pictures' gradient there), the
 *    worse way: misalignment and resampling leave residual where there is contrast, other text in one layout
 *    or another emblem on one icon leaves more than the contrast explains; pxLocalU: each window's better way;
 *  - hueArea / hueAll: hue on pixels with colour in both pictures (chroma on the opponent axes R - (G + B) / 2,
 *    G - B): brightness and contrast keep it exactly (the channels' differences scale together), gamma and a
 *    white balance within limits roughly, a recolouring does not. hueAll is the share of those pixels whose hues
 *    are more than 30 degrees apart, hueArea the largest share of a window (HUE_WIN of the side), so a small
 *    emblem counts by its area;
 *  - maskAll / maskArea: the silhouettes (pixels away from the picture's own border colour: the flattened
 *    transparent background of an icon or emoji), their disagreement overall and in the worst window; 0 unless
 *    both pictures have a uniform border. The benchmarks' icons and emoji are JPEGs, flattened: no alpha is left
 *    to compare, so the silhouette stands in for the alpha mask.
 */
import { resizeArea } from '../src/core/cv/resizeArea.js';
import { isotonicBins, type Aligned } from './verifyAligned.js';

/** The longer side kept per file (the comparison runs at the smaller file's size, never finer). */
export const CAP = 128;
/** Window of the local residual, share of the short side (at least 3 px). */
const WIN = 0.06;
/** Window of the hue and silhouette area shares, share of the short side (at least 4 px). */
const HUE_WIN = 0.12;
/** A pixel's hue counts when its chroma (opponent axes, levels) is at least this, in both pictures. */
const SAT = 24;
/** Hues disagree when they are more than 30 degrees apart. */
const HUE_COS = Math.cos(Math.PI / 6);
/** Silhouette: a pixel is foreground when a channel is this far from the border colour. */
const FG = 32;

export interface PixelFile {
  readonly w: number;
  readonly h: number;
  readonly rgb: Uint8Array;
}

export function reducePixels(data: Uint8Array, width: number, height: number, cap = CAP): PixelFile {
  if (Math.max(width, height) <= cap) return { w: width, h: height, rgb: data };
  const f = cap / Math.max(width, height);
  const w = Math.max(1, Math.round(width * f));
  const h = Math.max(1, Math.round(height * f));
  return { w, h, rgb: resizeArea(data, width, height, 3, w, h) };
}

export interface PixelSignals {
  pxTone: number;
  pxLocal: number;
  pxLocalAbs: number;
  pxLocalU: number;
  hueAll: number;
  hueArea: number;
  maskAll: number;
  maskArea: number;
}

export const PIXEL_NAMES: (keyof PixelSignals)[] = ['pxTone', 'pxLocal', 'pxLocalAbs', 'pxLocalU', 'hueAll', 'hueArea', 'maskAll', 'maskArea'];

/** 3 x 3 binomial blur of an interleaved w x h x ch image (edges repeated). */
export function blur3(src: Float32Array, w: number, h: number, ch: number): Float32Array {
  const tmp = new Float32Array(src.length);
  const out = new Float32Array(src.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const l = Math.max(0, x - 1);
      const r = Math.min(w - 1, x + 1);
      for (let c = 0; c < ch; c++) tmp[(y * w + x) * ch + c] = (src[(y * w + l) * ch + c] + 2 * src[(y * w + x) * ch + c] + src[(y * w + r) * ch + c]) / 4;
    }
  for (let y = 0; y < h; y++) {
    const u = Math.max(0, y - 1);
    const d = Math.min(h - 1, y + 1);
    for (let x = 0; x < w; x++)
      for (let c = 0; c < ch; c++) out[(y * w + x) * ch + c] = (tmp[(u * w + x) * ch + c] + 2 * tmp[(y * w + x) * ch + c] + tmp[(d * w + x) * ch + c]) / 4;
  }
  return out;
}

/**
 * The larger file in the smaller's frame: area-resampled to the smaller's size, then sampled bilinearly where
 * the alignment puts the smaller's pixels (`al` maps the larger's unit coordinates u to the smaller's v = o + s u).
 */
export function toFrameOf(big: PixelFile, small: PixelFile, al: Aligned): { img: Float32Array; mask: Uint8Array } {
  const { w, h } = small;
  const r = resizeArea(big.rgb, big.w, big.h, 3, w, h);
  const img = new Float32Array(w * h * 3);
  const mask = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const u = ((y + 0.5) / h - al.ay.o) / al.ay.s; // the larger's unit coordinate
    const sy = u * h - 0.5;
    const iny = u >= 0 && u <= 1;
    const cy = Math.min(h - 1, Math.max(0, sy));
    const y0 = Math.min(Math.max(0, h - 2), Math.floor(cy));
    const y1 = Math.min(h - 1, y0 + 1);
    const fy = cy - y0;
    for (let x = 0; x < w; x++) {
      const ux = ((x + 0.5) / w - al.ax.o) / al.ax.s;
      const sx = ux * w - 0.5;
      const cx = Math.min(w - 1, Math.max(0, sx));
      const x0 = Math.min(Math.max(0, w - 2), Math.floor(cx));
      const x1 = Math.min(w - 1, x0 + 1);
      const fx = cx - x0;
      mask[y * w + x] = iny && ux >= 0 && ux <= 1 ? 1 : 0;
      for (let c = 0; c < 3; c++) {
        const v =
          (r[(y0 * w + x0) * 3 + c] * (1 - fx) + r[(y0 * w + x1) * 3 + c] * fx) * (1 - fy) +
          (r[(y1 * w + x0) * 3 + c] * (1 - fx) + r[(y1 * w + x1) * 3 + c] * fx) * fy;
        img[(y * w + x) * 3 + c] = v;
      }
    }
  }
  return { img, mask };
}

/** Non-decreasing least-squares fit of y on x over 256 integer bins of x (pool adjacent violators); the value per bin, flat-extended to empty bins. */
export function toneCurve(sw: Float64Array, sy: Float64Array): Float64Array {
  return isotonicBins(sw, sy);
}

/**
 * 1 per (pixel, channel) whose 3 x 3 neighbourhood in that channel is away from clipping (4 < v < 251): a clipped
 * source value says only that the edit pushed it past the end, so it neither fits the curve nor counts in the
 * residual (the other direction of the pair sees those pixels).
 */
function unclipped(img: Float32Array, w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 3; c++) {
        let ok = 1;
        for (let dy = -1; dy <= 1 && ok; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const yy = Math.min(h - 1, Math.max(0, y + dy));
            const xx = Math.min(w - 1, Math.max(0, x + dx));
            const v = img[(yy * w + xx) * 3 + c];
            if (v <= 4 || v >= 251) {
              ok = 0;
              break;
            }
          }
        out[(y * w + x) * 3 + c] = ok;
      }
  return out;
}

/** Summed-area table of a w x h plane (one value a pixel), (w+1) x (h+1). */
function integral(v: Float64Array, w: number, h: number): Float64Array {
  const s = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += v[y * w + x];
      s[(y + 1) * (w + 1) + x + 1] = s[y * (w + 1) + x + 1] + row;
    }
  }
  return s;
}

const boxSum = (s: Float64Array, w: number, x: number, y: number, k: number): number =>
  s[(y + k) * (w + 1) + x + k] - s[y * (w + 1) + x + k] - s[(y + k) * (w + 1) + x] + s[y * (w + 1) + x];

/**
 * Each channel's median over the picture's outer ring of pixels: the border (flattened background) colour,
 * or undefined when fewer than 90 % of the ring's pixels are within FG of it (no uniform background).
 */
function borderColour(img: ArrayLike<number>, w: number, h: number): number[] | undefined {
  const ring: number[] = [];
  for (let x = 0; x < w; x++) ring.push(x, (h - 1) * w + x);
  for (let y = 0; y < h; y++) ring.push(y * w, y * w + w - 1);
  const out: number[] = [];
  for (let c = 0; c < 3; c++) {
    const v = ring.map((i) => img[i * 3 + c]).sort((a, b) => a - b);
    out.push(v[v.length >> 1]);
  }
  const near = ring.filter((i) => Math.max(Math.abs(img[i * 3] - out[0]), Math.abs(img[i * 3 + 1] - out[1]), Math.abs(img[i * 3 + 2] - out[2])) < FG).length;
  return near >= 0.9 * ring.length ? out : undefined;
}

/**
 * Y explained from X by one monotone curve shared by the channels, fitted on the pixels; the signed residual
 * per channel after the same small blur (JPEG's and a resize's noise cancels, a changed area does not), its
 * mean |value| over the channels per pixel, the RMS, and the local contrast (the larger gradient of the two
 * blurred pictures, mean over channels).
 */
function toneResidual(
  X0: Float32Array,
  Y0: Float32Array,
  mask: Uint8Array,
  w: number,
  h: number,
  blurFirst: boolean,
): { res: Float64Array; grad: Float64Array; rms: number } | undefined {
  const n = w * h;
  const X = blurFirst ? blur3(X0, w, h, 3) : X0;
  const Y = blurFirst ? blur3(Y0, w, h, 3) : Y0;
  const free = unclipped(X0, w, h);
  const sw = new Float64Array(256);
  const sy = new Float64Array(256);
  let inside = 0;
  for (let i = 0; i < n; i++) {
    if (!mask[i]) continue;
    inside++;
    for (let c = 0; c < 3; c++) {
      if (!free[i * 3 + c]) continue;
      const b = Math.min(255, Math.max(0, Math.round(X[i * 3 + c])));
      sw[b]++;
      sy[b] += Y[i * 3 + c];
    }
  }
  if (inside < 16) return undefined;
  const g = toneCurve(sw, sy);
  const fitted = new Float32Array(n * 3);
  const signed = new Float32Array(n * 3);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < 3; c++) {
      fitted[i * 3 + c] = g[Math.min(255, Math.max(0, Math.round(X[i * 3 + c])))];
      signed[i * 3 + c] = mask[i] && free[i * 3 + c] ? Y[i * 3 + c] - fitted[i * 3 + c] : 0;
    }
  const r = blurFirst ? signed : blur3(signed, w, h, 3);
  const F = blurFirst ? fitted : blur3(fitted, w, h, 3);
  const B = blurFirst ? Y : blur3(Y, w, h, 3);
  const res = new Float64Array(n);
  let ss = 0;
  for (let i = 0; i < n; i++) {
    if (!mask[i]) continue;
    let a = 0;
    for (let c = 0; c < 3; c++) {
      a += Math.abs(r[i * 3 + c]);
      ss += r[i * 3 + c] ** 2;
    }
    res[i] = a / 3;
  }
  const grad = new Float64Array(n);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const l = y * w + Math.max(0, x - 1);
      const rr = y * w + Math.min(w - 1, x + 1);
      const u = Math.max(0, y - 1) * w + x;
      const d = Math.min(h - 1, y + 1) * w + x;
      let ga = 0;
      let gb = 0;
      for (let c = 0; c < 3; c++) {
        ga += Math.abs(F[rr * 3 + c] - F[l * 3 + c]) + Math.abs(F[d * 3 + c] - F[u * 3 + c]);
        gb += Math.abs(B[rr * 3 + c] - B[l * 3 + c]) + Math.abs(B[d * 3 + c] - B[u * 3 + c]);
      }
      grad[y * w + x] = Math.max(ga, gb) / 6;
    }
  return { res, grad, rms: Math.sqrt(ss / (inside * 3)) };
}

/** The pair's pixel signals; `big` is the file with more pixels, `al` the pair's alignment in its frame (verifyAligned.align(big, small)). */
export function pixelSignals(big: PixelFile, small: PixelFile, al: Aligned): PixelSignals {
  const { w, h } = small;
  const n = w * h;
  const A0 = toFrameOf(big, small, al);
  const mask = A0.mask;
  const B0 = Float32Array.from(small.rgb);
  const A = blur3(A0.img, w, h, 3);
  const B = blur3(B0, w, h, 3);
  // one shared monotone curve fitted on the blurred pixels, each way (A to B and B to A; a clipped source
  // value is left out), the worse way counts: a duplicate is explained both ways where nothing clipped
  const ab = toneResidual(A0.img, B0, mask, w, h, true);
  const ba = toneResidual(B0, A0.img, mask, w, h, true);
  if (!ab || !ba) return { pxTone: 255, pxLocal: 255, pxLocalAbs: 255, pxLocalU: 255, hueAll: 1, hueArea: 1, maskAll: 1, maskArea: 1 };
  const pxTone = Math.max(ab.rms, ba.rms);
  // channel order and silhouette per pixel
  const bgA = borderColour(A, w, h);
  const bgB = borderColour(B, w, h);
  const bad = new Float64Array(n);
  const xor = new Float64Array(n);
  let satAll = 0;
  let badAll = 0;
  let xorAll = 0;
  let fgAll = 0;
  for (let i = 0; i < n; i++) {
    if (!mask[i]) continue;
    // hue angle and chroma (opponent axes) of the blurred pixels
    const ax = A[i * 3] - (A[i * 3 + 1] + A[i * 3 + 2]) / 2;
    const ay = 0.866 * (A[i * 3 + 1] - A[i * 3 + 2]);
    const bx = B[i * 3] - (B[i * 3 + 1] + B[i * 3 + 2]) / 2;
    const by = 0.866 * (B[i * 3 + 1] - B[i * 3 + 2]);
    const ca = Math.hypot(ax, ay);
    const cb = Math.hypot(bx, by);
    if (ca >= SAT && cb >= SAT) {
      satAll++;
      // the angle between the two hues
      const cos = (ax * bx + ay * by) / (ca * cb);
      if (cos < HUE_COS) {
        bad[i] = 1;
        badAll++;
      }
    }
    if (!bgA || !bgB) continue;
    const fa = Math.max(Math.abs(A[i * 3] - bgA[0]), Math.abs(A[i * 3 + 1] - bgA[1]), Math.abs(A[i * 3 + 2] - bgA[2])) >= FG;
    const fb = Math.max(Math.abs(B[i * 3] - bgB[0]), Math.abs(B[i * 3 + 1] - bgB[1]), Math.abs(B[i * 3 + 2] - bgB[2])) >= FG;
    if (fa || fb) fgAll++;
    if (fa !== fb) {
      xor[i] = 1;
      xorAll++;
    }
  }
  const m = Float64Array.from(mask);
  const sM = integral(m, w, h);
  const sR = integral(ab.res, w, h);
  const sG = integral(ab.grad, w, h);
  const sBad = integral(bad, w, h);
  const sXor = integral(xor, w, h);
  const side = Math.min(w, h);
  const k = Math.min(side, Math.max(3, Math.round(WIN * side)));
  let pxLocal = 0;
  let pxLocalAbs = 0;
  let pxLocalU = 0;
  const sU = integral(ba.res, w, h);
  const sGU = integral(ba.grad, w, h);
  for (let y = 0; y + k <= h; y += Math.max(1, k >> 1))
    for (let x = 0; x + k <= w; x += Math.max(1, k >> 1)) {
      const cnt = boxSum(sM, w, x, y, k);
      if (cnt * 2 < k * k) continue;
      const r = boxSum(sR, w, x, y, k) / cnt;
      const gr = boxSum(sG, w, x, y, k) / cnt;
      const r2 = boxSum(sU, w, x, y, k) / cnt;
      pxLocalAbs = Math.max(pxLocalAbs, r, r2);
      const l1 = r / (gr + 8);
      const l2 = r2 / (boxSum(sGU, w, x, y, k) / cnt + 8);
      pxLocal = Math.max(pxLocal, l1, l2);
      pxLocalU = Math.max(pxLocalU, Math.min(l1, l2));
    }
  const kh = Math.min(side, Math.max(4, Math.round(HUE_WIN * side)));
  let hueArea = 0;
  let maskArea = 0;
  for (let y = 0; y + kh <= h; y += Math.max(1, kh >> 1))
    for (let x = 0; x + kh <= w; x += Math.max(1, kh >> 1)) {
      const cnt = boxSum(sM, w, x, y, kh);
      if (cnt * 2 < kh * kh) continue;
      hueArea = Math.max(hueArea, boxSum(sBad, w, x, y, kh) / cnt);
      maskArea = Math.max(maskArea, boxSum(sXor, w, x, y, kh) / cnt);
    }
  return {
    pxTone,
    pxLocal,
    pxLocalAbs,
    pxLocalU,
    hueAll: satAll ? badAll / satAll : 0,
    hueArea,
    maskAll: fgAll ? xorAll / fgAll : 0,
    maskArea,
  };
}
