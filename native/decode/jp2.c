/*
 * JPEG 2000 (JP2 file or raw J2K codestream) -> 8-bit RGB with OpenJPEG, the way cv2.imread(path)
 * (IMREAD_COLOR) reads it with OpenCV 4.6 (OpenJPEG 2.5 on Debian 12): full resolution, every layer,
 * unsigned components of 8 bits or more only, no tiles of other sizes or component subsampling; every
 * component shifted right by (highest precision - 8) and kept in 8 bits; sRGB and unspecified colour
 * spaces take components 0, 1, 2 as R, G, B (fewer than 3 components: refused, as cv2 does), grey is
 * expanded, sYCC is converted with OpenCV's integer YUV -> RGB (14-bit coefficients). Checked byte for
 * byte against cv2 (test/golden/formats.test.ts). Any OpenJPEG error is declined. Palettes are applied
 * by OpenJPEG, as in OpenCV.
 */
#ifdef HAVE_JP2
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openjpeg.h>
#include "decoders.h"

typedef struct {
  const unsigned char *data;
  OPJ_SIZE_T len, pos;
  char message[DECODE_MESSAGE_MAX];
  int errors;
} src_t;

static OPJ_SIZE_T on_read(void *out, OPJ_SIZE_T n, void *user) {
  src_t *s = (src_t *)user;
  OPJ_SIZE_T left = s->len - s->pos;
  if (left == 0) return (OPJ_SIZE_T)-1;
  if (n > left) n = left;
  memcpy(out, s->data + s->pos, n);
  s->pos += n;
  return n;
}
static OPJ_OFF_T on_skip(OPJ_OFF_T n, void *user) {
  src_t *s = (src_t *)user;
  OPJ_SIZE_T left = s->len - s->pos;
  if (n <= 0 || left == 0) return (OPJ_OFF_T)-1;
  if ((OPJ_SIZE_T)n > left) n = (OPJ_OFF_T)left;
  s->pos += (OPJ_SIZE_T)n;
  return n;
}
static OPJ_BOOL on_seek(OPJ_OFF_T n, void *user) {
  src_t *s = (src_t *)user;
  s->pos = (OPJ_SIZE_T)n < s->len ? (OPJ_SIZE_T)n : s->len;
  return OPJ_TRUE;
}
static void on_error(const char *msg, void *user) {
  src_t *s = (src_t *)user;
  if (!s->errors) {
    snprintf(s->message, sizeof s->message, "%s", msg);
    size_t l = strlen(s->message);
    if (l && s->message[l - 1] == '\n') s->message[l - 1] = 0;
  }
  s->errors++;
}
static void on_quiet(const char *msg, void *user) {
  (void)msg;
  (void)user;
}

static unsigned char sat(int v) { return v < 0 ? 0 : v > 255 ? 255 : (unsigned char)v; }

