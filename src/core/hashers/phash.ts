/**
 * perception's PHash, PHashF and PHashU8 (hashers/image/phash.py), bit-exact with perception 0.9.2:
 * RGB2GRAY -> optional cv2.boxFilter -> INTER_AREA to n x n (n = hashSize * highfreqFactor) ->
 * scipy's unnormalised DCT-II -> low-frequency block D[fs:fs+hs, fs:fs+hs] -> flatten (drop the first
 * term if asked) -> bits d >= median / float32 values / min-max scaled uint8.
 */
import { expectBoolean, expectInt, invalidOption } from '../errors.js';
import { rgbToGray } from '../cv/gray.js';
import { boxFilter } from '../cv/boxFilter.js';
import { resizeArea, resizeAreaGray } from '../cv/resizeArea.js';
import { dct2Block } from '../cv/dct.js';
import { median, snapZeros } from '../kernels/cropViewBits.js';
import type { RgbImage } from '../cv/types.js';
import { ISOMETRIC_KEYS, type Hasher, type HashVector, type IsometricKey } from './types.js';

export interface PHashOptions {
  hashSize?: number; // DCT terms kept per axis (perception's default 8; the product default of 16 is applied by its caller)
  highfreqFactor?: number; // the image is resized to hashSize * highfreqFactor before the DCT
  excludeFirstTerm?: boolean; // drop the DC term from the vector
  freqShift?: number; // skip this many lowest frequencies on each axis
  boxFilter?: boolean; // mean filter before resizing (Zauner 2010)
}

interface Params {
  hs: number;
  n: number;
  eft: boolean;
  fs: number;
  box: boolean;
}

function params(opts: PHashOptions = {}): Params {
  const hs = expectInt('hashSize', opts.hashSize ?? 8, 2, 64);
  const hf = expectInt('highfreqFactor', opts.highfreqFactor ?? 4, 1, 64);
  const n = hs * hf;
  if (n > 1024) throw invalidOption('hashSize * highfreqFactor', 'at most 1024', n);
  const fs = expectInt('freqShift', opts.freqShift ?? 0, 0, n - hs);
  return { hs, n, eft: expectBoolean('excludeFirstTerm', opts.excludeFirstTerm ?? false), fs, box: expectBoolean('boxFilter', opts.boxFilter ?? false) };
}

/** Python's round(): half to even. */
function pyRound(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && (r & 1) !== 0 ? r - 1 : r;
}

/** The kept DCT block (hs x hs, row-major), with values that are zero in exact arithmetic snapped to 0 (kernels/cropViewBits.ts snapZeros). */
function dctBlock(p: Params, image: RgbImage): Float64Array {
  const { width: w, height: h, data } = image;
  if (p.box) {
    const g = rgbToGray(image).data;
    return smallDctBlock(p, resizeArea(boxFilter(g, w, h, pyRound((p.n * 7) / 32)), w, h, 1, p.n, p.n));
  }
  return smallDctBlock(p, resizeAreaGray(data, w, h, p.n, p.n, 'rgb'));
}

/** dctBlock from the n x n resized grey picture. */
function smallDctBlock(p: Params, small: Uint8Array): Float64Array {
  const block = dct2Block(small, p.n, p.fs, p.hs);
  snapZeros(block, small);
  return block;
}

/** Flattened values perception turns into a hash (row-major, minus the first term if excluded). */
function flatten(p: Params, block: Float64Array): Float64Array {
  return p.eft ? block.subarray(1) : block;
}

type ToHash = (d: Float64Array) => HashVector | null;

const toBits: ToHash = (d) => {
  const med = median(d);
  const out = new Uint8Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = d[i] >= med ? 1 : 0;
  return out;
};

const toFloat: ToHash = (d) => (allZero(d) ? null : Float32Array.from(d));

const toU8: ToHash = (d) => {
  if (allZero(d)) return null;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < d.length; i++) {
    if (d[i] < min) min = d[i];
    if (d[i] > max) max = d[i];
  }
  const out = new Uint8Array(d.length);
  const range = max - min;
  if (range === 0) return out; // perception would divide by zero here; all values equal carries no information
  // np.uint8(255 * (d - min) / (max - min)): float64, evaluated left to right, truncated toward zero.
  for (let i = 0; i < d.length; i++) out[i] = Math.trunc((255 * (d[i] - min)) / range);
  return out;
};

