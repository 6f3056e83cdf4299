/**
 * cv2.resize for 8-bit images (interleaved, any channel count) with INTER_LINEAR,
 * INTER_LINEAR_EXACT and INTER_CUBIC, reproducing OpenCV 4.6's integer / float32 arithmetic
 * (no IPP, 128-bit SIMD baseline) so the hashers built on it stay bit-exact with perception.
 */
import { roundHalfEven } from './rounding.js';
import { RowCache } from './rowCache.js';

const f32 = Math.fround;
const COEF_BITS = 11;
const COEF_SCALE = 1 << COEF_BITS; // INTER_RESIZE_COEF_SCALE

function checkArgs(src: Uint8Array, sw: number, sh: number, cn: number, dw: number, dh: number): void {
  if (sw < 1 || sh < 1 || dw < 1 || dh < 1 || cn < 1) throw new RangeError(`resize: bad size ${sw}x${sh}x${cn} -> ${dw}x${dh}`);
  if (src.length < sw * sh * cn) throw new RangeError(`resize: buffer holds ${src.length} bytes, ${sw * sh * cn} needed`);
}

/** cv::resize's scale test: an exact 2x downscale in both axes is routed to INTER_AREA's fast path. */
function isExactHalf(sw: number, sh: number, dw: number, dh: number): boolean {
  return Math.abs(1 / (dw / sw) - 2) < Number.EPSILON && Math.abs(1 / (dh / sh) - 2) < Number.EPSILON;
}

