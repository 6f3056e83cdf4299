/**
 * A small colour thumbnail of an image, kept next to its perceptual hashes so that candidate pairs can be
 * checked for colour (see colorcheck/colorDistance.ts). perception's hashers all work on grey pixels, so an
 * emoji and its skin-tone variants, or a light and a dark wallpaper, hash alike; this is what tells them
 * apart. Not a perception hasher: it never changes a hash or a hash distance.
 *
 * The thumbnail is the mean colour of each cell of a COLOR_GRID x COLOR_GRID grid laid over the central
 * part of the image. The outer COLOR_MARGIN of each side is left out because thin borders, 1-3 % crops
 * and re-framing change exactly that strip; a recolouring changes the subject, which is inside.
 */
import type { RgbImage } from '../cv/types.js';
import { kernel, KERNELS } from '../kernels/kernels.js';

export const COLOR_GRID = 16;
export const COLOR_MARGIN = 1 / 16;
export const COLOR_SIGNATURE_BYTES = COLOR_GRID * COLOR_GRID * 3;

/**
 * Up to this many pixels in the central region every pixel is read (~1 ms of JavaScript for 640 x 480,
 * ~0.1 ms in the kernels addon);
 * beyond it every s-th pixel of each row, so a large photo costs no more (each cell still averages over
 * 1,000 samples). Every row is read and the sampled columns shift by one from row to row, so neither a
 * horizontal nor a vertical stripe or dither pattern can alias with the step.
 */
const FULL_PASS_PIXELS = 640 * 480;

/** Mean R, G, B per cell, row-major, 8 bits per sample (COLOR_SIGNATURE_BYTES bytes). */
export function colorSignature(img: RgbImage): Uint8Array {
  const { data, width: w, height: h } = img;
  if (w < 1 || h < 1 || data.length < w * h * 3) throw new RangeError(`colorSignature: expected ${w} x ${h} RGB pixels`);
  const x0 = signatureMargin(w);
  const y0 = signatureMargin(h);
  return cellMeans(img, x0, y0, w - 2 * x0, h - 2 * y0, COLOR_GRID);
}

/**
 * Mean R, G, B of each of the G x G cells of the cw x ch rectangle at (x0, y0) of an RGB image, row-major
 * (G * G * 3 bytes): the colour signature's central grid, or a grid of the whole picture (crops/viewColors.ts).
 */
export function cellMeans(img: RgbImage, x0: number, y0: number, cw: number, ch: number, G: number): Uint8Array {
  const { cols, rows, colStep } = cellMeansPlan(cw, ch, G);
  const sums = new Float64Array(G * G * 3);
  const counts = new Float64Array(G * G);
  kernel(KERNELS.cellSums)(img.data, img.width, img.height, x0, y0, cols, rows, G, colStep, sums, counts);
  return cellMeansOf(sums, counts, G);
}

/** The cells of cellMeans' cw x ch rectangle ([start, end) per column and per row) and the column step, for the cellSums kernel. */
export function cellMeansPlan(cw: number, ch: number, G: number): { readonly cols: Int32Array; readonly rows: Int32Array; readonly colStep: number } {
  return { cols: cellBounds(cw, G), rows: cellBounds(ch, G), colStep: Math.max(1, Math.ceil((cw * ch) / FULL_PASS_PIXELS)) };
}

/** cellMeans' result from the cellSums kernel's sums and counts. */
export function cellMeansOf(sums: Float64Array, counts: Float64Array, G: number): Uint8Array {
  const out = new Uint8Array(G * G * 3);
  for (let k = 0; k < G * G; k++) {
    const n = Math.max(1, counts[k]);
    for (let c = 0; c < 3; c++) out[k * 3 + c] = Math.round(sums[k * 3 + c] / n);
  }
  return out;
}

/**
 * Pixels left out at each end of a side of `n` pixels: round(n * COLOR_MARGIN), none when the side is too
 * small to lose a margin (under 2 * COLOR_GRID pixels), which keeps all of it. So the grid covers the
 * fraction [m, 1 - m] of the side, m = signatureMargin(n) / n: 1/16 for most sizes, 0 for tiny images.
 */
export function signatureMargin(n: number): number {
  return n >= 2 * COLOR_GRID ? Math.round(n * COLOR_MARGIN) : 0;
}

/**
 * [start, end) of each of `cells` equal parts of `n` pixels, snapped to pixel edges. With fewer pixels
 * than cells (a tiny image) a cell takes the one pixel under its centre, so no cell is ever empty.
 */
function cellBounds(n: number, cells: number): Int32Array {
  const b = new Int32Array(2 * cells);
  for (let i = 0; i < cells; i++) {
    let s = Math.round((i * n) / cells);
    let e = Math.round(((i + 1) * n) / cells);
    if (e <= s) {
      s = Math.min(n - 1, Math.floor(((i + 0.5) * n) / cells));
      e = s + 1;
    }
    b[2 * i] = s;
    b[2 * i + 1] = e;
  }
  return b;
}

/** Standard base64, as the hashes are stored. */
export function encodeColorSignature(sig: Uint8Array): string {
  return Buffer.from(sig.buffer, sig.byteOffset, sig.byteLength).toString('base64');
}

const ENCODED_LENGTH = Math.ceil(COLOR_SIGNATURE_BYTES / 3) * 4;

/** Whether a string has the shape of an encoded signature (a cheap check for every cache line). */
export function isColorSignatureString(s: unknown): s is string {
  return typeof s === 'string' && s.length === ENCODED_LENGTH && /^[A-Za-z0-9+/]*={0,2}$/.test(s);
}

/** The signature back from its string, or undefined when the string is not one (a foreign or damaged cache line). */
export function decodeColorSignature(s: unknown): Uint8Array | undefined {
  if (!isColorSignatureString(s)) return undefined;
  const bytes = new Uint8Array(Buffer.from(s, 'base64'));
  return bytes.length === COLOR_SIGNATURE_BYTES ? bytes : undefined;
}
