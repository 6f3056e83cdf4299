/*
 * Media Dedupe's math kernels addon: the hot loops of six pixel computations, each the exact C
 * translation of a JavaScript kernel in src/core/kernels/ (same operations in the same order; compiled
 * without fused multiply-add), so every implementation gives the same bits (src/core/kernels/
 * kernels.test.ts compares them). Pure C with no library behind it, so it builds wherever a C compiler
 * and Node's headers are, whether or not the image libraries the decoder addon needs are installed.
 *
 * API (N-API 6), all on the calling thread; the bounds every loop can touch are checked here first:
 *   cellSums(rgb, width, height, x0, y0, cols, rows, grid, colStep, sums, counts): the colour
 *     signature's per-cell sums (cellsums.c), added into sums and counts.
 *   dct2Block(x, n, off, size, cos, out): the kept block of phash's DCT (dct.c).
 *   areaResize(src, sw, sh, channels, wr, wg, wb, dw, dh, ix, iy, xtab, ytab, out): INTER_AREA downscale
 *     of one channel or of RGB's grey (area.c).
 *   lshTables(rows, n, stride, items, keyBits, partitionBits, radius, tableBits, passRows, keep, threads):
 *     the LSH search's table loop (lsh.c), the C twin of src/core/pairs/lsh.wat; rows is a Uint8Array or
 *     the path of a file of packed rows, memory-mapped read-only; keep is LSH_KEEP_*, with LSH_PASS_ROWS
 *     or'ed in when a pass copies its rows (and h << LSH_PASS_WORDS_SHIFT when it copies only their first
 *     h half words, 4 bytes each, h 1 to 7). Returns {i, j, distance, candidates, hits, passes, tails}. The one function that starts threads (pthreads) and blocks the caller until done.
 *   blockGrid(rgb, width, height, minScore, cos) -> number: the JPEG block-grid score (blockgrid.c).
 *   contentSize(rgb, width, height, tolerance, out): the size without uniform borders (contentsize.c).
 *   contentBox(rgb, width, height, tolerance, out): the box inside uniform borders (contentbox.c).
 *   cropViewBits(grid, cells, side, box, windows, off, size, eft, cos, out): the PHash bits of the
 *     crop-resistant views of a grey grid (cropbits.c).
 *   viewBits(views, count, side, off, size, eft, cos, out): PHash's finish of count pictures (cropbits.c).
 *   areaUpscale(src, sw, sh, cn, xofs, xa0, xa1, yofs, ya0, ya1, dw, dh, out): INTER_AREA's bilinear
 *     when an axis grows (area.c).
 *   cropPass(rgb, params, fparams, xtab, ytab, windows, cos, cols, rows, box, grid, bits, sums, counts) ->
 *     Promise: a crop-resistant scan's pixel work on one file (croppass.c), on the libuv pool; the one
 *     asynchronous kernel. cropPassSync(...): the same on the calling thread.
 */
#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "area.h"
#include "blockgrid.h"
#include "contentbox.h"
#include "cropbits.h"
#include "croppass.h"
#include <string.h>
#include "contentsize.h"
#include "lsh.h"
#include "cellsums.h"
#include "dct.h"

/* A typed array's contents, checking its element type; NULL (with a TypeError thrown) otherwise. */
/* The call's first `want` arguments into argv (room for `want`); false, with a TypeError thrown, when it
   has fewer. */
static bool get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv, const char *name) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok && argc >= want) return true;
  char msg[96];
  snprintf(msg, sizeof msg, "%s: %zu arguments expected", name, want);
  napi_throw_type_error(env, NULL, msg);
  return false;
}

static void *typed(napi_env env, napi_value v, napi_typedarray_type want, size_t *length) {
  bool is = false;
  napi_typedarray_type type;
  void *data;
  napi_value ab;
  size_t off;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is ||
      napi_get_typedarray_info(env, v, &type, length, &data, &ab, &off) != napi_ok || type != want) {
    napi_throw_type_error(env, NULL, "typed array of the wrong type");
    return NULL;
  }
  return data;
}

