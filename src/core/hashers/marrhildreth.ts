/**
 * perception's MarrHildreth = OpenCV img_hash MarrHildrethHash (alpha 2, scale 1): BGR2GRAY (on
 * perception's RGB data), 7x7 Gaussian blur, INTER_CUBIC to 512x512, equalizeHist, filter2D with a
 * 17x17 Marr-Hildreth kernel, 31x31 sums of 16x16 cells, then 64 3x3 neighbourhoods -> 576 bits
 * (cell > neighbourhood mean).
 *
 * OpenCV runs that filter2D through its float32 DFT (a 17x17 kernel is past filter2D's DFT
 * threshold). On images with flat areas the DFT's rounding noise decides which of two equal cells
 * is larger, so we reproduce the DFT operation for operation (cv/dftFilter.ts) rather than compute
 * the exact correlation: that is what makes logos and synthetic images bit-exact too.
 */
import { rgbToGraySwapped } from '../cv/gray.js';
import { gaussianBlur } from '../cv/gaussianBlur.js';
import { resizeCubic } from '../cv/resizeLinear.js';
import { equalizeHist } from '../cv/equalizeHist.js';
import { filter2DViaDft } from '../cv/dftFilter.js';
import type { RgbImage } from '../cv/types.js';
import type { Hasher } from './types.js';

const f32 = Math.fround;
const SIDE = 512;
const CELL = 16;
const CELLS = 31; // OpenCV's blocks matrix is 31x31 (the last 16 pixels are ignored)
const SIGMA = 8; // int(4 * alpha^level) with alpha 2, level 1
const KSIZE = 2 * SIGMA + 1;

/** getMHKernel(2, 1) in float32: (2 - a) * exp(a / 2), a = x^2 + y^2 on a 0.5-spaced grid. */
const KERNEL: Float32Array = (() => {
  const ratio = f32(Math.pow(2, -1));
  const k = new Float32Array(KSIZE * KSIZE);
  for (let row = 0; row < KSIZE; row++) {
    const ypos = f32(ratio * (row - SIGMA));
    const y2 = f32(ypos * ypos);
    for (let col = 0; col < KSIZE; col++) {
      const xpos = f32(ratio * (col - SIGMA));
      const a = f32(f32(xpos * xpos) + y2);
      k[row * KSIZE + col] = f32(2 - a) * f32(Math.exp(f32(a / 2)));
    }
  }
  return k;
})();

export function createMarrHildreth(): Hasher {
  return {
    name: 'marrhildreth',
    dtype: 'bool',
    distanceMetric: 'hamming',
    hashLength: 576,
    defaultThreshold: 0.1,
    compute: marrHildrethHash,
  };
}

function marrHildrethHash(image: RgbImage): Uint8Array {
  const gray = rgbToGraySwapped(image);
  const blurred = gaussianBlur(gray.data, gray.width, gray.height, 1, 7);
  const resized = resizeCubic(blurred, gray.width, gray.height, 1, SIDE, SIDE);
  const equalized = equalizeHist(resized);
  return hashFromCells(cellSums(filter2DViaDft(equalized, SIDE, SIDE, KERNEL, KSIZE)));
}

/**
 * blocks(r, c) = float32(cv::sum of the filtered image over columns 16r.., rows 16c..): note the
 * transpose, OpenCV builds the ROI as Rect(row * 16, col * 16, 16, 16). cv::sum adds each 16-float
 * row in four double lanes (SSE2 Sum_SIMD<float, double>) and then folds the lanes in order.
 */
function cellSums(filtered: Float32Array): Float32Array {
  const cells = new Float32Array(CELLS * CELLS);
  for (let r = 0; r < CELLS; r++) {
    for (let c = 0; c < CELLS; c++) {
      let s = 0;
      for (let y = c * CELL; y < c * CELL + CELL; y++) {
        const b = y * SIDE + r * CELL;
        let l0 = 0,
          l1 = 0,
          l2 = 0,
          l3 = 0;
        for (let x = 0; x < CELL; x += 4) {
          l0 += filtered[b + x];
          l1 += filtered[b + x + 1];
          l2 += filtered[b + x + 2];
          l3 += filtered[b + x + 3];
        }
        s += l0;
        s += l1;
        s += l2;
        s += l3;
      }
      cells[r * CELLS + c] = s;
    }
  }
  return cells;
}

/** createHash: 3x3 neighbourhoods at a step of 4; bits in generation order (OpenCV packs them MSB first). */
function hashFromCells(cells: Float32Array): Uint8Array {
  const bits = new Uint8Array(576);
  let k = 0;
  for (let row = 0; row < 29; row += 4) {
    for (let col = 0; col < 29; col += 4) {
      let sum = 0;
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) sum += cells[(row + i) * CELLS + col + j];
      const avg = f32(sum / 9);
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++, k++) if (cells[(row + i) * CELLS + col + j] > avg) bits[k] = 1;
    }
  }
  return bits;
}
