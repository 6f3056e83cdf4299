/**
 * The crop-resistant views of a file (the content box and the nine windows of cropWindows.ts) area-resized
 * to a hasher's n x n grey picture, for hashers that are a function of that picture (hashers/types.ts
 * `resizedGrey`: PHash, the default). Cutting ten RGB copies and resizing each read most of the picture ten
 * times over (the mode took 3.2-3.4x a plain scan's time that way); here the picture is read once, by one
 * area resize to a small grey grid, and each view is a whole-cell rectangle of a grid, resized again (all
 * with the same INTER_AREA kernel as the whole-file hash).
 *
 * The grid has 160 cells a side for n = 64, on which the nine windows fall on whole cells (148 + 2 x 6);
 * the content box is rounded to whole cells (at most half a cell, 0.3 % of a side, off). The grid blurs
 * what a view sees by about one cell: pHash keeps 16 x 16 DCT terms of 64 x 64, up to 8 cycles a side,
 * which keep over 99 % of their amplitude, nearly the same for every term, and the bits compare terms with
 * their median. A grid of 80 cost 0.3-1 point of crop recall on the held-out benchmark; on this one each
 * family's recall is within half a point of cutting every view from the decoded pixels
 * (docs/crop-resistant.md).
 */
import { resizeArea, resizeAreaGray } from '../cv/resizeArea.js';
import { rgbToGray, rgbToGraySwapped } from '../cv/gray.js';
import type { RgbImage } from '../cv/types.js';
import { contentBox, cropWindows, type Box } from './cropWindows.js';

/** Grid cells a side per cell of the hasher's picture: 2.5 x 64 = 160, on which the 0.925-windows fall on whole cells (148 + 2 x 6). */
export const GRID_PER_SIDE = 2.5;

/**
 * The content box's picture (null when there is none) then the nine windows', each the grey (cv2
 * RGB2GRAY, or BGR2GRAY applied to RGB data as perception does in some hashers) area-resized to side x side.
 */
export function greyViews(img: RgbImage, order: 'rgb' | 'bgr', side: number, box: Box | undefined = contentBox(img)): (Uint8Array | null)[] {
  const g = grid(img, order, Math.round(GRID_PER_SIDE * side));
  const view = (b: Box): Uint8Array => {
    const cut = new Uint8Array(b.width * b.height);
    for (let y = 0; y < b.height; y++) cut.set(g.data.subarray((b.y + y) * g.width + b.x, (b.y + y) * g.width + b.x + b.width), y * b.width);
    return resizeArea(cut, b.width, b.height, 1, side, side);
  };
  return [box ? view(onGrid(box, g.width / img.width, g.height / img.height)) : null, ...cropWindows(g.width, g.height).map(view)];
}

interface Grid {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** The grey picture area-resized to at most `cells` a side (each axis on its own; never enlarged). */
function grid(img: RgbImage, order: 'rgb' | 'bgr', cells: number): Grid {
  const w = Math.min(img.width, cells);
  const h = Math.min(img.height, cells);
  const data =
    w === img.width && h === img.height
      ? (order === 'rgb' ? rgbToGray(img) : rgbToGraySwapped(img)).data
      : resizeAreaGray(img.data, img.width, img.height, w, h, order);
  return { data, width: w, height: h };
}

/** A box of the image in grid cells, its edges rounded to the nearest cell (at least one cell). */
function onGrid(b: Box, sx: number, sy: number): Box {
  const x = Math.round(b.x * sx);
  const y = Math.round(b.y * sy);
  return { x, y, width: Math.max(1, Math.round((b.x + b.width) * sx) - x), height: Math.max(1, Math.round((b.y + b.height) * sy) - y) };
}
