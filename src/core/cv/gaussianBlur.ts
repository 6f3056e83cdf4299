/**
 * cv2.GaussianBlur(src, (k, k), 0) for 8-bit images: OpenCV 4.x takes its bit-exact fixed-point
 * path here (8-bit fractional kernel taps from the fixed sigma=0 tables, horizontal sums kept
 * exact, vertical result rounded half up from 16 fractional bits), border BORDER_REFLECT_101.
 * All sums are exact integers, so the order of additions does not matter and we are free to
 * pair the symmetric taps.
 */
import { reflect101 } from './rounding.js';
import { RowCache } from './rowCache.js';

/** getFixedpointGaussianKernel(n, sigma <= 0), in units of 1/256. */
const KERNELS: Record<number, Int32Array> = {
  1: Int32Array.of(256),
  3: Int32Array.of(64, 128, 64),
  5: Int32Array.of(16, 64, 96, 64, 16),
  7: Int32Array.of(8, 28, 56, 72, 56, 28, 8),
};

export function gaussianBlur(src: Uint8Array, width: number, height: number, channels: number, ksize: number): Uint8Array {
  const kernel = KERNELS[ksize];
  if (!kernel) throw new RangeError(`gaussianBlur: only the sigma=0 sizes 1, 3, 5, 7 are implemented, got ${ksize}`);
  if (src.length < width * height * channels) throw new RangeError('gaussianBlur: buffer too small');
  const r = ksize >> 1;
  const cn = channels;
  const rowLen = width * cn;
  // Columns whose taps leave the row (at most r on each side) use reflected indices.
  const edgeCols: number[] = [];
  for (let x = 0; x < width; x++) if (x < r || x >= width - r) edgeCols.push(x);

  const horizontal = (sy: number, out: Int32Array): void => {
    const base = sy * rowLen;
    for (const x of edgeCols) {
      for (let c = 0; c < cn; c++) {
        let s = 0;
        for (let k = 0; k < ksize; k++) s += kernel[k] * src[base + reflect101(x + k - r, width) * cn + c];
        out[x * cn + c] = s;
      }
    }
    const start = r * cn;
    const end = (width - r) * cn;
    const k0 = kernel[r];
    if (r === 3) {
      // Unrolled: the 7-tap case runs over full-resolution images (MarrHildreth).
      const k1 = kernel[4],
        k2 = kernel[5],
        k3 = kernel[6];
      const c2 = 2 * cn,
        c3 = 3 * cn;
      for (let i = start, p = base + start; i < end; i++, p++) {
        out[i] = k0 * src[p] + k1 * (src[p - cn] + src[p + cn]) + k2 * (src[p - c2] + src[p + c2]) + k3 * (src[p - c3] + src[p + c3]);
      }
    } else if (r === 1) {
      const k1 = kernel[2];
      for (let i = start, p = base + start; i < end; i++, p++) out[i] = k0 * src[p] + k1 * (src[p - cn] + src[p + cn]);
    } else {
      for (let i = start; i < end; i++) {
        const p = base + i;
        let s = k0 * src[p];
        for (let d = 1, off = cn; d <= r; d++, off += cn) s += kernel[r + d] * (src[p - off] + src[p + off]);
        out[i] = s;
      }
    }
  };

  const cache = new RowCache(ksize, rowLen, horizontal);
  const out = new Uint8Array(height * rowLen);
  const rows: Int32Array[] = new Array<Int32Array>(ksize);
  for (let y = 0; y < height; y++) {
    cache.begin(Math.max(0, y - r));
    for (let k = 0; k < ksize; k++) rows[k] = cache.get(reflect101(y + k - r, height));
    const o = y * rowLen;
    const mid = rows[r];
    const k0 = kernel[r];
    if (r === 3) {
      const a1 = rows[2],
        b1 = rows[4],
        a2 = rows[1],
        b2 = rows[5],
        a3 = rows[0],
        b3 = rows[6];
      const k1 = kernel[4],
        k2 = kernel[5],
        k3 = kernel[6];
      for (let i = 0; i < rowLen; i++) {
        out[o + i] = (k0 * mid[i] + k1 * (a1[i] + b1[i]) + k2 * (a2[i] + b2[i]) + k3 * (a3[i] + b3[i]) + 32768) >>> 16;
      }
    } else if (r === 1) {
      const a1 = rows[0],
        b1 = rows[2],
        k1 = kernel[2];
      for (let i = 0; i < rowLen; i++) out[o + i] = (k0 * mid[i] + k1 * (a1[i] + b1[i]) + 32768) >>> 16;
    } else {
      for (let i = 0; i < rowLen; i++) {
        let s = k0 * mid[i];
        for (let d = 1; d <= r; d++) s += kernel[r + d] * (rows[r - d][i] + rows[r + d][i]);
        out[o + i] = (s + 32768) >>> 16; // at most 255 * 65536 + 32768: never saturates
      }
    }
  }
  return out;
}
