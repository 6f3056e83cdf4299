/*
 * The crop-resistant views' PHash bits from one grey grid, the C twin of src/core/kernels/cropViewBits.ts
 * (which explains the views): the same operations on the same doubles in the same order, compiled without
 * fused multiply-add, so the bits are the JavaScript ones (the tests compare them). One call per file for
 * all ten views: no round trips, no allocations but one work area.
 */
#include <math.h>
#include "blockgrid.h"
#include "cropbits.h"
#include "dct.h"

static size_t area_work(int cells, int side) {
  /* rows (cells x side), then for each axis first (side, stored as doubles) and weights (side x cells at most) */
  return (size_t)cells * side + 2 * ((size_t)side + (size_t)side * cells);
}

/* Rows of the halved grid at one phase: (cells - phase) / 2, at most this. */
static size_t half_cells(int cells) { return (size_t)cells / 2; }

size_t crop_view_bits_work_size(int cells, int side, int size, int nwin) {
  size_t a = area_work(cells, side);
  const size_t hc = half_cells(cells);
  /* the DCT's work, its block and the median's copy; then the windows' shared rows: per window (at most one
     group each) hc rows of size doubles and hc flags, and the four halved grids (bytes, rounded up to doubles) */
  return a + dct2_work_size(side, size) + 2 * (size_t)size * size + (size_t)nwin * hc * ((size_t)size + 1) + (4 * hc * hc + 7) / 8;
}

/* kernels/cropViewBits.ts halve: the 2 side x 2 side square at (x, y) by 2 x 2 rounded means. */
static void halve(const unsigned char *g, int cells, int x, int y, int side, unsigned char *out) {
  for (int j = 0, o = 0; j < side; j++) {
    const unsigned char *p = g + (size_t)(y + 2 * j) * cells + x;
    for (int i = 0; i < side; i++, p += 2) out[o++] = (unsigned char)((p[0] + p[1] + p[cells] + p[cells + 1] + 2) >> 2);
  }
}

static double dmin(double a, double b) { return a < b ? a : b; }
static double dmax(double a, double b) { return a > b ? a : b; }

/* kernels/cropViewBits.ts shares: first cells (as doubles, exact integers) and weights; returns taps. */
static int shares(double from, double to, int side, int cells, double *first, double *weight) {
  const double step = (to - from) / side;
  const double t = ceil(step) + 1;
  const int taps = t < cells ? (int)t : cells;
  for (int i = 0; i < side; i++) {
    const double a = from + i * step;
    const double b = a + step;
    const double f = dmax(0, dmin(floor(a), (double)(cells - taps)));
    first[i] = f;
    double c = f;
    for (int k = 0; k < taps; k++, c++) weight[(size_t)i * taps + k] = dmax(0, dmin(b, c + 1) - dmax(a, c)) / step;
  }
  return taps;
}

/* JavaScript's Math.round of a non-negative double: the nearest integer, halves up. */
static double js_round(double v) {
  double r = floor(v);
  return v - r >= 0.5 ? r + 1 : r;
}

/* kernels/cropViewBits.ts areaOfGrid. */
static void area_of_grid(const unsigned char *g, int cells, const double *box, int side, double *work, unsigned char *out) {
  double *rows = work;
  double *xf = rows + (size_t)cells * side, *xw = xf + side;
  double *yf = xw + (size_t)side * cells, *yw = yf + side;
  const int xt = shares(box[0], box[2], side, cells, xf, xw);
  const int yt = shares(box[1], box[3], side, cells, yf, yw);
  const int r0 = (int)yf[0];
  const int r1 = (int)yf[side - 1] + yt < cells ? (int)yf[side - 1] + yt : cells;
  for (int r = r0; r < r1; r++) {
    const unsigned char *row = g + (size_t)r * cells;
    for (int i = 0; i < side; i++) {
      double v = 0;
      const unsigned char *c = row + (int)xf[i];
      const double *w = xw + (size_t)i * xt;
      for (int k = 0; k < xt; k++) v += c[k] * w[k];
      rows[(size_t)r * side + i] = v;
    }
  }
  for (int j = 0; j < side; j++) {
    const int r = (int)yf[j];
    const double *w = yw + (size_t)j * yt;
    for (int i = 0; i < side; i++) {
      double v = 0;
      for (int k = 0; k < yt; k++) v += rows[(size_t)(r + k) * side + i] * w[k];
      const double q = js_round(v);
      out[(size_t)j * side + i] = (unsigned char)(q < 255 ? q : 255);
    }
  }
}

/* PHash's finish (kernels/cropViewBits.ts) of a DCT block, given the sum of its picture's bytes: exact zeros snapped, median, bits. */
static void finish_block(double *block, double sum, int size, int eft, double *copy, unsigned char *out) {
  const double tol = 1e-10 * dmax(1, 4 * sum);
  for (int i = 0; i < size * size; i++)
    if (fabs(block[i]) < tol) block[i] = 0;
  const double *d = block + eft;
  const int len = size * size - eft, m = len >> 1;
  for (int i = 0; i < len; i++) copy[i] = d[i];
  const double upper = kth_smallest(copy, len, m);
  double med = upper;
  if (!(len % 2)) {
    double lower = -INFINITY;
    for (int i = 0; i < m; i++)
      if (copy[i] > lower) lower = copy[i];
    med = (lower + upper) / 2;
  }
  for (int i = 0; i < len; i++) out[i] = d[i] >= med;
}