/* cellSums(rgb, width, height, x0, y0, cols, rows, grid, colStep, sums, counts): adds into sums/counts. */
static napi_value cell_sums_js(napi_env env, napi_callback_info info) {
  napi_value argv[11];
  if (!get_args(env, info, 11, argv, "cellSums")) return NULL;
  /* width, height, x0, y0 (arguments 1-4), grid and colStep (7 and 8) */
  static const int INT_ARGS[6] = {1, 2, 3, 4, 7, 8};
  int32_t n[6];
  for (int i = 0; i < 6; i++)
    if (napi_get_value_int32(env, argv[INT_ARGS[i]], &n[i]) != napi_ok) return napi_throw_type_error(env, NULL, "cellSums: integers expected"), NULL;
  const int width = n[0], height = n[1], x0 = n[2], y0 = n[3], grid = n[4], step = n[5];
  size_t len, ncols, nrows, nsums, ncounts;
  const unsigned char *rgb = typed(env, argv[0], napi_uint8_array, &len);
  const int32_t *cols = rgb ? typed(env, argv[5], napi_int32_array, &ncols) : NULL;
  const int32_t *rows = cols ? typed(env, argv[6], napi_int32_array, &nrows) : NULL;
  double *sums = rows ? typed(env, argv[9], napi_float64_array, &nsums) : NULL;
  double *counts = sums ? typed(env, argv[10], napi_float64_array, &ncounts) : NULL;
  if (!counts) return NULL;
  /* Every index the loops can touch must be inside the arrays: the bounds come from JavaScript. */
  int ok = width > 0 && height > 0 && grid > 0 && step > 0 && x0 >= 0 && y0 >= 0 && len >= (size_t)width * height * 3 &&
           ncols >= (size_t)(2 * grid) && nrows >= (size_t)(2 * grid) && nsums >= (size_t)(3 * grid * grid) && ncounts >= (size_t)(grid * grid);
  for (int i = 0; ok && i < grid; i++)
    ok = cols[2 * i] >= 0 && cols[2 * i + 1] >= cols[2 * i] && x0 + cols[2 * i + 1] <= width && rows[2 * i] >= 0 && rows[2 * i + 1] >= rows[2 * i] &&
         y0 + rows[2 * i + 1] <= height;
  if (!ok) {
    napi_throw_range_error(env, NULL, "cellSums: cells outside the image or arrays too short");
    return NULL;
  }
  cell_sums(rgb, width, x0, y0, cols, rows, grid, step, sums, counts);
  return NULL;
}

/* Reads `count` int32 arguments starting at argv[first]; throws and returns 0 on a non-number. */
static int int_args(napi_env env, napi_value *argv, int first, int count, int32_t *out) {
  for (int i = 0; i < count; i++)
    if (napi_get_value_int32(env, argv[first + i], &out[i]) != napi_ok) {
      napi_throw_type_error(env, NULL, "integers expected");
      return 0;
    }
  return 1;
}

/* Whether every index an INTER_AREA table can touch lies in [0, n). */
static int table_fits(const area_cell *t, int count, int n) {
  for (int i = 0; i < count; i++)
    if (t[i].l_idx < 0 || t[i].l_idx >= n || t[i].r_idx < 0 || t[i].r_idx >= n || t[i].s0 < 0 || t[i].s1 < t[i].s0 || t[i].s1 > n) return 0;
  return 1;
}

/*
 * areaResize(src, sw, sh, channels, wr, wg, wb, dw, dh, ix, iy, xtab, ytab, out): INTER_AREA of one
 * channel (channels 1) or of the grey of RGB (channels 3) into out (dw * dh bytes). ix, iy > 0: integer
 * factors (block sums; the tables are ignored); otherwise xtab/ytab, Int32Arrays of 7 fields per
 * destination (area.h), drive the general path. See area.c.
 */
static napi_value area_resize_js(napi_env env, napi_callback_info info) {
  napi_value argv[14];
  int32_t v[10];
  if (!get_args(env, info, 14, argv, "areaResize")) return NULL;
  if (!int_args(env, argv, 1, 10, v)) return NULL;
  const int sw = v[0], sh = v[1], cn = v[2], wr = v[3], wg = v[4], wb = v[5], dw = v[6], dh = v[7], ix = v[8], iy = v[9];
  size_t nsrc, nout, nx = 0, ny = 0;
  const uint8_t *src = typed(env, argv[0], napi_uint8_array, &nsrc);
  uint8_t *out = src ? typed(env, argv[13], napi_uint8_array, &nout) : NULL;
  if (!out) return NULL;
  const int blocks = ix > 0 && iy > 0;
  const area_cell *xt = NULL, *yt = NULL;
  if (!blocks) {
    xt = typed(env, argv[11], napi_int32_array, &nx);
    yt = xt ? typed(env, argv[12], napi_int32_array, &ny) : NULL;
    if (!yt) return NULL;
  }
  int ok = sw > 0 && sh > 0 && dw > 0 && dh > 0 && (cn == 1 || cn == 3) && nsrc >= (size_t)sw * sh * cn && nout >= (size_t)dw * dh;
  if (ok && blocks) ok = (long)dw * ix <= sw && (long)dh * iy <= sh;
  if (ok && !blocks) ok = nx >= (size_t)7 * dw && ny >= (size_t)7 * dh && table_fits(xt, dw, sw) && table_fits(yt, dh, sh);
  if (!ok) {
    napi_throw_range_error(env, NULL, "areaResize: sizes or tables do not fit the arrays");
    return NULL;
  }
  void *work = malloc(blocks ? sizeof(int32_t) * ((size_t)dw + (size_t)dw * ix) : sizeof(float) * (2 * (size_t)sw + 2 * (size_t)dw));
  if (!work) {
    napi_throw_error(env, NULL, "areaResize: out of memory");
    return NULL;
  }
  if (blocks) area_blocks(src, sw, cn == 3, wr, wg, wb, ix, iy, dw, dh, out, (int32_t *)work);
  else area_generic(src, sw, sh, cn == 3, wr, wg, wb, xt, dw, yt, dh, out, (float *)work);
  free(work);
  return NULL;
}

