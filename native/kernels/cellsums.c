/*
 * The inner loop of the colour signature (src/core/kernels/cellSums.ts; hashers/colorSignature.ts owns the
 * geometry and the rounding): per-cell sums of R, G and B over rows of an RGB image, every colStep-th pixel with the
 * phase shifting by one per row. Integer sums, so the result is exactly the JavaScript loop's.
 *
 * Steps 1 and 2 (central regions up to 2 x 640 x 480 pixels: nearly every image of a training set) go
 * through column sums (cell_sums_columns), about 3x faster than one pixel at a time per cell run, which
 * cost a third of the hash's own time; larger steps read few pixels and keep the plain loop.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cellsums.h"

/*
 * Steps 1 and 2: each band of rows (one row of cells) is first added up column by column (one long loop
 * over the row's bytes, which the compiler vectorises), then each cell adds its columns once per band.
 * With step 2 the pixel read in column x of row y is the one with x and y of the same parity, so rows of
 * each parity keep their own column sums and a cell takes the columns of each parity from the sums of the
 * rows of that parity. Column sums of a band stay far below 2^32 (at most 255 x the rows of a band).
 */
static int cell_sums_columns(const unsigned char *data, int width, int x0, int y0, const int32_t *cols, const int32_t *rows, int grid,
                             int col_step, double *sums, double *counts) {
  int xmin = cols[0], xmax = cols[1];
  for (int cx = 0; cx < grid; cx++) {
    if (cols[2 * cx] < xmin) xmin = cols[2 * cx];
    if (cols[2 * cx + 1] > xmax) xmax = cols[2 * cx + 1];
  }
  const size_t span = (size_t)(xmax - xmin) * 3;
  uint32_t *acc = (uint32_t *)malloc(sizeof(uint32_t) * span * col_step + 1);
  if (!acc) return 0;
  for (int cy = 0; cy < grid; cy++) {
    memset(acc, 0, sizeof(uint32_t) * span * col_step);
    int rows_of[2] = {0, 0}; /* rows of the band with y even / odd */
    for (int y = rows[2 * cy]; y < rows[2 * cy + 1]; y++) {
      const unsigned char *restrict row = data + ((size_t)(y + y0) * width + x0 + xmin) * 3;
      uint32_t *restrict a = acc + (col_step == 2 ? (size_t)(y & 1) * span : 0);
      for (size_t k = 0; k < span; k++) a[k] += row[k];
      rows_of[y & 1]++;
    }
    for (int cx = 0; cx < grid; cx++) {
      const int start = cols[2 * cx], end = cols[2 * cx + 1];
      const int k = cy * grid + cx;
      uint64_t c[3] = {0, 0, 0};
      if (col_step == 1) {
        for (int x = start; x < end; x++) {
          const uint32_t *v = acc + (size_t)(x - xmin) * 3;
          c[0] += v[0], c[1] += v[1], c[2] += v[2];
        }
        counts[k] += (double)(rows_of[0] + rows_of[1]) * (end - start);
      } else {
        for (int p = 0; p < 2; p++) {
          const uint32_t *a = acc + (size_t)p * span;
          int n = 0;
          for (int x = start + ((p - start) & 1); x < end; x += 2, n++) {
            const uint32_t *v = a + (size_t)(x - xmin) * 3;
            c[0] += v[0], c[1] += v[1], c[2] += v[2];
          }
          counts[k] += (double)rows_of[p] * n;
        }
      }
      sums[3 * k] += (double)c[0];
      sums[3 * k + 1] += (double)c[1];
      sums[3 * k + 2] += (double)c[2];
    }
  }
  free(acc);
  return 1;
}

void cell_sums(const unsigned char *data, int width, int x0, int y0, const int32_t *cols, const int32_t *rows, int grid,
               int col_step, double *sums, double *counts) {
  if ((col_step == 1 || col_step == 2) && cell_sums_columns(data, width, x0, y0, cols, rows, grid, col_step, sums, counts)) return;
  for (int cy = 0; cy < grid; cy++) {
    for (int y = rows[2 * cy]; y < rows[2 * cy + 1]; y++) {
      const unsigned char *row = data + ((size_t)(y + y0) * width + x0) * 3;
      const int phase = y % col_step;
      for (int cx = 0; cx < grid; cx++) {
        const int start = cols[2 * cx], end = cols[2 * cx + 1];
        const int first = start + ((((phase - start) % col_step) + col_step) % col_step);
        uint32_t r = 0, g = 0, b = 0, n = 0;
        for (int x = first; x < end; x += col_step, n++) {
          r += row[3 * x];
          g += row[3 * x + 1];
          b += row[3 * x + 2];
        }
        const int k = cy * grid + cx;
        sums[3 * k] += r;
        sums[3 * k + 1] += g;
        sums[3 * k + 2] += b;
        counts[k] += n;
      }
    }
  }
}
