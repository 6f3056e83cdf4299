/*
 * JPEG -> 8-bit RGB with libjpeg-turbo, the way cv2.imread decodes: accurate integer IDCT, fancy
 * upsampling, no colour management; grey expands to R = G = B; CMYK/YCCK by OpenCV's own formula.
 * Baseline/progressive/arithmetic 8-bit JPEG with 1, 3 or 4 components; 12-bit is declined, as is any
 * file on which libjpeg warns (truncated or corrupt data: it would fill the gap with grey). EXIF
 * orientation is the caller's.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include "decoders.h"

struct err_mgr {
  struct jpeg_error_mgr pub;
  jmp_buf jump;
  int warned;
  char message[JMSG_LENGTH_MAX];
};

static void on_error_exit(j_common_ptr cinfo) {
  struct err_mgr *e = (struct err_mgr *)cinfo->err;
  (*cinfo->err->format_message)(cinfo, e->message);
  longjmp(e->jump, 1);
}

/* msg_level < 0 is a warning (corrupt or truncated data): remember the first one, never print. */
static void on_emit_message(j_common_ptr cinfo, int msg_level) {
  struct err_mgr *e = (struct err_mgr *)cinfo->err;
  if (msg_level < 0 && !e->warned) {
    e->warned = 1;
    (*cinfo->err->format_message)(cinfo, e->message);
  }
}

/*
 * CMYK rows to RGB with OpenCV's integer formula (icvCvt_CMYK2BGR): each channel is k - ((255 - c) * k >> 8),
 * which reads the stored values as Adobe's inverted CMYK. libvips (sharp) converts through an ICC
 * profile instead, hence different pixels; these are cv2.imread's.
 */
static void read_cmyk_rows(struct jpeg_decompress_struct *cinfo, unsigned char *pixels, size_t stride) {
  JSAMPARRAY row = (*cinfo->mem->alloc_sarray)((j_common_ptr)cinfo, JPOOL_IMAGE, cinfo->output_width * 4, 1);
  while (cinfo->output_scanline < cinfo->output_height) {
    unsigned char *d = pixels + stride * cinfo->output_scanline;
    jpeg_read_scanlines(cinfo, row, 1);
    const unsigned char *s = row[0];
    for (JDIMENSION x = 0; x < cinfo->output_width; x++, s += 4, d += 3) {
      int k = s[3];
      d[0] = (unsigned char)(k - ((255 - s[0]) * k >> 8));
      d[1] = (unsigned char)(k - ((255 - s[1]) * k >> 8));
      d[2] = (unsigned char)(k - ((255 - s[2]) * k >> 8));
    }
  }
}

void decode_jpeg(decode_job *job) {
  struct jpeg_decompress_struct cinfo;
  struct err_mgr err;
  unsigned char *volatile pixels = NULL;
  memset(&err, 0, sizeof err);
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = on_error_exit;
  err.pub.emit_message = on_emit_message;
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&cinfo);
    decode_release(job, pixels);
    job->status = ST_ERROR;
    snprintf(job->message, sizeof job->message, "%s", err.message);
    return;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, job->src, (unsigned long)job->src_len);
  jpeg_read_header(&cinfo, TRUE);
  job->width = cinfo.image_width;
  job->height = cinfo.image_height;
  if ((double)cinfo.image_width * (double)cinfo.image_height > job->max_pixels) {
    job->status = ST_TOO_LARGE;
    jpeg_destroy_decompress(&cinfo);
    return;
  }
  const int cmyk = cinfo.num_components == 4;
  if (cinfo.data_precision != 8 || !(cinfo.num_components == 1 || cinfo.num_components == 3 || cmyk)) {
    job->status = ST_UNSUPPORTED;
    snprintf(job->message, sizeof job->message, "%d components, %d-bit", cinfo.num_components, cinfo.data_precision);
    jpeg_destroy_decompress(&cinfo);
    return;
  }
  /* libjpeg's other defaults are OpenCV's; CMYK and YCCK come out as CMYK, converted below as OpenCV does */
  cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
  cinfo.scale_num = 1;
  cinfo.scale_denom = (unsigned int)job->scale_denom;
  jpeg_start_decompress(&cinfo);
  const size_t stride = (size_t)cinfo.output_width * 3;
  pixels = decode_target(job, stride * cinfo.output_height);
  if (!pixels) {
    jpeg_destroy_decompress(&cinfo);
    return;
  }
  if (cmyk) {
    read_cmyk_rows(&cinfo, pixels, stride);
    jpeg_finish_decompress(&cinfo);
    job->width = cinfo.output_width;
    job->height = cinfo.output_height;
    jpeg_destroy_decompress(&cinfo);
    decode_done(job, pixels, err.warned, err.message);
    return;
  }
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW rows[4];
    JDIMENSION n = 0;
    for (; n < 4 && cinfo.output_scanline + n < cinfo.output_height; n++) rows[n] = pixels + stride * (cinfo.output_scanline + n);
    jpeg_read_scanlines(&cinfo, rows, n);
  }
  jpeg_finish_decompress(&cinfo);
  job->width = cinfo.output_width;
  job->height = cinfo.output_height;
  jpeg_destroy_decompress(&cinfo);
  decode_done(job, pixels, err.warned, err.message);
}