/* viewBits(views Uint8Array, count, side, off, size, eft, cos Float64Array, out Uint8Array): see cropbits.c. */
static napi_value view_bits_js(napi_env env, napi_callback_info info) {
  napi_value argv[8];
  int32_t a[5];
  if (!get_args(env, info, 8, argv, "viewBits")) return NULL;
  if (!int_args(env, argv, 1, 5, a)) return NULL;
  const int count = a[0], side = a[1], off = a[2], size = a[3], eft = a[4];
  size_t nviews, ncos, nout;
  const unsigned char *views = typed(env, argv[0], napi_uint8_array, &nviews);
  const double *cosm = views ? typed(env, argv[6], napi_float64_array, &ncos) : NULL;
  unsigned char *out = cosm ? typed(env, argv[7], napi_uint8_array, &nout) : NULL;
  if (!out) return NULL;
  int ok = count >= 0 && side > 0 && size > 0 && off >= 0 && off + size <= side && (eft == 0 || eft == 1) && size * size > eft &&
           nviews >= (size_t)count * side * side && ncos >= (size_t)side * side && nout >= (size_t)count * (size * size - eft);
  if (!ok) {
    napi_throw_range_error(env, NULL, "viewBits: sizes do not fit the arrays");
    return NULL;
  }
  double *work = malloc(sizeof(double) * view_bits_work_size(side, size));
  if (!work) {
    napi_throw_error(env, NULL, "viewBits: out of memory");
    return NULL;
  }
  view_bits(views, count, side, off, size, eft, cosm, work, out);
  free(work);
  return NULL;
}

/* areaUpscale(src Uint8Array, sw, sh, cn, xofs, xa0, xa1, yofs, ya0, ya1 Int32Arrays, dw, dh, out Uint8Array): see area.c. */
static napi_value area_upscale_js(napi_env env, napi_callback_info info) {
  napi_value argv[13];
  int32_t a[3], b[2];
  if (!get_args(env, info, 13, argv, "areaUpscale")) return NULL;
  if (!int_args(env, argv, 1, 3, a) || !int_args(env, argv, 10, 2, b)) return NULL;
  const int sw = a[0], sh = a[1], cn = a[2], dw = b[0], dh = b[1];
  size_t nsrc, n[6], nout;
  const int32_t *t[6];
  const uint8_t *src = typed(env, argv[0], napi_uint8_array, &nsrc);
  if (!src) return NULL;
  for (int k = 0; k < 6; k++)
    if (!(t[k] = typed(env, argv[4 + k], napi_int32_array, &n[k]))) return NULL;
  uint8_t *out = typed(env, argv[12], napi_uint8_array, &nout);
  if (!out) return NULL;
  /* Every index the loops can touch must be inside the arrays: the bounds come from JavaScript. */
  int ok = sw > 0 && sh > 0 && cn > 0 && dw > 0 && dh > 0 && nsrc >= (size_t)sw * sh * cn && nout >= (size_t)dw * dh * cn && n[0] >= (size_t)dw &&
           n[1] >= (size_t)dw && n[2] >= (size_t)dw && n[3] >= (size_t)dh && n[4] >= (size_t)dh && n[5] >= (size_t)dh;
  for (int d = 0; ok && d < dw; d++) ok = t[0][d] >= 0 && t[0][d] < sw;
  for (int d = 0; ok && d < dh; d++) ok = t[3][d] >= 0 && t[3][d] < sh;
  if (!ok) {
    napi_throw_range_error(env, NULL, "areaUpscale: sizes or tables do not fit the arrays");
    return NULL;
  }
  int32_t *H = malloc(sizeof(int32_t) * (size_t)sh * dw * cn);
  if (!H) {
    napi_throw_error(env, NULL, "areaUpscale: out of memory");
    return NULL;
  }
  area_upscale(src, sw, sh, cn, t[0], t[1], t[2], dw, t[3], t[4], t[5], dh, H, out);
  free(H);
  return NULL;
}