function allZero(d: Float64Array): boolean {
  for (let i = 0; i < d.length; i++) if (d[i] !== 0) return false;
  return true;
}

/**
 * perception's get_isometric_dct_transforms: flipping an image negates its odd frequencies along that
 * axis and a transpose swaps the axes, so all 8 dihedral variants follow from one DCT. The sign of a
 * kept term depends on its absolute frequency, i.e. on freqShift as well as the position in the block.
 */
export function isometricDctBlocks(block: Float64Array, hs: number, freqShift: number): Record<IsometricKey, Float64Array> {
  const sign = (i: number): number => ((i + freqShift) & 1 ? -1 : 1);
  const make = (f: (i: number, j: number) => number): Float64Array => {
    const out = new Float64Array(hs * hs);
    for (let i = 0; i < hs; i++) for (let j = 0; j < hs; j++) out[i * hs + j] = f(i, j);
    return out;
  };
  const b = (i: number, j: number): number => block[i * hs + j];
  return {
    r0: block,
    fv: make((i, j) => b(i, j) * sign(i)),
    fh: make((i, j) => b(i, j) * sign(j)),
    r180: make((i, j) => b(i, j) * sign(i) * sign(j)),
    r90: make((i, j) => b(j, i) * sign(i)),
    r90fv: make((i, j) => b(j, i)),
    r90fh: make((i, j) => b(j, i) * sign(i) * sign(j)),
    r270: make((i, j) => b(j, i) * sign(j)),
  };
}

function build(
  name: string,
  dtype: Hasher['dtype'],
  distanceMetric: Hasher['distanceMetric'],
  threshold: (p: Params) => number,
  toHash: ToHash,
  opts?: PHashOptions,
): Hasher {
  const p = params(opts);
  return {
    name,
    dtype,
    distanceMetric,
    hashLength: p.hs * p.hs - (p.eft ? 1 : 0),
    defaultThreshold: threshold(p),
    compute: (image) => toHash(flatten(p, dctBlock(p, image))),
    // Without the box filter PHash is a function of the area-resized grey picture alone.
    ...(p.box
      ? {}
      : {
          resizedGrey: {
            side: p.n,
            order: 'rgb' as const,
            finish: (small: Uint8Array) => toHash(flatten(p, smallDctBlock(p, small))),
            // Bits are the median test alone, which the crop views' kernel runs on all ten views in one call.
            ...(toHash === toBits ? { bits: { off: p.fs, size: p.hs, excludeFirst: p.eft } } : {}),
          },
        }),
    computeIsometric(image) {
      const blocks = isometricDctBlocks(dctBlock(p, image), p.hs, p.fs);
      const out = {} as Record<IsometricKey, HashVector | null>;
      for (const k of ISOMETRIC_KEYS) out[k] = toHash(flatten(p, blocks[k]));
      return out;
    },
  };
}

/** perception's recommended threshold for phash (hash_size=16): 0.2, used for every size. */
export function createPHash(opts?: PHashOptions): Hasher {
  return build('phash', 'bool', 'hamming', () => 0.2, toBits, opts);
}

/**
 * perception publishes no threshold for the float variant. Its values are raw DCT terms, which grow with
 * n^2; 50000 at n = 64 sits between the reference dedup set's duplicates (<= 2.1e4, photometric edits
 * aside) and its closest distinct pair (3.8e5).
 */
export function createPHashF(opts?: PHashOptions): Hasher {
  return build('phashf', 'float32', 'euclidean', (p) => 50000 * (p.n / 64) ** 2, toFloat, opts);
}

/** No published threshold either; 10 is the Euclidean threshold the reference dedup runs use for phashu8_16. */
export function createPHashU8(opts?: PHashOptions): Hasher {
  return build('phashu8', 'uint8', 'euclidean', () => 10, toU8, opts);
}
