/**
 * The JPEG block-grid score of lossless pixels (image/keepStats.ts blockGridScore owns what it means and
 * when it is asked): luma of a central window, the most textured 8x8 blocks on the aligned and on the
 * shifted grid, their DCT, and per frequency how closely the coefficients sit on the multiples of one
 * step. native/kernels/blockgrid.c is its C twin (same operations in the same order, the same DCT basis
 * passed in, the phase's cosine from the same arithmetic (cosTurns), no fused multiply-add: the same bits): 5-30 ms of JavaScript per 640 x 480 PNG, most of a first scan's
 * main-thread time on a folder with PNGs.
 */
import { select } from './select.js';

/** rgb (width x height x 3) to the score x1000; the shifted grid is measured only when the aligned one reaches minScore. */
export type BlockGridKernel = (rgb: Uint8Array, width: number, height: number, minScore: number) => number;
/** The C twin also takes the DCT basis, so both use the same 64 doubles. */
export type BlockGridC = (rgb: Uint8Array, width: number, height: number, minScore: number, cos: Float64Array) => number;

// The 8-point DCT-II basis JPEG uses (orthonormal up to its 1/4 C(u) C(v) factor).
export const GRID_COS = new Float64Array(64);
for (let u = 0; u < 8; u++) for (let x = 0; x < 8; x++) GRID_COS[u * 8 + x] = Math.cos(((2 * x + 1) * u * Math.PI) / 16) * (u === 0 ? Math.SQRT1_2 : 1) * 0.5;
/**
 * Taylor coefficients of cos, (-1)^k / (2k)!, for k = 0..11, each from the one before by one division by an
 * exact integer (blockgrid.c builds the same doubles the same way).
 */
const COS_TERMS = 12;
const COS_COEF = new Float64Array(COS_TERMS);
COS_COEF[0] = 1;
for (let k = 1; k < COS_TERMS; k++) COS_COEF[k] = -COS_COEF[k - 1] / ((2 * k - 1) * (2 * k));

/**
 * cos(2 pi t) for |t| <= 1/2 from additions, multiplications and one fold, never Math.cos: an engine's
 * cosine and the C library's may differ in the last bit (V8 has its own), and this must be the same double
 * in JavaScript and in blockgrid.c, with or without the addon, on every machine (IEEE arithmetic without
 * fused multiply-add is). Folded to [0, pi/2], where the series to x^22 is within 1e-19 of the cosine;
 * the result is within 5e-16 of Math.cos (kernels.test.ts).
 */
export function cosTurns(t: number): number {
  let a = Math.abs(t);
  let sign = 1;
  if (a > 0.25) {
    a = 0.5 - a; // cos(2 pi (1/2 - a)) = -cos(2 pi a)
    sign = -1;
  }
  const x = 2 * Math.PI * a;
  const x2 = x * x;
  let sum = COS_COEF[COS_TERMS - 1];
  for (let k = COS_TERMS - 2; k >= 0; k--) sum = sum * x2 + COS_COEF[k];
  return sign * sum;
}

const MAX_Q = 24;
/** Blocks read per grid at most (the most textured), and the frequencies tested (every AC one). */
const MAX_BLOCKS = 256;
/** Blocks that choose each frequency's step before all of them confirm it. */
const PROBE_BLOCKS = 64;
const FREQS: readonly number[] = Array.from({ length: 63 }, (_, k) => k + 1);
const MULTIPLES = 64;

/**
 * Scratch arrays reused from one image to the next instead of fresh ones per image: the luma plane alone
 * is 8 bytes a pixel (2.4 MB for a 640x480 PNG, 8 MB at the 1024 px window), off-heap memory that V8
 * counts towards its next full garbage collection: a first scan of bench/images allocating it for each of its
 * 27 PNGs ran 10 full collections (3 without the grid score), 6 with these. Every element read is written
 * first for the image at hand, so nothing needs clearing.
 */
const scratch = { luma: new Float64Array(0), spread: new Float64Array(0), sorted: new Float64Array(0), coef: new Float64Array(0) };
function scratchOf(name: keyof typeof scratch, n: number): Float64Array {
  if (scratch[name].length < n) scratch[name] = new Float64Array(n);
  return scratch[name].subarray(0, n);
}

/** The grid is looked for in a central window of at most this many pixels a side, so a large image costs no more than a 1024x1024 one. */
const WINDOW = 1024;

/** The aligned grid's score, then (when it reaches minScore) minus the shifted grid's; see image/keepStats.ts blockGridScore. */
export const blockGridJs: BlockGridKernel = (data, width, height, minScore) => {
  // The window starts on a multiple of 8, so its grid is the image's (a JPEG's blocks start at 0,0).
  const w = Math.min(width, WINDOW);
  const h = Math.min(height, WINDOW);
  const x0 = ((width - w) >> 4) << 3;
  const y0 = ((height - h) >> 4) << 3;
  // Luma once for both grids (the two passes read the same pixels).
  const luma = scratchOf('luma', w * h);
  for (let y = 0, i = 0; y < h; y++)
    for (let x = 0, p = ((y0 + y) * width + x0) * 3; x < w; x++, i++, p += 3) luma[i] = 0.299 * data[p] + 0.587 * data[p + 1] + 0.114 * data[p + 2];
  const aligned = quantisedShare(luma, w, h, 0);
  if (aligned < minScore) return 0;
  return Math.max(0, aligned - quantisedShare(luma, w, h, 4));
};