/* dct2Block(x Uint8Array, n, off, size, cos Float64Array, out Float64Array): see dct.c. */
static napi_value dct2_block_js(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  int32_t n, off, size;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 6 || napi_get_value_int32(env, argv[1], &n) != napi_ok ||
      napi_get_value_int32(env, argv[2], &off) != napi_ok || napi_get_value_int32(env, argv[3], &size) != napi_ok) {
    napi_throw_type_error(env, NULL, "dct2Block(x, n, off, size, cos, out): wrong arguments");
    return NULL;
  }
  size_t nx, nc, no;
  const unsigned char *x = typed(env, argv[0], napi_uint8_array, &nx);
  const double *c = x ? typed(env, argv[4], napi_float64_array, &nc) : NULL;
  double *out = c ? typed(env, argv[5], napi_float64_array, &no) : NULL;
  if (!out) return NULL;
  if (n < 1 || n > 4096 || off < 0 || size < 1 || off + size > n || nx < (size_t)n * n || nc < (size_t)n * n || no < (size_t)size * size) {
    napi_throw_range_error(env, NULL, "dct2Block: sizes do not fit the arrays");
    return NULL;
  }
  double *work = (double *)malloc(sizeof(double) * dct2_work_size(n, size));
  if (!work) {
    napi_throw_error(env, NULL, "dct2Block: out of memory");
    return NULL;
  }
  dct2_block(x, n, off, size, c, work, out);
  free(work);
  return NULL;
}

/* A JavaScript number from a count (exact up to 2^53, more than any count here reaches). */
static napi_value number(napi_env env, uint64_t v) {
  napi_value out;
  napi_create_double(env, (double)v, &out);
  return out;
}

/* A new Uint32Array holding count values of src. */
static napi_value u32_array(napi_env env, const uint32_t *src, size_t count) {
  void *data;
  napi_value ab, out;
  if (napi_create_arraybuffer(env, count * 4, &data, &ab) != napi_ok || napi_create_typedarray(env, napi_uint32_array, count, ab, 0, &out) != napi_ok)
    return NULL;
  if (count) memcpy(data, src, count * 4);
  return out;
}

/* The rows: the bytes of a Uint8Array, or a file mapped read-only (*mapped set, to unmap after). */
static const uint8_t *lsh_rows(napi_env env, napi_value v, size_t need, size_t *mapped) {
  napi_valuetype t;
  *mapped = 0;
  if (napi_typeof(env, v, &t) != napi_ok) return NULL;
  if (t != napi_string) {
    size_t len;
    const uint8_t *rows = typed(env, v, napi_uint8_array, &len);
    if (rows && len < need) return napi_throw_range_error(env, NULL, "lshTables: rows shorter than n * stride"), NULL;
    return rows;
  }
  char path[4096];
  size_t plen;
  if (napi_get_value_string_utf8(env, v, path, sizeof path, &plen) != napi_ok || plen >= sizeof path - 1)
    return napi_throw_type_error(env, NULL, "lshTables: a path too long"), NULL;
  int fd = open(path, O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || (size_t)st.st_size < need) {
    if (fd >= 0) close(fd);
    return napi_throw_error(env, "SHARDS_INCOMPLETE", "lshTables: the packed hashes file is missing or shorter than n * stride"), NULL;
  }
  void *p = need ? mmap(NULL, need, PROT_READ, MAP_SHARED, fd, 0) : NULL;
  close(fd);
  if (p == MAP_FAILED) return napi_throw_error(env, NULL, "lshTables: could not map the packed hashes"), NULL;
  *mapped = need;
  return p;
}

