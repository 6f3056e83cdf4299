/**
 * Cheap facts about one image that tell an original from its copies, computed while it is hashed (from
 * the bytes already read and the pixels already decoded) for the keep policy (decisions/keepPolicy.ts):
 * - the JPEG quality its quantisation tables were made with (a copy saved again is saved lower);
 * - whether a lossless file carries a JPEG's 8x8 block grid (a PNG made from a JPEG is a re-encode, not
 *   a better original, though it is larger in bytes);
 * - the size of the picture without uniform borders (a padded copy has more pixels, not more picture).
 * `npm run bench -- --only keep-policy` measures what they change.
 */
import type { RgbImage } from '../cv/types.js';

export interface KeepStats {
  readonly jpegQuality?: number;
  /** Lossless files: blockGridScore, x1000 (an integer, so it caches and compares exactly). */
  readonly blockGrid?: number;
  readonly contentWidth?: number;
  readonly contentHeight?: number;
}

/**
 * At or above this block-grid score (x1000) a lossless file counts as a re-encoded JPEG. Lossless files
 * that never were JPEGs score 0 (152 downscaled benchmark photos, pixel art on 4/8/16 px cells, flat
 * clipart, screenshots); PNGs saved from JPEGs score 100-1000, the flat ones lowest (`npm run bench --
 * --only keep-policy`).
 */
export const REENCODED_GRID = 100;

// libjpeg's standard luminance table (Annex K), the base of IJG's quality scaling; order does not matter for a sum.
const STD_LUMA = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103,
  77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const STD_SUM = STD_LUMA.reduce((a, b) => a + b, 0);

/**
 * The IJG quality (1-100) whose scaling of the standard table gives the file's luminance table (table 0),
 * from the sum of its entries; undefined when the bytes are not a JPEG or have no such table.
 */
export function jpegQualityOf(bytes: Uint8Array): number | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) return undefined;
    const marker = bytes[i + 1];
    if (marker === 0xff) {
      i++;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return undefined; // image data before any DQT
    const len = (bytes[i + 2] << 8) | bytes[i + 3];
    if (marker === 0xdb) {
      let j = i + 4;
      const end = Math.min(i + 2 + len, bytes.length);
      while (j < end) {
        const precision = bytes[j] >> 4;
        const id = bytes[j] & 15;
        const n = precision ? 128 : 64;
        if (j + 1 + n > end) return undefined;
        if (id === 0) {
          let sum = 0;
          for (let k = 0; k < 64; k++) sum += precision ? (bytes[j + 1 + 2 * k] << 8) | bytes[j + 2 + 2 * k] : bytes[j + 1 + k];
          const scale = (sum * 100) / STD_SUM;
          const q = scale <= 100 ? (200 - scale) / 2 : 5000 / scale;
          return Math.max(1, Math.min(100, Math.round(q)));
        }
        j += 1 + n;
      }
    }
    i += 2 + len;
  }
  return undefined;
}

// The 8-point DCT-II basis JPEG uses (orthonormal up to its 1/4 C(u) C(v) factor).
const COS = new Float64Array(64);
for (let u = 0; u < 8; u++) for (let x = 0; x < 8; x++) COS[u * 8 + x] = Math.cos(((2 * x + 1) * u * Math.PI) / 16) * (u === 0 ? Math.SQRT1_2 : 1) * 0.5;
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

/**
 * Whether the pixels were decoded from a JPEG, as a score x1000. On the 8x8 luma blocks of JPEG's grid,
 * the DCT coefficients of each frequency cluster on the multiples of one step (the quantiser JPEG applied;
 * rounding to 8-bit pixels blurs them only a little): the score is the share of frequencies that do, on
 * the aligned grid minus on a grid shifted by 4 pixels. Content that repeats on its own (a gradient, a
 * flat drawing) clusters on both grids and scores near 0; a PNG saved from a JPEG, even at quality 95,
 * scores high. When the aligned grid alone scores below REENCODED_GRID the shifted one cannot change
 * the verdict, so it is not measured and the score is 0. At most 256 blocks are read per grid, in a
 * central window of at most 1024x1024 (aligned to the image's own 8x8 grid): lossless files only.
 */
export function blockGridScore(img: RgbImage): number {
  const { data, width, height } = img;
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
  if (aligned < REENCODED_GRID) return 0;
  return Math.max(0, aligned - quantisedShare(luma, w, h, 4));
}

/** The MAX_BLOCKS largest spreads (ties: lower index first), largest first; a full sort of every block cost more than the rest. */
function textured(spread: Float64Array): number[] {
  let chosen: number[];
  if (spread.length <= MAX_BLOCKS) chosen = Array.from(spread.keys());
  else {
    const sorted = scratchOf('sorted', spread.length);
    sorted.set(spread);
    const threshold = sorted.sort()[spread.length - MAX_BLOCKS];
    chosen = [];
    for (let i = 0; i < spread.length; i++) if (spread[i] >= threshold) chosen.push(i);
  }
  return chosen.sort((x, y) => spread[y] - spread[x] || x - y).slice(0, MAX_BLOCKS);
}

