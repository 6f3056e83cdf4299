/**
 * A crop-resistant scan's pixel work on one file, run on the libuv pool beside the decode (as the keep
 * policy's facts are, image/decode.ts keepFacts) instead of on the thread that hashes: the content box
 * (cropWindows.ts contentBox), the grey grid and the PHash bits of the ten views (greyViews.ts
 * greyViewBits) and the view colours' grid (viewColors.ts, hashers/colorSignature.ts cellMeans), in one
 * call of the kernels addon (native/kernels/croppass.c), with the same kernels on the same inputs, so the
 * same bytes as hashing/hashImage.ts hashCrops computes on the main thread (crops/cropPass.test.ts compares them).
 * On the public benchmark those steps were 3.5x a whole-file hash on the main thread (bench/cropCost.ts),
 * which then held up the scan while the pool decoded; on the pool they share both cores with the decodes.
 *
 * Only where the grid applies (greyViews.ts gridWindows: pictures of gridCells(side) or more a side) and only with the native kernels;
 * otherwise hashCrops does it all on the main thread, as before.
 */
import { areaPlan, packTab } from '../kernels/area.js';
import { splitViewBits, viewBitsLength, type ViewBits } from '../kernels/cropViewBits.js';
import { dctMatrix } from '../kernels/dct.js';
import { GREY_BGR, GREY_RGB } from '../kernels/grey.js';
import { kernelLevel, nativeKernels, type CropPassC } from '../kernels/kernels.js';
import type { RgbImage } from '../cv/types.js';
import { cellMeansOf, cellMeansPlan } from '../hashers/colorSignature.js';
import { BORDER_TOLERANCE, MIN_BOX_SHARE, MIN_TRIM, type Box } from './cropWindows.js';
import { gridWindows } from './greyViews.js';
import { VIEW_COLOR_CELLS } from './viewColors.js';

/** The hasher the views' bits are for: its grey (order), its picture's side and its DCT block. */
export interface CropPassHasher {
  readonly order: 'rgb' | 'bgr';
  readonly side: number;
  readonly bits: ViewBits;
}

/** What the pass measured on one file's pixels. */
export interface CropFacts {
  readonly hasher: CropPassHasher;
  /** contentBox(img). */
  readonly box: Box | undefined;
  /** greyViewBits(img, order, side, bits, box): the content box's bits (null when none), then the nine windows'. */
  readonly bits: (Uint8Array | null)[];
  /** cellMeans of the whole picture on VIEW_COLOR_CELLS a side. */
  readonly colors: Uint8Array;
}

const EMPTY = new Int32Array(0);

/**
 * The pass on the libuv pool: a promise of the facts, or undefined when it does not apply (no native
 * kernels, or a picture smaller than the grid). The pixels must not change until it settles.
 */
export function cropPass(img: RgbImage, hasher: CropPassHasher): Promise<CropFacts> | undefined {
  const addon = kernelLevel() === 'native' ? nativeKernels() : undefined;
  return addon?.cropPass ? (run(img, hasher, addon.cropPass) as Promise<CropFacts> | undefined) : undefined;
}

/** The same on the calling thread (its tests compare it with the main-thread steps). */
export function cropPassSync(img: RgbImage, hasher: CropPassHasher): CropFacts | undefined {
  const addon = kernelLevel() === 'native' ? nativeKernels() : undefined;
  return addon?.cropPassSync ? (run(img, hasher, addon.cropPassSync) as CropFacts | undefined) : undefined;
}

function run(img: RgbImage, hasher: CropPassHasher, c: CropPassC): Promise<CropFacts> | CropFacts | undefined {
  const { width: w, height: h } = img;
  const grid = gridWindows(hasher.side, w, h);
  if (!grid) return undefined;
  const { cells } = grid;
  const plan = areaPlan(w, h, cells, cells);
  if (!plan) return undefined;
  const blocks = 'ix' in plan;
  const [wr, wg, wb] = hasher.order === 'rgb' ? GREY_RGB : GREY_BGR;
  const { size, off, excludeFirst } = hasher.bits;
  const G = VIEW_COLOR_CELLS;
  const colour = cellMeansPlan(w, h, G);
  const params = Int32Array.of(
    w,
    h,
    BORDER_TOLERANCE,
    wr,
    wg,
    wb,
    cells,
    blocks ? plan.ix : 0,
    blocks ? plan.iy : 0,
    hasher.side,
    off,
    size,
    excludeFirst ? 1 : 0,
    G,
    colour.colStep,
  );
  const len = viewBitsLength(hasher.bits);
  const views = grid.windows.length + 1;
  const box = new Int32Array(5);
  const bits = new Uint8Array(views * len);
  const sums = new Float64Array(G * G * 3);
  const counts = new Float64Array(G * G);
  const done = (): CropFacts => {
    const b = box[4] ? { x: box[0], y: box[1], width: box[2] - box[0], height: box[3] - box[1] } : undefined;
    return {
      hasher,
      box: b,
      bits: splitViewBits(bits, views, len, !!b),
      colors: cellMeansOf(sums, counts, G),
    };
  };
  const r = c(
    img.data,
    params,
    Float64Array.of(MIN_BOX_SHARE, MIN_TRIM),
    blocks ? EMPTY : packTab(plan.xt),
    blocks ? EMPTY : packTab(plan.yt),
    grid.corners,
    dctMatrix(hasher.side),
    colour.cols,
    colour.rows,
    box,
    new Uint8Array(cells * cells),
    bits,
    sums,
    counts,
  );
  return r instanceof Promise ? r.then(done) : done();
}

/** Whether facts measured for `a` are the views of hasher `b`. */
export function sameCropHasher(a: CropPassHasher, b: { readonly order: 'rgb' | 'bgr'; readonly side: number; readonly bits?: ViewBits }): boolean {
  return (
    a.order === b.order &&
    a.side === b.side &&
    !!b.bits &&
    a.bits.off === b.bits.off &&
    a.bits.size === b.bits.size &&
    a.bits.excludeFirst === b.bits.excludeFirst
  );
}
