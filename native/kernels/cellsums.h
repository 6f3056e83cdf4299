#ifndef MEDIA_DEDUPE_CELLSUMS_H
#define MEDIA_DEDUPE_CELLSUMS_H
#include <stdint.h>
void cell_sums(const unsigned char *data, int width, int x0, int y0, const int32_t *cols, const int32_t *rows, int grid,
               int col_step, double *sums, double *counts);
#endif
