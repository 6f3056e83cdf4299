/*
 * Media Dedupe's image decoder addon: JPEG (libjpeg-turbo), PNG (libpng) and WebP (libwebp) to 8-bit
 * RGB, giving the pixels of the sharp recipe that matches cv2.imread (checked byte for byte by
 * src/core/image/decodeNative.test.ts), so perception's hashes come out the same; TIFF (libtiff) and
 * JPEG 2000 (OpenJPEG), which sharp's libvips reads differently or not at all, with cv2.imread's own
 * pixels (test/golden/formats.test.ts). The math kernels are
 * another addon (native/kernels/), so switching this one off (MEDIA_DEDUPE_DECODER=sharp) or building it
 * without a library leaves them alone.
 *
 * Why beside sharp: on the small images of a training set most of sharp's cost is per image, not per
 * pixel (libvips pipeline set-up, threads, copies): 1.65 ms of CPU per benchmark JPEG where libjpeg-turbo
 * alone takes 0.43 ms, and 7.4 ms per lossy WebP where libwebp takes 2.0 ms. OpenCV calls these libraries
 * directly, which is why perception was faster than any sharp-based pipeline could be. Whatever a decoder
 * declines (see each format's file) goes to sharp, which also classifies errors.
 *
 * API (N-API 6):
 *   decode(buffer, format, maxPixels, scaleDenom, out?, facts?) -> Promise<{ status, data?, width, height, message?,
 *     contentWidth?, contentHeight?, blockGrid? }> on the libuv pool. format "jpeg" | "png" | "webp" | "tiff" | "jp2"
 *     (see `formats` for what this build has); scaleDenom 1, 2, 4 or 8 lets libjpeg shrink inside its IDCT
 *     (JPEG only); `out`, a Buffer of exactly width * height * 3 bytes at that scale, is decoded into and
 *     returned as data. facts { tolerance, gridMinScore?, gridCos? }: also the size without borders of the
 *     decoded pixels and, with the grid's arguments, their block-grid score (see facts_t).
 *   decodeSync(...) -> the same object, on the calling thread.
 *   formats: string[] (the rows of FORMATS below); libjpegTurboVersion: number.
 * status: "ok", "unsupported", "too_large", "warning" (corrupt or truncated data), "error", "out_size" (`out` is
 *   not the size of the pixels decoded: nothing was written to it; decode again without it).
 */
#include <node_api.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include "decoders.h"
#include "../kernels/blockgrid.h"
#include "../kernels/contentsize.h"

static const char *STATUS_NAMES[] = {"ok", "unsupported", "too_large", "warning", "error", "out_size"};

typedef void (*decoder_fn)(decode_job *);

/*
 * The keep policy's pixel facts (src/core/image/keepStats.ts), measured on the pool thread right after the
 * decode, from the same pixels, so the main thread never walks a full-resolution picture again: the size
 * without uniform borders and, when asked (lossless formats), the JPEG block-grid score. The same C
 * kernels as the kernels addon (compiled into both), so the figures are those of keepStats' own path.
 */
typedef struct {
  int tolerance; /* -1: no facts asked */
  int grid;      /* 1: also the block-grid score */
  int grid_min;
  double cos[64]; /* the DCT basis, copied from JavaScript's */
  int content[2];
  int grid_score; /* -1: out of memory (JavaScript measures it then) */
} facts_t;

typedef struct {
  decode_job d;
  facts_t facts;
  decoder_fn decoder;
  napi_ref buffer_ref; /* keeps the input alive while the work runs */
  napi_ref out_ref;
  napi_deferred deferred;
  napi_async_work work;
} job_t;

