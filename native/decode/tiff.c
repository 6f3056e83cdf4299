/*
 * TIFF -> 8-bit RGB with libtiff, the way cv2.imread(path) (IMREAD_COLOR) reads it with OpenCV 4.6: the
 * first page only; the header checks OpenCV makes (bits per sample 1, 8, 10, 12, 14, 16, 32 or 64 with
 * a matching sample format, at most 4 samples, TIFFRGBAImageOK); then every bit depth and colour model
 * through libtiff's RGBA interface (TIFFReadRGBAStrip/Tile: 16-bit, palette, YCbCr, CMYK, JPEG-in-TIFF,
 * min-is-white all as libtiff converts them), rows placed as OpenCV places them, and OpenCV's own partial
 * orientation fix on top of what libtiff already applied. Written from the format and OpenCV's documented
 * behaviour, checked byte for byte against cv2 (test/golden/formats.test.ts); same library, same calls,
 * hence the same pixels. Any libtiff error while reading pixels is declined (status warning): OpenCV
 * would keep whatever the reader left in an uninitialised buffer, which no one can reproduce.
 */
#ifdef HAVE_TIFF
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>
#include "decoders.h"

typedef struct {
  const unsigned char *data;
  toff_t len, pos;
  int errors;
  char message[DECODE_MESSAGE_MAX];
} mem_t;

static tsize_t mem_read(thandle_t h, tdata_t buf, tsize_t n) {
  mem_t *m = (mem_t *)h;
  if (m->pos >= m->len) return 0;
  if ((toff_t)n > m->len - m->pos) n = (tsize_t)(m->len - m->pos);
  memcpy(buf, m->data + m->pos, (size_t)n);
  m->pos += (toff_t)n;
  return n;
}
static tsize_t mem_write(thandle_t h, tdata_t buf, tsize_t n) {
  (void)h;
  (void)buf;
  (void)n;
  return -1;
}
static toff_t mem_seek(thandle_t h, toff_t off, int whence) {
  mem_t *m = (mem_t *)h;
  toff_t base = whence == SEEK_CUR ? m->pos : whence == SEEK_END ? m->len : 0;
  m->pos = base + off;
  return m->pos;
}
static int mem_close(thandle_t h) {
  (void)h;
  return 0;
}
static toff_t mem_size(thandle_t h) { return ((mem_t *)h)->len; }
static int mem_map(thandle_t h, tdata_t *base, toff_t *size) {
  mem_t *m = (mem_t *)h;
  *base = (tdata_t)m->data;
  *size = m->len;
  return 1;
}
static void mem_unmap(thandle_t h, tdata_t base, toff_t size) {
  (void)h;
  (void)base;
  (void)size;
}

/* Per-handle handlers (libtiff >= 4.5): remember the first error, never print. */
static int on_error(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap) {
  (void)tif;
  (void)module;
  mem_t *m = (mem_t *)user;
  if (!m->errors) vsnprintf(m->message, sizeof m->message, fmt, ap);
  m->errors++;
  return 1;
}
static int on_warning(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap) {
  (void)tif;
  (void)user;
  (void)module;
  (void)fmt;
  (void)ap;
  return 1;
}

static void fail(decode_job *job, decode_status st, const char *what) {
  job->status = st;
  snprintf(job->message, sizeof job->message, "%s", what);
}

/* Rotates/flips `src` (w x h RGB) the way OpenCV's fixOrientationPartial does for 8-bit reads. */
static unsigned char *fix_orientation(decode_job *job, unsigned char *src, unsigned int w, unsigned int h, int orientation) {
  int flip_both = orientation == ORIENTATION_RIGHTTOP || orientation == ORIENTATION_LEFTBOT;
  int transpose = flip_both || orientation == ORIENTATION_LEFTTOP || orientation == ORIENTATION_RIGHTBOT;
  if (!transpose) return src;
  unsigned char *dst = decode_target(job, (size_t)w * h * 3);
  if (!dst) return NULL;
  /* out(x, y) of the h x w result = in(y, x) after the optional 180-degree turn */
  for (unsigned int y = 0; y < h; y++)
    for (unsigned int x = 0; x < w; x++) {
      unsigned int sy = flip_both ? h - 1 - y : y, sx = flip_both ? w - 1 - x : x;
      const unsigned char *s = src + ((size_t)sy * w + sx) * 3;
      unsigned char *d = dst + ((size_t)x * h + y) * 3;
      d[0] = s[0];
      d[1] = s[1];
      d[2] = s[2];
    }
  return dst;
}

