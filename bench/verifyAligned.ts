/**
 * Aligned pair signals for the verify study (issue 12): the finer checks the first study did not try.
 *
 * A pair is first aligned: per axis, the scale and offset (a 1-3 % crop: scale 0.95-1.05, offset up to 5 % of
 * the side) that best match the two files' grey column (row) profiles, z-scored, so a crop is compared with
 * its original cell for cell. B's grids are then sampled bilinearly in A's frame and compared only where both
 * pictures have content (the part of A that B covers), at the resolution both files support (a 0.25 resize
 * of a 48 px icon has 12 px a side: both grids are pooled to that before comparing).
 *
 * Signals (each "smaller = more alike"); grids are resampled at 64 and compared pooled to 32 cells a side
 * (or coarser for a small file), so a moved footprint averages as a file's own would:
 *  - ncc64: 1 - Pearson correlation of the aligned grey grids (brightness and contrast cancel);
 *  - local64: after a monotone (isotonic) intensity fit of B on A, the largest mean |residual| of a block of
 *    an eighth of the side, over B's grey standard deviation (another small emblem on one icon);
 *  - localTex: the same blocks' residual over what a sub-cell misalignment explains there (the grids' steps);
 *  - gradient: the magnitude-weighted disagreement (1 - cos) of the grey gradients' orientations;
 *  - tone / toneAbs: the colour grids, one monotone tone curve shared by R, G and B fitted to map A's values
 *    to B's (what brightness, contrast and gamma do, including the channel that clips first), RMS residual
 *    over B's colour spread / in levels: a recolouring (another hue of one drawing) needs another curve per
 *    channel; toneLocal / toneLocalAbs: the largest block's mean |residual|;
 *  - tone16, tone8 (RMS) and tone16max, tone8max (largest cell): the same curve fitted on 16 x 16 and 8 x 8
 *    cells; tone8s, tone4s: the 32-cell fit's signed residuals averaged over 8 x 8 and 4 x 4 cells;
 *  - tonePer: as tone with a monotone curve per channel (a white balance; weaker against recolourings).
 */

export const GREY = 64;
export const RGB = 64;
/** Grids are compared at most this fine: resampled at 64 and pooled, so a moved footprint averages as a file's own would. */
export const COMPARE = 32;

export interface AlignFile {
  readonly grey: Uint8Array; // GREY x GREY
  readonly rgb: Uint8Array; // RGB x RGB x 3
  readonly width: number;
  readonly height: number;
}

interface Axis {
  readonly s: number;
  readonly o: number;
}

function profiles(g: Uint8Array, n: number): { cols: Float64Array; rows: Float64Array } {
  const cols = new Float64Array(n);
  const rows = new Float64Array(n);
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      cols[x] += g[y * n + x];
      rows[y] += g[y * n + x];
    }
  return { cols, rows };
}

/** B's coordinate (pixels of an n grid) seen from A's pixel x: v = o + s * u, u, v in [0, 1]. */
const posOf = (x: number, n: number, a: Axis): number => (a.o + a.s * ((x + 0.5) / n)) * n - 0.5;

function sample1(p: Float64Array, v: number): number {
  const n = p.length;
  const c = Math.min(n - 1, Math.max(0, v));
  const i = Math.min(n - 2, Math.floor(c));
  const f = c - i;
  return p[i] * (1 - f) + p[i + 1] * f;
}

/** 1 - Pearson of A's profile and B's profile sampled at the moved positions, over A's cells B covers. */
function profileMismatch(pa: Float64Array, pb: Float64Array, a: Axis): number {
  const n = pa.length;
  const r = new Pearson();
  for (let x = 0; x < n; x++) {
    const v = posOf(x, n, a);
    if (v < -0.5 || v > n - 0.5) continue;
    r.add(pa[x], sample1(pb, v));
  }
  return r.count < n / 2 ? 2 : r.mismatch(1e-9);
}

/** Running sums of pairs (x, y) for a Pearson correlation. */
class Pearson {
  private sx = 0;
  private sy = 0;
  private sxx = 0;
  private syy = 0;
  private sxy = 0;
  count = 0;

  add(x: number, y: number): void {
    this.sx += x;
    this.sy += y;
    this.sxx += x * x;
    this.syy += y * y;
    this.sxy += x * y;
    this.count++;
  }

  /** The standard deviations of x and of y. */
  deviations(): [number, number] {
    const k = Math.max(1, this.count);
    return [Math.sqrt(Math.max(this.sxx - (this.sx * this.sx) / k, 0) / k), Math.sqrt(Math.max(this.syy - (this.sy * this.sy) / k, 0) / k)];
  }

