/**
 * The INTER_AREA downscale kernel, bit-exact with OpenCV 4.6: cv/resizeArea.ts owns cv2.resize's regimes
 * and sends every downscale here. Two regimes, as in OpenCV:
 *  - both factors integers: block sums (2x2 rounds half up; other factors go through float32 and
 *    round half to even);
 *  - a non-integer factor: OpenCV's area table, float32 weights, accumulated in OpenCV's order
 *    (horizontal pass per source row, then vertical), which decides the last-bit rounding.
 * The JavaScript implementation here is the definition; areaWasm.ts and native/kernels/area.c repeat its
 * float32 steps in the same order on one channel or on RGB's grey (kernels.test.ts compares all three).
 */
import { greyInto, type Weights } from './grey.js';

const fround = Math.fround;
const DBL_EPSILON = 2.220446049250313e-16;

/** Integer factors ix x iy (block sums), or the area tables of both axes. */
export type AreaPlan = { readonly ix: number; readonly iy: number } | { readonly xt: AreaTab; readonly yt: AreaTab };

/**
 * Downscales src (sw x sh, cn interleaved channels) to dw x dh following `plan`; with `gray` weights src is
 * RGB and the result is its grey (one channel) downscaled. A new array of dw * dh * (gray ? 1 : cn) bytes.
 */
export type AreaKernel = (src: Uint8Array, sw: number, sh: number, cn: number, gray: Weights | null, plan: AreaPlan, dw: number, dh: number) => Uint8Array;

/** How to downscale sw x sh to dw x dh; undefined when either axis grows (OpenCV then uses a bilinear). */
export function areaPlan(sw: number, sh: number, dw: number, dh: number): AreaPlan | undefined {
  // cv::resize hands hal::resize inv_scale = dsize/ssize and works with scale = 1/inv_scale (IEEE double).
  const scaleX = 1 / (dw / sw);
  const scaleY = 1 / (dh / sh);
  if (!(scaleX >= 1 && scaleY >= 1)) return undefined;
  const ix = Math.round(scaleX);
  const iy = Math.round(scaleY);
  if (Math.abs(scaleX - ix) < DBL_EPSILON && Math.abs(scaleY - iy) < DBL_EPSILON) return { ix, iy };
  return { xt: cachedTab(sw, dw, scaleX), yt: cachedTab(sh, dh, scaleY) };
}

/** The JavaScript kernel: any channel count. */
export const areaJs: AreaKernel = (src, sw, sh, cn, gray, plan, dw, dh) => {
  if ('ix' in plan) return areaFast(src, sw, cn, gray, dw, dh, plan.ix, plan.iy);
  return areaGeneric(src, sw, cn, gray, plan.xt, plan.yt, dw, dh);
};

/**
 * A kernel of one channel or RGB's grey (the WebAssembly and C ones) extended to any image. OpenCV
 * resizes the channels of a colour image independently, each in the same order, so a colour downscale is
 * three single-channel ones; "grey" weights (32768, 0, 0) select a channel exactly ((v * 32768 + 16384)
 * >> 15 = v), which lets such a kernel read the RGB bytes directly. Other channel counts run in JavaScript.
 */
export function anyChannels(one: AreaKernel): AreaKernel {
  const select: Weights[] = [
    [32768, 0, 0],
    [0, 32768, 0],
    [0, 0, 32768],
  ];
  return (src, sw, sh, cn, gray, plan, dw, dh) => {
    if (gray || cn === 1) return one(src, sw, sh, cn, gray, plan, dw, dh);
    if (cn !== 3) return areaJs(src, sw, sh, cn, gray, plan, dw, dh);
    const out = new Uint8Array(dw * dh * 3);
    for (let c = 0; c < 3; c++) {
      const channel = one(src, sw, sh, 3, select[c], plan, dw, dh);
      for (let i = 0; i < channel.length; i++) out[i * 3 + c] = channel[i];
    }
    return out;
  };
}

/**
 * The kernels addon's areaResize (native/kernels/area.c): one channel (channels 1) or RGB's grey (3) into
 * out, by integer factors ix x iy or (ix = iy = 0) by the tables xtab/ytab packed as packTab does.
 */
