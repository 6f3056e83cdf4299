/**
 * The size of a picture without uniform borders (image/keepStats.ts contentSize says what it means): the
 * rows and columns at each edge within `tolerance` of that edge's corner colour, up to half the image each
 * way, left out. Integer work only, so native/kernels/contentsize.c gives exactly these sizes; it runs
 * on every image of a first scan (0.45 ms of JavaScript per speed-set photo).
 */

/** Writes the width and height into out[0] and out[1]. */
export type ContentSizeKernel = (rgb: Uint8Array, width: number, height: number, tolerance: number, out: Int32Array) => void;

const put = (out: Int32Array, width: number, height: number): void => {
  out[0] = width;
  out[1] = height;
};

export const contentSizeJs: ContentSizeKernel = (data, w, h, tolerance, out) => {
  const bottomRight = (h * w - 1) * 3;
  const halfW = w >> 1;
  const halfH = h >> 1;
  let top = 0;
  while (top < halfH && nearRun(data, top * w * 3, w, 3, 0, tolerance) === w) top++;
  let bottom = h;
  while (bottom > h - halfH && bottom - 1 > top && nearRun(data, (bottom - 1) * w * 3, w, 3, bottomRight, tolerance) === w) bottom--;
  if (top >= halfH) return put(out, w, h); // (nearly) uniform: no picture to find
  // Column x is uniform when every row's run of pixels near the corner from that side covers it.
  let left = halfW;
  for (let y = top; y < bottom && left > 0; y++) left = nearRun(data, y * w * 3, left, 3, 0, tolerance);
  if (left >= halfW) return put(out, w, h);
  let trail = halfW;
  for (let y = top; y < bottom && trail > 0; y++) trail = nearRun(data, ((y + 1) * w - 1) * 3, trail, -3, bottomRight, tolerance);
  const right = Math.max(w - trail, w - halfW, left + 1);
  put(out, right - left, bottom - top);
};

/** How many of the `n` pixels from byte `p` on (stepping `step` bytes) are within `tol` of the pixel at byte `c` in every channel, counted until the first that is not. */
function nearRun(data: Uint8Array, p: number, n: number, step: number, c: number, tol: number): number {
  const r = data[c];
  const g = data[c + 1];
  const b = data[c + 2];
  for (let i = 0; i < n; i++, p += step) {
    if (Math.abs(data[p] - r) > tol || Math.abs(data[p + 1] - g) > tol || Math.abs(data[p + 2] - b) > tol) return i;
  }
  return n;
}