static napi_value lsh_tables_js(napi_env env, napi_callback_info info) {
  napi_value argv[11];
  if (!get_args(env, info, 11, argv, "lshTables")) return NULL;
  double n;
  int32_t stride, kb, pb, radius, threads;
  double pass_rows;
  int32_t keep;
  if (napi_get_value_double(env, argv[1], &n) != napi_ok || napi_get_value_int32(env, argv[2], &stride) != napi_ok ||
      napi_get_value_int32(env, argv[4], &kb) != napi_ok || napi_get_value_int32(env, argv[5], &pb) != napi_ok ||
      napi_get_value_int32(env, argv[6], &radius) != napi_ok || napi_get_value_double(env, argv[8], &pass_rows) != napi_ok ||
      napi_get_value_int32(env, argv[9], &keep) != napi_ok || napi_get_value_int32(env, argv[10], &threads) != napi_ok)
    return napi_throw_type_error(env, NULL, "lshTables: wrong arguments"), NULL;
  size_t nbits;
  const int32_t *bits = typed(env, argv[7], napi_int32_array, &nbits);
  if (!bits) return NULL;
  /* every index the loops can touch is checked here: rows (n * stride), key bits within a row, items */
  int ok = n >= 0 && n < 4294967295.0 && n == (double)(size_t)n && (stride == 8 || stride == 16 || stride == 24 || stride == 32) && kb >= 1 &&
           kb <= 31 && pb >= 0 && pb <= 20 && pb <= kb && radius >= 0 && pass_rows >= 1 && threads >= 1 && threads <= 256 && nbits % kb == 0 &&
           (keep & 3) <= LSH_KEEP_KEYS && keep >= 0 && (keep >> LSH_PASS_WORDS_SHIFT) <= 7 &&
           ((keep >> LSH_PASS_WORDS_SHIFT) == 0 || (keep & LSH_PASS_ROWS));
  for (size_t q = 0; ok && q < nbits; q++) ok = bits[q] >= 0 && bits[q] < stride * 8;
  if (!ok) return napi_throw_range_error(env, NULL, "lshTables: arguments out of range"), NULL;
  const int32_t *items = NULL;
  napi_valuetype it;
  if (napi_typeof(env, argv[3], &it) != napi_ok) return NULL;
  if (it != napi_null && it != napi_undefined) {
    size_t nitems;
    items = typed(env, argv[3], napi_int32_array, &nitems);
    if (!items) return NULL;
    if (nitems < (size_t)n) return napi_throw_range_error(env, NULL, "lshTables: fewer item ids than rows"), NULL;
  }
  size_t mapped;
  const uint8_t *rows = lsh_rows(env, argv[0], (size_t)n * stride, &mapped);
  if (!rows && n > 0) return NULL;
  /* rows copied into the passes: all of a row, or its first h half words (4 bytes each; the rest read from the hashes) */
  const int halves = keep >> LSH_PASS_WORDS_SHIFT, copy = !(keep & LSH_PASS_ROWS) ? 0 : halves && halves * 4 < stride ? halves * 4 : stride;
  lsh_job job = {rows, (size_t)n, stride, items, kb, pb, radius, bits, (int)(nbits / kb), (size_t)pass_rows, keep & 3, threads, copy};
  lsh_result r;
  lsh_run(&job, &r);
  if (mapped) munmap((void *)rows, mapped);
  if (r.error) {
    lsh_free(&r);
    return napi_throw_error(env, "LSH_OUT_OF_MEMORY", "lshTables: out of memory (fewer threads or a smaller pass)"), NULL;
  }
  napi_value out, i, j, d;
  i = u32_array(env, r.i, r.count);
  j = i ? u32_array(env, r.j, r.count) : NULL;
  d = j ? u32_array(env, r.d, r.count) : NULL;
  lsh_free(&r);
  if (!d || napi_create_object(env, &out) != napi_ok) return napi_throw_error(env, NULL, "lshTables: could not return the pairs"), NULL;
  napi_set_named_property(env, out, "i", i);
  napi_set_named_property(env, out, "j", j);
  napi_set_named_property(env, out, "distance", d);
  napi_set_named_property(env, out, "candidates", number(env, r.candidates));
  napi_set_named_property(env, out, "hits", number(env, r.hits));
  napi_set_named_property(env, out, "passes", number(env, r.passes));
  napi_set_named_property(env, out, "tails", number(env, r.tails));
  return out;
}

/*
 * The arguments both pixel kernels below share: (rgb Uint8Array, width, height, an integer, a typed
 * array); the pixels, with width, height and the integer in v, or NULL with an error thrown when they are
 * not numbers or the pixels are fewer than width * height * 3.
 */
static const unsigned char *rgb_args(napi_env env, napi_callback_info info, const char *name, napi_value *argv, int32_t *v) {
  size_t argc = 5, nrgb;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 5) return napi_throw_type_error(env, NULL, name), NULL;
  if (!int_args(env, argv, 1, 3, v)) return NULL;
  const unsigned char *rgb = typed(env, argv[0], napi_uint8_array, &nrgb);
  if (rgb && (v[0] < 1 || v[1] < 1 || nrgb < (size_t)v[0] * v[1] * 3)) return napi_throw_range_error(env, NULL, name), NULL;
  return rgb;
}

/* blockGrid(rgb Uint8Array, width, height, minScore, cos Float64Array) -> the score: see blockgrid.c. */
static napi_value block_grid_js(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  int32_t v[3];
  size_t ncos;
  const unsigned char *rgb = rgb_args(env, info, "blockGrid(rgb, width, height, minScore, cos): wrong arguments", argv, v);
  const double *c = rgb ? typed(env, argv[4], napi_float64_array, &ncos) : NULL;
  if (!c) return NULL;
  if (ncos < 64) return napi_throw_range_error(env, NULL, "blockGrid: the DCT basis has fewer than 64 values"), NULL;
  int score = block_grid(rgb, v[0], v[1], v[2], c);
  if (score < 0) return napi_throw_error(env, NULL, "blockGrid: out of memory"), NULL;
  napi_value out;
  if (napi_create_int32(env, score, &out) != napi_ok) return NULL;
  return out;
}

/*
 * The two border kernels' call, (rgb Uint8Array, width, height, tolerance, out Int32Array) with out holding
 * at least `values` numbers: runs kernel on them, or throws naming `name`.
 */