  /** 1 - r: 0 when both sides are flat (variance at most eps), 1 when one is. */
  mismatch(eps: number): number {
    const k = Math.max(1, this.count);
    const vx = this.sxx - (this.sx * this.sx) / k;
    const vy = this.syy - (this.sy * this.sy) / k;
    if (vx <= eps && vy <= eps) return 0;
    if (vx <= eps || vy <= eps) return 1;
    return 1 - (this.sxy - (this.sx * this.sy) / k) / Math.sqrt(vx * vy);
  }
}

/** The (scale, offset) of one axis whose profiles match best (scale 0.95-1.05, offset up to 5 % of the side about the centre): steps of 0.01, then 0.0025 about the best; identity unless another is clearly better. */
function alignAxis(pa: Float64Array, pb: Float64Array): Axis {
  let best: Axis = { s: 1, o: 0 };
  let bestM = profileMismatch(pa, pb, best) - 1e-4;
  const search = (s0: number, o0: number, step: number, n: number): void => {
    for (let i = -n; i <= n; i++)
      for (let j = -n; j <= n; j++) {
        const s = s0 + i * step;
        const oc = o0 + j * step;
        if (Math.abs(s - 1) > 0.0501 || Math.abs(oc) > 0.0501) continue;
        // offsets about the centre: a scale alone keeps the middle in place
        const a = { s, o: oc + (1 - s) / 2 };
        const m = profileMismatch(pa, pb, a);
        if (m < bestM) {
          bestM = m;
          best = a;
        }
      }
  };
  search(1, 0, 0.01, 5);
  const s1 = best.s;
  const o1 = best.o - (1 - best.s) / 2;
  search(s1, o1, 0.0025, 3);
  return best;
}

export interface Aligned {
  readonly ax: Axis;
  readonly ay: Axis;
}

export function align(a: AlignFile, b: AlignFile): Aligned {
  const pa = profiles(a.grey, GREY);
  const pb = profiles(b.grey, GREY);
  return { ax: alignAxis(pa.cols, pb.cols), ay: alignAxis(pa.rows, pb.rows) };
}

/** B's grid (n x n, `ch` channels) sampled in A's frame; mask = 1 where A's cell lies inside B. */
function resample(src: Uint8Array, n: number, ch: number, al: Aligned): { out: Float64Array; mask: Uint8Array } {
  const out = new Float64Array(n * n * ch);
  const mask = new Uint8Array(n * n);
  for (let y = 0; y < n; y++) {
    const vy = posOf(y, n, al.ay);
    const iny = vy >= -0.5 && vy <= n - 0.5;
    const cy = Math.min(n - 1, Math.max(0, vy));
    const y0 = Math.min(n - 2, Math.floor(cy));
    const fy = cy - y0;
    for (let x = 0; x < n; x++) {
      const vx = posOf(x, n, al.ax);
      const cx = Math.min(n - 1, Math.max(0, vx));
      const x0 = Math.min(n - 2, Math.floor(cx));
      const fx = cx - x0;
      mask[y * n + x] = iny && vx >= -0.5 && vx <= n - 0.5 ? 1 : 0;
      const i00 = (y0 * n + x0) * ch;
      const i10 = ((y0 + 1) * n + x0) * ch;
      const w00 = (1 - fx) * (1 - fy);
      const w01 = fx * (1 - fy);
      const w10 = (1 - fx) * fy;
      const w11 = fx * fy;
      for (let c = 0; c < ch; c++) out[(y * n + x) * ch + c] = src[i00 + c] * w00 + src[i00 + ch + c] * w01 + src[i10 + c] * w10 + src[i10 + ch + c] * w11;
    }
  }
  return { out, mask };
}

/** Pool an n x n grid (ch channels) by k x k blocks; a block counts only when all its cells are in the mask. */
function poolGrid(g: ArrayLike<number>, mask: Uint8Array, n: number, ch: number, k: number): { g: Float64Array; mask: Uint8Array; n: number } {
  if (k === 1) return { g: Float64Array.from(g), mask, n };
  const m = Math.floor(n / k);
  const out = new Float64Array(m * m * ch);
  const om = new Uint8Array(m * m).fill(1);
  for (let y = 0; y < m * k; y++)
    for (let x = 0; x < m * k; x++) {
      const o = Math.floor(y / k) * m + Math.floor(x / k);
      if (!mask[y * n + x]) om[o] = 0;
      for (let c = 0; c < ch; c++) out[o * ch + c] += g[(y * n + x) * ch + c] / (k * k);
    }
  return { g: out, mask: om, n: m };
}

