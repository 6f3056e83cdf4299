/*
 * Media Dedupe's image decoder addon: JPEG (libjpeg-turbo), PNG (libpng) and WebP (libwebp) to 8-bit
 * RGB, giving the pixels of the sharp recipe that matches cv2.imread (checked byte for byte by
 * test/unit/decodeNative.test.ts), so perception's hashes come out the same.
 *
 * Why beside sharp: on the small images of a training set most of sharp's cost is per image, not per
 * pixel (libvips pipeline set-up, threads, copies): 1.65 ms of CPU per benchmark JPEG where libjpeg-turbo
 * alone takes 0.43 ms, and 7.4 ms per lossy WebP where libwebp takes 2.0 ms. OpenCV calls these libraries
 * directly, which is why perception was faster than any sharp-based pipeline could be. Whatever a decoder
 * declines (see each format's file) goes to sharp, which also classifies errors.
 *
 * API (N-API 6):
 *   decode(buffer, format, maxPixels, scaleDenom, out?) -> Promise<{ status, data?, width, height, message? }>
 *     on the libuv pool. format "jpeg" | "png" | "webp" (see `formats` for what this build has);
 *     scaleDenom 1, 2, 4 or 8 lets libjpeg shrink inside its IDCT (JPEG only); `out`, a Buffer of
 *     exactly width * height * 3 bytes at that scale, is decoded into and returned as data.
 *   decodeSync(...) -> the same object, on the calling thread.
 *   cellSums(rgb, width, height, x0, y0, cols, rows, grid, colStep, sums, counts): the colour
 *     signature's inner loop (cellsums.c), on the calling thread.
 *   dct2Block(x, n, off, size, cos, out): the kept block of phash's DCT (dct.c), on the calling thread.
 *   areaResize(...): INTER_AREA downscale of one channel or of RGB's grey (area.c), on the calling thread.
 *   formats: string[]; libjpegTurboVersion: number.
 * status: "ok", "unsupported", "too_large", "warning" (corrupt or truncated data), "error".
 */
#include <node_api.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include "area.h"
#include "cellsums.h"
#include "dct.h"
#include "decoders.h"

static const char *STATUS_NAMES[] = {"ok", "unsupported", "too_large", "warning", "error"};

typedef void (*decoder_fn)(decode_job *);

typedef struct {
  decode_job d;
  decoder_fn decoder;
  napi_ref buffer_ref; /* keeps the input alive while the work runs */
  napi_ref out_ref;
  napi_deferred deferred;
  napi_async_work work;
} job_t;

unsigned char *decode_target(decode_job *job, size_t bytes) {
  if (job->out) {
    if (job->out_len == bytes) return job->out;
    job->status = ST_ERROR;
    snprintf(job->message, sizeof job->message, "output buffer of %zu bytes for %zu", job->out_len, bytes);
    return NULL;
  }
  unsigned char *p = (unsigned char *)malloc(bytes ? bytes : 1);
  if (!p) {
    job->status = ST_ERROR;
    snprintf(job->message, sizeof job->message, "out of memory for %zu bytes of pixels", bytes);
  }
  return p;
}

void decode_release(decode_job *job, unsigned char *pixels) {
  if (pixels && pixels != job->out) free(pixels);
  job->pixels = NULL;
}

void decode_done(decode_job *job, unsigned char *pixels, int warned, const char *warning) {
  if (warned) {
    /* The decoder filled in or skipped damaged data: let sharp decide and classify. */
    decode_release(job, pixels);
    job->status = ST_WARNING;
    snprintf(job->message, sizeof job->message, "%s", warning);
    return;
  }
  job->pixels = pixels == job->out ? NULL : pixels;
  job->status = ST_OK;
}

static void run_decode(job_t *job) {
  job->decoder(&job->d);
}

