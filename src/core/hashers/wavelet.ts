/**
 * perception's WaveletHash (mode "haar", image_scale None): BGR2GRAY on RGB, INTER_AREA to scale x scale
 * (scale = max(2^floor(log2(min(h, w))), hashSize)), /255 in float32, full Haar decomposition with the
 * LL band zeroed and reconstructed, then log2(scale / hashSize) Haar levels keeping LL; bit = LL > median.
 *
 * Everything runs in float32 with pywt's operation order: the LL-free reconstruction is not exactly the
 * integer block structure one might expect, and on several reference images only the float32 path
 * reproduces perception's bits.
 */
import { expectInt, invalidOption } from '../errors.js';
import { resizeAreaGray } from '../cv/resizeArea.js';
import type { Hasher } from './types.js';

const fround = Math.fround;
const C = fround(0.7071067811865476); // pywt's Haar filter taps, as float32

export interface WaveletHashOptions {
  hashSize?: number;
}

/** A float32 matrix, row-major. */
interface Mat {
  d: Float32Array;
  rows: number;
  cols: number;
}

/** One pywt dwt along the rows axis (pairs of rows): a = c*x1 + c*x0, d = (-c)*x1 + c*x0. */
function dwtRows(x: Mat): [Mat, Mat] {
  const { rows, cols } = x;
  const h = rows >> 1;
  const a = new Float32Array(h * cols);
  const d = new Float32Array(h * cols);
  for (let i = 0; i < h; i++) {
    const r0 = 2 * i * cols;
    const r1 = r0 + cols;
    for (let c = 0; c < cols; c++) {
      const p0 = fround(C * x.d[r0 + c]);
      const p1 = fround(C * x.d[r1 + c]);
      a[i * cols + c] = p1 + p0; // stored into float32: the sum is rounded once, as in pywt
      d[i * cols + c] = -p1 + p0;
    }
  }
  return [
    { d: a, rows: h, cols },
    { d, rows: h, cols },
  ];
}

/** The same along the columns axis (pairs of columns). */
function dwtCols(x: Mat): [Mat, Mat] {
  const { rows, cols } = x;
  const w = cols >> 1;
  const a = new Float32Array(rows * w);
  const d = new Float32Array(rows * w);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < w; j++) {
      const p0 = fround(C * x.d[o + 2 * j]);
      const p1 = fround(C * x.d[o + 2 * j + 1]);
      a[r * w + j] = p1 + p0;
      d[r * w + j] = -p1 + p0;
    }
  }
  return [
    { d: a, rows, cols: w },
    { d, rows, cols: w },
  ];
}

/** pywt idwt along rows: out[2i] = c*a + c*d, out[2i+1] = c*a + (-c)*d. */
function idwtRows(a: Mat, d: Mat): Mat {
  const { rows, cols } = a;
  const out = new Float32Array(2 * rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < cols; c++) {
      const ca = fround(C * a.d[i * cols + c]);
      const cd = fround(C * d.d[i * cols + c]);
      out[2 * i * cols + c] = ca + cd;
      out[(2 * i + 1) * cols + c] = ca - cd;
    }
  }
  return { d: out, rows: 2 * rows, cols };
}

function idwtCols(a: Mat, d: Mat): Mat {
  const { rows, cols } = a;
  const w = 2 * cols;
  const out = new Float32Array(rows * w);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      const ca = fround(C * a.d[r * cols + j]);
      const cd = fround(C * d.d[r * cols + j]);
      out[r * w + 2 * j] = ca + cd;
      out[r * w + 2 * j + 1] = ca - cd;
    }
  }
  return { d: out, rows, cols: w };
}

/** pywt.dwt2: axis -2 first, then -1. Details in pywt's order (cH = da, cV = ad, cD = dd). */
function dwt2(x: Mat): { aa: Mat; da: Mat; ad: Mat; dd: Mat } {
  const [a, d] = dwtRows(x);
  const [aa, ad] = dwtCols(a);
  const [da, dd] = dwtCols(d);
  return { aa, da, ad, dd };
}

/** pywt.idwt2: the reverse axis order, -1 first, then -2. */
function idwt2(aa: Mat, da: Mat, ad: Mat, dd: Mat): Mat {
  const a = idwtCols(aa, ad);
  const d = idwtCols(da, dd);
  return idwtRows(a, d);
}

function log2Int(v: number): number {
  let k = 0;
  while (2 ** (k + 1) <= v) k++;
  return k;
}

/** np.median on float32: the mean of the two middle values is computed in float32. */
function medianF32(v: Float32Array): number {
  const s = Float32Array.from(v).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : fround(fround(s[m - 1] + s[m]) / 2);
}

export function createWaveletHash(opts: WaveletHashOptions = {}): Hasher {
  const hs = expectInt('hashSize', opts.hashSize ?? 8, 2, 256);
  if ((hs & (hs - 1)) !== 0) throw invalidOption('hashSize', 'a power of 2', hs);
  const hsLevel = log2Int(hs);
  return {
    name: 'wavelet',
    dtype: 'bool',
    distanceMetric: 'hamming',
    hashLength: hs * hs,
    defaultThreshold: 0.02, // perception's recommendation for hash_size=16
    compute(image) {
      const scale = Math.max(2 ** log2Int(Math.min(image.width, image.height)), hs);
      const small = resizeAreaGray(image.data, image.width, image.height, scale, scale, 'bgr');
      const img = new Float32Array(small.length);
      for (let i = 0; i < small.length; i++) img[i] = small[i] / 255; // float32 division, one rounding
      const levels = log2Int(scale);

      // wavedec2(level=levels), LL *= 0, waverec2.
      const details: { da: Mat; ad: Mat; dd: Mat }[] = [];
      let a: Mat = { d: img, rows: scale, cols: scale };
      for (let l = 0; l < levels; l++) {
        const r = dwt2(a);
        details.push(r);
        a = r.aa;
      }
      a = { d: new Float32Array(a.d.length), rows: a.rows, cols: a.cols };
      for (let l = details.length - 1; l >= 0; l--) {
        const { da, ad, dd } = details[l];
        a = idwt2(a, da, ad, dd);
      }

      // wavedec2(level=levels - log2(hashSize)), keep the approximation.
      for (let l = 0; l < levels - hsLevel; l++) a = dwt2(a).aa;

      const med = medianF32(a.d);
      const bits = new Uint8Array(a.d.length);
      for (let i = 0; i < a.d.length; i++) bits[i] = a.d[i] > med ? 1 : 0;
      return bits;
    },
  };
}