/* PHash's finish (kernels/cropViewBits.ts): DCT block, exact zeros snapped, median, bits. */
static void finish(const unsigned char *small, int side, int off, int size, int eft, const double *cos_matrix, double *work, unsigned char *out) {
  double *block = work, *copy = block + (size_t)size * size, *dwork = copy + (size_t)size * size;
  dct2_block(small, side, off, size, cos_matrix, dwork, block);
  double sum = 0;
  for (int i = 0; i < side * side; i++) sum += small[i];
  finish_block(block, sum, size, eft, copy, out);
}

/*
 * The windows: each is halve(grid, x, y), i.e. the side x side square at (x >> 1, y >> 1) of the grid halved
 * at phase (x & 1, y & 1) (2 x 2 means of cells (x & 1) + 2i, (y & 1) + 2j). The DCT's first pass works row
 * by row, and windows at one column offset x whose rows come from the same halved grid (y of one parity:
 * offsets 0 and 10 of the 138-cell grid share 59 of their 64 rows) have the same rows there, so each such
 * row's pass is done once (dct2_rows) and each window only adds its own second pass. Every output is the
 * same operations on the same values as halve then dct2_block per window: the same bits.
 */
static void window_bits(const unsigned char *grid, int cells, int side, const int *windows, int nwin, int off, int size, int eft,
                        const double *cos_matrix, double *fwork, double *shared, unsigned char *out) {
  const size_t len = (size_t)size * size - eft, hc = half_cells(cells);
  double *block = fwork, *copy = block + (size_t)size * size, *dwork = copy + (size_t)size * size;
  double *tmp_rows = shared;                                 /* per group: hc rows of size */
  double *done = tmp_rows + (size_t)nwin * hc * size;        /* per group: hc flags */
  unsigned char *halves = (unsigned char *)(done + (size_t)nwin * hc); /* four halved grids, hc x hc each */
  int have_half[4] = {0, 0, 0, 0};
  int gx[64], gp[64], ngroups = 0; /* group: column offset x and row parity; at most nwin */
  for (int w = 0; w < nwin; w++) {
    const int x = windows[2 * w], y = windows[2 * w + 1], px = x & 1, py = y & 1, hx = x >> 1, hy = y >> 1;
    const int phase = 2 * py + px;
    const int wx = (cells - px) / 2, wy = (cells - py) / 2;
    unsigned char *hg = halves + (size_t)phase * hc * hc; /* wy rows of wx */
    if (!have_half[phase]) {
      for (int j = 0; j < wy; j++) {
        const unsigned char *p = grid + (size_t)(py + 2 * j) * cells + px;
        unsigned char *o = hg + (size_t)j * wx;
        for (int i = 0; i < wx; i++, p += 2) o[i] = (unsigned char)((p[0] + p[1] + p[cells] + p[cells + 1] + 2) >> 2);
      }
      have_half[phase] = 1;
    }
    int g = 0;
    while (g < ngroups && !(gx[g] == x && gp[g] == py)) g++;
    double *tmp = tmp_rows + (size_t)g * hc * size, *flags = done + (size_t)g * hc;
    if (g == ngroups) {
      gx[g] = x, gp[g] = py, ngroups++;
      for (size_t r = 0; r < hc; r++) flags[r] = 0;
    }
    /* the rows of this window not yet passed, in runs */
    for (int r = hy; r < hy + side;) {
      if (flags[r]) {
        r++;
        continue;
      }
      int e = r;
      while (e < hy + side && !flags[e]) flags[e++] = 1;
      dct2_rows(hg + hx, (size_t)wx, r, e, side, off, size, cos_matrix, dwork, tmp);
      r = e;
    }
    dct2_cols(tmp + (size_t)hy * size, side, off, size, cos_matrix, dwork, block);
    double sum = 0;
    for (int j = 0; j < side; j++) {
      const unsigned char *row = hg + (size_t)(hy + j) * wx + hx;
      for (int i = 0; i < side; i++) sum += row[i];
    }
    finish_block(block, sum, size, eft, copy, out + (w + 1) * len);
  }
}

void crop_view_bits(const unsigned char *grid, int cells, int side, const double *box, const int *windows, int nwin, int off, int size, int eft,
                    const double *cos_matrix, double *work, unsigned char *small, unsigned char *out) {
  double *fwork = work + area_work(cells, side);
  if (box) {
    area_of_grid(grid, cells, box, side, work, small);
    finish(small, side, off, size, eft, cos_matrix, fwork, out);
  }
  if (nwin <= 64) {
    window_bits(grid, cells, side, windows, nwin, off, size, eft, cos_matrix, fwork, fwork + dct2_work_size(side, size) + 2 * (size_t)size * size,
                out);
    return;
  }
  const size_t len = (size_t)size * size - eft;
  for (int w = 0; w < nwin; w++) {
    halve(grid, cells, windows[2 * w], windows[2 * w + 1], side, small);
    finish(small, side, off, size, eft, cos_matrix, fwork, out + (w + 1) * len);
  }
}

size_t view_bits_work_size(int side, int size) { return dct2_work_size(side, size) + 2 * (size_t)size * size; }

void view_bits(const unsigned char *views, int count, int side, int off, int size, int eft, const double *cos_matrix, double *work, unsigned char *out) {
  const size_t len = (size_t)size * size - eft;
  for (int k = 0; k < count; k++) finish(views + (size_t)k * side * side, side, off, size, eft, cos_matrix, work, out + k * len);
}
