#pragma once
#include <stddef.h>

/* Doubles of work crop_view_bits needs for side x side views and a size x size DCT block. */
size_t crop_view_bits_work_size(int cells, int side, int size, int nwin);

/*
 * The PHash bits of the crop views of a cells x cells grey grid (cropbits.c; src/core/kernels/
 * cropViewBits.ts defines them): the content box (box = x0, y0, x1, y1 in fractional cells, or NULL) and
 * nwin windows halved from 2 side x 2 side squares at windows[2w], windows[2w + 1]. out gets 1 + nwin runs
 * of size * size - eft bits. small: side * side bytes of scratch.
 */
void crop_view_bits(const unsigned char *grid, int cells, int side, const double *box, const int *windows, int nwin, int off, int size, int eft,
                    const double *cos_matrix, double *work, unsigned char *small, unsigned char *out);

/* Doubles of work view_bits needs. */
size_t view_bits_work_size(int side, int size);

/* PHash's finish of `count` side x side pictures laid one after another (src/core/kernels/cropViewBits.ts viewBits): count runs of size * size - eft bits. */
void view_bits(const unsigned char *views, int count, int side, int off, int size, int eft, const double *cos_matrix, double *work, unsigned char *out);
