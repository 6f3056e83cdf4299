/*
 * WebP -> 8-bit RGB with libwebp (what cv2.imread calls too): lossy and lossless, alpha dropped, not
 * composited. Animated files and files carrying EXIF (whose orientation sharp would apply) are declined.
 */
#ifdef HAVE_WEBP
#include <stdio.h>
#include <string.h>
#include <webp/decode.h>
#include "decoders.h"

/* The VP8X header's flags: bit 3 = EXIF metadata present. */
static int has_exif(const unsigned char *b, size_t n) {
  return n >= 21 && memcmp(b + 12, "VP8X", 4) == 0 && (b[20] & 0x08) != 0;
}

void decode_webp(decode_job *job) {
  WebPBitstreamFeatures f;
  if (WebPGetFeatures(job->src, job->src_len, &f) != VP8_STATUS_OK) {
    job->status = ST_ERROR;
    snprintf(job->message, sizeof job->message, "not a WebP bitstream libwebp can read");
    return;
  }
  job->width = (unsigned int)f.width;
  job->height = (unsigned int)f.height;
  if ((double)f.width * (double)f.height > job->max_pixels) {
    job->status = ST_TOO_LARGE;
    return;
  }
  if (f.has_animation || has_exif(job->src, job->src_len)) {
    job->status = ST_UNSUPPORTED;
    snprintf(job->message, sizeof job->message, f.has_animation ? "animated" : "EXIF metadata");
    return;
  }
  const size_t stride = (size_t)f.width * 3;
  unsigned char *pixels = decode_target(job, stride * (size_t)f.height);
  if (!pixels) return;
  if (!WebPDecodeRGBInto(job->src, job->src_len, pixels, stride * (size_t)f.height, (int)stride)) {
    decode_release(job, pixels);
    job->status = ST_ERROR;
    snprintf(job->message, sizeof job->message, "libwebp could not decode the bitstream");
    return;
  }
  decode_done(job, pixels, 0, "");
}
#endif
