/**
 * The box inside a picture's uniform borders (crops/cropWindows.ts contentBox says what it is for): the
 * border colour is the per-channel median of the four corners, and rows then columns are peeled from each
 * side while at most 1 in BORDER_MISS_DIVISOR of their pixels is more than `tolerance` levels from it in
 * some channel (a watermark or JPEG noise may touch a border line). Integer work only, so
 * native/kernels/contentbox.c gives exactly these boxes; it runs on every file of a crop-resistant scan,
 * where the JavaScript loop cost most of a whole-file hash on pictures with wide borders.
 */

/** A line is border when its pixels off the border colour are at most its length / this (2 %). */
export const BORDER_MISS_DIVISOR = 50;

/** Writes left, top, right, bottom (exclusive) of the box into out[0..3]; the whole picture when nothing is peeled. */
export type ContentBoxKernel = (rgb: Uint8Array, width: number, height: number, tolerance: number, out: Int32Array) => void;

export const contentBoxJs: ContentBoxKernel = (data, w, h, tol, out) => {
  const corners = [0, w - 1, (h - 1) * w, h * w - 1];
  const colour = [0, 1, 2].map((c) => {
    const v = corners.map((p) => data[p * 3 + c]).sort((a, b) => a - b);
    return (v[1] + v[2]) >> 1;
  });
  const [r, g, b] = colour;
  // A line of `count` pixels from pixel `start`, `step` pixels apart, is border when at most count / 50 of
  // them are not: stop counting as soon as more are (the first content line of each side is all a picture
  // without borders costs).
  const lineIsBorder = (start: number, step: number, count: number): boolean => {
    let misses = 0;
    for (let k = 0, o = start * 3; k < count; k++, o += step * 3) {
      if (Math.abs(data[o] - r) > tol || Math.abs(data[o + 1] - g) > tol || Math.abs(data[o + 2] - b) > tol)
        if (++misses * BORDER_MISS_DIVISOR > count) return false;
    }
    return true;
  };
  let top = 0;
  let bottom = h;
  let left = 0;
  let right = w;
  while (top < bottom - 1 && lineIsBorder(top * w, 1, w)) top++;
  while (bottom - 1 > top && lineIsBorder((bottom - 1) * w, 1, w)) bottom--;
  while (left < right - 1 && lineIsBorder(top * w + left, w, bottom - top)) left++;
  while (right - 1 > left && lineIsBorder(top * w + right - 1, w, bottom - top)) right--;
  out[0] = left;
  out[1] = top;
  out[2] = right;
  out[3] = bottom;
};