export type AreaResizeC = (
  src: Uint8Array,
  sw: number,
  sh: number,
  channels: 1 | 3,
  wr: number,
  wg: number,
  wb: number,
  dw: number,
  dh: number,
  ix: number,
  iy: number,
  xtab: Int32Array,
  ytab: Int32Array,
  out: Uint8Array,
) => void;

/** The C kernel: the same float32 steps in the same order, on the whole image without copying it into WebAssembly memory. */
export function areaNative(areaResize: AreaResizeC): AreaKernel {
  const empty = new Int32Array(0);
  return anyChannels((src, sw, sh, _cn, gray, plan, dw, dh) => {
    const out = new Uint8Array(dw * dh);
    const [wr, wg, wb] = gray ?? [0, 0, 0];
    if ('ix' in plan) areaResize(src, sw, sh, gray ? 3 : 1, wr, wg, wb, dw, dh, plan.ix, plan.iy, empty, empty, out);
    else areaResize(src, sw, sh, gray ? 3 : 1, wr, wg, wb, dw, dh, 0, 0, packTab(plan.xt), packTab(plan.yt), out);
    return out;
  });
}

/** cvRound on a float: nearest, ties to even (Math.round sends ties up). Then saturate to uint8. */
export function satRound(x: number): number {
  let r = Math.round(x);
  if (r - x === 0.5 && (r & 1) !== 0) r -= 1;
  return r < 0 ? 0 : r > 255 ? 255 : r;
}

const packedTabs = new WeakMap<AreaTab, Int32Array>();

/** A table in the layout of the C and WebAssembly kernels (area.h, area.wat): lIdx, lA, s0, s1, a, rIdx, rA per destination, weights as float32 bits. */
export function packTab(t: AreaTab): Int32Array {
  let p = packedTabs.get(t);
  if (!p) {
    const n = t.lIdx.length;
    p = new Int32Array(7 * n);
    const f = new Float32Array(p.buffer);
    for (let d = 0; d < n; d++) {
      p[7 * d] = t.lIdx[d];
      f[7 * d + 1] = t.lA[d];
      p[7 * d + 2] = t.s0[d];
      p[7 * d + 3] = t.s1[d];
      f[7 * d + 4] = t.a[d];
      p[7 * d + 5] = t.rIdx[d];
      f[7 * d + 6] = t.rA[d];
    }
    packedTabs.set(t, p);
  }
  return p;
}

/**
 * resizeAreaFast_: integer factors ix x iy, exact integer block sums. ResizeAreaFastVec rounds 2x2 blocks
 * half up ((s + 2) >> 2) in its SIMD body and scalar tail alike; every other factor goes through
 * saturate_cast<uchar>(float(sum) * (1.f / area)), ties to even.
 */
export function finishFast(sums: Int32Array, out: Uint8Array, o: number, ix: number, iy: number): void {
  const n = sums.length;
  if (ix === 2 && iy === 2) {
    for (let i = 0; i < n; i++) out[o + i] = (sums[i] + 2) >> 2;
  } else {
    const scale = fround(1 / (ix * iy));
    for (let i = 0; i < n; i++) out[o + i] = satRound(fround(sums[i] * scale));
  }
}

/** Integer factors: block sums of each row (or of its grey, converted one source row at a time). */
function areaFast(src: Uint8Array, sw: number, cn: number, gray: Weights | null, dw: number, dh: number, ix: number, iy: number): Uint8Array {
  const ch = gray ? 1 : cn;
  const rowLen = dw * ch;
  const out = new Uint8Array(rowLen * dh);
  const sums = new Int32Array(rowLen);
  const grayRow = gray ? new Uint8Array(dw * ix) : null;
  for (let dy = 0; dy < dh; dy++) {
    sums.fill(0);
    for (let k = 0; k < iy; k++) {
      let row = src;
      let r = (dy * iy + k) * sw * cn;
      if (gray) {
        row = greyInto(src, r, dw * ix, gray, grayRow!);
        r = 0;
      }
      for (let dx = 0; dx < dw; dx++) {
        const base = r + dx * ix * ch;
        for (let c = 0; c < ch; c++) {
          let s = 0;
          for (let t = 0, p = base + c; t < ix; t++, p += ch) s += row[p];
          sums[dx * ch + c] += s;
        }
      }
    }
    finishFast(sums, out, dy * rowLen, ix, iy);
  }
  return out;
}

