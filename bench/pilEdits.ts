/**
 * Edits the verify studies' tests apply to their synthetic pictures, written as the benchmark generator
 * (PIL) makes them, so a test's "mild" pair is the one the studies meet on disk.
 */

/** An RGB picture, 3 bytes a pixel. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** PIL's Brightness then Contrast (about the mean grey), each clipped to 0..255 channel by channel. */
export function brightContrast(img: RgbImage, b: number, c: number): RgbImage {
  const bright = Uint8Array.from(img.data, (v) => Math.min(255, Math.round(v * b)));
  let mean = 0;
  for (let i = 0; i < bright.length; i += 3) mean += 0.299 * bright[i] + 0.587 * bright[i + 1] + 0.114 * bright[i + 2];
  mean /= bright.length / 3;
  return { ...img, data: Uint8Array.from(bright, (v) => Math.max(0, Math.min(255, Math.round(mean + c * (v - mean))))) };
}
