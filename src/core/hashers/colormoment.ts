/**
 * perception's ColorMoment = OpenCV img_hash ColorMomentHash x 10000: INTER_CUBIC to 512x512,
 * 3x3 Gaussian blur, then the 7 Hu moments of each channel of HSV and of YCrCb (42 values).
 * OpenCV believes perception's RGB array is BGR; the colour conversions reproduce that.
 */
import { resizeCubic } from '../cv/resizeLinear.js';
import { gaussianBlur } from '../cv/gaussianBlur.js';
import { bgrToHsv, bgrToYCrCb } from '../cv/colorSpaces.js';
import { huMoments, momentsU8 } from '../cv/moments.js';
import type { RgbImage } from '../cv/types.js';
import type { Hasher } from './types.js';

const SIDE = 512;
const hu = new Float64Array(7);

/**
 * perception publishes no threshold for ColorMoment; 1.0 (Euclidean on the x10000 vector) is our
 * choice. On the reference dedup set exact copies, flips, rot90, JPEG q30 and a resize sit at
 * 0-0.66, while the closest two *different* images are 3.68 apart; crops, brightness changes and
 * grey conversions (2.6-32) are beyond any safe threshold for this hasher.
 */
export const COLORMOMENT_DEFAULT_THRESHOLD = 1.0;

export function createColorMoment(): Hasher {
  return {
    name: 'colormoment',
    dtype: 'float32',
    distanceMetric: 'euclidean',
    hashLength: 42,
    defaultThreshold: COLORMOMENT_DEFAULT_THRESHOLD,
    compute: colorMomentHash,
  };
}

function colorMomentHash(image: RgbImage): Float32Array {
  const resized = resizeCubic(image.data, image.width, image.height, 3, SIDE, SIDE);
  const blurred = gaussianBlur(resized, SIDE, SIDE, 3, 3);
  const out = new Float32Array(42);
  let o = 0;
  for (const converted of [bgrToHsv(blurred), bgrToYCrCb(blurred)]) {
    for (let ch = 0; ch < 3; ch++) {
      huMoments(momentsU8(converted, SIDE, SIDE, 3, ch), hu);
      for (let k = 0; k < 7; k++) out[o++] = 10000 * hu[k]; // perception scales the float64, then stores float32
    }
  }
  return out;
}
