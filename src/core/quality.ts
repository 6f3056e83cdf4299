/**
 * perception.hashers.tools.compute_quality: PDQ-style gradient quality (0..100) of the grey image
 * resized to 64x64 with cv2.resize's default INTER_LINEAR.
 */
import { rgbToGray } from './cv/gray.js';
import { resizeLinear } from './cv/resizeLinear.js';
import type { RgbImage } from './cv/types.js';

const SIDE = 64;

export function computeQuality(image: RgbImage): number {
  const gray = rgbToGray(image);
  if (gray.width === SIDE && gray.height === SIDE) return clampQuality(gradientSumUint8(gray.data));
  const small = resizeLinear(gray.data, gray.width, gray.height, 1, SIDE, SIDE);
  return clampQuality(gradientSum(small));
}

/** int((dx + dy) / 90) clipped to 0..100. */
function clampQuality(sum: number): number {
  return Math.min(100, Math.max(0, Math.trunc(sum / 90)));
}

/**
 * The resized image is float32 there: sum of int(100 * |a - b| / 255). The operands are integers,
 * so 100 * |a - b| is exact and the quotient is never within float32 rounding of an integer
 * unless it is one; plain double arithmetic truncates identically.
 */
function gradientSum(g: Uint8Array): number {
  let s = 0;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const v = g[y * SIDE + x];
      if (x + 1 < SIDE) s += Math.trunc((100 * Math.abs(g[y * SIDE + x + 1] - v)) / 255);
      if (y + 1 < SIDE) s += Math.trunc((100 * Math.abs(g[(y + 1) * SIDE + x] - v)) / 255);
    }
  }
  return s;
}

/**
 * perception quirk: an image that is already 64x64 is never resized, so it stays uint8 and numpy
 * wraps both the difference and the multiplication by 100 modulo 256 before dividing by 255.
 * (100 * d is even, so the wrapped value never reaches 255 and the sum is always 0.)
 */
function gradientSumUint8(g: Uint8Array): number {
  let s = 0;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const v = g[y * SIDE + x];
      if (x + 1 < SIDE) s += Math.trunc(((100 * ((g[y * SIDE + x + 1] - v) & 255)) & 255) / 255);
      if (y + 1 < SIDE) s += Math.trunc(((100 * ((g[(y + 1) * SIDE + x] - v) & 255)) & 255) / 255);
    }
  }
  return s;
}