static napi_value border_kernel_js(napi_env env, napi_callback_info info, const char *name, size_t values,
                                   void (*kernel)(const unsigned char *, long, long, int, int *)) {
  napi_value argv[5];
  int32_t v[3];
  size_t nout;
  const unsigned char *rgb = rgb_args(env, info, name, argv, v);
  int32_t *out = rgb ? typed(env, argv[4], napi_int32_array, &nout) : NULL;
  if (!out) return NULL;
  if (nout < values) return napi_throw_range_error(env, NULL, name), NULL;
  kernel(rgb, v[0], v[1], v[2], out);
  return NULL;
}

/* contentSize(rgb Uint8Array, width, height, tolerance, out Int32Array): see contentsize.c (2 values out). */
static napi_value content_size_js(napi_env env, napi_callback_info info) {
  return border_kernel_js(env, info, "contentSize(rgb, width, height, tolerance, out[2]): wrong arguments", 2, content_size);
}

/* contentBox(rgb Uint8Array, width, height, tolerance, out Int32Array): see contentbox.c (4 values out). */
static napi_value content_box_js(napi_env env, napi_callback_info info) {
  return border_kernel_js(env, info, "contentBox(rgb, width, height, tolerance, out[4]): wrong arguments", 4, content_box);
}

/* cropViewBits(grid Uint8Array, cells, side, box Float64Array(4 or 0), windows Int32Array, off, size, eft, cos Float64Array, out Uint8Array): see cropbits.c. */
static napi_value crop_view_bits_js(napi_env env, napi_callback_info info) {
  napi_value argv[10];
  int32_t a[2], b[3];
  if (!get_args(env, info, 10, argv, "cropViewBits")) return NULL;
  if (!int_args(env, argv, 1, 2, a) || !int_args(env, argv, 5, 3, b)) return NULL;
  const int cells = a[0], side = a[1], off = b[0], size = b[1], eft = b[2];
  size_t ngrid, nbox, nwin, ncos, nout;
  bool thrown = false;
  const unsigned char *grid = typed(env, argv[0], napi_uint8_array, &ngrid);
  /* An empty box (no content box) may have no data pointer at all: a pending exception tells the failure apart. */
  const double *box = grid ? typed(env, argv[3], napi_float64_array, &nbox) : NULL;
  if (!grid || (!box && (napi_is_exception_pending(env, &thrown) != napi_ok || thrown))) return NULL;
  const int32_t *win = typed(env, argv[4], napi_int32_array, &nwin);
  const double *cosm = win ? typed(env, argv[8], napi_float64_array, &ncos) : NULL;
  unsigned char *out = cosm ? typed(env, argv[9], napi_uint8_array, &nout) : NULL;
  if (!out) return NULL;
  /* Every index the loops can touch must be inside the arrays: the bounds come from JavaScript. */
  const int views = 1 + (int)(nwin / 2);
  int ok = cells > 0 && side > 0 && 2 * side <= cells && size > 0 && off >= 0 && off + size <= side && (eft == 0 || eft == 1) && size * size > eft &&
           ngrid >= (size_t)cells * cells && (nbox == 0 || nbox == 4) && nwin % 2 == 0 && ncos >= (size_t)side * side &&
           nout >= (size_t)views * (size * size - eft);
  for (size_t w = 0; ok && w < nwin; w++) ok = win[w] >= 0 && win[w] + 2 * side <= cells;
  /* The box: a non-empty rectangle inside the grid (areaOfGrid's reads stay in it). */
  if (ok && nbox == 4) ok = box[0] >= 0 && box[1] >= 0 && box[2] > box[0] && box[3] > box[1] && box[2] <= cells && box[3] <= cells;
  if (!ok) {
    napi_throw_range_error(env, NULL, "cropViewBits: sizes, windows or box do not fit the arrays");
    return NULL;
  }
  double *work = malloc(sizeof(double) * crop_view_bits_work_size(cells, side, size, (int)(nwin / 2)));
  unsigned char *small = malloc((size_t)side * side);
  if (!work || !small) {
    free(work);
    free(small);
    napi_throw_error(env, NULL, "cropViewBits: out of memory");
    return NULL;
  }
  crop_view_bits(grid, cells, side, nbox == 4 ? box : NULL, win, (int)(nwin / 2), off, size, eft, cosm, work, small, out);
  free(work);
  free(small);
  return NULL;
}

/*
 * cropPass(rgb, params Int32Array [width, height, tolerance, wr, wg, wb, cells, ix, iy, side, off, size, eft,
 * colourGrid, colourStep], fparams Float64Array [minShare, minTrim], xtab, ytab, windows, cos, cols, rows,
 * box Int32Array(5): left, top, right, bottom, has, grid Uint8Array(cells²), bits, sums, counts): see croppass.c.
 */
#define CROP_PASS_ARGS 14
typedef struct {
  crop_pass_in in;
  crop_pass_out out;
  int32_t *box_out;
  int ok;
  napi_ref refs[CROP_PASS_ARGS];
  napi_deferred deferred;
  napi_async_work work;
} crop_pass_job;

