import { GREY_BGR, GREY_RGB, greyInto, type Weights } from '../kernels/grey.js';
import type { GrayImage, RgbImage } from './types.js';

/** cv2.COLOR_RGB2GRAY on uint8 RGB: OpenCV's 15-bit fixed-point weights, rounded. */
export function rgbToGray(img: RgbImage): GrayImage {
  return grey(img, GREY_RGB);
}

/**
 * cv2.COLOR_BGR2GRAY applied to RGB data. perception passes RGB arrays to code that assumes BGR
 * (AverageHash, WaveletHash, the img_hash hashers), so red and blue weights trade places.
 */
export function rgbToGraySwapped(img: RgbImage): GrayImage {
  return grey(img, GREY_BGR);
}

function grey(img: RgbImage, w: Weights): GrayImage {
  const n = img.data.length / 3;
  return { data: greyInto(img.data, 0, n, w, new Uint8Array(n)), width: img.width, height: img.height };
}
