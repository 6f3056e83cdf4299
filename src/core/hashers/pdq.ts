/**
 * PDQ as perception computes it through pdqhash-python: float32 luma from float64
 * R*0.299 + G*0.587 + B*0.114 over the full image, then ThreatExchange's pdqHash256FromFloatLuma
 * (two Jarosz box passes, 64x64 centre decimation, 16x16 float32 DCT, Torben median). Every
 * float32 operation is rounded where the C++ rounds it, so hashes are bit-exact.
 */
import { jaroszDownsample, jaroszWindowSize } from '../cv/jarosz.js';
import { torbenMedian } from '../cv/torben.js';
import type { RgbImage } from '../cv/types.js';
import { ISOMETRIC_KEYS, type HashVector, type Hasher, type IsometricKey } from './types.js';

const f32 = Math.fround;
const MIN_HASHABLE_DIM = 5;
const JAROSZ_PASSES = 2;

/** Rows 1..16 of the 64-point DCT-II basis, float32 (scale computed as float, product rounded from double). */
const DCT_64: Float32Array = (() => {
  const scale = f32(Math.sqrt(2 / 64));
  const m = new Float32Array(16 * 64);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) m[i * 64 + j] = scale * Math.cos((Math.PI / 2 / 64) * (i + 1) * (2 * j + 1));
  }
  return m;
})();

export interface PdqResult<T extends HashVector> {
  readonly hash: T;
  readonly quality: number; // PDQ's own 0..100 gradient quality of the 64x64 downsample
}

export function createPDQ(): Hasher {
  return {
    name: 'pdq',
    dtype: 'bool',
    distanceMetric: 'hamming',
    hashLength: 256,
    defaultThreshold: 0.2,
    compute: (image) => pdqHashWithQuality(image).hash,
    computeIsometric: (image) => pdqDihedral(image),
  };
}

/**
 * perception's PDQHashF: the 256 float32 DCT coefficients, Euclidean distance. perception publishes
 * no threshold for it; 500 is our choice: on the reference dedup set it makes the same decisions
 * as pdq at 0.2 (duplicates 0-436 apart, the closest different images 1498).
 */
export const PDQF_DEFAULT_THRESHOLD = 500;

export function createPDQF(): Hasher {
  return {
    name: 'pdqf',
    dtype: 'float32',
    distanceMetric: 'euclidean',
    hashLength: 256,
    defaultThreshold: PDQF_DEFAULT_THRESHOLD,
    compute: (image) => pdqFloatWithQuality(image).hash,
  };
}

/** pdqhash.compute: bits in perception's order, plus PDQ's quality. */
export function pdqHashWithQuality(image: RgbImage): PdqResult<Uint8Array> {
  if (image.width < MIN_HASHABLE_DIM || image.height < MIN_HASHABLE_DIM) return { hash: new Uint8Array(256), quality: 0 };
  const { dct, quality } = pdqDct(image, true);
  return { hash: dctToBits(dct), quality };
}

/** pdqhash.compute_float: the DCT in perception's order (reversed row-major). No size floor, as upstream. */
export function pdqFloatWithQuality(image: RgbImage): PdqResult<Float32Array> {
  const { dct, quality } = pdqDct(image, true);
  const out = new Float32Array(256);
  for (let m = 0; m < 256; m++) out[m] = dct[255 - m];
  return { hash: out, quality };
}

function pdqDct(image: RgbImage, copy64: boolean): { dct: Float32Array; quality: number } {
  const { width: cols, height: rows, data } = image;
  const n = rows * cols;
  const luma = new Float32Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 3) luma[i] = data[j] * 0.299 + data[j + 1] * 0.587 + data[j + 2] * 0.114;
  const buf64 = new Float32Array(64 * 64);
  if (copy64 && rows === 64 && cols === 64) {
    buf64.set(luma); // already 64x64 (e.g. video frames): no blur, as upstream
  } else {
    const scratch = new Float32Array(n);
    const wRows = jaroszWindowSize(cols, 64);
    const wCols = jaroszWindowSize(rows, 64);
    jaroszDownsample(luma, scratch, rows, cols, wRows, wCols, JAROSZ_PASSES, buf64, 64, 64);
  }
  return { dct: dct64To16(buf64), quality: imageDomainQuality(buf64) };
}