#define CHECK(env, call)                                                                        \
  do {                                                                                          \
    if ((call) != napi_ok) {                                                                    \
      napi_throw_error((env), NULL, "jpeg_decode: N-API call failed: " #call);                  \
      return NULL;                                                                              \
    }                                                                                           \
  } while (0)

static void free_pixels(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

static napi_value set_prop(napi_env env, napi_value obj, const char *key, napi_value v) {
  if (napi_set_named_property(env, obj, key, v) != napi_ok) return NULL;
  return obj;
}

/* Builds the result object; hands the pixel memory to an external Buffer (no copy). */
static napi_value make_result(napi_env env, job_t *j) {
  decode_job *job = &j->d;
  napi_value obj, v;
  CHECK(env, napi_create_object(env, &obj));
  CHECK(env, napi_create_string_utf8(env, STATUS_NAMES[job->status], NAPI_AUTO_LENGTH, &v));
  set_prop(env, obj, "status", v);
  CHECK(env, napi_create_uint32(env, job->width, &v));
  set_prop(env, obj, "width", v);
  CHECK(env, napi_create_uint32(env, job->height, &v));
  set_prop(env, obj, "height", v);
  if (job->message[0]) {
    CHECK(env, napi_create_string_utf8(env, job->message, NAPI_AUTO_LENGTH, &v));
    set_prop(env, obj, "message", v);
  }
  if (job->status == ST_OK && job->out) {
    if (napi_get_reference_value(env, j->out_ref, &v) == napi_ok && v) set_prop(env, obj, "data", v);
  } else if (job->status == ST_OK) {
    size_t len = (size_t)job->width * job->height * 3;
    if (napi_create_external_buffer(env, len, job->pixels, free_pixels, NULL, &v) != napi_ok) {
      /* Some runtimes forbid external buffers: copy instead. */
      void *copy;
      CHECK(env, napi_create_buffer_copy(env, len, job->pixels, &copy, &v));
      free(job->pixels);
    }
    job->pixels = NULL;
    set_prop(env, obj, "data", v);
  }
  return obj;
}

static decoder_fn decoder_for(const char *name) {
  if (strcmp(name, "jpeg") == 0) return decode_jpeg;
#ifdef HAVE_PNG
  if (strcmp(name, "png") == 0) return decode_png;
#endif
#ifdef HAVE_WEBP
  if (strcmp(name, "webp") == 0) return decode_webp;
#endif
  return NULL;
}

/* Reads (buffer, format, maxPixels, scaleDenom, out?) into a job; throws and returns 0 on bad arguments. */
static int read_args(napi_env env, napi_callback_info info, job_t *job, napi_value *buffer) {
  size_t argc = 5;
  napi_value argv[5];
  bool is_buffer = false;
  void *data;
  char format[16] = {0};
  size_t format_len = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2) {
    napi_throw_type_error(env, NULL, "decode(buffer, format, maxPixels, scaleDenom, out?): a Buffer and a format are required");
    return 0;
  }
  napi_is_buffer(env, argv[0], &is_buffer);
  if (!is_buffer || napi_get_buffer_info(env, argv[0], &data, &job->d.src_len) != napi_ok) {
    napi_throw_type_error(env, NULL, "decode: the first argument must be a Buffer");
    return 0;
  }
  if (napi_get_value_string_utf8(env, argv[1], format, sizeof format, &format_len) != napi_ok || !(job->decoder = decoder_for(format))) {
    napi_throw_range_error(env, NULL, "decode: format must be one of the addon's `formats`");
    return 0;
  }
  job->d.src = (const unsigned char *)data;
  job->d.max_pixels = 1e18;
  job->d.scale_denom = 1;
  if (argc >= 3) napi_get_value_double(env, argv[2], &job->d.max_pixels);
  if (argc >= 4) {
    int32_t d = 1;
    napi_get_value_int32(env, argv[3], &d);
    if (d != 1 && d != 2 && d != 4 && d != 8) {
      napi_throw_range_error(env, NULL, "decode: scaleDenom must be 1, 2, 4 or 8");
      return 0;
    }
    job->d.scale_denom = d;
  }
  if (argc >= 5) {
    napi_valuetype t;
    napi_typeof(env, argv[4], &t);
    if (t != napi_undefined && t != napi_null) {
      bool ok = false;
      void *outp;
      napi_is_buffer(env, argv[4], &ok);
      if (!ok || napi_get_buffer_info(env, argv[4], &outp, &job->d.out_len) != napi_ok) {
        napi_throw_type_error(env, NULL, "decode: the output must be a Buffer");
        return 0;
      }
      job->d.out = (unsigned char *)outp;
      if (napi_create_reference(env, argv[4], 1, &job->out_ref) != napi_ok) {
        napi_throw_error(env, NULL, "decode: could not hold the output buffer");
        return 0;
      }
    }
  }
  *buffer = argv[0];
  return 1;
}

static napi_value decode_sync(napi_env env, napi_callback_info info) {
  job_t job;
  napi_value buffer;
  memset(&job, 0, sizeof job);
  if (!read_args(env, info, &job, &buffer)) return NULL;
  run_decode(&job);
  napi_value out = make_result(env, &job);
  free(job.d.pixels);
  if (job.out_ref) napi_delete_reference(env, job.out_ref);
  return out;
}

static void execute(napi_env env, void *data) {
  (void)env;
  run_decode((job_t *)data);
}

static void complete(napi_env env, napi_status status, void *data) {
  job_t *job = (job_t *)data;
  napi_value result = NULL;
  if (status == napi_ok) result = make_result(env, job);
  if (result) napi_resolve_deferred(env, job->deferred, result);
  else {
    napi_value msg, err;
    napi_create_string_utf8(env, "jpeg_decode: the decode was cancelled or failed to return", NAPI_AUTO_LENGTH, &msg);
    napi_create_error(env, NULL, msg, &err);
    napi_reject_deferred(env, job->deferred, err);
  }
  napi_delete_reference(env, job->buffer_ref);
  if (job->out_ref) napi_delete_reference(env, job->out_ref);
  napi_delete_async_work(env, job->work);
  free(job->d.pixels);
  free(job);
}

static napi_value decode_async(napi_env env, napi_callback_info info) {
  job_t *job = (job_t *)calloc(1, sizeof(job_t));
  napi_value buffer, promise, name;
  if (!job) {
    napi_throw_error(env, NULL, "jpeg_decode: out of memory");
    return NULL;
  }
  if (!read_args(env, info, job, &buffer)) {
    if (job->out_ref) napi_delete_reference(env, job->out_ref);
    free(job);
    return NULL;
  }
  if (napi_create_reference(env, buffer, 1, &job->buffer_ref) != napi_ok ||
      napi_create_promise(env, &job->deferred, &promise) != napi_ok ||
      napi_create_string_utf8(env, "media-dedupe:jpeg-decode", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_async_work(env, NULL, name, execute, complete, job, &job->work) != napi_ok ||
      napi_queue_async_work(env, job->work) != napi_ok) {
    if (job->out_ref) napi_delete_reference(env, job->out_ref);
    if (job->buffer_ref) napi_delete_reference(env, job->buffer_ref);
    free(job);
    napi_throw_error(env, NULL, "jpeg_decode: could not queue the decode");
    return NULL;
  }
  return promise;
}

/* A typed array's contents, checking its element type; NULL (with a TypeError thrown) otherwise. */
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
  size_t argc = 11;
  napi_value argv[11];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 11) {
    napi_throw_type_error(env, NULL, "cellSums: 11 arguments expected");
    return NULL;
  }
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
  size_t argc = 14;
  napi_value argv[14];
  int32_t v[10];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 14) {
    napi_throw_type_error(env, NULL, "areaResize: 14 arguments expected");
    return NULL;
  }
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
  double *work = (double *)malloc(sizeof(double) * ((size_t)n * size + 2 * ((size_t)n / 2 + 1)));
  if (!work) {
    napi_throw_error(env, NULL, "dct2Block: out of memory");
    return NULL;
  }
  dct2_block(x, n, off, size, c, work, work + (size_t)n * size, work + (size_t)n * size + n / 2 + 1, out);
  free(work);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"decode", NULL, decode_async, NULL, NULL, NULL, napi_default, NULL},
      {"decodeSync", NULL, decode_sync, NULL, NULL, NULL, napi_default, NULL},
      {"cellSums", NULL, cell_sums_js, NULL, NULL, NULL, napi_default, NULL},
      {"dct2Block", NULL, dct2_block_js, NULL, NULL, NULL, napi_default, NULL},
      {"areaResize", NULL, area_resize_js, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(env, napi_define_properties(env, exports, sizeof props / sizeof props[0], props));
  napi_value v, fmts;
  CHECK(env, napi_create_int32(env, LIBJPEG_TURBO_VERSION_NUMBER, &v));
  set_prop(env, exports, "libjpegTurboVersion", v);
  const char *names[] = {
      "jpeg",
#ifdef HAVE_PNG
      "png",
#endif
#ifdef HAVE_WEBP
      "webp",
#endif
  };
  CHECK(env, napi_create_array(env, &fmts));
  for (uint32_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    CHECK(env, napi_create_string_utf8(env, names[i], NAPI_AUTO_LENGTH, &v));
    CHECK(env, napi_set_element(env, fmts, i, v));
  }
  set_prop(env, exports, "formats", fmts);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
