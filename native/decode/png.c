/*
 * PNG -> 8-bit RGB with libpng: palette and grey expanded, alpha and tRNS dropped (not composited), no
 * gamma or ICC applied, interlacing handled. 16-bit files (whose reduction to 8 bits must follow
 * sharp's arithmetic exactly), files whose eXIf chunk asks for a rotation, and any libpng warning while
 * reading the pixels (damaged data) are declined.
 */
#ifdef HAVE_PNG
#include <png.h>
#include <stdlib.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include "decoders.h"

typedef struct {
  const unsigned char *data;
  size_t len, pos;
  int warned;
  char message[DECODE_MESSAGE_MAX];
} reader;

static void on_read(png_structp png, png_bytep out, png_size_t n) {
  reader *r = (reader *)png_get_io_ptr(png);
  if (n > r->len - r->pos) png_error(png, "unexpected end of file");
  memcpy(out, r->data + r->pos, n);
  r->pos += n;
}

static void on_error(png_structp png, png_const_charp msg) {
  reader *r = (reader *)png_get_error_ptr(png);
  snprintf(r->message, sizeof r->message, "%s", msg);
  png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg) {
  reader *r = (reader *)png_get_error_ptr(png);
  if (!r->warned) snprintf(r->message, sizeof r->message, "%s", msg);
  r->warned = 1;
}

static unsigned int u16(const png_byte *p, int le) { return le ? p[0] | (p[1] << 8) : (p[0] << 8) | p[1]; }
static png_uint_32 u32(const png_byte *p, int le) {
  return le ? (png_uint_32)p[0] | ((png_uint_32)p[1] << 8) | ((png_uint_32)p[2] << 16) | ((png_uint_32)p[3] << 24)
            : ((png_uint_32)p[0] << 24) | ((png_uint_32)p[1] << 16) | ((png_uint_32)p[2] << 8) | (png_uint_32)p[3];
}

/* Tag 0x0112 of IFD0 in the eXIf chunk (a TIFF structure); 1 when there is none or it cannot be read. */
static int exif_orientation(png_structp png, png_infop info) {
  png_uint_32 n = 0;
  png_bytep t = NULL;
  if (!png_get_valid(png, info, PNG_INFO_eXIf) || !png_get_eXIf_1(png, info, &n, &t) || n < 8) return 1;
  int le = t[0] == 'I' && t[1] == 'I';
  if (!le && !(t[0] == 'M' && t[1] == 'M')) return 1;
  png_uint_32 ifd = u32(t + 4, le);
  if (ifd > n - 2) return 1;
  unsigned int count = u16(t + ifd, le);
  for (unsigned int k = 0; k < count; k++) {
    png_uint_32 e = ifd + 2 + k * 12;
    if (e + 12 > n) return 1;
    if (u16(t + e, le) == 0x0112) {
      unsigned int v = u16(t + e + 8, le);
      return v >= 1 && v <= 8 ? (int)v : 1;
    }
  }
  return 1;
}

void decode_png(decode_job *job) {
  reader r = {job->src, job->src_len, 0, 0, {0}};
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &r, on_error, on_warning);
  png_infop info = png ? png_create_info_struct(png) : NULL;
  unsigned char *volatile pixels = NULL;
  png_bytep *volatile rows = NULL;
  if (!png || !info) {
    if (png) png_destroy_read_struct(&png, NULL, NULL);
    job->status = ST_ERROR;
    snprintf(job->message, sizeof job->message, "out of memory");
    return;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, NULL);
    free(rows);
    decode_release(job, pixels);
    job->status = ST_ERROR;
    snprintf(job->message, sizeof job->message, "%s", r.message);
    return;
  }
  png_set_read_fn(png, &r, on_read);
  png_read_info(png, info);
  png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
  int depth = png_get_bit_depth(png, info), type = png_get_color_type(png, info);
  job->width = w;
  job->height = h;
  if ((double)w * (double)h > job->max_pixels) {
    png_destroy_read_struct(&png, &info, NULL);
    job->status = ST_TOO_LARGE;
    return;
  }
  if (depth > 8 || exif_orientation(png, info) != 1) {
    png_destroy_read_struct(&png, &info, NULL);
    job->status = ST_UNSUPPORTED;
    snprintf(job->message, sizeof job->message, depth > 8 ? "16-bit" : "EXIF orientation");
    return;
  }
  /* Warnings so far concern metadata that is ignored anyway (e.g. an iCCP profile libpng dislikes);
     only those raised while reading the pixels mean damaged image data. */
  r.warned = 0;
  if (type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if ((type & PNG_COLOR_MASK_COLOR) == 0) {
    if (depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    png_set_gray_to_rgb(png);
  }
  /* palette_to_rgb also turns tRNS into an alpha channel: strip that too */
  if ((type & PNG_COLOR_MASK_ALPHA) || png_get_valid(png, info, PNG_INFO_tRNS)) png_set_strip_alpha(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  if (png_get_rowbytes(png, info) != (size_t)w * 3) png_error(png, "unexpected row size after transforms");
  pixels = decode_target(job, (size_t)w * 3 * h);
  if (!pixels) {
    png_destroy_read_struct(&png, &info, NULL);
    return;
  }
  rows = (png_bytep *)malloc(sizeof(png_bytep) * h);
  if (!rows) png_error(png, "out of memory");
  for (png_uint_32 y = 0; y < h; y++) rows[y] = pixels + (size_t)y * w * 3;
  png_read_image(png, rows);
  png_read_end(png, NULL);
  free(rows);
  rows = NULL;
  png_destroy_read_struct(&png, &info, NULL);
  decode_done(job, pixels, r.warned, r.message);
}
#endif
