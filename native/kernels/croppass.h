#pragma once
#include <stddef.h>
#include <stdint.h>
#include "area.h"

/*
 * Everything a crop-resistant scan measures on a file's pixels besides its whole-file hash, in one call
 * (croppass.c; src/core/crops/cropPass.ts says what each part is and runs it on the libuv pool beside the
 * decode): the content box, the grey grid, the views' PHash bits and the view colours' cell sums.
 */
typedef struct {
  const uint8_t *rgb;
  int width, height;
  /* the content box: tolerance, and the shares under which it is none (cropWindows.ts contentBox) */
  int tolerance;
  double min_share, min_trim;
  /* the grey grid: weights, cells a side, integer factors (ix, iy > 0) or the tables */
  int wr, wg, wb, cells, ix, iy;
  const area_cell *xt, *yt;
  /* the views' bits (cropbits.h) */
  int side, nwin, off, size, eft;
  const int32_t *windows;
  const double *cos_matrix;
  /* the view colours' cells (cellsums.h) */
  const int32_t *ccols, *crows;
  int cgrid, cstep;
} crop_pass_in;

typedef struct {
  int box[4];        /* left, top, right, bottom of the content box, when has_box */
  int has_box;
  uint8_t *grid;     /* cells * cells */
  uint8_t *bits;     /* (1 + nwin) * (size * size - eft) */
  double *sums, *counts; /* added into */
} crop_pass_out;

/* 1, or 0 when out of memory (nothing useful is in out then). */
int crop_pass(const crop_pass_in *in, crop_pass_out *out);
