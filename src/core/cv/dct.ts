/**
 * scipy.fftpack.dct(scipy.fftpack.dct(x, axis=1), axis=0): the unnormalised type-II DCT,
 * X_k = 2 * sum_j x_j cos(pi k (2j + 1) / 2n), of a square float64 matrix, rows first, then columns.
 *
 * PHash keeps only a small low-frequency block, so we compute exactly that block as C_b · X · C_b^T
 * (C_b = the block's rows of the cosine matrix). scipy uses an FFT, so the floats differ from ours in the
 * last bits; what perception compares (signs against the median, min/max scaling) comes out identical on
 * every reference image, which the golden tests check.
 */

import { nativeDecoder } from '../image/nativeDecoder.js';

const tables = new Map<number, Float64Array>();

/** n x n cosine matrix, row k = frequency k, including the factor 2 of scipy's unnormalised DCT. Cached per n. */
export function dctMatrix(n: number): Float64Array {
  let c = tables.get(n);
  if (!c) {
    c = new Float64Array(n * n);
    for (let k = 0; k < n; k++) {
      for (let j = 0; j < n; j++) c[k * n + j] = 2 * Math.cos((Math.PI * k * (2 * j + 1)) / (2 * n));
    }
    tables.set(n, c);
  }
  return c;
}

/**
 * The block D[off .. off+size, off .. off+size] of the 2-D DCT of the n x n matrix x (row-major),
 * rows = vertical frequency, columns = horizontal frequency, returned row-major (size x size).
 *
 * Cosine rows are symmetric (k even) or antisymmetric (k odd) about the middle, so each 1-D transform
 * first folds its input into sums and differences of mirrored samples and then needs half the products.
 * For the integer pixels of the first pass the fold is exact, and mirror-symmetric content gives exact
 * zeros, as scipy's FFT does.
 */
export function dct2Block(x: ArrayLike<number>, n: number, off: number, size: number): Float64Array {
  if (off < 0 || size < 1 || off + size > n) throw new RangeError(`dct2Block: block ${off}+${size} outside ${n}`);
  if (x.length < n * n) throw new RangeError(`dct2Block: input has ${x.length} values, expected ${n * n}`);
  // The native addon runs these same loops on the same doubles (native/decode/dct.c), ~5x faster.
  const native = x instanceof Uint8Array ? nativeDecoder() : undefined;
  if (native) {
    const out = new Float64Array(size * size);
    native.dct2Block(x as Uint8Array, n, off, size, dctMatrix(n), out);
    return out;
  }
  return dct2BlockJs(x, n, off, size);
}

/** dct2Block in JavaScript: the definition, and what runs when the addon is not built. */
export function dct2BlockJs(x: ArrayLike<number>, n: number, off: number, size: number): Float64Array {
  const c = dctMatrix(n);
  const h = n >> 1;
  const odd = n & 1; // an odd n leaves a middle sample, whose cosine is 0 for odd k and +-2 for even k
  const sum = new Float64Array(h + odd);
  const dif = new Float64Array(h);
  // Along axis 1 first (as perception calls scipy): tmp[a][j] = sum_b x[a][b] * C[off + j][b].
  const tmp = new Float64Array(n * size);
  for (let a = 0; a < n; a++) {
    const xr = a * n;
    for (let b = 0; b < h; b++) {
      const u = x[xr + b];
      const v = x[xr + n - 1 - b];
      sum[b] = u + v;
      dif[b] = u - v;
    }
    if (odd) sum[h] = x[xr + h];
    for (let j = 0; j < size; j++) tmp[a * size + j] = foldedDot(c, (off + j) * n, (off + j) & 1 ? dif : sum, (off + j) & 1 ? h : h + odd);
  }
  // Then along axis 0: out[i][j] = sum_a C[off + i][a] * tmp[a][j].
  const out = new Float64Array(size * size);
  for (let j = 0; j < size; j++) {
    for (let a = 0; a < h; a++) {
      const u = tmp[a * size + j];
      const v = tmp[(n - 1 - a) * size + j];
      sum[a] = u + v;
      dif[a] = u - v;
    }
    if (odd) sum[h] = tmp[h * size + j];
    for (let i = 0; i < size; i++) out[i * size + j] = foldedDot(c, (off + i) * n, (off + i) & 1 ? dif : sum, (off + i) & 1 ? h : h + odd);
  }
  return out;
}

function foldedDot(c: Float64Array, row: number, v: Float64Array, len: number): number {
  let s = 0;
  for (let b = 0; b < len; b++) s += v[b] * c[row + b];
  return s;
}

/** The full n x n DCT (the block with off = 0, size = n). */
export function dct2(x: ArrayLike<number>, n: number): Float64Array {
  return dct2Block(x, n, 0, n);
}
