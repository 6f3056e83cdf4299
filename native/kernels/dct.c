/*
 * The kept block of scipy's unnormalised 2-D DCT-II, the inner loops of src/core/kernels/dct.ts
 * (which explains the folding). Every output is the same sum as there, of the same products added in the
 * same order on IEEE doubles, without reassociation or fused multiply-add (-ffp-contract=off), so the
 * result is the JavaScript one bit for bit (the tests compare them). The loops run over the outputs in
 * the innermost position (all kept frequencies of a row at once, with the cosines transposed to match),
 * which the compiler turns into vector instructions without changing any output's order of additions:
 * about twice the speed of one dot product at a time, which counts when a crop-resistant scan takes eleven
 * DCTs per file.
 */
#include "dct.h"
#include "simd.h"

size_t dct2_rows_work_size(int n, int size);
size_t dct2_cols_work_size(int n, int size);

size_t dct2_work_size(int n, int size) {
  /* tmp (n x size), then the larger of the rows' work (transposed cosines h1 x size, folded row 2 x h1,
     accumulators size) and the columns' (folded columns 2 x h1 x size) */
  const size_t r = dct2_rows_work_size(n, size), c = dct2_cols_work_size(n, size);
  return (size_t)n * size + (r > c ? r : c);
}

/* acc[e] = sum_b v[b] * c[b * 8 + e], b ascending from 0, for e < 8. */
static void accumulate8(const double *restrict v, const double *restrict c, int len, double *restrict acc) {
  double a[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (int b = 0; b < len; b++)
    for (int e = 0; e < 8; e++) a[e] += v[b] * c[b * 8 + e];
  for (int e = 0; e < 8; e++) acc[e] = a[e];
}

/* The kept cosines split by parity and transposed (dct2_rows reads them so): h + odd rows of ne, then h rows of no. */
static void kept_cosines(int n, int off, int size, const double *cos_matrix, double *ct, int *ne_out, int *no_out) {
  const int h = n >> 1, odd = n & 1;
  const int first_even = off & 1; /* j of the first even k */
  const int ne = (size - first_even + 1) / 2, no = size - ne;
  double *ce = ct, *co = ct + (size_t)(h + odd) * ne;
  for (int e = 0; e < ne; e++)
    for (int b = 0; b < h + odd; b++) ce[(size_t)b * ne + e] = cos_matrix[(size_t)(off + first_even + 2 * e) * n + b];
  for (int o = 0; o < no; o++)
    for (int b = 0; b < h; b++) co[(size_t)b * no + o] = cos_matrix[(size_t)(off + (1 - first_even) + 2 * o) * n + b];
  *ne_out = ne;
  *no_out = no;
}

/*
 * accumulate8 of two rows' folded sums (u, v) and of their folded differences (p, q) at once: every output
 * the same sum in the same order, four independent chains of additions in flight instead of one at a time
 * (a row's 32 additions wait on each other; two rows' do not). dct2Block calls take 0.84x the time (median
 * of 30 interleaved rounds on random 64 x 64 pictures, the same outputs).
 */
static void accumulate8_two_rows(const double *restrict u, const double *restrict v, const double *restrict p, const double *restrict q,
                                 const double *restrict ce, const double *restrict co, int len, double *restrict ue, double *restrict ve,
                                 double *restrict uo, double *restrict vo) {
  double a[8] = {0, 0, 0, 0, 0, 0, 0, 0}, b[8] = {0, 0, 0, 0, 0, 0, 0, 0}, c[8] = {0, 0, 0, 0, 0, 0, 0, 0}, d[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (int k = 0; k < len; k++) {
    const double *restrict x = ce + k * 8, *restrict y = co + k * 8;
    for (int e = 0; e < 8; e++) {
      a[e] += u[k] * x[e];
      b[e] += v[k] * x[e];
      c[e] += p[k] * y[e];
      d[e] += q[k] * y[e];
    }
  }
  for (int e = 0; e < 8; e++) ue[e] = a[e], ve[e] = b[e], uo[e] = c[e], vo[e] = d[e];
}

/* Rows a side of at most this many pixels have their folds on the stack in dct2_rows' two-row loop. */
#define PAIRED_MAX_HALF 64

/*
 * Along axis 1, rows [from, to) of an n-wide picture whose row a starts at x + a * stride: tmp[a][j] =
 * sum_b fold(x[a])[b] * C[off + j][b], b ascending. Each row's outputs depend on that row alone, so views
 * that share rows (crop windows at one column offset, cropbits.c) can share them.
 */
MD_SIMD_CLONES void dct2_rows(const unsigned char *x, size_t stride, int from, int to, int n, int off, int size, const double *cos_matrix,
                              double *work, double *tmp) {
  const int h = n >> 1, odd = n & 1;
  const size_t h1 = (size_t)h + 1;
  double *ct = work; /* cosines of the kept even frequencies, then of the odd ones, transposed */
  double *sum = ct + h1 * size;
  double *dif = sum + h1;
  double *acc = dif + h1;
  const int first_even = off & 1;
  int ne, no;
  kept_cosines(n, off, size, cos_matrix, ct, &ne, &no);
  const double *ce = ct, *co = ct + (size_t)(h + odd) * ne;
  int a = from;
  if (ne == 8 && no == 8 && !odd && h <= PAIRED_MAX_HALF) /* phash16's block on an even side: two rows at a time */
    for (; a + 1 < to; a += 2) {
      const unsigned char *xr = x + (size_t)a * stride, *xs = xr + stride;
      double fu[PAIRED_MAX_HALF], fv[PAIRED_MAX_HALF], fp[PAIRED_MAX_HALF], fq[PAIRED_MAX_HALF];
      for (int b = 0; b < h; b++) {
        const double u = xr[b], v = xr[n - 1 - b], u2 = xs[b], v2 = xs[n - 1 - b];
        fu[b] = u + v;
        fp[b] = u - v;
        fv[b] = u2 + v2;
        fq[b] = u2 - v2;
      }
      double *t = tmp + (size_t)a * size, *t2 = t + size;
      double ae[8], be[8], ao[8], bo[8];
      accumulate8_two_rows(fu, fv, fp, fq, ce, co, h, ae, be, ao, bo);
      for (int e = 0; e < 8; e++) {
        t[first_even + 2 * e] = ae[e];
        t2[first_even + 2 * e] = be[e];
        t[1 - first_even + 2 * e] = ao[e];
        t2[1 - first_even + 2 * e] = bo[e];
      }
    }
  for (; a < to; a++) {
    const unsigned char *xr = x + (size_t)a * stride;
    for (int b = 0; b < h; b++) {
      const double u = xr[b], v = xr[n - 1 - b];
      sum[b] = u + v;
      dif[b] = u - v;
    }
    if (odd) sum[h] = xr[h];
    double *restrict ae = acc, *restrict ao = acc + ne;
    if (ne == 8 && no == 8) { /* phash16's block: eight of each, the accumulators held in registers */
      accumulate8(sum, ce, h + odd, ae);
      accumulate8(dif, co, h, ao);
    } else {
      for (int e = 0; e < ne; e++) ae[e] = 0;
      for (int o = 0; o < no; o++) ao[o] = 0;
      for (int b = 0; b < h + odd; b++) {
        const double s = sum[b];
        const double *restrict c = ce + (size_t)b * ne;
        for (int e = 0; e < ne; e++) ae[e] += s * c[e];
      }
      for (int b = 0; b < h; b++) {
        const double d = dif[b];
        const double *restrict c = co + (size_t)b * no;
        for (int o = 0; o < no; o++) ao[o] += d * c[o];
      }
    }
    double *t = tmp + (size_t)a * size;
    for (int e = 0; e < ne; e++) t[first_even + 2 * e] = ae[e];
    for (int o = 0; o < no; o++) t[1 - first_even + 2 * o] = ao[o];
  }
}

/* Along axis 0, from n rows of dct2_rows' output: out[i][j] = sum_a C[off + i][a] * fold(tmp[.][j])[a], a ascending. */
MD_SIMD_CLONES void dct2_cols(const double *tmp, int n, int off, int size, const double *cos_matrix, double *work, double *out) {
  const int h = n >> 1, odd = n & 1;
  const size_t h1 = (size_t)h + 1;
  double *fsum = work;               /* fsum[a * size + j]: tmp[a][j] + tmp[n-1-a][j] (tmp[h][j] for the middle of an odd n) */
  double *fdif = fsum + h1 * size;   /* fdif[a * size + j]: tmp[a][j] - tmp[n-1-a][j] */
  for (int a = 0; a < h; a++) {
    const double *u = tmp + (size_t)a * size, *v = tmp + (size_t)(n - 1 - a) * size;
    for (int j = 0; j < size; j++) {
      fsum[(size_t)a * size + j] = u[j] + v[j];
      fdif[(size_t)a * size + j] = u[j] - v[j];
    }
  }
  if (odd)
    for (int j = 0; j < size; j++) fsum[(size_t)h * size + j] = tmp[(size_t)h * size + j];
  for (int i = 0; i < size; i++) {
    const int k = off + i;
    const double *f = k & 1 ? fdif : fsum;
    const int len = k & 1 ? h : h + odd;
    const double *c = cos_matrix + (size_t)k * n;
    double *restrict o = out + (size_t)i * size;
    for (int j = 0; j < size; j++) o[j] = 0;
    for (int a = 0; a < len; a++) {
      const double ca = c[a];
      const double *restrict fa = f + (size_t)a * size;
      for (int j = 0; j < size; j++) o[j] += fa[j] * ca;
    }
  }
}

size_t dct2_rows_work_size(int n, int size) { return ((size_t)n / 2 + 1) * (size + 2) + size; }
size_t dct2_cols_work_size(int n, int size) { return 2 * ((size_t)n / 2 + 1) * size; }

void dct2_block(const unsigned char *x, int n, int off, int size, const double *cos_matrix, double *work, double *out) {
  double *tmp = work;
  double *rest = tmp + (size_t)n * size;
  dct2_rows(x, n, 0, n, n, off, size, cos_matrix, rest, tmp);
  dct2_cols(tmp, n, off, size, cos_matrix, rest, out);
}
