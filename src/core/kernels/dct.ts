/**
 * The kept block of scipy's unnormalised 2-D DCT-II of an n x n byte matrix (cv/dct.ts dct2Block says
 * what it computes and checks the arguments; native/kernels/dct.c runs the same loops on the same doubles).
 *
 * Cosine rows are symmetric (k even) or antisymmetric (k odd) about the middle, so each 1-D transform
 * first folds its input into sums and differences of mirrored samples and then needs half the products.
 * For the integer pixels of the first pass the fold is exact, and mirror-symmetric content gives exact
 * zeros, as scipy's FFT does.
 */

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

/** out[i * size + j] = D[off + i][off + j], D = C · x · Cᵀ, with `cos` the n x n matrix C = dctMatrix(n). */
export type Dct2BlockKernel = (x: Uint8Array, n: number, off: number, size: number, cos: Float64Array, out: Float64Array) => void;

export const dct2BlockJs: Dct2BlockKernel = (x, n, off, size, c, out) => {
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
};

function foldedDot(c: Float64Array, row: number, v: Float64Array, len: number): number {
  let s = 0;
  for (let b = 0; b < len; b++) s += v[b] * c[row + b];
  return s;
}
