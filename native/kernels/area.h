#ifndef MEDIA_DEDUPE_AREA_H
#define MEDIA_DEDUPE_AREA_H
#include <stdint.h>

/* One destination index of an INTER_AREA table, as src/core/kernels/area.ts packTab packs it (28 bytes). */
typedef struct {
  int32_t l_idx;
  float l_a; /* 0 when there is no left partial cell */
  int32_t s0, s1;
  float a;
  int32_t r_idx;
  float r_a; /* 0 when there is no right partial cell */
} area_cell;

/* Non-integer downscale; `gray` (weights wr/wg/wb) reads RGB and resizes its grey, else one channel.
   work: 2 * sw + 2 * dw floats' worth (sw floats, 2 * dw floats, sw int32s). */
void area_generic(const uint8_t *src, int sw, int sh, int gray, int wr, int wg, int wb, const area_cell *xt, int dw,
                  const area_cell *yt, int dh, uint8_t *out, float *work);
/* Integer factors ix x iy. work: dw + dw * ix int32s. */
void area_blocks(const uint8_t *src, int sw, int gray, int wr, int wg, int wb, int ix, int iy, int dw, int dh, uint8_t *out,
                 int32_t *work);
/* INTER_AREA's bilinear when an axis grows (the tables of src/core/cv/resizeArea.ts upscaleTab). H: sh * dw * cn int32s of work. */
void area_upscale(const uint8_t *src, int sw, int sh, int cn, const int32_t *xofs, const int32_t *xa0, const int32_t *xa1, int dw,
                  const int32_t *yofs, const int32_t *ya0, const int32_t *ya1, int dh, int32_t *H, uint8_t *out);
#endif
