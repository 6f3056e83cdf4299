#ifndef MEDIA_DEDUPE_DCT_H
#define MEDIA_DEDUPE_DCT_H
#include <stddef.h>
/* How many doubles of scratch dct2_block needs for an n x n input and a size x size block. */
size_t dct2_work_size(int n, int size);
/* work: dct2_work_size(n, size) doubles; out: size * size doubles. */
void dct2_block(const unsigned char *x, int n, int off, int size, const double *cos_matrix, double *work, double *out);
/* The two halves of dct2_block, for callers that share rows between pictures (cropbits.c): dct2_rows fills
   rows [from, to) of tmp (n x size doubles) from the rows of x (stride bytes apart); dct2_cols makes the
   block from tmp's n rows. work: dct2_rows_work_size / dct2_cols_work_size doubles. */
size_t dct2_rows_work_size(int n, int size);
size_t dct2_cols_work_size(int n, int size);
void dct2_rows(const unsigned char *x, size_t stride, int from, int to, int n, int off, int size, const double *cos_matrix, double *work,
               double *tmp);
void dct2_cols(const double *tmp, int n, int off, int size, const double *cos_matrix, double *work, double *out);
#endif
