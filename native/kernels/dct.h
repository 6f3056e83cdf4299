#ifndef MEDIA_DEDUPE_DCT_H
#define MEDIA_DEDUPE_DCT_H
/* tmp: n * size doubles; sum, dif: n / 2 + 1 doubles each; out: size * size doubles. */
void dct2_block(const unsigned char *x, int n, int off, int size, const double *cos_matrix, double *tmp, double *sum, double *dif, double *out);
#endif