/**
 * computeResizeAreaTab, one destination index at a time. OpenCV's table lists, in this order, an optional
 * left partial cell, a run of whole cells sharing one weight, and an optional right partial cell. An absent
 * partial cell is stored with weight 0 at a valid index: adding +0 to a non-negative float32 sum changes
 * nothing, so the horizontal kernels can run it unconditionally (the vertical pass skips it, to save a row).
 */
export interface AreaTab {
  readonly lIdx: Int32Array;
  readonly lA: Float64Array; // weights are float32 values held in doubles
  readonly s0: Int32Array; // whole cells [s0, s1)
  readonly s1: Int32Array;
  readonly a: Float64Array;
  readonly rIdx: Int32Array;
  readonly rA: Float64Array;
  /** float32(v * a[d]) for v = 0..255 at [tOff[d] + v]: a lookup replaces the int-to-double conversion and multiply. */
  readonly prod: Float64Array;
  readonly tOff: Int32Array;
}

function areaTab(ssize: number, dsize: number, scale: number): AreaTab {
  const t = {
    lIdx: new Int32Array(dsize),
    lA: new Float64Array(dsize),
    s0: new Int32Array(dsize),
    s1: new Int32Array(dsize),
    a: new Float64Array(dsize),
    rIdx: new Int32Array(dsize),
    rA: new Float64Array(dsize),
    prod: new Float64Array(0),
    tOff: new Int32Array(dsize),
  };
  for (let dx = 0; dx < dsize; dx++) {
    const fsx1 = dx * scale;
    const fsx2 = fsx1 + scale;
    const cell = Math.min(scale, ssize - fsx1);
    let sx1 = Math.ceil(fsx1);
    let sx2 = Math.floor(fsx2);
    sx2 = Math.min(sx2, ssize - 1);
    sx1 = Math.min(sx1, sx2);
    t.lIdx[dx] = t.rIdx[dx] = sx1;
    if (sx1 - fsx1 > 1e-3) {
      t.lIdx[dx] = sx1 - 1;
      t.lA[dx] = fround((sx1 - fsx1) / cell);
    }
    t.s0[dx] = sx1;
    t.s1[dx] = sx2;
    t.a[dx] = fround(1.0 / cell);
    if (fsx2 - sx2 > 1e-3) {
      t.rIdx[dx] = sx2;
      t.rA[dx] = fround(Math.min(Math.min(fsx2 - sx2, 1), cell) / cell);
    }
  }
  // Whole cells share one weight, except where the last cell is cut short: a handful of distinct tables.
  const weights: number[] = [];
  for (let dx = 0; dx < dsize; dx++) {
    let k = weights.indexOf(t.a[dx]);
    if (k < 0) k = weights.push(t.a[dx]) - 1;
    t.tOff[dx] = k * 256;
  }
  t.prod = new Float64Array(weights.length * 256);
  weights.forEach((w, k) => {
    for (let v = 0; v < 256; v++) t.prod[k * 256 + v] = fround(v * w);
  });
  return t;
}

// Tables depend only on (ssize, dsize); a scan sees few distinct sizes, so keep a small cache.
const tabCache = new Map<string, AreaTab>();
function cachedTab(ssize: number, dsize: number, scale: number): AreaTab {
  const key = `${ssize}:${dsize}`;
  let t = tabCache.get(key);
  if (!t) {
    if (tabCache.size >= 64) tabCache.clear();
    t = areaTab(ssize, dsize, scale);
    tabCache.set(key, t);
  }
  return t;
}

/*
 * JavaScript horizontal kernel: one source row through the table into buf, every product and sum
 * rounded to float32. S * alpha is exact in double (8-bit x 24-bit), so fround gives OpenCV's float32
 * product (here read from a per-weight table, which also avoids V8's slow int-to-double conversion),
 * and fround of the double sum of two float32 values is their float32 sum. One destination's sum is a
 * chain of dependent rounding steps, so four destinations advance in lockstep to keep the CPU busy; each
 * still adds its terms in OpenCV's order (left partial, whole cells left to right, right partial).
 */

