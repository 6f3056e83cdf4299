#pragma once

/* The block-grid score x1000 of width x height RGB pixels (blockgrid.c); -1 when out of memory. */
int block_grid(const unsigned char *data, int width, int height, int min_score, const double *cos_table);

/* Quickselect: the k-th smallest of a[0 .. n), rearranging a (the C twin of src/core/kernels/select.ts). */
double kth_smallest(double *a, int n, int k);
