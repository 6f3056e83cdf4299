/** OpenCV's fixed-point (15-bit) RGB -> grey on 8-bit pixels, the arithmetic of every grey conversion in the engine. */

/** Weights of R, G and B. */
export type Weights = readonly [number, number, number];
/** cv2.COLOR_RGB2GRAY; BGR2GRAY applied to RGB data (as perception does in some hashers) swaps red and blue. */
export const GREY_RGB: Weights = [9798, 19235, 3735];
export const GREY_BGR: Weights = [3735, 19235, 9798];

/** Writes the grey of the n RGB pixels at src[from...] to out[to...]: (r * wr + g * wg + b * wb + 16384) >> 15. Returns out. */
export function greyInto(src: Uint8Array, from: number, n: number, [wr, wg, wb]: Weights, out: Uint8Array, to = 0): Uint8Array {
  for (let i = 0, j = from; i < n; i++, j += 3) out[to + i] = (src[j] * wr + src[j + 1] * wg + src[j + 2] * wb + 16384) >> 15;
  return out;
}