/** B = D A D^T with float32 accumulation in the reference's k order. */
function dct64To16(a: Float32Array): Float32Array {
  const t = new Float32Array(16 * 64);
  const acc = new Float32Array(64);
  for (let i = 0; i < 16; i++) {
    acc.fill(0);
    const d = i * 64;
    for (let k = 0; k < 64; k++) {
      const dk = DCT_64[d + k];
      const row = k * 64;
      for (let j = 0; j < 64; j++) acc[j] += f32(dk * a[row + j]);
    }
    t.set(acc, i * 64);
  }
  const b = new Float32Array(256);
  const s = new Float32Array(1);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      s[0] = 0;
      for (let k = 0; k < 64; k++) s[0] += f32(t[i * 64 + k] * DCT_64[j * 64 + k]);
      b[i * 16 + j] = s[0];
    }
  }
  return b;
}

/** pdqImageDomainQualityMetric: quantised gradient count on the 64x64 downsample. */
function imageDomainQuality(b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < 63; i++) {
    for (let j = 0; j < 64; j++) sum += Math.abs(Math.trunc(f32(f32(f32(b[i * 64 + j] - b[(i + 1) * 64 + j]) * 100) / 255)));
  }
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 63; j++) sum += Math.abs(Math.trunc(f32(f32(f32(b[i * 64 + j] - b[i * 64 + j + 1]) * 100) / 255)));
  }
  return Math.min(Math.trunc(sum / 90), 100);
}

/**
 * Bit k = i*16 + j is set when B[i][j] > median; pdqhash-python's hash_to_vector reverses the
 * bit order, so vector index 255 - k holds bit k (its hex equals Facebook's canonical hex).
 */
function dctToBits(b: Float32Array): Uint8Array {
  const median = torbenMedian(b, 256);
  const bits = new Uint8Array(256);
  for (let k = 0; k < 256; k++) if (b[k] > median) bits[255 - k] = 1;
  return bits;
}

// ---------------------------------------------------------------- dihedral variants

type DctTransform = (a: Float32Array, out: Float32Array) => void;

/** ThreatExchange's dct16OriginalTo*: sign flips and transposes of the DCT equal the pixel transforms. */
function signTransform(transpose: boolean, negate: (i: number, j: number) => boolean): DctTransform {
  return (a, out) => {
    for (let i = 0; i < 16; i++) {
      for (let j = 0; j < 16; j++) {
        const v = negate(i, j) ? -a[i * 16 + j] : a[i * 16 + j];
        out[transpose ? j * 16 + i : i * 16 + j] = v;
      }
    }
  };
}

/** perception's names for pdqhash.compute_dihedral's outputs. */
const DIHEDRAL: Record<IsometricKey, DctTransform> = {
  r0: signTransform(false, () => false),
  r90: signTransform(true, (_i, j) => (j & 1) === 0),
  r180: signTransform(false, (i, j) => ((i + j) & 1) === 1),
  r270: signTransform(true, (i) => (i & 1) === 0),
  fv: signTransform(false, (i) => (i & 1) === 0), // FlipX
  fh: signTransform(false, (_i, j) => (j & 1) === 0), // FlipY
  r90fv: signTransform(true, () => false), // FlipPlus1
  r90fh: signTransform(true, (i, j) => ((i + j) & 1) === 1), // FlipMinus1
};

/** pdqhash.compute_dihedral (always blurs, even a 64x64 input, as upstream). */
function pdqDihedral(image: RgbImage): Record<IsometricKey, HashVector | null> {
  const out = {} as Record<IsometricKey, HashVector | null>;
  if (image.width < MIN_HASHABLE_DIM || image.height < MIN_HASHABLE_DIM) {
    for (const k of ISOMETRIC_KEYS) out[k] = new Uint8Array(256);
    return out;
  }
  const { dct } = pdqDct(image, false);
  const tmp = new Float32Array(256);
  for (const k of ISOMETRIC_KEYS) {
    DIHEDRAL[k](dct, tmp);
    out[k] = dctToBits(tmp);
  }
  return out;
}
