/**
 * A small colour thumbnail of an image, kept next to its perceptual hashes so that candidate pairs can be
 * checked for colour (see scan/colorDistance.ts). perception's hashers all work on grey pixels, so an
 * emoji and its skin-tone variants, or a light and a dark wallpaper, hash alike; this is what tells them
 * apart. Not a perception hasher: it never changes a hash or a hash distance.
 *
 * The thumbnail is the mean colour of each cell of a COLOR_GRID x COLOR_GRID grid laid over the central
 * part of the image. The outer COLOR_MARGIN of each side is left out because thin borders, 1-3 % crops
 * and re-framing change exactly that strip; a recolouring changes the subject, which is inside.
 */
import type { RgbImage } from '../image/types.js';

export const COLOR_GRID = 16;
export const COLOR_MARGIN = 1 / 16;
export const COLOR_SIGNATURE_BYTES = COLOR_GRID * COLOR_GRID * 3;

/**
 * Above this many pixels per side of the central region, every s-th row is read (s grows with the size):
 * each cell still averages at least ~64 rows, and the cost stays bounded for large photos (a full pass
 * over a 640 x 480 image is ~0.5 ms of JavaScript). Columns are always all read, so a fine pattern (a
 * dithered or striped texture) is averaged, never aliased.
 */
const FULL_PASS_MAX_SIDE = 1024;

/** Mean R, G, B per cell, row-major, 8 bits per sample (COLOR_SIGNATURE_BYTES bytes). */
export function colorSignature(img: RgbImage): Uint8Array {
  const { data, width: w, height: h } = img;
  if (w < 1 || h < 1 || data.length < w * h * 3) throw new RangeError(`colorSignature: expected ${w} x ${h} RGB pixels`);
  const G = COLOR_GRID;
  // Images too small to lose a margin keep all of it.
  const x0 = w >= 2 * G ? Math.round(w * COLOR_MARGIN) : 0;
  const y0 = h >= 2 * G ? Math.round(h * COLOR_MARGIN) : 0;
  const cw = w - 2 * x0;
  const ch = h - 2 * y0;
  const cols = cellBounds(cw, G);
  const rows = cellBounds(ch, G);
  const rowStep = Math.max(1, Math.floor(ch / FULL_PASS_MAX_SIDE));
  const sums = new Float64Array(G * G * 3);
  const counts = new Float64Array(G * G);
  for (let cy = 0; cy < G; cy++) {
    for (let y = rows[2 * cy]; y < rows[2 * cy + 1]; y += rowStep) {
      const rowBase = ((y + y0) * w + x0) * 3;
      for (let cx = 0; cx < G; cx++) {
        // Per-cell runs summed in locals: about 4x faster than accumulating into the arrays per pixel.
        let r = 0;
        let g = 0;
        let b = 0;
        const end = rowBase + cols[2 * cx + 1] * 3;
        for (let p = rowBase + cols[2 * cx] * 3; p < end; p += 3) {
          r += data[p];
          g += data[p + 1];
          b += data[p + 2];
        }
        const k = cy * G + cx;
        sums[k * 3] += r;
        sums[k * 3 + 1] += g;
        sums[k * 3 + 2] += b;
        counts[k] += cols[2 * cx + 1] - cols[2 * cx];
      }
    }
  }
  const out = new Uint8Array(COLOR_SIGNATURE_BYTES);
  for (let k = 0; k < G * G; k++) {
    const n = counts[k];
    for (let c = 0; c < 3; c++) out[k * 3 + c] = Math.round(sums[k * 3 + c] / n);
  }
  return out;
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

/** The signature back from its string, or undefined when the string is not one (a foreign or damaged cache line). */
export function decodeColorSignature(s: unknown): Uint8Array | undefined {
  if (typeof s !== 'string' || s.length !== Math.ceil(COLOR_SIGNATURE_BYTES / 3) * 4 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return undefined;
  const bytes = new Uint8Array(Buffer.from(s, 'base64'));
  return bytes.length === COLOR_SIGNATURE_BYTES ? bytes : undefined;
}