/** cn interleaved channels; with cn = 3 the channels of one destination are the independent chains. */
function horizontalRaw(src: Uint8Array, off: number, t: AreaTab, dw: number, cn: number, buf: Float64Array): void {
  const { lIdx, lA, s0, s1, rIdx, rA, prod, tOff } = t;
  if (cn === 1) {
    let dx = 0;
    for (; dx + 4 <= dw; dx += 4) {
      let c0 = fround(src[off + lIdx[dx]] * lA[dx]);
      let c1 = fround(src[off + lIdx[dx + 1]] * lA[dx + 1]);
      let c2 = fround(src[off + lIdx[dx + 2]] * lA[dx + 2]);
      let c3 = fround(src[off + lIdx[dx + 3]] * lA[dx + 3]);
      const t0 = tOff[dx];
      const t1 = tOff[dx + 1];
      const t2 = tOff[dx + 2];
      const t3 = tOff[dx + 3];
      let p0 = off + s0[dx];
      let p1 = off + s0[dx + 1];
      let p2 = off + s0[dx + 2];
      let p3 = off + s0[dx + 3];
      const e0 = off + s1[dx];
      const e1 = off + s1[dx + 1];
      const e2 = off + s1[dx + 2];
      const e3 = off + s1[dx + 3];
      const m = Math.min(e0 - p0, e1 - p1, e2 - p2, e3 - p3);
      for (let k = 0; k < m; k++, p0++, p1++, p2++, p3++) {
        c0 = fround(c0 + prod[t0 + src[p0]]);
        c1 = fround(c1 + prod[t1 + src[p1]]);
        c2 = fround(c2 + prod[t2 + src[p2]]);
        c3 = fround(c3 + prod[t3 + src[p3]]);
      }
      for (; p0 < e0; p0++) c0 = fround(c0 + prod[t0 + src[p0]]);
      for (; p1 < e1; p1++) c1 = fround(c1 + prod[t1 + src[p1]]);
      for (; p2 < e2; p2++) c2 = fround(c2 + prod[t2 + src[p2]]);
      for (; p3 < e3; p3++) c3 = fround(c3 + prod[t3 + src[p3]]);
      buf[dx] = fround(c0 + fround(src[off + rIdx[dx]] * rA[dx]));
      buf[dx + 1] = fround(c1 + fround(src[off + rIdx[dx + 1]] * rA[dx + 1]));
      buf[dx + 2] = fround(c2 + fround(src[off + rIdx[dx + 2]] * rA[dx + 2]));
      buf[dx + 3] = fround(c3 + fround(src[off + rIdx[dx + 3]] * rA[dx + 3]));
    }
    for (; dx < dw; dx++) {
      let c = fround(src[off + lIdx[dx]] * lA[dx]);
      const t0 = tOff[dx];
      for (let p = off + s0[dx]; p < off + s1[dx]; p++) c = fround(c + prod[t0 + src[p]]);
      buf[dx] = fround(c + fround(src[off + rIdx[dx]] * rA[dx]));
    }
    return;
  }
  for (let dx = 0; dx < dw; dx++) {
    const t0 = tOff[dx];
    const end = off + s1[dx] * cn;
    for (let c = 0; c < cn; c++) {
      let acc = fround(src[off + lIdx[dx] * cn + c] * lA[dx]);
      for (let p = off + s0[dx] * cn + c; p < end; p += cn) acc = fround(acc + prod[t0 + src[p]]);
      buf[dx * cn + c] = fround(acc + fround(src[off + rIdx[dx] * cn + c] * rA[dx]));
    }
  }
}

