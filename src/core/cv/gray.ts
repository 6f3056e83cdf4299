import type { GrayImage, RgbImage } from './types.js';

/** cv2.COLOR_RGB2GRAY on uint8 RGB: OpenCV's 15-bit fixed-point weights, rounded. */
export function rgbToGray(img: RgbImage): GrayImage {
  return { data: grayWeighted(img.data, 9798, 19235, 3735), width: img.width, height: img.height };
}

/**
 * cv2.COLOR_BGR2GRAY applied to RGB data. perception passes RGB arrays to code that assumes BGR
 * (AverageHash, WaveletHash, the img_hash hashers), so red and blue weights trade places.
 */
export function rgbToGraySwapped(img: RgbImage): GrayImage {
  return { data: grayWeighted(img.data, 3735, 19235, 9798), width: img.width, height: img.height };
}

function grayWeighted(src: Uint8Array, wr: number, wg: number, wb: number): Uint8Array {
  const n = src.length / 3;
  const out = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 3) out[i] = (src[j] * wr + src[j + 1] * wg + src[j + 2] * wb + 16384) >> 15;
  return out;
}