/** The share (x1000) of DCT frequencies whose coefficients sit on the multiples of one step, on the 8x8 grid starting at `offset`. */
export function quantisedShare(luma: Float64Array, w: number, h: number, offset: number): number {
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
        for (let x = 0; x < 8; x++) sum += COS[u * 8 + x] * px[y * 8 + x];
        tmp[y * 8 + u] = sum;
      }
    for (let v = 0; v < 8; v++)
      for (let u = 0; u < 8; u++) {
        let sum = 0;
        for (let y = 0; y < 8; y++) sum += COS[v * 8 + y] * tmp[y * 8 + u];
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
    re += exact ? Math.cos((2 * Math.PI * f) / q) : 1 - 4 * Math.abs(f / q - m);
    used++;
    count[Math.max(-MULTIPLES, Math.min(MULTIPLES, m)) + MULTIPLES]++;
  }
  if (used < minCount) return undefined;
  let spread = 0;
  for (const c of count) if (c >= 2) spread++;
  return spread < 3 ? undefined : re / used;
}

/**
 * The picture without uniform borders: rows and columns at each edge whose every pixel is within
 * `tolerance` of that edge's corner colour (a padding, or letterboxing) are left out, up to half the
 * image each way. A uniform image keeps its full size.
 * Every scan runs it on every image, so it reads rows in memory order (a column is the shortest run of
 * near pixels over the rows: no strided walk down each column) and stops each run at the first pixel that
 * differs; the result is the one of checking whole rows and columns one by one.
 */
export function contentSize(img: RgbImage, tolerance = 12): { width: number; height: number } {
  const { data, width: w, height: h } = img;
  const bottomRight = (h * w - 1) * 3;
  const halfW = w >> 1;
  const halfH = h >> 1;
  let top = 0;
  while (top < halfH && nearRun(data, top * w * 3, w, 3, 0, tolerance) === w) top++;
  let bottom = h;
  while (bottom > h - halfH && bottom - 1 > top && nearRun(data, (bottom - 1) * w * 3, w, 3, bottomRight, tolerance) === w) bottom--;
  if (top >= halfH) return { width: w, height: h }; // (nearly) uniform: no picture to find
  // Column x is uniform when every row's run of pixels near the corner from that side covers it.
  let left = halfW;
  for (let y = top; y < bottom && left > 0; y++) left = nearRun(data, y * w * 3, left, 3, 0, tolerance);
  if (left >= halfW) return { width: w, height: h };
  let trail = halfW;
  for (let y = top; y < bottom && trail > 0; y++) trail = nearRun(data, ((y + 1) * w - 1) * 3, trail, -3, bottomRight, tolerance);
  const right = Math.max(w - trail, w - halfW, left + 1);
  return { width: right - left, height: bottom - top };
}

/** How many of the `n` pixels from byte `p` on (stepping `step` bytes) are within `tol` of the pixel at byte `c` in every channel, counted until the first that is not. */
function nearRun(data: Uint8Array, p: number, n: number, step: number, c: number, tol: number): number {
  const r = data[c];
  const g = data[c + 1];
  const b = data[c + 2];
  for (let i = 0; i < n; i++, p += step) {
    if (Math.abs(data[p] - r) > tol || Math.abs(data[p + 1] - g) > tol || Math.abs(data[p + 2] - b) > tol) return i;
  }
  return n;
}

const LOSSLESS = new Set(['png', 'tiff', 'bmp', 'gif', 'pnm', 'ras', 'psd']);

/**
 * The stats of one decoded image; `quality` is jpegQualityOf its bytes (read before decoding). Sizes are
 * scaled back to the file's own resolution when the decoder shrank it (fast decode).
 */
export function keepStatsOf(
  img: RgbImage & { readonly format: string; readonly originalWidth: number; readonly originalHeight: number },
  quality: number | undefined,
): KeepStats {
  const grid = LOSSLESS.has(img.format) ? blockGridScore(img) : undefined;
  const c = contentSize(img);
  const sx = img.originalWidth / img.width;
  const sy = img.originalHeight / img.height;
  const cw = Math.round(c.width * sx);
  const ch = Math.round(c.height * sy);
  const trimmed = cw !== img.originalWidth || ch !== img.originalHeight;
  return {
    ...(quality !== undefined ? { jpegQuality: quality } : {}),
    ...(grid !== undefined ? { blockGrid: grid } : {}),
    ...(trimmed ? { contentWidth: cw, contentHeight: ch } : {}),
  };
}