void decode_jp2(decode_job *job) {
  src_t s = {job->src, job->src_len, 0, {0}, 0};
  int is_jp2 = job->src_len >= 4 && !(job->src[0] == 0xff && job->src[1] == 0x4f);
  opj_codec_t *codec = opj_create_decompress(is_jp2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K);
  opj_stream_t *stream = opj_stream_default_create(OPJ_TRUE);
  opj_image_t *image = NULL;
  if (!codec || !stream) {
    job->status = ST_ERROR;
    snprintf(job->message, sizeof job->message, "out of memory");
    goto done;
  }
  opj_stream_set_user_data(stream, &s, NULL);
  opj_stream_set_user_data_length(stream, s.len);
  opj_stream_set_read_function(stream, on_read);
  opj_stream_set_skip_function(stream, on_skip);
  opj_stream_set_seek_function(stream, on_seek);
  opj_set_error_handler(codec, on_error, &s);
  opj_set_warning_handler(codec, on_quiet, &s);
  opj_set_info_handler(codec, on_quiet, &s);
  opj_dparameters_t params;
  opj_set_default_decoder_parameters(&params);
  if (!opj_setup_decoder(codec, &params) || !opj_read_header(stream, codec, &image)) {
    job->status = ST_ERROR;
    snprintf(job->message, sizeof job->message, "%s", s.errors ? s.message : "unreadable JPEG 2000 header");
    goto done;
  }
  unsigned int w = image->x1 - image->x0, h = image->y1 - image->y0, n = image->numcomps;
  job->width = w;
  job->height = h;
  OPJ_UINT32 max_prec = 0;
  int alpha = 0;
  const char *why = NULL;
  if (n < 1 || n > 4) why = "not 1 to 4 components";
  for (unsigned int c = 0; !why && c < n; c++) {
    const opj_image_comp_t *comp = &image->comps[c];
    if (comp->sgnd) why = "a signed component";
    else if (alpha && comp->alpha) why = "two alpha components";
    else if (comp->prec > 64) why = "a component of over 64 bits";
    alpha |= comp->alpha != 0;
    if (comp->prec > max_prec) max_prec = comp->prec;
  }
  if (!why && max_prec < 8) why = "components of fewer than 8 bits";
  if (why) {
    job->status = ST_UNSUPPORTED;
    snprintf(job->message, sizeof job->message, "%s, which cv2.imread does not read", why);
    goto done;
  }
  if (w == 0 || h == 0 || (double)w * (double)h > job->max_pixels) {
    job->status = w && h ? ST_TOO_LARGE : ST_ERROR;
    goto done;
  }
  if (!opj_decode(codec, stream, image)) {
    job->status = ST_ERROR;
    snprintf(job->message, sizeof job->message, "%s", s.errors ? s.message : "decoding failed");
    goto done;
  }
  /* A palette (pclr box) is applied by opj_decode: the image now has the palette's components, while
   * the shift below still comes from the header's index precision, as OpenCV computes it in readHeader. */
  n = image->numcomps;
  int space = image->color_space;
  int srgb = space == OPJ_CLRSPC_UNKNOWN || space == OPJ_CLRSPC_UNSPECIFIED || space == OPJ_CLRSPC_SRGB;
  if (!(srgb || space == OPJ_CLRSPC_GRAY || space == OPJ_CLRSPC_SYCC) || ((srgb || space == OPJ_CLRSPC_SYCC) && n < 3)) {
    job->status = ST_UNSUPPORTED;
    snprintf(job->message, sizeof job->message, "colour space %d with %u components, which cv2.imread does not convert", space, n);
    goto done;
  }
  for (unsigned int c = 0; c < n; c++) {
    const opj_image_comp_t *comp = &image->comps[c];
    if (comp->dx != 1 || comp->dy != 1 || comp->x0 != 0 || comp->y0 != 0 || comp->w != w || comp->h != h || !comp->data) {
      job->status = ST_UNSUPPORTED;
      snprintf(job->message, sizeof job->message, "subsampled or offset components, which cv2.imread does not read");
      goto done;
    }
  }
  unsigned int shift = max_prec > 8 ? max_prec - 8 : 0;
  unsigned char *px = decode_target(job, (size_t)w * h * 3);
  if (!px) goto done;
  size_t count = (size_t)w * h;
  const OPJ_INT32 *c0 = image->comps[0].data, *c1 = space == OPJ_CLRSPC_GRAY ? c0 : image->comps[1].data,
                  *c2 = space == OPJ_CLRSPC_GRAY ? c0 : image->comps[2].data;
  for (size_t i = 0; i < count; i++) {
    unsigned char a = (unsigned char)(c0[i] >> shift), b = (unsigned char)(c1[i] >> shift), c = (unsigned char)(c2[i] >> shift);
    unsigned char *d = px + i * 3;
    if (space == OPJ_CLRSPC_SYCC) {
      /* OpenCV's COLOR_YUV2BGR on 8-bit: Y, U, V with 14-bit fixed-point coefficients */
      int u = b - 128, v = c - 128;
      d[0] = sat(a + ((v * 18678 + (1 << 13)) >> 14));
      d[1] = sat(a + ((u * -6472 + v * -9519 + (1 << 13)) >> 14));
      d[2] = sat(a + ((u * 33292 + (1 << 13)) >> 14));
    } else {
      d[0] = a;
      d[1] = b;
      d[2] = c;
    }
  }
  decode_done(job, px, 0, "");
done:
  if (image) opj_image_destroy(image);
  if (stream) opj_stream_destroy(stream);
  if (codec) opj_destroy_codec(codec);
}
#endif
