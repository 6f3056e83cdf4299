/**
 * The colour signature's inner loop (hashers/colorSignature.ts owns the geometry and the rounding):
 * per-cell sums of R, G and B, and pixel counts, over the central region of an RGB image. Integer sums,
 * so native/kernels/cellsums.c gives exactly these numbers, about 10x faster.
 */

/**
 * Adds into sums (3 per cell) and counts the pixels of each of the grid x grid cells, whose column and row
 * bounds [start, end) relative to (x0, y0) are cols and rows; every colStep-th pixel of a row is read,
 * the phase moving by one per row. `height` only bounds the C version's checks.
 */
export type CellSumsKernel = (
  rgb: Uint8Array,
  width: number,
  height: number,
  x0: number,
  y0: number,
  cols: Int32Array,
  rows: Int32Array,
  grid: number,
  colStep: number,
  sums: Float64Array,
  counts: Float64Array,
) => void;

export const cellSumsJs: CellSumsKernel = (data, w, _h, x0, y0, cols, rows, G, colStep, sums, counts) => {
  for (let cy = 0; cy < G; cy++) {
    for (let y = rows[2 * cy]; y < rows[2 * cy + 1]; y++) {
      const rowBase = ((y + y0) * w + x0) * 3;
      const phase = y % colStep;
      for (let cx = 0; cx < G; cx++) {
        const start = cols[2 * cx];
        const first = start + ((((phase - start) % colStep) + colStep) % colStep);
        // Per-cell runs summed in locals: about 4x faster than accumulating into the arrays per pixel.
        let r = 0;
        let g = 0;
        let b = 0;
        let n = 0;
        const end = rowBase + cols[2 * cx + 1] * 3;
        for (let p = rowBase + first * 3; p < end; p += 3 * colStep) {
          r += data[p];
          g += data[p + 1];
          b += data[p + 2];
          n++;
        }
        const k = cy * G + cx;
        sums[k * 3] += r;
        sums[k * 3 + 1] += g;
        sums[k * 3 + 2] += b;
        counts[k] += n;
      }
    }
  }
};