/** The pooling factor (1, 2, 4 or 8) for a grid of `n` cells when the smaller file's short side has `side` pixels: the finest grid not finer than the file. */
function factorFor(n: number, side: number): number {
  let k = 1;
  while (k < 8 && n / k > side) k *= 2;
  return k;
}

export interface AlignedSignals {
  ncc64: number;
  local64: number;
  gradient: number;
  tone: number;
  toneLocal: number;
  tonePer: number;
  localTex: number;
  toneAbs: number;
  toneLocalAbs: number;
  tone16: number;
  tone16max: number;
  tone8: number;
  tone8max: number;
  tone8s: number;
  tone4s: number;
}

/**
 * The curve fitted on the finer grid, its signed residuals averaged over `to` x `to` cells: noise (JPEG, blur,
 * a resampled edge, a channel clipped inside a fine cell) cancels within a cell, a recolouring does not. The
 * largest cell's mean |average| over its channels, in levels.
 */
function signedCells(r: Float64Array, mask: Uint8Array, n: number, to: number): number {
  const k = Math.max(1, Math.floor(n / to));
  const m = Math.floor(n / k);
  const sums = new Float64Array(m * m * 3);
  const counts = new Float64Array(m * m);
  for (let y = 0; y < m * k; y++)
    for (let x = 0; x < m * k; x++) {
      const i = y * n + x;
      if (!mask[i]) continue;
      const o = Math.floor(y / k) * m + Math.floor(x / k);
      counts[o]++;
      for (let c = 0; c < 3; c++) sums[o * 3 + c] += r[i * 3 + c];
    }
  let top = 0;
  for (let o = 0; o < m * m; o++) {
    // a cell counts when at least half of it lies where both pictures are
    if (counts[o] * 2 < k * k) continue;
    top = Math.max(top, (Math.abs(sums[o * 3]) + Math.abs(sums[o * 3 + 1]) + Math.abs(sums[o * 3 + 2])) / (3 * counts[o]));
  }
  return top;
}

/**
 * Isotonic (non-decreasing) least-squares fit of y on x, x binned into `bins` levels of 0..255 (pool
 * adjacent violators over the bins' means); returns the fitted value per bin.
 */
function isotonic(xs: ArrayLike<number>, ys: ArrayLike<number>, bins: number): Float64Array {
  const sw = new Float64Array(bins);
  const sy = new Float64Array(bins);
  for (let i = 0; i < xs.length; i++) {
    const b = Math.min(bins - 1, Math.floor((xs[i] * bins) / 256));
    sw[b]++;
    sy[b] += ys[i];
  }
  return isotonicBins(sw, sy);
}

/**
 * Pool adjacent violators over binned sums (sw: weight per bin, sy: weighted sum of y per bin): the
 * non-decreasing least-squares value per bin, empty bins flat-extended from the block before (or after,
 * at the start). Shared by the study's cell fits (isotonic) and the pixel tone curve (verifyPixels.ts).
 */
export function isotonicBins(sw: Float64Array, sy: Float64Array): Float64Array {
  const bins = sw.length;
  // blocks: value, weight, first bin
  const val: number[] = [];
  const wt: number[] = [];
  const start: number[] = [];
  for (let b = 0; b < bins; b++) {
    if (!sw[b]) continue;
    val.push(sy[b] / sw[b]);
    wt.push(sw[b]);
    start.push(b);
    while (val.length > 1 && val[val.length - 2] > val[val.length - 1]) {
      const w = wt[wt.length - 2] + wt[wt.length - 1];
      const v = (val[val.length - 2] * wt[wt.length - 2] + val[val.length - 1] * wt[wt.length - 1]) / w;
      val.pop();
      wt.pop();
      start.pop();
      val[val.length - 1] = v;
      wt[wt.length - 1] = w;
    }
  }
  const fit = new Float64Array(bins);
  let j = 0;
  for (let b = 0; b < bins; b++) {
    while (j + 1 < start.length && start[j + 1] <= b) j++;
    fit[b] = val.length ? val[j] : 0;
  }
  return fit;
}

const TONE_BINS = 256;

