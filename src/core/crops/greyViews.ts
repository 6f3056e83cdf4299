/**
 * The crop-resistant views of a file (the content box and the nine windows of cropWindows.ts) area-resized
 * to a hasher's n x n grey picture, for hashers that are a function of that picture (hashers/types.ts
 * `resizedGrey`: PHash, the default). Cutting ten RGB copies and resizing each read most of the picture ten
 * times over (the mode took 3.2-3.4x a plain scan's time that way); here the picture is read once, by one
 * area resize to a small grey grid (the same INTER_AREA kernel as the whole-file hash), and every view is
 * taken from the grid.
 *
 * The grid has 2n + 10 cells a side (138 for n = 64), on which the nine windows are 2n cells (0.9275 of a
 * side; cropWindows' 0.925 rounds to it) at offsets 0, 5 and 10: each window is halved to n x n by 2 x 2
 * block means, INTER_AREA's integer-factor case, exact and cheap (v2 resized 148 of 160 cells by a
 * non-integer factor, nine times per file, and cut each window out first). A window pixel is the mean of its
 * own share of the picture, up to the grid's rounding to whole bytes. The content box keeps its fractional
 * edges on the grid (kernels/cropViewBits.ts areaOfGrid). A picture smaller than the grid is cut directly (smallViews). A grid of 80 cells cost 0.3-1 point of crop recall on the held-out
 * benchmark; per-family recall with this one is in docs/crop-resistant.md.
 */
import { resizeArea, resizeAreaGray } from '../cv/resizeArea.js';
import { areaOfGrid, halve, splitViewBits, viewBitsLength, type ViewBits } from '../kernels/cropViewBits.js';
import { dctMatrix } from '../kernels/dct.js';
import { kernel, KERNELS } from '../kernels/kernels.js';
import { rgbToGray, rgbToGraySwapped } from '../cv/gray.js';
import type { RgbImage } from '../cv/types.js';
import { contentBox, cropWindows, type Box } from './cropWindows.js';

/** Grid cells a side for a hasher's n x n picture: windows of 2n cells plus a slack of 10 (0.9275 of the side, whole-cell offsets 0, 5, 10). */
export const gridCells = (side: number): number => 2 * side + 10;

/**
 * The content box's picture (null when there is none) then the nine windows', each the grey (cv2
 * RGB2GRAY, or BGR2GRAY applied to RGB data as perception does in some hashers) area-resized to side x side.
 */
export function greyViews(img: RgbImage, order: 'rgb' | 'bgr', side: number, box: Box | undefined = contentBox(img)): (Uint8Array | null)[] {
  const grid = viewGrid(img, order, side, box);
  if (!grid) return smallViews(img, order, side, box);
  const { g, cells, b, windows } = grid;
  return [b ? areaOfGrid(g, cells, b[0], b[1], b[2], b[3], side) : null, ...windows.map((w) => halve(g, cells, w.x, w.y, side))];
}

/**
 * greyViews followed by PHash's finish, in one kernel call (kernels/cropViewBits.ts, in C when the kernels
 * addon is built): the views' bits (null for a missing content box). Undefined for a picture smaller than
 * the grid, which greyViews cuts directly.
 */
export function greyViewBits(img: RgbImage, order: 'rgb' | 'bgr', side: number, bits: ViewBits, box: Box | undefined): (Uint8Array | null)[] | undefined {
  const grid = viewGrid(img, order, side, box);
  if (!grid) return undefined;
  const { g, cells, b, windows, corners } = grid;
  const views = windows.length + 1; // the content box, then each window
  const len = viewBitsLength(bits);
  const out = new Uint8Array(views * len);
  kernel(KERNELS.cropViewBits)(g, cells, side, b ?? new Float64Array(0), corners, bits.off, bits.size, bits.excludeFirst ? 1 : 0, dctMatrix(side), out);
  return splitViewBits(out, views, len, !!b);
}

