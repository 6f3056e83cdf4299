/**
 * The global brightness/contrast change that best maps one colour thumbnail onto another:
 * y = gain * x + offset, the same for R, G and B. A brightness or contrast edit never changes hue, so a
 * per-channel fit, which would also absorb a tint or a channel swap, is deliberately not allowed.
 *
 * Robust: the fit is repeated on the samples it explains, so a recoloured region (what the colour check
 * looks for) does not drag the fit towards itself. Samples at the ends of the range that clipping
 * explains are left out. A nearly flat image says nothing about contrast, so the gain is pulled towards
 * 1 by a small prior, and gain and offset stay within what a brightness/contrast edit plausibly does.
 *
 * Measured and left out (docs/color-check.md): a gamma term and a global saturation factor kept more
 * synthetic gamma and saturation edits but let 6-9 more recoloured hard negatives of the benchmark through.
 */

export interface Photometric {
  readonly gain: number;
  readonly offset: number;
}

/** Plausible edits. PIL's ImageEnhance brightness x contrast at 0.8-1.2 each gives gains of 0.64-1.44 and offsets within ~40. */
export const GAIN_MIN = 0.5;
export const GAIN_MAX = 2;
export const OFFSET_MAX = 64;

/** Prior weight per sample (grey levels squared): below this variance a thumbnail cannot show a contrast change. */
const GAIN_PRIOR = 25;
const ITERATIONS = 4;

/** `from` and `to`: samples (e.g. the interleaved channels of two thumbnails) in the same order. */
export function fitPhotometric(from: Float64Array, to: Float64Array): Photometric {
  const n = from.length;
  // Scratch kept between calls (a crop-resistant scan fits twice per pair, ~20,000 times on the held-out
  // benchmark, and these arrays were much of what the collector had to clear).
  if (scratch.use.length !== n) scratch = { use: new Uint8Array(n), resid: new Float64Array(n) };
  const { use, resid } = scratch;
  use.fill(1);
  let fit: Photometric = { gain: 1, offset: 0 };
  for (let it = 0; it < ITERATIONS; it++) {
    const next = leastSquares(from, to, use);
    if (!next) break;
    fit = next;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const p = fit.gain * from[i] + fit.offset;
      resid[i] = clipExplained(p, to[i]) ? -1 : Math.abs(to[i] - clamp(p, 0, 255));
      if (resid[i] >= 0) m++;
    }
    const limit = Math.max(4, 2.5 * quantile(resid, m, 0.75));
    let changed = false;
    for (let i = 0; i < n; i++) {
      const u = resid[i] >= 0 && resid[i] <= limit ? 1 : 0;
      if (u !== use[i]) changed = true;
      use[i] = u;
    }
    if (!changed) break;
  }
  return fit;
}

let scratch = { use: new Uint8Array(0), resid: new Float64Array(0) };

/** `from` through the fit, clipped as pixels clip (into `out` when given). */
export function applyPhotometric(from: Float64Array, f: Photometric, out = new Float64Array(from.length)): Float64Array {
  for (let i = 0; i < from.length; i++) out[i] = clamp(f.gain * from[i] + f.offset, 0, 255);
  return out;
}

/** A prediction beyond the range with the observed value at that end: clipping, not evidence. */
const clipExplained = (p: number, y: number): boolean => (p >= 253 && y >= 250) || (p <= 2 && y <= 5);

function leastSquares(x: Float64Array, y: Float64Array, use: Uint8Array): Photometric | undefined {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    if (!use[i]) continue;
    n++;
    sx += x[i];
    sy += y[i];
  }
  if (n < 16) return undefined;
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < x.length; i++) {
    if (!use[i]) continue;
    sxx += (x[i] - mx) * (x[i] - mx);
    sxy += (x[i] - mx) * (y[i] - my);
  }
  const prior = GAIN_PRIOR * n;
  const gain = clamp((sxy + prior) / (sxx + prior), GAIN_MIN, GAIN_MAX);
  const offset = clamp(my - gain * mx, -OFFSET_MAX, OFFSET_MAX);
  return { gain, offset };
}

/** Quantile of the `count` non-negative residuals (all in [0, 255]), to the level above: a histogram, not a sort. */
function quantile(v: Float64Array, count: number, q: number): number {
  if (count === 0) return 0;
  const hist = quantileHist.fill(0);
  for (let i = 0; i < v.length; i++) if (v[i] >= 0) hist[Math.min(256, Math.ceil(v[i]))]++;
  const rank = Math.floor(q * count);
  let seen = 0;
  for (let k = 0; k < hist.length; k++) {
    seen += hist[k];
    if (seen > rank) return k;
  }
  return 256;
}

const quantileHist = new Uint32Array(257);

export const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);