/** Residual |y - g(x)| per (cell, channel) of a monotone curve g shared by all channels (`perChannel`: one each). */
function toneResiduals(a: ArrayLike<number>, b: ArrayLike<number>, mask: Uint8Array, perChannel: boolean, signed = false): Float64Array {
  const cells = mask.length;
  const res = new Float64Array(cells * 3);
  const groups = perChannel ? [[0], [1], [2]] : [[0, 1, 2]];
  for (const chans of groups) {
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < cells; i++) {
      if (!mask[i]) continue;
      for (const c of chans) {
        xs.push(a[i * 3 + c]);
        ys.push(b[i * 3 + c]);
      }
    }
    const fit = isotonic(xs, ys, TONE_BINS);
    for (let i = 0; i < cells; i++)
      for (const c of chans) {
        const r = b[i * 3 + c] - fit[Math.min(TONE_BINS - 1, Math.floor((a[i * 3 + c] * TONE_BINS) / 256))];
        res[i * 3 + c] = signed ? r : Math.abs(r);
      }
  }
  return res;
}

function spread(g: ArrayLike<number>, mask: Uint8Array, ch: number): number {
  let s = 0;
  let ss = 0;
  let k = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    for (let c = 0; c < ch; c++) {
      const v = g[i * ch + c];
      s += v;
      ss += v * v;
      k++;
    }
  }
  if (!k) return 0;
  return Math.sqrt(Math.max(0, ss / k - (s / k) ** 2));
}

/** Largest mean of `r` (ch values a cell) over b x b blocks of cells inside the mask (blocks at least half in). */
function blockMax(r: Float64Array, mask: Uint8Array, n: number, ch: number, b: number): number {
  let best = 0;
  for (let by = 0; by + b <= n; by += b / 2)
    for (let bx = 0; bx + b <= n; bx += b / 2) {
      let s = 0;
      let k = 0;
      for (let y = by; y < by + b; y++)
        for (let x = bx; x < bx + b; x++) {
          if (!mask[y * n + x]) continue;
          for (let c = 0; c < ch; c++) s += r[(y * n + x) * ch + c];
          k += ch;
        }
      if (k * 2 >= b * b * ch) best = Math.max(best, s / k);
    }
  return best;
}

const EPS = 1e-6;

/** The largest |difference| of a cell with its 4 neighbours. */
function neighbourStep(g: Float64Array, n: number, x: number, y: number): number {
  const v = g[y * n + x];
  let m = 0;
  if (x > 0) m = Math.max(m, Math.abs(g[y * n + x - 1] - v));
  if (x < n - 1) m = Math.max(m, Math.abs(g[y * n + x + 1] - v));
  if (y > 0) m = Math.max(m, Math.abs(g[(y - 1) * n + x] - v));
  if (y < n - 1) m = Math.max(m, Math.abs(g[(y + 1) * n + x] - v));
  return m;
}

