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
 * edges on the grid (areaOfGrid). A picture smaller than the grid is cut directly (smallViews). A grid of 80 cells cost 0.3-1 point of crop recall on the held-out
 * benchmark; per-family recall with this one is in docs/crop-resistant.md.
 */
import { resizeArea, resizeAreaGray } from '../cv/resizeArea.js';
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
  const cells = gridCells(side);
  if (img.width < cells || img.height < cells) return smallViews(img, order, side, box);
  const g = resizeAreaGray(img.data, img.width, img.height, cells, cells, order);
  const s = cells / img.width;
  const t = cells / img.height;
  return [
    box ? areaOfGrid(g, cells, box.x * s, box.y * t, (box.x + box.width) * s, (box.y + box.height) * t, side) : null,
    ...cropWindows(cells, cells).map((w) => halve(g, cells, w, side)),
  ];
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

/**
 * A 2side x 2side rectangle of the grid resized to side x side: cv2 INTER_AREA by 2 x 2 is the rounded
 * mean of each block, (sum + 2) >> 2 (kernels/area.ts finishFast), read in place (no cut copy).
 */
function halve(g: Uint8Array, cells: number, b: Box, side: number): Uint8Array {
  const out = new Uint8Array(side * side);
  for (let y = 0, o = 0; y < side; y++) {
    let p = (b.y + 2 * y) * cells + b.x;
    for (let x = 0; x < side; x++, p += 2) out[o++] = (g[p] + g[p + 1] + g[p + cells] + g[p + cells + 1] + 2) >> 2;
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
