/**
 * cv2.boxFilter(gray, ddepth=-1, ksize=(k, k)) on a single-channel uint8 image: normalised, anchor at the
 * centre (k // 2), BORDER_REFLECT_101 — what PHash(box_filter=True) calls (k = round(n * 7 / 32)).
 *
 * The division is where OpenCV 4.6 is peculiar, and the hash depends on it:
 *  - k*k <= 256: sums kept as uint16 and divided in fixed point, ((s + dd) * ds) >> 23 (ColumnSum<ushort,
 *    uchar>). That is round-half-up for k = 3, 5, 7, 14 but not a true rounding for k = 4 or 16.
 *  - larger kernels: int sums; the SSE2 body (groups of 8 columns) rounds float32(s) * float32(1/k^2) to
 *    even, the remaining columns round s * (1.0/k^2) in double.
 */

const SHIFT = 2 ** 23;

function reflect101(p: number, len: number): number {
  if (len === 1) return 0;
  while (p < 0 || p >= len) {
    if (p < 0) p = -p;
    if (p >= len) p = 2 * len - 2 - p;
  }
  return p;
}

function roundHalfEven(x: number): number {
  let r = Math.round(x);
  if (r - x === 0.5 && (r & 1) !== 0) r -= 1;
  return r;
}

export function boxFilter(src: Uint8Array, w: number, h: number, k: number): Uint8Array {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`boxFilter: kernel size must be a positive integer, got ${k}`);
  if (src.length < w * h) throw new RangeError(`boxFilter: buffer of ${src.length} bytes is too small for ${w}x${h}`);
  const out = new Uint8Array(w * h);
  if (k === 1) {
    out.set(src.subarray(0, w * h));
    return out;
  }
  const a = k >> 1;
  const d = k * k;

  // Column offsets with the border folded in, so the horizontal window is a plain gather.
  const xmap = new Int32Array(w + k - 1);
  for (let i = 0; i < xmap.length; i++) xmap[i] = reflect101(i - a, w);

  // Horizontal window sums for every source row (exact integers).
  const rowSum = new Int32Array(w * h);
  for (let y = 0; y < h; y++) {
    const r = y * w;
    let s = 0;
    for (let i = 0; i < k; i++) s += src[r + xmap[i]];
    rowSum[r] = s;
    for (let x = 1; x < w; x++) {
      s += src[r + xmap[x + k - 1]] - src[r + xmap[x - 1]];
      rowSum[r + x] = s;
    }
  }

  const ymap = new Int32Array(h + k - 1);
  for (let i = 0; i < ymap.length; i++) ymap[i] = reflect101(i - a, h);

  let divide: (s: number, x: number) => number;
  if (d <= 256) {
    let scalef = SHIFT / d;
    let ds = Math.floor(scalef);
    scalef -= ds;
    let dd = d >> 1;
    if (scalef < 0.5) dd++;
    else ds++;
    divide = (s) => Math.floor(((s + dd) * ds) / SHIFT);
  } else {
    const scale64 = 1 / d;
    const scale32 = Math.fround(scale64);
    const simdEnd = w & ~7;
    divide = (s, x) => (x < simdEnd ? roundHalfEven(Math.fround(s * scale32)) : roundHalfEven(s * scale64));
  }

  // Vertical window as a running sum: add the row entering, drop the row leaving.
  const col = new Int32Array(w);
  for (let i = 0; i < k; i++) {
    const r = ymap[i] * w;
    for (let x = 0; x < w; x++) col[x] += rowSum[r + x];
  }
  for (let y = 0; y < h; y++) {
    if (y > 0) {
      const add = ymap[y + k - 1] * w;
      const sub = ymap[y - 1] * w;
      for (let x = 0; x < w; x++) col[x] += rowSum[add + x] - rowSum[sub + x];
    }
    const o = y * w;
    for (let x = 0; x < w; x++) {
      const v = divide(col[x], x);
      out[o + x] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return out;
}
