/*
 * A crop-resistant scan's pixel work on one file, in one call: the steps src/core/hashing/hashImage.ts
 * hashCrops runs one kernel at a time on the main thread (the content box of cropWindows.ts, the grey grid
 * and the views' bits of crops/greyViews.ts greyViewBits, the view colours' cell sums of
 * hashers/colorSignature.ts cellMeans), here with the same kernels on the same inputs in the same order,
 * so the same bytes (src/core/crops/cropPass.test.ts compares them, on pictures of the benchmark too). One call lets the scan run
 * it on the libuv pool beside the decode (src/core/crops/cropPass.ts), off the thread that hashes.
 */
#include <stdlib.h>
#include "cellsums.h"
#include "contentbox.h"
#include "cropbits.h"
#include "croppass.h"

int crop_pass(const crop_pass_in *in, crop_pass_out *out) {
  const int w = in->width, h = in->height;
  /* cropWindows.ts contentBox: none on a tiny picture, a box under min_share of a side, or trims under min_trim on both axes. */
  out->has_box = 0;
  if (w >= 8 && h >= 8) {
    content_box(in->rgb, w, h, in->tolerance, out->box);
    const int bw = out->box[2] - out->box[0], bh = out->box[3] - out->box[1];
    const int small = bw < w * in->min_share || bh < h * in->min_share;
    const int slight = w - bw < w * in->min_trim && h - bh < h * in->min_trim;
    out->has_box = !small && !slight;
  }
  const int cells = in->cells;
  const int blocks = in->ix > 0 && in->iy > 0;
  void *area_work = malloc(blocks ? sizeof(int32_t) * ((size_t)cells + (size_t)cells * in->ix) : sizeof(float) * (2 * (size_t)w + 2 * (size_t)cells));
  double *work = malloc(sizeof(double) * crop_view_bits_work_size(cells, in->side, in->size, in->nwin));
  unsigned char *small = malloc((size_t)in->side * in->side);
  if (!area_work || !work || !small) {
    free(area_work);
    free(work);
    free(small);
    return 0;
  }
  if (blocks) area_blocks(in->rgb, w, 1, in->wr, in->wg, in->wb, in->ix, in->iy, cells, cells, out->grid, (int32_t *)area_work);
  else area_generic(in->rgb, w, h, 1, in->wr, in->wg, in->wb, in->xt, cells, in->yt, cells, out->grid, (float *)area_work);
  /* greyViews.ts viewGrid: the content box in fractional cells */
  const double s = (double)cells / w, t = (double)cells / h;
  const double box[4] = {out->box[0] * s, out->box[1] * t, out->box[2] * s, out->box[3] * t};
  crop_view_bits(out->grid, cells, in->side, out->has_box ? box : NULL, in->windows, in->nwin, in->off, in->size, in->eft, in->cos_matrix, work,
                 small, out->bits);
  cell_sums(in->rgb, w, 0, 0, in->ccols, in->crows, in->cgrid, in->cstep, out->sums, out->counts);
  free(area_work);
  free(work);
  free(small);
  return 1;
}