/** INTER_AREA fast path for a 2x2 block (OpenCV's SIMD and scalar code both use (sum + 2) >> 2). */
function halve(src: Uint8Array, sw: number, cn: number, dw: number, dh: number): Uint8Array {
  const out = new Uint8Array(dw * dh * cn);
  const stride = sw * cn;
  for (let y = 0, o = 0; y < dh; y++) {
    const r0 = 2 * y * stride;
    const r1 = r0 + stride;
    for (let x = 0; x < dw; x++) {
      const s = 2 * x * cn;
      for (let c = 0; c < cn; c++, o++) {
        out[o] = (src[r0 + s + c] + src[r0 + s + cn + c] + src[r1 + s + c] + src[r1 + s + cn + c] + 2) >> 2;
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- INTER_LINEAR

interface LinearTab {
  ofs: Int32Array;
  a0: Int32Array;
  a1: Int32Array;
}

/** Fixed-point (11-bit) bilinear taps. `clamp` = the horizontal rule (taps outside the image become (1, 0)). */
function linearTab(ssize: number, dsize: number, clamp: boolean): LinearTab {
  const scale = 1 / (dsize / ssize);
  const ofs = new Int32Array(dsize);
  const a0 = new Int32Array(dsize);
  const a1 = new Int32Array(dsize);
  for (let d = 0; d < dsize; d++) {
    let f = f32((d + 0.5) * scale - 0.5);
    let s = Math.floor(f);
    f = f32(f - s);
    if (clamp && s < 0) {
      f = 0;
      s = 0;
    }
    if (clamp && s >= ssize - 1) {
      f = 0;
      s = ssize - 1;
    }
    ofs[d] = s;
    a0[d] = roundHalfEven(f32(1 - f) * COEF_SCALE);
    a1[d] = roundHalfEven(f * COEF_SCALE);
  }
  return { ofs, a0, a1 };
}

/** cv2.resize(src, (dw, dh)) with the default INTER_LINEAR. */
export function resizeLinear(src: Uint8Array, sw: number, sh: number, cn: number, dw: number, dh: number): Uint8Array {
  checkArgs(src, sw, sh, cn, dw, dh);
  if (sw === dw && sh === dh) return src.slice(0, sw * sh * cn);
  if (isExactHalf(sw, sh, dw, dh)) return halve(src, sw, cn, dw, dh);
  const xt = linearTab(sw, dw, true);
  const yt = linearTab(sh, dh, false); // vertical weights are not reset; only row indices are clipped
  const rowLen = dw * cn;
  const cache = new RowCache(2, rowLen, (sy, out) => {
    const base = sy * sw * cn;
    for (let dx = 0, o = 0; dx < dw; dx++) {
      const p0 = base + xt.ofs[dx] * cn;
      const p1 = base + Math.min(xt.ofs[dx] + 1, sw - 1) * cn;
      const w0 = xt.a0[dx];
      const w1 = xt.a1[dx];
      for (let c = 0; c < cn; c++, o++) out[o] = src[p0 + c] * w0 + src[p1 + c] * w1;
    }
  });
  const out = new Uint8Array(dh * rowLen);
  for (let dy = 0, o = 0; dy < dh; dy++) {
    const s0 = clampIndex(yt.ofs[dy], sh);
    const s1 = clampIndex(yt.ofs[dy] + 1, sh);
    cache.begin(s0);
    const r0 = cache.get(s0);
    const r1 = cache.get(s1);
    const b0 = yt.a0[dy];
    const b1 = yt.a1[dy];
    for (let x = 0; x < rowLen; x++, o++) {
      // VResizeLinear<uchar> / VResizeLinearVec_32s8u: pre-shift by 4 so 16-bit multiplies cannot overflow.
      const v = ((((r0[x] >> 4) * b0) >> 16) + (((r1[x] >> 4) * b1) >> 16) + 2) >> 2;
      out[o] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return out;
}

function clampIndex(i: number, n: number): number {
  return i < 0 ? 0 : i >= n ? n - 1 : i;
}

// ---------------------------------------------------------------- INTER_LINEAR_EXACT

/** Per destination index: source offset, weights in 8-bit fixed point (c0 + c1 = 256), and whether to interpolate. */
interface ExactTab {
  ofs: Int32Array;
  c0: Int32Array;
  c1: Int32Array;
  interp: Uint8Array;
}

/** interpolationLinear<uchar> coefficients (resize_bitExact), computed in IEEE double like softdouble. */
function exactTab(ssize: number, dsize: number): ExactTab {
  const scale = 1 / (dsize / ssize);
  const t: ExactTab = { ofs: new Int32Array(dsize), c0: new Int32Array(dsize), c1: new Int32Array(dsize), interp: new Uint8Array(dsize) };
  for (let d = 0; d < dsize; d++) {
    const f = scale * (d + 0.5) - 0.5;
    const i = Math.floor(f);
    if (i >= 0 && ssize > 1 && i < ssize - 1) {
      const c1 = roundHalfEven((f - i) * 256);
      t.ofs[d] = i;
      t.c0[d] = 256 - c1;
      t.c1[d] = c1;
      t.interp[d] = 1;
    } else {
      t.ofs[d] = i >= 0 && ssize > 1 ? ssize - 1 : 0; // past the right edge / before the left edge
      t.c0[d] = 256;
    }
  }
  return t;
}

/** cv2.resize(..., interpolation=cv2.INTER_LINEAR_EXACT): OpenCV's bit-exact fixed-point bilinear. */
export function resizeLinearExact(src: Uint8Array, sw: number, sh: number, cn: number, dw: number, dh: number): Uint8Array {
  checkArgs(src, sw, sh, cn, dw, dh);
  if (sw === dw && sh === dh) return src.slice(0, sw * sh * cn);
  if (isExactHalf(sw, sh, dw, dh) && cn !== 2) return halve(src, sw, cn, dw, dh);
  const xt = exactTab(sw, dw);
  const yt = exactTab(sh, dh);
  const rowLen = dw * cn;
  // Horizontal pass: values scaled by 256 (ufixedpoint16).
  const cache = new RowCache(2, rowLen, (sy, out) => {
    const base = sy * sw * cn;
    for (let dx = 0, o = 0; dx < dw; dx++) {
      const p = base + xt.ofs[dx] * cn;
      if (xt.interp[dx]) {
        const w0 = xt.c0[dx];
        const w1 = xt.c1[dx];
        for (let c = 0; c < cn; c++, o++) out[o] = src[p + c] * w0 + src[p + cn + c] * w1;
      } else {
        for (let c = 0; c < cn; c++, o++) out[o] = src[p + c] << 8;
      }
    }
  });
  const out = new Uint8Array(dh * rowLen);
  for (let dy = 0, o = 0; dy < dh; dy++) {
    const s = yt.ofs[dy];
    cache.begin(s);
    const r0 = cache.get(s);
    if (yt.interp[dy]) {
      const r1 = cache.get(s + 1);
      const w0 = yt.c0[dy];
      const w1 = yt.c1[dy];
      for (let x = 0; x < rowLen; x++, o++) out[o] = (r0[x] * w0 + r1[x] * w1 + 32768) >> 16;
    } else {
      for (let x = 0; x < rowLen; x++, o++) out[o] = (r0[x] + 128) >> 8;
    }
  }
  return out;
}

// ---------------------------------------------------------------- INTER_CUBIC

/** OpenCV's interpolateCubic (A = -0.75), evaluated step by step in float32 as the C++ code does. */
function cubicCoeffs(x: number, out: Float64Array): void {
  const x1 = f32(x + 1);
  let t = f32(-0.75 * x1);
  t = f32(t + 3.75); // - 5*A
  t = f32(t * x1);
  t = f32(t - 6); // + 8*A
  t = f32(t * x1);
  const c0 = f32(t + 3); // - 4*A
  let u = f32(f32(1.25 * x) - 2.25);
  u = f32(f32(u * x) * x);
  const c1 = f32(u + 1);
  const om = f32(1 - x);
  let v = f32(f32(1.25 * om) - 2.25);
  v = f32(f32(v * om) * om);
  const c2 = f32(v + 1);
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = f32(f32(f32(1 - c0) - c1) - c2);
}

/** Source offsets (of the second tap) and four 11-bit weights per destination index. */
function cubicTab(ssize: number, dsize: number): { ofs: Int32Array; w: Int32Array } {
  const scale = 1 / (dsize / ssize);
  const ofs = new Int32Array(dsize);
  const w = new Int32Array(dsize * 4);
  const cbuf = new Float64Array(4);
  for (let d = 0; d < dsize; d++) {
    let f = f32((d + 0.5) * scale - 0.5);
    const s = Math.floor(f);
    f = f32(f - s);
    cubicCoeffs(f, cbuf);
    ofs[d] = s;
    for (let k = 0; k < 4; k++) w[d * 4 + k] = roundHalfEven(cbuf[k] * COEF_SCALE);
  }
  return { ofs, w };
}

/**
 * cv2.resize(..., interpolation=cv2.INTER_CUBIC) for uint8. The horizontal pass is integer; the
 * vertical pass runs in float32 for every 8-lane SIMD block (VResizeCubicVec_32s8u:
 * S0*b0 + (S1*b1 + (S2*b2 + S3*b3)), rounded to even) and in 22-bit fixed point for the tail.
 */
export function resizeCubic(src: Uint8Array, sw: number, sh: number, cn: number, dw: number, dh: number): Uint8Array {
  checkArgs(src, sw, sh, cn, dw, dh);
  if (sw === dw && sh === dh) return src.slice(0, sw * sh * cn);
  const xt = cubicTab(sw, dw);
  const yt = cubicTab(sh, dh);
  const rowLen = dw * cn;
  const cache = new RowCache(4, rowLen, (sy, out) => {
    const base = sy * sw * cn;
    for (let dx = 0, o = 0; dx < dw; dx++) {
      const sx = xt.ofs[dx];
      const wi = dx * 4;
      // Taps outside the row repeat the edge pixel (HResizeCubic's clamped loop).
      const p0 = base + clampIndex(sx - 1, sw) * cn;
      const p1 = base + clampIndex(sx, sw) * cn;
      const p2 = base + clampIndex(sx + 1, sw) * cn;
      const p3 = base + clampIndex(sx + 2, sw) * cn;
      const w0 = xt.w[wi],
        w1 = xt.w[wi + 1],
        w2 = xt.w[wi + 2],
        w3 = xt.w[wi + 3];
      for (let c = 0; c < cn; c++, o++) out[o] = src[p0 + c] * w0 + src[p1 + c] * w1 + src[p2 + c] * w2 + src[p3 + c] * w3;
    }
  });
  const out = new Uint8Array(dh * rowLen);
  const simdEnd = rowLen - (rowLen % 8);
  const inv = 1 / (COEF_SCALE * COEF_SCALE); // 2^-22: exact in float32
  for (let dy = 0, o = 0; dy < dh; dy++) {
    const sy = yt.ofs[dy];
    cache.begin(clampIndex(sy - 1, sh));
    const r0 = cache.get(clampIndex(sy - 1, sh));
    const r1 = cache.get(clampIndex(sy, sh));
    const r2 = cache.get(clampIndex(sy + 1, sh));
    const r3 = cache.get(clampIndex(sy + 2, sh));
    const wi = dy * 4;
    const ib0 = yt.w[wi],
      ib1 = yt.w[wi + 1],
      ib2 = yt.w[wi + 2],
      ib3 = yt.w[wi + 3];
    const b0 = ib0 * inv,
      b1 = ib1 * inv,
      b2 = ib2 * inv,
      b3 = ib3 * inv;
    let x = 0;
    for (; x < simdEnd; x++, o++) {
      let t = f32(r3[x] * b3);
      t = f32(f32(r2[x] * b2) + t);
      t = f32(f32(r1[x] * b1) + t);
      t = f32(f32(r0[x] * b0) + t);
      const v = roundHalfEven(t);
      out[o] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
    for (; x < rowLen; x++, o++) {
      const v = Math.floor((r0[x] * ib0 + r1[x] * ib1 + r2[x] * ib2 + r3[x] * ib3 + (1 << 21)) / (1 << 22));
      out[o] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return out;
}