/* Reads and checks the arguments into job (pointers into the arrays); throws and returns 0 when they do not fit. */
static int crop_pass_args(napi_env env, napi_value *argv, crop_pass_job *job) {
  size_t nrgb, np, nf, nx = 0, ny = 0, nwin, ncos, ncols, nrows, nbox, ngrid, nbits, nsums, ncounts;
  const uint8_t *rgb = typed(env, argv[0], napi_uint8_array, &nrgb);
  const int32_t *p = rgb ? typed(env, argv[1], napi_int32_array, &np) : NULL;
  const double *f = p ? typed(env, argv[2], napi_float64_array, &nf) : NULL;
  if (!f) return 0;
  if (np < 15 || nf < 2) {
    napi_throw_range_error(env, NULL, "cropPass: 15 integer and 2 float parameters expected");
    return 0;
  }
  const int w = p[0], h = p[1], cells = p[6], ix = p[7], iy = p[8], side = p[9], off = p[10], size = p[11], eft = p[12], cgrid = p[13], cstep = p[14];
  const int blocks = ix > 0 && iy > 0;
  bool thrown = false;
  const area_cell *xt = NULL, *yt = NULL;
  if (!blocks) {
    xt = typed(env, argv[3], napi_int32_array, &nx);
    yt = xt ? typed(env, argv[4], napi_int32_array, &ny) : NULL;
    if (!yt) return 0;
  }
  const int32_t *win = typed(env, argv[5], napi_int32_array, &nwin);
  const double *cosm = win ? typed(env, argv[6], napi_float64_array, &ncos) : NULL;
  const int32_t *cols = cosm ? typed(env, argv[7], napi_int32_array, &ncols) : NULL;
  const int32_t *rows = cols ? typed(env, argv[8], napi_int32_array, &nrows) : NULL;
  int32_t *box = rows ? typed(env, argv[9], napi_int32_array, &nbox) : NULL;
  uint8_t *grid = box ? typed(env, argv[10], napi_uint8_array, &ngrid) : NULL;
  uint8_t *bits = grid ? typed(env, argv[11], napi_uint8_array, &nbits) : NULL;
  double *sums = bits ? typed(env, argv[12], napi_float64_array, &nsums) : NULL;
  double *counts = sums ? typed(env, argv[13], napi_float64_array, &ncounts) : NULL;
  if (!counts || (napi_is_exception_pending(env, &thrown) == napi_ok && thrown)) return 0;
  /* Every index the loops can touch must be inside the arrays: the bounds come from JavaScript. */
  const int views = 1 + (int)(nwin / 2);
  int ok = w > 0 && h > 0 && cells > 0 && cells <= w && cells <= h && nrgb >= (size_t)w * h * 3 && p[2] >= 0 && p[2] <= 255 && side > 0 &&
           2 * side <= cells && size > 0 && off >= 0 && off + size <= side && (eft == 0 || eft == 1) && size * size > eft && nwin % 2 == 0 &&
           ncos >= (size_t)side * side && nbox >= 5 && ngrid >= (size_t)cells * cells && nbits >= (size_t)views * (size * size - eft) && cgrid > 0 &&
           cstep > 0 && ncols >= (size_t)(2 * cgrid) && nrows >= (size_t)(2 * cgrid) && nsums >= (size_t)(3 * cgrid * cgrid) &&
           ncounts >= (size_t)(cgrid * cgrid);
  if (ok && blocks) ok = (long)cells * ix <= w && (long)cells * iy <= h;
  if (ok && !blocks) ok = nx >= (size_t)7 * cells && ny >= (size_t)7 * cells && table_fits(xt, cells, w) && table_fits(yt, cells, h);
  for (size_t k = 0; ok && k < nwin; k++) ok = win[k] >= 0 && win[k] + 2 * side <= cells;
  for (int i = 0; ok && i < cgrid; i++)
    ok = cols[2 * i] >= 0 && cols[2 * i + 1] >= cols[2 * i] && cols[2 * i + 1] <= w && rows[2 * i] >= 0 && rows[2 * i + 1] >= rows[2 * i] &&
         rows[2 * i + 1] <= h;
  if (!ok) {
    napi_throw_range_error(env, NULL, "cropPass: sizes, tables, windows or cells do not fit the arrays");
    return 0;
  }
  job->in = (crop_pass_in){.rgb = rgb, .width = w, .height = h, .tolerance = p[2], .min_share = f[0], .min_trim = f[1], .wr = p[3], .wg = p[4],
                           .wb = p[5], .cells = cells, .ix = blocks ? ix : 0, .iy = blocks ? iy : 0, .xt = xt, .yt = yt, .side = side,
                           .nwin = (int)(nwin / 2), .off = off, .size = size, .eft = eft, .windows = win, .cos_matrix = cosm, .ccols = cols,
                           .crows = rows, .cgrid = cgrid, .cstep = cstep};
  job->out = (crop_pass_out){.grid = grid, .bits = bits, .sums = sums, .counts = counts};
  job->box_out = box;
  return 1;
}

