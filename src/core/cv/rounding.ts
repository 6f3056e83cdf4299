/**
 * Rounding as OpenCV's cvRound / SSE cvtps2dq does it: to nearest, ties to even.
 * JavaScript's Math.round sends ties up, which would differ on every exact .5.
 */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && (r & 1) !== 0 ? r - 1 : r;
}

/** saturate_cast<uchar>(float/double): round ties-to-even, then clamp. */
export function saturateU8(x: number): number {
  const r = roundHalfEven(x);
  return r < 0 ? 0 : r > 255 ? 255 : r;
}

/** OpenCV's BORDER_REFLECT_101 index mapping (gfedcb|abcdefgh|gfedcba); a 1-pixel line maps to 0. */
export function reflect101(p: number, len: number): number {
  if (len === 1) return 0;
  while (p < 0 || p >= len) {
    if (p < 0) p = -p;
    if (p >= len) p = 2 * len - 2 - p;
  }
  return p;
}
