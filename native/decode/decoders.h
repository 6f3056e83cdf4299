/* One decode request and its result, shared by the format decoders and the N-API glue (addon.c). */
#ifndef MEDIA_DEDUPE_DECODERS_H
#define MEDIA_DEDUPE_DECODERS_H
#include <stddef.h>

/* ST_OUT_SIZE: the caller's `out` is not the size of the pixels decoded (nothing was written to it). */
typedef enum { ST_OK = 0, ST_UNSUPPORTED, ST_TOO_LARGE, ST_WARNING, ST_ERROR, ST_OUT_SIZE } decode_status;

#define DECODE_MESSAGE_MAX 200

typedef struct {
  /* input */
  const unsigned char *src;
  size_t src_len;
  double max_pixels;
  int scale_denom;    /* JPEG only: 1, 2, 4 or 8 */
  unsigned char *out; /* caller's buffer (exactly width * height * 3 bytes), or NULL to allocate */
  size_t out_len;
  /* output */
  decode_status status;
  unsigned char *pixels; /* malloc'd RGB when `out` was not given (owned by the caller afterwards) */
  unsigned int width, height;
  char message[DECODE_MESSAGE_MAX];
} decode_job;

/*
 * Each decoder fills width/height/status, and on ST_OK leaves 8-bit RGB rows in `out` (when given) or
 * in a malloc'd `pixels`. They decline (ST_UNSUPPORTED / ST_WARNING) whatever they cannot decode exactly
 * as cv2.imread does (the JPEG/PNG/WebP decoders: as the sharp recipe does, which is cv2's pixels); the
 * caller then uses sharp, or for TIFF and JPEG 2000 variants that cv2 refuses, reports them.
 */
void decode_jpeg(decode_job *job);
#ifdef HAVE_WEBP
void decode_webp(decode_job *job);
#endif
#ifdef HAVE_PNG
void decode_png(decode_job *job);
#endif
#ifdef HAVE_TIFF
void decode_tiff(decode_job *job);
#endif
#ifdef HAVE_JP2
void decode_jp2(decode_job *job);
#endif

/* Returns the buffer to decode into (job->out or a new allocation), or NULL with the job set to ST_OUT_SIZE (out is
 * another size) or an error. */
unsigned char *decode_target(decode_job *job, size_t bytes);
/* Frees what decode_target allocated (never the caller's buffer). */
void decode_release(decode_job *job, unsigned char *pixels);
/* Ends a decode that produced `pixels`: ST_OK, or ST_WARNING (pixels dropped) when the decoder warned. */
void decode_done(decode_job *job, unsigned char *pixels, int warned, const char *warning);

#endif
