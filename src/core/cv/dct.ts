/**
 * scipy.fftpack.dct(scipy.fftpack.dct(x, axis=1), axis=0): the unnormalised type-II DCT,
 * X_k = 2 * sum_j x_j cos(pi k (2j + 1) / 2n), of a square matrix of bytes, rows first, then columns.
 *
 * PHash keeps only a small low-frequency block, so we compute exactly that block as C_b · X · C_b^T
 * (C_b = the block's rows of the cosine matrix), in the kernel kernels/dct.ts. scipy uses an FFT, so the
 * floats differ from ours in the last bits; what perception compares (signs against the median, min/max
 * scaling) comes out identical on every reference image, which the golden tests check.
 */
import { dctMatrix } from '../kernels/dct.js';
import { kernel, KERNELS } from '../kernels/kernels.js';

/**
 * The block D[off .. off+size, off .. off+size] of the 2-D DCT of the n x n matrix x (row-major),
 * rows = vertical frequency, columns = horizontal frequency, returned row-major (size x size).
 */
export function dct2Block(x: Uint8Array, n: number, off: number, size: number): Float64Array {
  if (off < 0 || size < 1 || off + size > n) throw new RangeError(`dct2Block: block ${off}+${size} outside ${n}`);
  if (x.length < n * n) throw new RangeError(`dct2Block: input has ${x.length} values, expected ${n * n}`);
  const out = new Float64Array(size * size);
  kernel(KERNELS.dct2Block)(x, n, off, size, dctMatrix(n), out);
  return out;
}