/** ResizeArea_Invoker: horizontal pass per source row, then the vertical accumulation, all in float32. */
function areaGeneric(src: Uint8Array, sw: number, cn: number, gray: Weights | null, xt: AreaTab, yt: AreaTab, dw: number, dh: number): Uint8Array {
  const rowLen = gray ? dw : dw * cn;
  const out = new Uint8Array(rowLen * dh);
  const buf = new Float64Array(rowLen); // float32 values held in doubles
  const sum = new Float64Array(rowLen);
  const stride = sw * cn;
  const grayRow = gray ? new Uint8Array(sw) : null;
  let lastSy = -1;
  const addRow = (sy: number, beta: number, first: boolean): void => {
    // A boundary source row feeds two destination rows; its horizontal pass is deterministic, so reuse it.
    if (sy !== lastSy) {
      if (gray) horizontalRaw(greyInto(src, sy * stride, sw, gray, grayRow!), 0, xt, dw, 1, buf);
      else horizontalRaw(src, sy * stride, xt, dw, cn, buf);
      lastSy = sy;
    }
    // OpenCV's first row of a destination row adds to a zeroed sum, which is the same as setting it.
    if (first) for (let i = 0; i < rowLen; i++) sum[i] = fround(beta * buf[i]);
    else for (let i = 0; i < rowLen; i++) sum[i] = fround(sum[i] + fround(beta * buf[i]));
  };
  for (let dy = 0; dy < dh; dy++) {
    forEachSourceRow(yt, dy, addRow);
    for (let i = 0, o = dy * rowLen; i < rowLen; i++) out[o + i] = satRound(sum[i]);
  }
  return out;
}

/**
 * The source rows of destination row dy with their weights, in OpenCV's order: left partial row, whole
 * rows, right partial row (absent partials have weight 0 and are skipped). `first` marks the row that
 * starts the sum.
 */
export function forEachSourceRow(yt: AreaTab, dy: number, add: (sy: number, beta: number, first: boolean) => void): void {
  const hasLeft = yt.lA[dy] !== 0;
  if (hasLeft) add(yt.lIdx[dy], yt.lA[dy], true);
  for (let sy = yt.s0[dy]; sy < yt.s1[dy]; sy++) add(sy, yt.a[dy], !hasLeft && sy === yt.s0[dy]);
  if (yt.rA[dy] !== 0) add(yt.rIdx[dy], yt.rA[dy], !hasLeft && yt.s1[dy] === yt.s0[dy]);
}

/**
 * INTER_AREA's bilinear when an axis grows (cv/resizeArea.ts areaUpscale makes the tables and explains
 * them): HResizeLinear on exact integers scaled by 2048, then VResizeLinear with the SSE2 rounding of
 * OpenCV's uint8 specialisation, into out (dw * dh * cn bytes). native/kernels/area.c area_upscale repeats
 * it (integer work: the same bytes).
 */
export type UpscaleKernel = (
  src: Uint8Array,
  sw: number,
  sh: number,
  cn: number,
  xofs: Int32Array,
  xa0: Int32Array,
  xa1: Int32Array,
  yofs: Int32Array,
  ya0: Int32Array,
  ya1: Int32Array,
  dw: number,
  dh: number,
  out: Uint8Array,
) => void;

export const upscaleJs: UpscaleKernel = (src, sw, sh, cn, xofs, xa0, xa1, yofs, ya0, ya1, dw, dh, out) => {
  const rowLen = dw * cn;
  const H = new Int32Array(sh * rowLen);
  for (let y = 0; y < sh; y++) {
    const r = src.subarray(y * sw * cn, (y + 1) * sw * cn);
    const o = y * rowLen;
    for (let dx = 0; dx < dw; dx++) {
      const s0 = xofs[dx] * cn;
      const s1 = Math.min(xofs[dx] + 1, sw - 1) * cn;
      const w0 = xa0[dx];
      const w1 = xa1[dx];
      for (let c = 0; c < cn; c++) H[o + dx * cn + c] = r[s0 + c] * w0 + r[s1 + c] * w1;
    }
  }
  for (let dy = 0; dy < dh; dy++) {
    const r0 = yofs[dy] * rowLen;
    const r1 = Math.min(yofs[dy] + 1, sh - 1) * rowLen;
    const b0 = ya0[dy];
    const b1 = ya1[dy];
    const o = dy * rowLen;
    for (let i = 0; i < rowLen; i++) {
      const v = ((((H[r0 + i] >> 4) * b0) >> 16) + (((H[r1 + i] >> 4) * b1) >> 16) + 2) >> 2;
      out[o + i] = v > 255 ? 255 : v;
    }
  }
};
