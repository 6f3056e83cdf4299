/**
 * cv2.equalizeHist for 8-bit single-channel images: LUT from the cumulative histogram, scaled in
 * float32 by 255 / (pixels - count of the darkest level) and rounded ties-to-even, as OpenCV does.
 */
import { saturateU8 } from './rounding.js';

export function equalizeHist(src: Uint8Array): Uint8Array {
  const hist = new Int32Array(256);
  for (let i = 0; i < src.length; i++) hist[src[i]]++;
  let i = 0;
  while (i < 256 && hist[i] === 0) i++;
  const total = src.length;
  if (i === 256 || hist[i] === total) return new Uint8Array(total).fill(i === 256 ? 0 : i); // one grey level: OpenCV fills it
  const scale = Math.fround(255 / (total - hist[i]));
  const lut = new Uint8Array(256);
  let sum = 0;
  for (lut[i++] = 0; i < 256; i++) {
    sum += hist[i];
    lut[i] = saturateU8(Math.fround(sum * scale));
  }
  const out = new Uint8Array(total);
  for (let k = 0; k < total; k++) out[k] = lut[src[k]];
  return out;
}
