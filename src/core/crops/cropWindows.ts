/**
 * The pictures a crop-resistant comparison hashes besides the whole file (issue 12, item 3): the content
 * box left after trimming uniform borders (a padded copy's box is its original, as perception's
 * unletterbox finds a video's picture inside black bars), and overlapping windows of the picture (a copy
 * cropped by 5-10 % on each axis at some offset is close to one of them). pHash compares the whole
 * frame, so a border or a crop moves every DCT coefficient; hashed again on the right sub-rectangle the
 * copy matches its original.
 */
import { resizeArea } from '../cv/resizeArea.js';
import { kernel, KERNELS } from '../kernels/kernels.js';
import type { RgbImage } from '../cv/types.js';

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A pixel is border when every channel is within this many levels of the border colour (JPEG rings near the edge). */
export const BORDER_TOLERANCE = 24;
/** Trims under this share of a side are left alone: they change pHash too little to matter. */
export const MIN_TRIM = 0.005;
/** A box under this share of either side is no content box (the picture is all border colour, or almost). */
export const MIN_BOX_SHARE = 0.2;

/**
 * The box inside uniform borders (kernels/contentBox.ts, in C when the kernels addon is built: the border
 * colour is the median of the four corners, per channel, and rows/columns are peeled from each side while
 * at most 2 % of their pixels are off it). Undefined when nothing worth trimming is there, or when the
 * whole picture is that colour.
 */
export function contentBox(img: RgbImage): Box | undefined {
  const { width: w, height: h } = img;
  if (w < 8 || h < 8) return undefined;
  const out = new Int32Array(4);
  kernel(KERNELS.contentBox)(img.data, w, h, BORDER_TOLERANCE, out);
  const [left, top, right, bottom] = out;
  const bw = right - left;
  const bh = bottom - top;
  // A picture that is all border colour (or almost) has no content box to speak of.
  if (bw < w * MIN_BOX_SHARE || bh < h * MIN_BOX_SHARE) return undefined;
  if (w - bw < w * MIN_TRIM && h - bh < h * MIN_TRIM) return undefined;
  return { x: left, y: top, width: bw, height: bh };
}

/** The pixels of a box of the image (RGB, row-major). */
export function cropRgb(img: RgbImage, box: Box): RgbImage {
  const out = new Uint8Array(box.width * box.height * 3);
  for (let y = 0; y < box.height; y++) {
    const from = ((box.y + y) * img.width + box.x) * 3;
    out.set(img.data.subarray(from, from + box.width * 3), y * box.width * 3);
  }
  return { data: out, width: box.width, height: box.height };
}

/**
 * Overlapping windows covering `scale` of each side, at offsets 0, 1/2 and 1 of the slack on each axis
 * (3 x 3 windows): a copy cropped by 2s - 1 ... 1 of a side at any offset lies within (1 - scale) / 2 of
 * one of them on each axis, which pHash tolerates as it tolerates a 1-3 % crop.
 */
export function cropWindows(width: number, height: number, scale = WINDOW_SCALE): Box[] {
  const ww = Math.max(1, Math.round(width * scale));
  const wh = Math.max(1, Math.round(height * scale));
  const out: Box[] = [];
  for (const fy of WINDOW_OFFSETS)
    for (const fx of WINDOW_OFFSETS) out.push({ x: Math.round((width - ww) * fx), y: Math.round((height - wh) * fy), width: ww, height: wh });
  return out;
}

/** The share of each side a window covers, and where the windows sit in the slack on each axis. */
export const WINDOW_SCALE = 0.925;
const WINDOW_OFFSETS = [0, 0.5, 1];

/** The nine windows of cropWindows as fractions of the sides (in the same order), for what is measured on a grid of the whole picture. */
export function cropWindowFractions(): readonly WindowFraction[] {
  return WINDOW_FRACTIONS;
}

interface WindowFraction {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** Worked out once: the colour check of every crop pair asks for them (colorcheck/cropColors.ts). */
const WINDOW_FRACTIONS: readonly WindowFraction[] = Object.freeze(
  WINDOW_OFFSETS.flatMap((fy) =>
    WINDOW_OFFSETS.map((fx) =>
      Object.freeze({
        x0: (1 - WINDOW_SCALE) * fx,
        y0: (1 - WINDOW_SCALE) * fy,
        x1: (1 - WINDOW_SCALE) * fx + WINDOW_SCALE,
        y1: (1 - WINDOW_SCALE) * fy + WINDOW_SCALE,
      }),
    ),
  ),
);

/** Windows and the content box are cut from a copy at most this large: the whole-file hash stays perception's, on every pixel, and ten more hashes of a 4000 px photo would cost ten full-size resizes. */
export const CROP_WORK_SIDE = 512;

/**
 * What a crop-resistant hash is taken of, and a name for it that changes with any of it (the cache keeps
 * crop hashes under this name, so hashes cut another way are never mixed with these). "v3": the content
 * box is found on the decoded pixels, and hashers of a resized grey picture take their views from a grey
 * grid of 2n + 10 cells whose windows are halved by 2 x 2 block sums (greyViews.ts; v2 used a 160-cell grid).
 * "v4": the entry also holds the file's view colours (viewColors.ts), which the crop pairs' colour check reads.
 */
export const CROP_LAYOUT = `box+3x3@0.925/${CROP_WORK_SIDE}v4`;

/**
 * The content box's and the windows' RGB pictures, cut from a copy at most CROP_WORK_SIDE a side (area
 * resize, as pHash's own), for hashers that need the pixels themselves: the content box (found on the
 * decoded pixels; undefined when there is no uniform border to trim), then the nine windows.
 */
export function cropViews(
  img: RgbImage,
  box: Box | undefined = contentBox(img),
): { readonly box: RgbImage | undefined; readonly windows: readonly RgbImage[] } {
  const s = Math.min(1, CROP_WORK_SIDE / Math.max(img.width, img.height));
  const w = s === 1 ? img.width : Math.max(1, Math.round(img.width * s));
  const h = s === 1 ? img.height : Math.max(1, Math.round(img.height * s));
  const small = s === 1 ? img : { data: resizeArea(img.data, img.width, img.height, 3, w, h), width: w, height: h };
  return { box: box && cropRgb(small, scaleBox(box, w / img.width, h / img.height)), windows: cropWindows(w, h).map((b) => cropRgb(small, b)) };
}

/** A box of the image in the pixels of a copy scaled by sx, sy (rounded outward to whole pixels, at least one). */
function scaleBox(b: Box, sx: number, sy: number): Box {
  if (sx === 1 && sy === 1) return b;
  const x = Math.floor(b.x * sx);
  const y = Math.floor(b.y * sy);
  return { x, y, width: Math.max(1, Math.ceil((b.x + b.width) * sx) - x), height: Math.max(1, Math.ceil((b.y + b.height) * sy) - y) };
}