/** The MAX_BLOCKS largest spreads (ties: lower index first), largest first; a full sort of every block cost more than the rest. */
function textured(spread: Float64Array): number[] {
  let chosen: number[];
  if (spread.length <= MAX_BLOCKS) chosen = Array.from(spread.keys());
  else {
    const sorted = scratchOf('sorted', spread.length);
    sorted.set(spread);
    const threshold = select(sorted, spread.length - MAX_BLOCKS);
    chosen = [];
    for (let i = 0; i < spread.length; i++) if (spread[i] >= threshold) chosen.push(i);
  }
  return chosen.sort((x, y) => spread[y] - spread[x] || x - y).slice(0, MAX_BLOCKS);
}

/** The share (x1000) of DCT frequencies whose coefficients sit on the multiples of one step, on the 8x8 grid starting at `offset`. */
function quantisedShare(luma: Float64Array, w: number, h: number, offset: number): number {
  const bw = (w - offset) >> 3;
  const bh = (h - offset) >> 3;
  if (bw < 2 || bh < 2) return 0;
  // The evidence is in textured blocks (smooth ones quantise to 0 either way): the MAX_BLOCKS blocks with
  // the largest luma range (on their diagonal, which is cheap and ranks them well enough), in a stable order.
  const spread = scratchOf('spread', bw * bh);
  for (let i = 0; i < spread.length; i++) {
    const by = Math.floor(i / bw);
    const bx = i % bw;
    let lo = 255;
    let hi = 0;
    for (let d = 0; d < 8; d++) {
      const v = luma[(offset + by * 8 + d) * w + offset + bx * 8 + d];
      const u = luma[(offset + by * 8 + d) * w + offset + bx * 8 + 7 - d];
      lo = Math.min(lo, v, u);
      hi = Math.max(hi, v, u);
    }
    spread[i] = hi - lo;
  }
  const chosen = textured(spread);
  const n = chosen.length;
  // coef[k * n + b]: frequency k of block b, so each frequency's coefficients are contiguous.
  const coef = scratchOf('coef', 64 * n);
  const px = new Float64Array(64);
  const tmp = new Float64Array(64);
  chosen.forEach((i, b) => {
    const by = Math.floor(i / bw);
    const bx = i % bw;
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) px[y * 8 + x] = luma[(offset + by * 8 + y) * w + offset + bx * 8 + x] - 128;
    // Separable DCT: rows, then columns.
    for (let y = 0; y < 8; y++)
      for (let u = 0; u < 8; u++) {
        let sum = 0;
        for (let x = 0; x < 8; x++) sum += GRID_COS[u * 8 + x] * px[y * 8 + x];
        tmp[y * 8 + u] = sum;
      }
    for (let v = 0; v < 8; v++)
      for (let u = 0; u < 8; u++) {
        let sum = 0;
        for (let y = 0; y < 8; y++) sum += GRID_COS[v * 8 + y] * tmp[y * 8 + u];
        coef[(v * 8 + u) * n + b] = sum;
      }
  });
  const probeStep = Math.max(1, Math.floor(n / PROBE_BLOCKS));
  let tested = 0;
  let quantised = 0;
  for (const k of FREQS) {
    // The likeliest steps are found on a sample of blocks, then all of them say how well each holds.
    const candidates: [number, number][] = [];
    // Fewer coefficients clear q/2 as q grows: once too few do, no larger step can be chosen either.
    for (let q = 2; q <= MAX_Q && usable(coef, k * n, n, probeStep, q / 2) >= 12; q++) {
      const c = closeness(coef, k * n, n, probeStep, q, 12, false);
      if (c !== undefined) candidates.push([c, q]);
    }
    if (candidates.length === 0) continue;
    candidates.sort((x, y) => y[0] - x[0]);
    let all: number | undefined;
    for (const [, q] of candidates.slice(0, 2)) {
      const c = closeness(coef, k * n, n, 1, q, 24, true);
      if (c !== undefined && (all === undefined || c > all)) all = c;
    }
    if (all === undefined) continue;
    tested++;
    if (all > 0.6) quantised++;
  }
  return tested < 4 ? 0 : Math.round((quantised / tested) * 1000);
}

/** How many of the coefficients closeness reads are at least `min` in size. */
function usable(coef: Float64Array, from: number, n: number, step: number, min: number): number {
  let used = 0;
  for (let b = 0; b < n; b += step) if (Math.abs(coef[from + b]) >= min) used++;
  return used;
}

const MULTIPLE_COUNT = new Uint16Array(2 * MULTIPLES + 1);

/**
 * How close the coefficients coef[from + b] (every `step`-th block b < n) sit to the multiples of q
 * (1: on them), or undefined when too few or too alike to tell.
 */
function closeness(coef: Float64Array, from: number, n: number, step: number, q: number, minCount: number, exact: boolean): number | undefined {
  // Coefficients near 0 say nothing (smooth areas are near 0 either way). A quantiser puts the rest
  // near several multiples of q (phase 0), not merely near one repeated value, so at least 3
  // different multiples must each hold 2 coefficients.
  const count = MULTIPLE_COUNT;
  let re = 0;
  let used = 0;
  count.fill(0);
  for (let b = 0; b < n; b += step) {
    const f = coef[from + b];
    if (Math.abs(f) < q / 2) continue;
    const m = Math.round(f / q);
    // A cosine of the phase; the sample that only ranks the steps uses a triangle, which is cheaper.
    re += exact ? cosTurns(f / q - m) : 1 - 4 * Math.abs(f / q - m);
    used++;
    count[Math.max(-MULTIPLES, Math.min(MULTIPLES, m)) + MULTIPLES]++;
  }
  if (used < minCount) return undefined;
  let spread = 0;
  for (const c of count) if (c >= 2) spread++;
  return spread < 3 ? undefined : re / used;
}