static void crop_pass_run(crop_pass_job *job) {
  job->ok = crop_pass(&job->in, &job->out);
  for (int k = 0; k < 4; k++) job->box_out[k] = job->out.box[k];
  job->box_out[4] = job->out.has_box;
}

static napi_value crop_pass_sync_js(napi_env env, napi_callback_info info) {
  napi_value argv[CROP_PASS_ARGS];
  crop_pass_job job;
  memset(&job, 0, sizeof job);
  if (!get_args(env, info, CROP_PASS_ARGS, argv, "cropPassSync")) return NULL;
  if (!crop_pass_args(env, argv, &job)) return NULL;
  crop_pass_run(&job);
  if (!job.ok) napi_throw_error(env, NULL, "cropPass: out of memory");
  return NULL;
}

static void crop_pass_execute(napi_env env, void *data) {
  (void)env;
  crop_pass_run((crop_pass_job *)data);
}

static void crop_pass_complete(napi_env env, napi_status status, void *data) {
  crop_pass_job *job = (crop_pass_job *)data;
  napi_value v;
  if (status == napi_ok && job->ok) {
    napi_get_undefined(env, &v);
    napi_resolve_deferred(env, job->deferred, v);
  } else {
    napi_value msg;
    napi_create_string_utf8(env, status == napi_ok ? "cropPass: out of memory" : "cropPass: cancelled", NAPI_AUTO_LENGTH, &msg);
    napi_create_error(env, NULL, msg, &v);
    napi_reject_deferred(env, job->deferred, v);
  }
  for (int k = 0; k < CROP_PASS_ARGS; k++)
    if (job->refs[k]) napi_delete_reference(env, job->refs[k]);
  napi_delete_async_work(env, job->work);
  free(job);
}

/* The arrays are held (references) until the work is done; the caller must not change them meanwhile. */
static napi_value crop_pass_js(napi_env env, napi_callback_info info) {
  napi_value argv[CROP_PASS_ARGS], promise, name;
  if (!get_args(env, info, CROP_PASS_ARGS, argv, "cropPass")) return NULL;
  crop_pass_job *job = calloc(1, sizeof *job);
  if (!job) {
    napi_throw_error(env, NULL, "cropPass: out of memory");
    return NULL;
  }
  if (!crop_pass_args(env, argv, job)) {
    free(job);
    return NULL;
  }
  int ok = 1;
  for (int k = 0; ok && k < CROP_PASS_ARGS; k++) {
    napi_valuetype t;
    ok = napi_typeof(env, argv[k], &t) == napi_ok;
    if (ok && t == napi_object) ok = napi_create_reference(env, argv[k], 1, &job->refs[k]) == napi_ok;
  }
  if (!ok || napi_create_promise(env, &job->deferred, &promise) != napi_ok ||
      napi_create_string_utf8(env, "media-dedupe:crop-pass", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_async_work(env, NULL, name, crop_pass_execute, crop_pass_complete, job, &job->work) != napi_ok ||
      napi_queue_async_work(env, job->work) != napi_ok) {
    if (job->work) napi_delete_async_work(env, job->work); /* created but not queued */
    for (int k = 0; k < CROP_PASS_ARGS; k++)
      if (job->refs[k]) napi_delete_reference(env, job->refs[k]);
    free(job);
    napi_throw_error(env, NULL, "cropPass: could not queue the work");
    return NULL;
  }
  return promise;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"cellSums", NULL, cell_sums_js, NULL, NULL, NULL, napi_default, NULL},
      {"dct2Block", NULL, dct2_block_js, NULL, NULL, NULL, napi_default, NULL},
      {"areaResize", NULL, area_resize_js, NULL, NULL, NULL, napi_default, NULL},
      {"areaUpscale", NULL, area_upscale_js, NULL, NULL, NULL, napi_default, NULL},
      {"viewBits", NULL, view_bits_js, NULL, NULL, NULL, napi_default, NULL},
      {"lshTables", NULL, lsh_tables_js, NULL, NULL, NULL, napi_default, NULL},
      {"blockGrid", NULL, block_grid_js, NULL, NULL, NULL, napi_default, NULL},
      {"contentSize", NULL, content_size_js, NULL, NULL, NULL, napi_default, NULL},
      {"contentBox", NULL, content_box_js, NULL, NULL, NULL, napi_default, NULL},
      {"cropViewBits", NULL, crop_view_bits_js, NULL, NULL, NULL, napi_default, NULL},
      {"cropPass", NULL, crop_pass_js, NULL, NULL, NULL, napi_default, NULL},
      {"cropPassSync", NULL, crop_pass_sync_js, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) {
    napi_throw_error(env, NULL, "kernels: could not define the exports");
    return NULL;
  }
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
