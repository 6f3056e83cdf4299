/**
 * The crop-resistant views' PHash bits from one grey grid (crops/greyViews.ts explains the grid and the
 * views): the content box area-resized off the grid, the nine windows halved by 2 x 2 block means, and for
 * each of the ten side x side pictures the kept DCT block, its exact zeros snapped, the median and the bits
 * (PHash's finish, hashers/phash.ts). One call for all ten, so that in C (native/kernels/cropbits.c, the
 * same operations in the same order) the views cost no round trips and no JavaScript allocations: per file
 * this was most of `--crop-resistant`'s extra time (bench/cropCost.ts). This JavaScript version defines the
 * result; kernels.test.ts compares the C one with it bit for bit.
 */
import { dct2BlockJs } from './dct.js';
import { select } from './select.js';

/**
 * What both kernels finish their side x side pictures with, PHash's finish (finisher): the DCT block
 * D[off .. off + size) on each axis, cos = dctMatrix(side), minus its first term when eft is 1; out gets a run
 * of size * size - eft bits (0 or 1) per picture.
 */
export type FinishArgs = [off: number, size: number, eft: number, cos: Float64Array, out: Uint8Array];

/**
 * cropViewBits(grid, cells, side, box, windows, ...finish): grid is cells x cells grey bytes; box the content
 * box in fractional cells [x0, y0, x1, y1] (empty: none); windows the nine windows' top-left cells
 * [x, y, ...] (each 2 side cells a side). out gets ten runs: the box's (left as is when there is none), then
 * the windows'.
 */
export type CropViewBitsKernel = (grid: Uint8Array, cells: number, side: number, box: Float64Array, windows: Int32Array, ...finish: FinishArgs) => void;

/**
 * viewBits(views, count, side, ...finish): PHash's finish of `count` side x side pictures laid one after
 * another in views, into count runs. The views of a picture smaller than the grid (crops/greyViews.ts
 * smallViewBits), finished in one call.
 */
export type ViewBitsKernel = (views: Uint8Array, count: number, side: number, ...finish: FinishArgs) => void;

/** What a bit-valued PHash keeps of its side x side picture's DCT (hashers/types.ts resizedGrey.bits). */
export interface ViewBits {
  /** The first kept frequency and how many are kept on each axis. */
  readonly off: number;
  readonly size: number;
  /** Whether the first term is dropped. */
  readonly excludeFirst: boolean;
}

/** Bits a view gets from a ViewBits: the kept block less its first term when that is dropped. */
export const viewBitsLength = (bits: ViewBits): number => bits.size * bits.size - (bits.excludeFirst ? 1 : 0);

/**
 * The ten views' bits as greyViewBits and the crop pass give them, cut from one kernel output of `views`
 * runs of `len`: the content box's first (null when there is none), then the windows'.
 */
export function splitViewBits(out: Uint8Array, views: number, len: number, hasBox: boolean): (Uint8Array | null)[] {
  return Array.from({ length: views }, (_, k) => (k === 0 && !hasBox ? null : out.subarray(k * len, (k + 1) * len)));
}

export const cropViewBitsJs: CropViewBitsKernel = (grid, cells, side, box, windows, ...args) => {
  const finish = finisher(side, ...args);
  if (box.length === 4) finish(areaOfGrid(grid, cells, box[0], box[1], box[2], box[3], side), 0);
  for (let w = 0; w < windows.length / 2; w++) finish(halve(grid, cells, windows[2 * w], windows[2 * w + 1], side), w + 1);
};

export const viewBitsJs: ViewBitsKernel = (views, count, side, ...args) => {
  const finish = finisher(side, ...args);
  for (let k = 0; k < count; k++) finish(views.subarray(k * side * side, (k + 1) * side * side), k);
};

/** PHash's finish of side x side pictures: the DCT block, its exact zeros snapped, the median test, bits into run k of out. */
function finisher(side: number, ...[off, size, eft, cos, out]: FinishArgs): (small: Uint8Array, k: number) => void {
  const block = new Float64Array(size * size);
  const len = size * size - eft;
  return (small, k) => {
    dct2BlockJs(small, side, off, size, cos, block);
    snapZeros(block, small);
    const d = block.subarray(eft);
    const med = median(d);
    for (let i = 0; i < len; i++) out[k * len + i] = d[i] >= med ? 1 : 0;
  };
}

/**
 * Values of the DCT block that are zero in exact arithmetic, snapped to 0: scipy's FFT returns exact zeros
 * for them (uniform or symmetric images) while a matrix DCT leaves +-1e-13; the snap makes ties with the
 * median come out as in perception. For a non-negative image the DC term 4 * sum(x) bounds every |D[k][l]|,
 * so it is the full DCT's max.
 */
