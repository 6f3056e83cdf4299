/**
 * perception's AverageHash: BGR2GRAY applied to RGB (perception's quirk, so red and blue weights trade
 * places), INTER_AREA to hashSize x hashSize, bit = pixel > mean. The comparison is done as
 * pixel * N > sum, which is exactly numpy's pixel > image.mean() for these sizes.
 */
import { expectInt } from '../errors.js';
import { resizeAreaGray } from '../cv/resizeArea.js';
import { ISOMETRIC_KEYS, type Hasher, type HashVector, type IsometricKey } from './types.js';
import { transformGrid } from './isometric.js';

export interface AverageHashOptions {
  hashSize?: number;
}

export function createAverageHash(opts: AverageHashOptions = {}): Hasher {
  const hs = expectInt('hashSize', opts.hashSize ?? 8, 2, 256);
  const compute = (image: Parameters<Hasher['compute']>[0]): Uint8Array => {
    const small = resizeAreaGray(image.data, image.width, image.height, hs, hs, 'bgr');
    const n = small.length;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += small[i];
    const bits = new Uint8Array(n);
    for (let i = 0; i < n; i++) bits[i] = small[i] * n > sum ? 1 : 0;
    return bits;
  };
  return {
    name: 'ahash',
    dtype: 'bool',
    distanceMetric: 'hamming',
    hashLength: hs * hs,
    defaultThreshold: 0.008, // perception's recommendation for hash_size=16
    compute,
    // perception derives the variants by transforming the hash's bit grid (_compute_isometric_from_hash),
    // not by re-hashing pixels; the two differ when the resize does not commute with the transform.
    computeIsometric(image) {
      const grid = { data: compute(image), width: hs, height: hs };
      const out = {} as Record<IsometricKey, HashVector | null>;
      for (const k of ISOMETRIC_KEYS) out[k] = transformGrid(grid, 1, k).data;
      return out;
    },
  };
}
