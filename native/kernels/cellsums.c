/*
 * The inner loop of the colour signature (src/core/kernels/cellSums.ts; hashers/colorSignature.ts owns the
 * geometry and the rounding): per-cell sums of R, G and B over rows of an RGB image, every colStep-th pixel with the
 * phase shifting by one per row. Integer sums, so the result is exactly the JavaScript loop's, about 10x
 * faster (the JavaScript loop cost more than decoding the image).
 */
#include <stddef.h>
#include <stdint.h>
#include "cellsums.h"

void cell_sums(const unsigned char *data, int width, int x0, int y0, const int32_t *cols, const int32_t *rows, int grid,
               int col_step, double *sums, double *counts) {
  for (int cy = 0; cy < grid; cy++) {
    for (int y = rows[2 * cy]; y < rows[2 * cy + 1]; y++) {
      const unsigned char *row = data + ((size_t)(y + y0) * width + x0) * 3;
      const int phase = y % col_step;
      for (int cx = 0; cx < grid; cx++) {
        const int start = cols[2 * cx], end = cols[2 * cx + 1];
        const int first = start + ((((phase - start) % col_step) + col_step) % col_step);
        uint32_t r = 0, g = 0, b = 0, n = 0;
        if (col_step == 1) {
          for (int x = first; x < end; x++) {
            r += row[3 * x];
            g += row[3 * x + 1];
            b += row[3 * x + 2];
          }
          n = end > first ? (uint32_t)(end - first) : 0;
        } else {
          for (int x = first; x < end; x += col_step, n++) {
            r += row[3 * x];
            g += row[3 * x + 1];
            b += row[3 * x + 2];
          }
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
