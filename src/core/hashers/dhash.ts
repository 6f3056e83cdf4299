/**
 * perception's DHash: INTER_AREA of the colour image to (hashSize + 1) x hashSize first, then RGB2GRAY
 * (that order matters for the rounding), bit = pixel > its right-hand neighbour, row-major.
 */
import { expectInt } from '../errors.js';
import { rgbToGray } from '../cv/gray.js';
import { resizeArea } from '../cv/resizeArea.js';
import type { Hasher } from './types.js';

export interface DHashOptions {
  hashSize?: number;
}

export function createDHash(opts: DHashOptions = {}): Hasher {
  const hs = expectInt('hashSize', opts.hashSize ?? 8, 2, 256);
  return {
    name: 'dhash',
    dtype: 'bool',
    distanceMetric: 'hamming',
    hashLength: hs * hs,
    defaultThreshold: 0.07, // perception's recommendation for hash_size=16
    compute(image) {
      const w = hs + 1;
      const gray = rgbToGray({ data: resizeArea(image.data, image.width, image.height, 3, w, hs), width: w, height: hs }).data;
      const bits = new Uint8Array(hs * hs);
      for (let y = 0; y < hs; y++) {
        let prev = -1;
        for (let x = 0; x < w; x++) {
          const g = gray[y * w + x];
          if (x > 0) bits[y * hs + x - 1] = prev > g ? 1 : 0;
          prev = g;
        }
      }
      return bits;
    },
  };
}
