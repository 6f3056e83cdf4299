#ifndef MEDIA_DEDUPE_DCT_H
#define MEDIA_DEDUPE_DCT_H
#include <stddef.h>
/* How many doubles of scratch dct2_block needs for an n x n input and a size x size block. */
size_t dct2_work_size(int n, int size);
/* work: dct2_work_size(n, size) doubles; out: size * size doubles. */
void dct2_block(const unsigned char *x, int n, int off, int size, const double *cos_matrix, double *work, double *out);
#endif