unsigned char *decode_target(decode_job *job, size_t bytes) {
  if (job->out) {
    if (job->out_len == bytes) return job->out;
    job->status = ST_OUT_SIZE;
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
  facts_t *f = &job->facts;
  if (job->d.status != ST_OK || f->tolerance < 0) return;
  const unsigned char *px = job->d.out ? job->d.out : job->d.pixels;
  content_size(px, job->d.width, job->d.height, f->tolerance, f->content);
  if (f->grid) f->grid_score = block_grid(px, (int)job->d.width, (int)job->d.height, f->grid_min, f->cos);
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
  if (job->status == ST_OK && j->facts.tolerance >= 0) {
    CHECK(env, napi_create_int32(env, j->facts.content[0], &v));
    set_prop(env, obj, "contentWidth", v);
    CHECK(env, napi_create_int32(env, j->facts.content[1], &v));
    set_prop(env, obj, "contentHeight", v);
    if (j->facts.grid && j->facts.grid_score >= 0) {
      CHECK(env, napi_create_int32(env, j->facts.grid_score, &v));
      set_prop(env, obj, "blockGrid", v);
    }
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

/*
 * The formats of this build, one row per decoder of decoders.h: scripts/build-native.mjs compiles a
 * format's file and defines HAVE_<FORMAT> only when the compiler finds its library's header.
 */
static const struct {
  const char *name;
  decoder_fn decode;
} FORMATS[] = {
    {"jpeg", decode_jpeg},
#ifdef HAVE_PNG
    {"png", decode_png},
#endif
#ifdef HAVE_WEBP
    {"webp", decode_webp},
#endif
#ifdef HAVE_TIFF
    {"tiff", decode_tiff},
#endif
#ifdef HAVE_JP2
    {"jp2", decode_jp2},
#endif
};
#define N_FORMATS (sizeof FORMATS / sizeof FORMATS[0])

static decoder_fn decoder_for(const char *name) {
  for (size_t i = 0; i < N_FORMATS; i++)
    if (strcmp(name, FORMATS[i].name) == 0) return FORMATS[i].decode;
  return NULL;
}

/* An integer property of `obj`; 0 (leaving *out alone) when it is absent or not a number. */
static int int_prop(napi_env env, napi_value obj, const char *key, int32_t *out) {
  napi_value v;
  napi_valuetype t;
  if (napi_get_named_property(env, obj, key, &v) != napi_ok || napi_typeof(env, v, &t) != napi_ok || t != napi_number) return 0;
  return napi_get_value_int32(env, v, out) == napi_ok;
}

/*
 * The facts argument: undefined, or { tolerance, gridMinScore?, gridCos? } (the basis a Float64Array of
 * 64 values, both or neither). Throws and returns 0 when it is malformed.
 */
static int read_facts(napi_env env, napi_value arg, facts_t *f) {
  napi_valuetype t;
  f->tolerance = -1;
  if (napi_typeof(env, arg, &t) != napi_ok || t == napi_undefined || t == napi_null) return 1;
  int32_t tol = -1, min = 0;
  if (t != napi_object || !int_prop(env, arg, "tolerance", &tol) || tol < 0 || tol > 255) {
    napi_throw_type_error(env, NULL, "decode: facts must be { tolerance: 0-255, gridMinScore?, gridCos? }");
    return 0;
  }
  f->tolerance = tol;
  if (!int_prop(env, arg, "gridMinScore", &min)) return 1;
  napi_value cos;
  bool is_typed = false;
  napi_typedarray_type type;
  size_t len;
  void *data;
  if (napi_get_named_property(env, arg, "gridCos", &cos) != napi_ok || napi_is_typedarray(env, cos, &is_typed) != napi_ok || !is_typed ||
      napi_get_typedarray_info(env, cos, &type, &len, &data, NULL, NULL) != napi_ok || type != napi_float64_array || len < 64) {
    napi_throw_type_error(env, NULL, "decode: facts.gridCos must be a Float64Array of the 64 DCT basis values");
    return 0;
  }
  memcpy(f->cos, data, sizeof f->cos);
  f->grid = 1;
  f->grid_min = min;
  return 1;
}

/* Reads (buffer, format, maxPixels, scaleDenom, out?, facts?) into a job; throws and returns 0 on bad arguments. */
static int read_args(napi_env env, napi_callback_info info, job_t *job, napi_value *buffer) {
  size_t argc = 6;
  napi_value argv[6];
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
  job->facts.tolerance = -1;
  if (argc >= 6 && !read_facts(env, argv[5], &job->facts)) {
    if (job->out_ref) napi_delete_reference(env, job->out_ref);
    job->out_ref = NULL;
    return 0;
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

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"decode", NULL, decode_async, NULL, NULL, NULL, napi_default, NULL},
      {"decodeSync", NULL, decode_sync, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(env, napi_define_properties(env, exports, sizeof props / sizeof props[0], props));
  napi_value v, fmts;
  CHECK(env, napi_create_int32(env, LIBJPEG_TURBO_VERSION_NUMBER, &v));
  set_prop(env, exports, "libjpegTurboVersion", v);
  CHECK(env, napi_create_array(env, &fmts));
  for (uint32_t i = 0; i < N_FORMATS; i++) {
    CHECK(env, napi_create_string_utf8(env, FORMATS[i].name, NAPI_AUTO_LENGTH, &v));
    CHECK(env, napi_set_element(env, fmts, i, v));
  }
  set_prop(env, exports, "formats", fmts);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
