/**
 * OpenCV's 8-bit BGR -> HSV and BGR -> YCrCb conversions (integer paths; the SIMD code computes
 * the same integers). Input is interleaved 3-channel data that OpenCV *treats as BGR*: perception
 * hands img_hash RGB arrays, so callers pass RGB bytes and get OpenCV's (mis-ordered) answer.
 * Output is interleaved H,S,V (H in 0..179) or Y,Cr,Cb.
 */
import { roundHalfEven } from './rounding.js';

const HSV_SHIFT = 12;

/** RGB2HSV_b's tables: sdiv[v] = round((255 << 12) / v), hdiv[d] = round((180 << 12) / (6 d)). */
const SDIV = new Int32Array(256);
const HDIV180 = new Int32Array(256);
for (let i = 1; i < 256; i++) {
  SDIV[i] = roundHalfEven((255 << HSV_SHIFT) / i);
  HDIV180[i] = roundHalfEven((180 << HSV_SHIFT) / (6 * i));
}

/** cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV) for uint8. */
export function bgrToHsv(src: Uint8Array): Uint8Array {
  const out = new Uint8Array(src.length);
  const half = 1 << (HSV_SHIFT - 1);
  for (let i = 0; i < src.length; i += 3) {
    const b = src[i];
    const g = src[i + 1];
    const r = src[i + 2];
    const v = Math.max(b, g, r);
    const diff = v - Math.min(b, g, r);
    const s = (diff * SDIV[v] + half) >> HSV_SHIFT;
    let h: number;
    if (v === r) h = g - b;
    else if (v === g) h = b - r + 2 * diff;
    else h = r - g + 4 * diff;
    h = (h * HDIV180[diff] + half) >> HSV_SHIFT;
    if (h < 0) h += 180;
    out[i] = h > 255 ? 255 : h;
    out[i + 1] = s;
    out[i + 2] = v;
  }
  return out;
}

// BT.601 in 14-bit fixed point (yuv_shift), as OpenCV's RGB2YCrCb_i.
const YUV_SHIFT = 14;
const R2Y = 4899;
const G2Y = 9617;
const B2Y = 1868;
const YCRI = 11682;
const YCBI = 9241;

/** cv2.cvtColor(bgr, cv2.COLOR_BGR2YCrCb) for uint8. */
export function bgrToYCrCb(src: Uint8Array): Uint8Array {
  const out = new Uint8Array(src.length);
  const half = 1 << (YUV_SHIFT - 1);
  const delta = 128 << YUV_SHIFT;
  for (let i = 0; i < src.length; i += 3) {
    const b = src[i];
    const g = src[i + 1];
    const r = src[i + 2];
    const y = (b * B2Y + g * G2Y + r * R2Y + half) >> YUV_SHIFT;
    const cr = ((r - y) * YCRI + delta + half) >> YUV_SHIFT;
    const cb = ((b - y) * YCBI + delta + half) >> YUV_SHIFT;
    out[i] = y;
    out[i + 1] = cr < 0 ? 0 : cr > 255 ? 255 : cr;
    out[i + 2] = cb < 0 ? 0 : cb > 255 ? 255 : cb;
  }
  return out;
}
