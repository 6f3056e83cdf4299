/**
 * The 8 dihedral variants of an image, as perception's tools.get_isometric_transforms defines them
 * (numpy on an H x W x C array; T = transpose of the first two axes):
 *   r0 = a, fv = a[::-1], fh = a[:, ::-1], r180 = a[::-1, ::-1],
 *   r90 = T[::-1], r90fv = T, r90fh = T[::-1, ::-1], r270 = T[:, ::-1].
 * Note that perception's "r90" is a counter-clockwise quarter turn.
 */
import type { RgbImage } from '../cv/types.js';
import { ISOMETRIC_KEYS, type Hasher, type HashVector, type IsometricKey } from './types.js';

export interface Grid {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** One dihedral transform of an interleaved grid with `channels` samples per pixel. */
export function transformGrid(g: Grid, channels: number, key: IsometricKey): Grid {
  const { data, width: w, height: h } = g;
  if (key === 'r0') return { data: data.slice(0, w * h * channels), width: w, height: h };
  const swap = key === 'r90' || key === 'r90fv' || key === 'r90fh' || key === 'r270';
  const ow = swap ? h : w;
  const oh = swap ? w : h;
  const out = new Uint8Array(ow * oh * channels);
  // Output row y reads source pixels base(y) + x * step (in pixels).
  let base: (y: number) => number;
  let step: number;
  switch (key) {
    case 'fv':
      base = (y) => (h - 1 - y) * w;
      step = 1;
      break;
    case 'fh':
      base = (y) => y * w + w - 1;
      step = -1;
      break;
    case 'r180':
      base = (y) => (h - 1 - y) * w + w - 1;
      step = -1;
      break;
    case 'r90':
      base = (y) => w - 1 - y;
      step = w;
      break;
    case 'r90fv':
      base = (y) => y;
      step = w;
      break;
    case 'r90fh':
      base = (y) => (h - 1) * w + w - 1 - y;
      step = -w;
      break;
    case 'r270':
      base = (y) => (h - 1) * w + y;
      step = -w;
      break;
  }
  const st = step * channels;
  for (let y = 0, o = 0; y < oh; y++) {
    let p = base(y) * channels;
    if (channels === 3) {
      for (let x = 0; x < ow; x++, p += st, o += 3) {
        out[o] = data[p];
        out[o + 1] = data[p + 1];
        out[o + 2] = data[p + 2];
      }
    } else {
      for (let x = 0; x < ow; x++, p += st) for (let c = 0; c < channels; c++) out[o++] = data[p + c];
    }
  }
  return { data: out, width: ow, height: oh };
}

export function isometricTransform(image: RgbImage, key: IsometricKey): RgbImage {
  return transformGrid(image, 3, key);
}

/** All 8 variants of an image, in perception's order. */
export function isometricTransforms(image: RgbImage): Record<IsometricKey, RgbImage> {
  const out = {} as Record<IsometricKey, RgbImage>;
  for (const k of ISOMETRIC_KEYS) out[k] = k === 'r0' ? image : isometricTransform(image, k);
  return out;
}

/**
 * perception's compute_isometric: the hasher's own shortcut when it has one (PHash from DCT signs,
 * AverageHash from its bit grid), otherwise the hash of every transformed image.
 */
export function computeIsometricHashes(hasher: Hasher, image: RgbImage): Record<IsometricKey, HashVector | null> {
  if (hasher.computeIsometric) return hasher.computeIsometric(image);
  const out = {} as Record<IsometricKey, HashVector | null>;
  for (const k of ISOMETRIC_KEYS) out[k] = hasher.compute(k === 'r0' ? image : isometricTransform(image, k));
  return out;
}