export function alignedSignals(a: AlignFile, b: AlignFile, al: Aligned = align(a, b)): AlignedSignals {
  const side = Math.max(2, Math.min(a.width, a.height, b.width, b.height));
  // grey, at the resolution both support
  const gb = resample(b.grey, GREY, 1, al);
  const kg = Math.max(GREY / COMPARE, factorFor(GREY, side));
  const A = poolGrid(a.grey, gb.mask, GREY, 1, kg);
  const B = poolGrid(gb.out, gb.mask, GREY, 1, kg);
  const n = A.n;
  const r = new Pearson();
  for (let i = 0; i < n * n; i++) if (A.mask[i]) r.add(A.g[i], B.g[i]);
  const ncc64 = r.count < 4 ? 1 : r.mismatch(EPS);
  // one monotone tone curve of B on A (brightness, contrast, gamma, clipping), residual blocks
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n * n; i++)
    if (A.mask[i]) {
      xs.push(A.g[i]);
      ys.push(B.g[i]);
    }
  const curve = isotonic(xs, ys, TONE_BINS);
  const fitA = Float64Array.from(A.g, (v) => curve[Math.min(TONE_BINS - 1, Math.floor((v * TONE_BINS) / 256))]);
  const res = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) res[i] = Math.abs(B.g[i] - fitA[i]);
  const [sdA, sdB] = r.deviations();
  const local64 = blockMax(res, A.mask, n, 1, Math.max(2, n >> 3)) / Math.max(sdB, 4);
  // gradient orientations
  let gw = 0;
  let gbad = 0;
  for (let y = 1; y < n - 1; y++)
    for (let x = 1; x < n - 1; x++) {
      const i = y * n + x;
      if (!A.mask[i - n - 1] || !A.mask[i + n + 1] || !A.mask[i - n + 1] || !A.mask[i + n - 1]) continue;
      const ax = (A.g[i + 1] - A.g[i - 1]) / Math.max(sdA, 1);
      const ay = (A.g[i + n] - A.g[i - n]) / Math.max(sdA, 1);
      const bx = (B.g[i + 1] - B.g[i - 1]) / Math.max(sdB, 1);
      const by = (B.g[i + n] - B.g[i - n]) / Math.max(sdB, 1);
      const ma = Math.hypot(ax, ay);
      const mb = Math.hypot(bx, by);
      const w = Math.max(ma, mb);
      if (w < 1e-3) continue;
      const cos = ma > 1e-6 && mb > 1e-6 ? (ax * bx + ay * by) / (ma * mb) : 0;
      gw += w;
      gbad += w * (1 - cos);
    }
  const gradient = gw > 0 ? gbad / gw : 0;
  // residual blocks over what a sub-cell misalignment explains there (texture: the grids' gradients)
  const tex = new Float64Array(n * n);
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      const i = y * n + x;
      tex[i] = Math.max(neighbourStep(fitA, n, x, y), neighbourStep(B.g, n, x, y));
    }
  let localTex = 0;
  {
    const bs = Math.max(2, n >> 3);
    for (let by = 0; by + bs <= n; by += bs / 2)
      for (let bx = 0; bx + bs <= n; bx += bs / 2) {
        let r = 0;
        let t = 0;
        let k2 = 0;
        for (let y = by; y < by + bs; y++)
          for (let x = bx; x < bx + bs; x++) {
            const i = y * n + x;
            if (!A.mask[i]) continue;
            r += res[i];
            t += tex[i];
            k2++;
          }
        if (k2 * 2 >= bs * bs) localTex = Math.max(localTex, r / (0.5 * t + 3 * k2));
      }
  }
  // colour: one monotone tone curve
  const cb = resample(b.rgb, RGB, 3, al);
  const kc = Math.max(RGB / COMPARE, factorFor(RGB, side));
  const CA = poolGrid(a.rgb, cb.mask, RGB, 3, kc);
  const CB = poolGrid(cb.out, cb.mask, RGB, 3, kc);
  const sdC = Math.max(spread(CB.g, CB.mask, 3), 4);
  const rt = toneResiduals(CA.g, CB.g, CA.mask, false);
  const rp = toneResiduals(CA.g, CB.g, CA.mask, true);
  const rms = (r: Float64Array): number => {
    let s = 0;
    let m = 0;
    for (let i = 0; i < CA.mask.length; i++) {
      if (!CA.mask[i]) continue;
      for (let c = 0; c < 3; c++) s += r[i * 3 + c] ** 2;
      m += 3;
    }
    return m ? Math.sqrt(s / m) : 0;
  };
  const signedRes = toneResiduals(CA.g, CB.g, CA.mask, false, true);
  const t16 = coarseTone(a.rgb, cb.out, cb.mask, side, 16);
  const t8 = coarseTone(a.rgb, cb.out, cb.mask, side, 8);
  return {
    ncc64,
    local64,
    gradient,
    tone: rms(rt) / sdC,
    toneLocal: blockMax(rt, CA.mask, CA.n, 3, Math.max(2, CA.n >> 3)) / sdC,
    tonePer: rms(rp) / sdC,
    localTex,
    toneAbs: rms(rt),
    toneLocalAbs: blockMax(rt, CA.mask, CA.n, 3, Math.max(2, CA.n >> 3)),
    tone16: t16.rms,
    tone16max: t16.max,
    tone8: t8.rms,
    tone8max: t8.max,
    tone8s: signedCells(signedRes, CA.mask, CA.n, 8),
    tone4s: signedCells(signedRes, CA.mask, CA.n, 4),
  };
}

/**
 * The shared tone curve's residual on coarser colour grids (cells of 4 or 8 of the 64 grid): JPEG's chroma
 * subsampling and the clipping of saturated edges averaged into a cell are local, a recolouring covers areas.
 * RMS over the cells and the largest cell's mean over its channels, in levels.
 */
function coarseTone(a: Uint8Array, b: Float64Array, mask: Uint8Array, side: number, to: number): { rms: number; max: number } {
  const k = Math.max(RGB / to, factorFor(RGB, side));
  const CA = poolGrid(a, mask, RGB, 3, k);
  const CB = poolGrid(b, mask, RGB, 3, k);
  const r = toneResiduals(CA.g, CB.g, CA.mask, false);
  let s = 0;
  let m = 0;
  let top = 0;
  for (let i = 0; i < CA.mask.length; i++) {
    if (!CA.mask[i]) continue;
    const c = r[i * 3] + r[i * 3 + 1] + r[i * 3 + 2];
    s += r[i * 3] ** 2 + r[i * 3 + 1] ** 2 + r[i * 3 + 2] ** 2;
    m += 3;
    top = Math.max(top, c / 3);
  }
  return { rms: m ? Math.sqrt(s / m) : 0, max: top };
}