export function snapZeros(block: Float64Array, small: Uint8Array): void {
  let sum = 0;
  for (let i = 0; i < small.length; i++) sum += small[i];
  const tol = 1e-10 * Math.max(1, 4 * sum);
  for (let i = 0; i < block.length; i++) if (Math.abs(block[i]) < tol) block[i] = 0;
}

/**
 * np.median: the middle value, or the mean of the two middle values (a + b) / 2 in float64. By selection
 * (Hoare's quickselect on a copy) rather than a full sort: the same values, a fraction of the time, which
 * counts when a crop-resistant scan takes eleven hashes per file.
 */
export function median(values: Float64Array): number {
  const s = Float64Array.from(values);
  const m = s.length >> 1;
  const upper = select(s, m);
  if (s.length % 2) return upper;
  // After select, s[0 .. m) holds the m smallest values: the lower middle is their largest.
  let lower = -Infinity;
  for (let i = 0; i < m; i++) if (s[i] > lower) lower = s[i];
  return (lower + upper) / 2;
}

/**
 * The 2side x 2side square of the grid at (x, y) resized to side x side: cv2 INTER_AREA by 2 x 2 is the
 * rounded mean of each block, (sum + 2) >> 2 (kernels/area.ts finishFast), read in place (no cut copy).
 */
export function halve(g: Uint8Array, cells: number, x: number, y: number, side: number): Uint8Array {
  const out = new Uint8Array(side * side);
  for (let j = 0, o = 0; j < side; j++) {
    let p = (y + 2 * j) * cells + x;
    for (let i = 0; i < side; i++, p += 2) out[o++] = (g[p] + g[p + 1] + g[p + cells] + g[p + cells + 1] + 2) >> 2;
  }
  return out;
}

/**
 * The rectangle [x0, x1) x [y0, y1) of the grid, in fractional cells, area-resized to side x side: each
 * output pixel is the mean of the grid over its share of the rectangle, partial cells weighted by the part
 * inside. The content box keeps its exact edges (rounding them to whole cells moved a detailed picture's
 * hash by up to 18 bits), without another pass over the decoded pixels (most clip art, flags and icons
 * have a uniform edge to trim).
 */
export function areaOfGrid(g: Uint8Array, cells: number, x0: number, y0: number, x1: number, y1: number, side: number): Uint8Array {
  const xs = shares(x0, x1, side, cells);
  const ys = shares(y0, y1, side, cells);
  const xt = xs.taps;
  const yt = ys.taps;
  const rows = new Float64Array(cells * side); // each grid row in the box resized horizontally
  for (let r = ys.first[0]; r < Math.min(cells, ys.first[side - 1] + yt); r++) {
    const row = r * cells;
    for (let i = 0; i < side; i++) {
      let v = 0;
      const c = row + xs.first[i];
      for (let k = 0; k < xt; k++) v += g[c + k] * xs.weight[i * xt + k];
      rows[r * side + i] = v;
    }
  }
  const out = new Uint8Array(side * side);
  for (let j = 0; j < side; j++) {
    const r = ys.first[j];
    for (let i = 0; i < side; i++) {
      let v = 0;
      for (let k = 0; k < yt; k++) v += rows[(r + k) * side + i] * ys.weight[j * yt + k];
      out[j * side + i] = Math.min(255, Math.round(v));
    }
  }
  return out;
}

/**
 * For each of `side` equal parts of [from, to) (within [0, cells)): a first cell, first[i], and the share
 * of the part in that cell and the next taps - 1 (weight[i * taps + k], summing to 1; zero for cells
 * outside the part, so every part reads the same number of cells, all inside the grid).
 */
function shares(from: number, to: number, side: number, cells: number): { first: Int32Array; taps: number; weight: Float64Array } {
  const step = (to - from) / side;
  const taps = Math.min(cells, Math.ceil(step) + 1);
  const first = new Int32Array(side);
  const weight = new Float64Array(side * taps);
  for (let i = 0; i < side; i++) {
    const a = from + i * step;
    const b = a + step;
    first[i] = Math.max(0, Math.min(Math.floor(a), cells - taps)); // never reads past the grid
    for (let k = 0, c = first[i]; k < taps; k++, c++) weight[i * taps + k] = Math.max(0, Math.min(b, c + 1) - Math.max(a, c)) / step;
  }
  return { first, taps, weight };
}