void decode_tiff(decode_job *job) {
  mem_t m = {job->src, job->src_len, 0, 0, {0}};
  TIFFOpenOptions *opts = TIFFOpenOptionsAlloc();
  if (!opts) return fail(job, ST_ERROR, "out of memory");
  TIFFOpenOptionsSetErrorHandlerExtR(opts, on_error, &m);
  TIFFOpenOptionsSetWarningHandlerExtR(opts, on_warning, &m);
  TIFF *tif = TIFFClientOpenExt("", "r", (thandle_t)&m, mem_read, mem_write, mem_seek, mem_close, mem_size, mem_map, mem_unmap, opts);
  TIFFOpenOptionsFree(opts);
  if (!tif) return fail(job, ST_ERROR, m.message[0] ? m.message : "not a readable TIFF");
  unsigned char *full = NULL, *rgba = NULL;
  int transposes = 0;
  uint32_t width = 0, height = 0;
  uint16_t photometric = 0;
  if (!TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &width) || !TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &height) ||
      !TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photometric)) {
    fail(job, ST_ERROR, "no width, height or photometric tag");
    goto done;
  }
  job->width = width;
  job->height = height;
  int grey = photometric == PHOTOMETRIC_MINISWHITE || photometric == PHOTOMETRIC_MINISBLACK;
  uint16_t bpp = 8, ncn = grey ? 1 : 3;
  if (!TIFFGetField(tif, TIFFTAG_BITSPERSAMPLE, &bpp)) bpp = 1;
  TIFFGetField(tif, TIFFTAG_SAMPLESPERPIXEL, &ncn);
  if (!(ncn == 3 && photometric == PHOTOMETRIC_LOGLUV)) {
    /* OpenCV's readHeader: which bit depths and sample formats it accepts at all */
    uint16_t hbpp = bpp, fmt = SAMPLEFORMAT_UINT;
    if (hbpp > 8 && (photometric > 2 || (ncn != 1 && ncn != 3 && ncn != 4))) hbpp = 8;
    TIFFGetField(tif, TIFFTAG_SAMPLEFORMAT, &fmt);
    int ok;
    switch (hbpp) {
      case 1: case 8: case 10: case 12: case 14: case 16: ok = fmt == SAMPLEFORMAT_UINT || fmt == SAMPLEFORMAT_INT; break;
      case 32: ok = fmt == SAMPLEFORMAT_IEEEFP || fmt == SAMPLEFORMAT_INT; break;
      case 64: ok = fmt == SAMPLEFORMAT_IEEEFP; break;
      default: ok = 0;
    }
    if (!ok) {
      job->status = ST_UNSUPPORTED;
      snprintf(job->message, sizeof job->message, "%u bits per sample in sample format %u, which cv2.imread does not read", hbpp, fmt);
      goto done;
    }
  }
  if (width == 0 || height == 0 || (double)width * (double)height > job->max_pixels) {
    job->status = width && height ? ST_TOO_LARGE : ST_ERROR;
    goto done;
  }
  uint16_t orientation = ORIENTATION_TOPLEFT;
  TIFFGetField(tif, TIFFTAG_ORIENTATION, &orientation);
  int vert_flip = orientation == ORIENTATION_BOTRIGHT || orientation == ORIENTATION_RIGHTBOT || orientation == ORIENTATION_BOTLEFT ||
                  orientation == ORIENTATION_LEFTBOT;
  char emsg[1024];
  if (!TIFFRGBAImageOK(tif, emsg)) {
    job->status = ST_UNSUPPORTED;
    snprintf(job->message, sizeof job->message, "%s", emsg);
    goto done;
  }
  int tiled = TIFFIsTiled(tif) != 0;
  uint32_t tw = width, th = 0;
  if (tiled) {
    if (!TIFFGetField(tif, TIFFTAG_TILEWIDTH, &tw) || !TIFFGetField(tif, TIFFTAG_TILELENGTH, &th)) {
      fail(job, ST_ERROR, "a tiled TIFF without tile size");
      goto done;
    }
  } else TIFFGetField(tif, TIFFTAG_ROWSPERSTRIP, &th);
  if (tw == 0) tw = width;
  if (th == 0 || (!tiled && th == UINT32_MAX)) th = height;
  if ((int32_t)tw <= 0 || tw > (1u << 24) || (int32_t)th <= 0 || th > (1u << 24) || ncn > 4 || bpp > 64 ||
      (uint64_t)tw * th * ncn * (bpp / 8 > 1 ? bpp / 8 : 1) >= (1ull << 30)) {
    job->status = ST_UNSUPPORTED;
    snprintf(job->message, sizeof job->message, "%u samples, %u-bit, %u x %u tiles: beyond what cv2.imread reads", ncn, bpp, tw, th);
    goto done;
  }
  rgba = (unsigned char *)malloc((size_t)tw * th * 4);
  /* Transposing orientations need a second buffer; the others are written in place into the output. */
  transposes = orientation >= ORIENTATION_LEFTTOP && orientation <= ORIENTATION_LEFTBOT;
  full = transposes ? (unsigned char *)malloc((size_t)width * height * 3) : decode_target(job, (size_t)width * height * 3);
  if (!rgba || !full) {
    if (!full && !transposes) goto done; /* decode_target set the error */
    fail(job, ST_ERROR, "out of memory");
    goto done;
  }
  for (uint32_t y = 0; y < height; y += th) {
    uint32_t tile_h = th < height - y ? th : height - y;
    uint32_t img_y = vert_flip ? height - y - tile_h : y;
    for (uint32_t x = 0; x < width; x += tw) {
      uint32_t tile_w = tw < width - x ? tw : width - x;
      const unsigned char *start = rgba;
      int ok;
      if (!tiled) ok = TIFFReadRGBAStrip(tif, y, (uint32_t *)rgba);
      else {
        ok = TIFFReadRGBATile(tif, x, y, (uint32_t *)rgba);
        start += (size_t)(th - tile_h) * tw * 4; /* tiles fill the buffer from the bottom up */
      }
      if (!ok || m.errors) {
        /* libtiff's RGBA reader has no routine for this layout (16-bit CMYK, ...): cv2.imread fails on it
         * the same way, so it is refused rather than left to sharp, which would decode it. */
        int cannot = strncmp(m.message, "Sorry, can not handle", 21) == 0;
        fail(job, cannot ? ST_UNSUPPORTED : ST_WARNING, m.message[0] ? m.message : "libtiff could not read a strip or tile");
        goto done;
      }
      for (uint32_t i = 0; i < tile_h; i++) {
        const unsigned char *s = start + (size_t)i * tw * 4;
        unsigned char *d = full + ((size_t)(img_y + tile_h - i - 1) * width + x) * 3;
        for (uint32_t k = 0; k < tile_w; k++, s += 4, d += 3) {
          d[0] = s[0];
          d[1] = s[1];
          d[2] = s[2];
        }
      }
    }
  }
  if (transposes) {
    unsigned char *out = fix_orientation(job, full, width, height, orientation);
    if (!out) goto done;
    free(full);
    full = out;
    job->width = height;
    job->height = width;
  }
  decode_done(job, full, 0, "");
  full = NULL;
done:
  if (transposes) free(full);
  else if (full) decode_release(job, full);
  free(rgba);
  TIFFClose(tif);
}
#endif