/** The grid's cells a side and its nine windows, as boxes and as the top-left cells [x, y, ...] the kernels take. */
export interface GridWindows {
  readonly cells: number;
  readonly windows: Box[];
  readonly corners: Int32Array;
}

/**
 * The grid a width x height picture's views are taken from for a hasher's side x side picture (greyViews,
 * greyViewBits and the crop pass, cropPass.ts): undefined for a picture narrower or shorter than the grid,
 * whose views are cut directly (smallViews).
 */
export function gridWindows(side: number, width: number, height: number): GridWindows | undefined {
  const cells = gridCells(side);
  if (width < cells || height < cells) return undefined;
  const windows = cropWindows(cells, cells);
  return { cells, windows, corners: Int32Array.from(windows.flatMap((w) => [w.x, w.y])) };
}

/**
 * What greyViews and greyViewBits take their views from: the grey grid, the content box on it in
 * fractional cells ([x0, y0, x1, y1], undefined without one) and the nine windows' cells (gridWindows).
 * Undefined for a picture narrower or shorter than the grid (smallViews).
 */
function viewGrid(
  img: RgbImage,
  order: 'rgb' | 'bgr',
  side: number,
  box: Box | undefined,
): (GridWindows & { g: Uint8Array; b: Float64Array | undefined }) | undefined {
  const grid = gridWindows(side, img.width, img.height);
  if (!grid) return undefined;
  const { cells } = grid;
  const g = resizeAreaGray(img.data, img.width, img.height, cells, cells, order);
  const s = cells / img.width;
  const t = cells / img.height;
  const b = box && Float64Array.of(box.x * s, box.y * t, (box.x + box.width) * s, (box.y + box.height) * t);
  return { ...grid, g, b };
}

/**
 * smallViews followed by PHash's finish of the ten views in one kernel call (kernels/cropViewBits.ts
 * viewBits): the bits of a picture smaller than the grid, as greyViewBits gives them for a larger one (null
 * for a missing content box). Each view's bits are rg.finish's (greyViews.test.ts).
 */
export function smallViewBits(img: RgbImage, order: 'rgb' | 'bgr', side: number, bits: ViewBits, box: Box | undefined): (Uint8Array | null)[] {
  const views = smallViews(img, order, side, box); // null only for the content box, when there is none
  const present = views.filter((v): v is Uint8Array => v !== null);
  const all = new Uint8Array(present.length * side * side);
  present.forEach((v, k) => all.set(v, k * side * side));
  const len = viewBitsLength(bits);
  const out = new Uint8Array(views.length * len);
  kernel(KERNELS.viewBits)(all, present.length, side, bits.off, bits.size, bits.excludeFirst ? 1 : 0, dctMatrix(side), out.subarray(box ? 0 : len));
  return splitViewBits(out, views.length, len, !!box);
}

/**
 * A picture narrower or shorter than the grid: each view cut from its grey pixels and resized (cv2's
 * INTER_AREA, which enlarges by its bilinear), exactly what the whole-file hash of a cropped or trimmed
 * copy sees. An enlarged grid would blur the windows of a 64 px icon (one crop pair of the public
 * benchmark moved from 30 to 48 bits that way); these pictures are small, so the nine cuts cost little.
 */
function smallViews(img: RgbImage, order: 'rgb' | 'bgr', side: number, box: Box | undefined): (Uint8Array | null)[] {
  const grey = (order === 'rgb' ? rgbToGray(img) : rgbToGraySwapped(img)).data;
  const view = (b: Box): Uint8Array => {
    const cut = new Uint8Array(b.width * b.height);
    for (let y = 0; y < b.height; y++) cut.set(grey.subarray((b.y + y) * img.width + b.x, (b.y + y) * img.width + b.x + b.width), y * b.width);
    return resizeArea(cut, b.width, b.height, 1, side, side);
  };
  return [box ? view(box) : null, ...cropWindows(img.width, img.height).map(view)];
}
