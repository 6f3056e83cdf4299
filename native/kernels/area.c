/*
 * OpenCV's INTER_AREA downscale of one channel or of the grey of an RGB image: the inner loops of
 * src/core/kernels/area.ts (which owns the tables and the explanation), the same float32
 * operations in the same order (compiled without fused multiply-add), so the bytes are the JavaScript and
 * WebAssembly kernels' own (the tests compare all three). Running on the whole image in place saves the
 * copy into WebAssembly memory, which cost as much as the arithmetic on large photos.
 */
#include <math.h>
#include <stddef.h>
#include "area.h"
#include "simd.h"

/* One row's grey (or bytes) as int32: a plain loop over restrict pointers, which the compiler vectorises. */
static void grey_row(const uint8_t *restrict p, int n, int gray, int wr, int wg, int wb, int32_t *restrict out) {
  if (gray)
    for (int x = 0; x < n; x++) out[x] = (p[3 * x] * wr + p[3 * x + 1] * wg + p[3 * x + 2] * wb + 16384) >> 15;
  else
    for (int x = 0; x < n; x++) out[x] = p[x];
}

static inline uint8_t sat_round(float v) {
  long r = lrintf(v); /* nearest, ties to even: cvRound */
  return (uint8_t)(r < 0 ? 0 : r > 255 ? 255 : r);
}

/* Source row sy as floats (its grey, or its bytes); `ints` is scratch of sw int32s. */
static void load_row(const uint8_t *src, int sw, int sy, int gray, int wr, int wg, int wb, int32_t *restrict ints, float *restrict row) {
  grey_row(src + (size_t)sy * sw * (gray ? 3 : 1), sw, gray, wr, wg, wb, ints);
  for (int x = 0; x < sw; x++) row[x] = (float)ints[x];
}

/* Each destination: left partial cell, whole cells left to right, right partial cell (OpenCV's order). */
static void horizontal(const float *row, const area_cell *xt, int dw, float *buf) {
  for (int dx = 0; dx < dw; dx++) {
    const area_cell *t = &xt[dx];
    float c = row[t->l_idx] * t->l_a;
    for (int p = t->s0; p < t->s1; p++) c = c + row[p] * t->a;
    buf[dx] = c + row[t->r_idx] * t->r_a;
  }
}

MD_SIMD_CLONES void area_generic(const uint8_t *src, int sw, int sh, int gray, int wr, int wg, int wb, const area_cell *xt, int dw,
                  const area_cell *yt, int dh, uint8_t *out, float *work) {
  (void)sh;
  float *row = work, *buf = work + sw, *sum = buf + dw;
  int32_t *ints = (int32_t *)(sum + dw);
  int last = -1;
  for (int dy = 0; dy < dh; dy++) {
    const area_cell *t = &yt[dy];
    const int has_left = t->l_a != 0;
    /* The source rows of this destination row with their weights, in order; the first one sets the sum. */
    int n_parts = 0;
    for (int part = 0; part < 3; part++) {
      int from, to;
      float beta;
      if (part == 0) {
        if (!has_left) continue;
        from = t->l_idx, to = t->l_idx + 1, beta = t->l_a;
      } else if (part == 1) {
        from = t->s0, to = t->s1, beta = t->a;
      } else {
        if (t->r_a == 0) continue;
        from = t->r_idx, to = t->r_idx + 1, beta = t->r_a;
      }
      for (int sy = from; sy < to; sy++, n_parts++) {
        if (sy != last) {
          /* A boundary source row feeds two destination rows: its horizontal pass is reused. */
          load_row(src, sw, sy, gray, wr, wg, wb, ints, row);
          horizontal(row, xt, dw, buf);
          last = sy;
        }
        if (n_parts == 0)
          for (int i = 0; i < dw; i++) sum[i] = beta * buf[i];
        else
          for (int i = 0; i < dw; i++) sum[i] = sum[i] + beta * buf[i];
      }
    }
    for (int i = 0; i < dw; i++) out[(size_t)dy * dw + i] = sat_round(sum[i]);
  }
}

MD_SIMD_CLONES void area_blocks(const uint8_t *src, int sw, int gray, int wr, int wg, int wb, int ix, int iy, int dw, int dh, uint8_t *out,
                 int32_t *work) {
  int32_t *sums = work, *ints = work + dw;
  const float scale = (float)(1.0 / ((double)ix * iy));
  for (int dy = 0; dy < dh; dy++) {
    for (int i = 0; i < dw; i++) sums[i] = 0;
    for (int k = 0; k < iy; k++) {
      const int sy = dy * iy + k;
      grey_row(src + (size_t)sy * sw * (gray ? 3 : 1), dw * ix, gray, wr, wg, wb, ints);
      for (int dx = 0, p = 0; dx < dw; dx++) {
        int s = 0;
        for (int t = 0; t < ix; t++) s += ints[p++];
        sums[dx] += s;
      }
    }
    uint8_t *o = out + (size_t)dy * dw;
    if (ix == 2 && iy == 2)
      for (int i = 0; i < dw; i++) o[i] = (uint8_t)((sums[i] + 2) >> 2); /* OpenCV's 2x2 path rounds half up */
    else
      for (int i = 0; i < dw; i++) o[i] = sat_round((float)sums[i] * scale);
  }
}

/*
 * INTER_AREA's fallback when an axis grows (src/core/cv/resizeArea.ts areaUpscale, which explains it):
 * OpenCV's fixed-point bilinear, horizontal pass into H (sh x dw * cn int32s), then the vertical pass with
 * its SSE2 rounding. Integer work, so exactly the JavaScript bytes.
 */
void area_upscale(const uint8_t *src, int sw, int sh, int cn, const int32_t *xofs, const int32_t *xa0, const int32_t *xa1, int dw,
                  const int32_t *yofs, const int32_t *ya0, const int32_t *ya1, int dh, int32_t *H, uint8_t *out) {
  const size_t row_len = (size_t)dw * cn;
  for (int y = 0; y < sh; y++) {
    const uint8_t *r = src + (size_t)y * sw * cn;
    int32_t *o = H + (size_t)y * row_len;
    for (int dx = 0; dx < dw; dx++) {
      const int s0 = xofs[dx] * cn;
      const int s1 = (xofs[dx] + 1 < sw - 1 ? xofs[dx] + 1 : sw - 1) * cn;
      const int32_t w0 = xa0[dx], w1 = xa1[dx];
      for (int c = 0; c < cn; c++) o[dx * cn + c] = r[s0 + c] * w0 + r[s1 + c] * w1;
    }
  }
  for (int dy = 0; dy < dh; dy++) {
    const int32_t *r0 = H + (size_t)yofs[dy] * row_len;
    const int32_t *r1 = H + (size_t)(yofs[dy] + 1 < sh - 1 ? yofs[dy] + 1 : sh - 1) * row_len;
    const int32_t b0 = ya0[dy], b1 = ya1[dy];
    uint8_t *o = out + (size_t)dy * row_len;
    for (size_t i = 0; i < row_len; i++) {
      const int32_t v = ((((r0[i] >> 4) * b0) >> 16) + (((r1[i] >> 4) * b1) >> 16) + 2) >> 2;
      o[i] = (uint8_t)(v > 255 ? 255 : v);
    }
  }
}
