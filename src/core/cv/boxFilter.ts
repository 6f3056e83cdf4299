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

  // Horizontal window sums of one source row (exact integers), over the row padded by reflection.
  const xmap = new Int32Array(k - 1);
  for (let i = 0; i < a; i++) xmap[i] = reflect101(i - a, w);
  for (let i = a; i < k - 1; i++) xmap[i] = reflect101(w + i - a, w);
  const padded = new Uint8Array(w + k - 1);
  // Source row of each window position, borders reflected.
  const ymap = new Int32Array(h + k - 1);
  for (let i = 0; i < ymap.length; i++) ymap[i] = reflect101(i - a, h);

  // The division by k*k for every possible window sum, as OpenCV rounds it (see the header).
  const lut = new Uint8Array(255 * d + 1);
  const lutTail = d <= 256 ? lut : new Uint8Array(255 * d + 1);
  if (d <= 256) {
    let scalef = SHIFT / d;
    let ds = Math.floor(scalef);
    scalef -= ds;
    let dd = d >> 1;
    if (scalef < 0.5) dd++;
    else ds++;
    for (let s = 0; s < lut.length; s++) lut[s] = Math.min(255, Math.floor(((s + dd) * ds) / SHIFT));
  } else {
    const scale64 = 1 / d;
    const scale32 = Math.fround(scale64);
    for (let s = 0; s < lut.length; s++) {
      lut[s] = Math.min(255, roundHalfEven(Math.fround(s * scale32)));
      lutTail[s] = Math.min(255, roundHalfEven(s * scale64));
    }
  }
  const simdEnd = d <= 256 ? w : w & ~7; // the SSE2 body covers whole groups of 8 columns

  // Vertical window as a running sum over a ring of the last k row sums: drop the row leaving, add the
  // row entering. The ring stays in cache, unlike row sums for the whole image.
  const ring = new Int32Array(k * w);
  const col = new Int32Array(w);
  for (let i = 0; i < k; i++) {
    rowSums(src, ymap[i] * w, w, k, a, xmap, padded, ring, i * w);
    for (let x = 0; x < w; x++) col[x] += ring[i * w + x];
  }
  for (let y = 0; y < h; y++) {
    if (y > 0) {
      const slot = ((y - 1) % k) * w; // window position y - 1 leaves, y + k - 1 takes its slot
      for (let x = 0; x < w; x++) col[x] -= ring[slot + x];
      rowSums(src, ymap[y + k - 1] * w, w, k, a, xmap, padded, ring, slot);
      for (let x = 0; x < w; x++) col[x] += ring[slot + x];
    }
    const o = y * w;
    for (let x = 0; x < simdEnd; x++) out[o + x] = lut[col[x]];
    for (let x = simdEnd; x < w; x++) out[o + x] = lutTail[col[x]];
  }
  return out;
}

/** Horizontal window sums of the row at src[r..r+w) into `into` at `at`, the row padded by reflection. */
function rowSums(src: Uint8Array, r: number, w: number, k: number, a: number, xmap: Int32Array, padded: Uint8Array, into: Int32Array, at: number): void {
  for (let i = 0; i < a; i++) padded[i] = src[r + xmap[i]];
  padded.set(src.subarray(r, r + w), a);
  for (let i = a; i < k - 1; i++) padded[w + i] = src[r + xmap[i]];
  let s = 0;
  for (let i = 0; i < k; i++) s += padded[i];
  into[at] = s;
  for (let x = 1; x < w; x++) {
    s += padded[x + k - 1] - padded[x - 1];
    into[at + x] = s;
  }
}
