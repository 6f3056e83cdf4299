/*
 * The kept block of scipy's unnormalised 2-D DCT-II, the inner loops of src/core/kernels/dct.ts
 * (which explains the folding). Same operations in the same order on IEEE doubles,
 * without reassociation or fused multiply-add (-ffp-contract=off), so the result is the JavaScript one
 * bit for bit (the tests compare them); about 5x faster.
 */
#include <stddef.h>
#include "dct.h"

static double folded_dot(const double *c, const double *v, int len) {
  double s = 0;
  for (int b = 0; b < len; b++) s += v[b] * c[b];
  return s;
}

void dct2_block(const unsigned char *x, int n, int off, int size, const double *cos_matrix, double *tmp, double *sum, double *dif, double *out) {
  const int h = n >> 1, odd = n & 1;
  for (int a = 0; a < n; a++) {
    const unsigned char *xr = x + (size_t)a * n;
    for (int b = 0; b < h; b++) {
      const double u = xr[b], v = xr[n - 1 - b];
      sum[b] = u + v;
      dif[b] = u - v;
    }
    if (odd) sum[h] = xr[h];
    for (int j = 0; j < size; j++) {
      const int k = off + j;
      tmp[a * size + j] = folded_dot(cos_matrix + (size_t)k * n, k & 1 ? dif : sum, k & 1 ? h : h + odd);
    }
  }
  for (int j = 0; j < size; j++) {
    for (int a = 0; a < h; a++) {
      const double u = tmp[a * size + j], v = tmp[(n - 1 - a) * size + j];
      sum[a] = u + v;
      dif[a] = u - v;
    }
    if (odd) sum[h] = tmp[h * size + j];
    for (int i = 0; i < size; i++) {
      const int k = off + i;
      out[i * size + j] = folded_dot(cos_matrix + (size_t)k * n, k & 1 ? dif : sum, k & 1 ? h : h + odd);
    }
  }
}
