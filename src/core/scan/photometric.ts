/**
 * The global tone and saturation change that best maps one colour thumbnail onto another: every channel
 * goes through the same tone curve, gain * 255 * (v / 255) ^ gamma + offset (brightness, contrast,
 * gamma, levels), then the chroma of every cell is scaled by one factor (a saturation edit). A tone
 * curve shared by R, G and B never changes hue, so tints, channel swaps and hue rotations stay outside
 * the model; per-channel fits, which would absorb them, are deliberately not allowed.
 *
 * Robust: the fit is repeated on the samples it explains, so a recoloured region (what the colour check
 * looks for) does not drag the fit towards itself. Samples at the ends of the range that clipping
 * explains are left out. A nearly flat image says nothing about contrast, so the gain is pulled towards
 * 1 by a small prior, and every parameter stays within what an edit plausibly does.
 */

export interface Photometric {
  readonly gain: number;
  readonly offset: number;
  readonly gamma: number;
  readonly saturation: number;
}

/** Plausible edits. PIL's ImageEnhance brightness x contrast at 0.8-1.2 each gives gains of 0.64-1.44 and offsets within ~40. */
export const GAIN_MIN = 0.5;
export const GAIN_MAX = 2;
export const OFFSET_MAX = 64;
const GAMMAS = [1, 0.8, 0.9, 1.12, 1.25];
export const SATURATION_MIN = 0.75;
export const SATURATION_MAX = 1.33;

/** Prior weight per sample (grey levels squared): below this variance the thumbnail cannot show a contrast change. */
const GAIN_PRIOR = 25;
const ITERATIONS = 4;
/** A curve other than gamma 1 must explain the samples this much better to be chosen. */
const GAMMA_GAIN = 0.9;

const env = (k: string, d: number): number => (process.env[k] === undefined ? d : Number(process.env[k]));

/** `from` and `to` are interleaved RGB cells of the same grid. */
export function fitPhotometric(from: Float64Array, to: Float64Array): Photometric {
  let best: { fit: Photometric; score: number; use: Uint8Array } | undefined;
  const gammas = env('CC_GAMMA', 1) ? GAMMAS : [1];
  for (const gamma of gammas) {
    const x = gamma === 1 ? from : from.map((v) => 255 * (v / 255) ** gamma);
    const r = fitTone(x, to);
    const fit = { ...r.fit, gamma, saturation: 1 };
    if (!best || r.score < best.score * (gamma === 1 || best.fit.gamma !== 1 ? 1 : GAMMA_GAIN)) best = { fit, score: r.score, use: r.use };
  }
  const tone = best!.fit;
  if (!env('CC_SAT', 1)) return tone;
  return { ...tone, saturation: fitSaturation(applyTone(from, tone), to, best!.use) };
}

/** The prediction of `to` from `from`, clipped as pixels clip. */
export function applyPhotometric(from: Float64Array, f: Photometric): Float64Array {
  const out = applyTone(from, f);
  if (f.saturation !== 1) {
    for (let i = 0; i < out.length; i += 3) {
      const m = (out[i] + out[i + 1] + out[i + 2]) / 3;
      for (let c = 0; c < 3; c++) out[i + c] = clamp(m + f.saturation * (out[i + c] - m), 0, 255);
    }
  }
  return out;
}

function applyTone(from: Float64Array, f: Pick<Photometric, 'gain' | 'offset' | 'gamma'>): Float64Array {
  const out = new Float64Array(from.length);
  for (let i = 0; i < from.length; i++) {
    const v = f.gamma === 1 ? from[i] : 255 * (from[i] / 255) ** f.gamma;
    out[i] = clamp(f.gain * v + f.offset, 0, 255);
  }
  return out;
}

const clipExplained = (p: number, y: number): boolean => (p >= 253 && y >= 250) || (p <= 2 && y <= 5);

/** Robust gain/offset on already tone-curved values; score: mean squared residual of the best 3/4. */
function fitTone(x: Float64Array, y: Float64Array): { fit: { gain: number; offset: number }; score: number; use: Uint8Array } {
  const n = x.length;
  const use = new Uint8Array(n).fill(1);
  const resid = new Float64Array(n);
  let fit = { gain: 1, offset: 0 };
  for (let it = 0; it < ITERATIONS; it++) {
    const next = leastSquares(x, y, use);
    if (!next) break;
    fit = next;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const p = fit.gain * x[i] + fit.offset;
      if (!clipExplained(p, y[i])) resid[m++] = Math.abs(y[i] - clamp(p, 0, 255));
    }
    const limit = Math.max(4, 2.5 * quantile(resid.subarray(0, m), 0.75));
    for (let i = 0; i < n; i++) {
      const p = fit.gain * x[i] + fit.offset;
      use[i] = !clipExplained(p, y[i]) && Math.abs(y[i] - clamp(p, 0, 255)) <= limit ? 1 : 0;
    }
  }
  let m = 0;
  for (let i = 0; i < n; i++) {
    const p = fit.gain * x[i] + fit.offset;
    resid[m++] = clipExplained(p, y[i]) ? 0 : (y[i] - clamp(p, 0, 255)) ** 2;
  }
  const s = Float64Array.from(resid.subarray(0, m)).sort();
  let score = 0;
  const keep = Math.max(1, Math.floor(m * 0.75));
  for (let i = 0; i < keep; i++) score += s[i];
  return { fit, score: score / keep, use };
}

function leastSquares(x: ArrayLike<number>, y: ArrayLike<number>, use: Uint8Array): { gain: number; offset: number } | undefined {
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

/** One chroma scale for all cells the tone fit explained (cells with any channel outside the fit are left out). */
function fitSaturation(p: Float64Array, y: Float64Array, use: Uint8Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < p.length; i += 3) {
    if (!use[i] || !use[i + 1] || !use[i + 2]) continue;
    const mp = (p[i] + p[i + 1] + p[i + 2]) / 3;
    const my = (y[i] + y[i + 1] + y[i + 2]) / 3;
    for (let c = 0; c < 3; c++) {
      num += (p[i + c] - mp) * (y[i + c] - my);
      den += (p[i + c] - mp) ** 2;
    }
  }
  // Too little chroma to go by (under ~2 levels per channel on average): no evidence of a saturation change.
  if (den < 4 * p.length) return 1;
  return clamp(num / den, SATURATION_MIN, SATURATION_MAX);
}

function quantile(v: Float64Array, q: number): number {
  if (v.length === 0) return 0;
  const s = Float64Array.from(v).sort();
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

export const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);
