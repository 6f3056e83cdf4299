/*
 * The size of a picture without uniform borders: the C twin of src/core/kernels/contentSize.ts (read that
 * file and image/keepStats.ts for what it means). Integer work, the same steps in the same order.
 */
#include "contentsize.h"
#include <stdlib.h>

/* How many of the n pixels from byte p on (stepping `step` bytes) are within tol of the pixel at byte c. */
static long near_run(const unsigned char *data, long p, long n, long step, long c, int tol) {
  int r = data[c], g = data[c + 1], b = data[c + 2];
  for (long i = 0; i < n; i++, p += step)
    if (abs(data[p] - r) > tol || abs(data[p + 1] - g) > tol || abs(data[p + 2] - b) > tol) return i;
  return n;
}

void content_size(const unsigned char *data, long w, long h, int tol, int *out) {
  long bottom_right = (h * w - 1) * 3;
  long half_w = w >> 1, half_h = h >> 1;
  out[0] = (int)w;
  out[1] = (int)h;
  long top = 0;
  while (top < half_h && near_run(data, top * w * 3, w, 3, 0, tol) == w) top++;
  long bottom = h;
  while (bottom > h - half_h && bottom - 1 > top && near_run(data, (bottom - 1) * w * 3, w, 3, bottom_right, tol) == w) bottom--;
  if (top >= half_h) return;
  long left = half_w;
  for (long y = top; y < bottom && left > 0; y++) left = near_run(data, y * w * 3, left, 3, 0, tol);
  if (left >= half_w) return;
  long trail = half_w;
  for (long y = top; y < bottom && trail > 0; y++) trail = near_run(data, ((y + 1) * w - 1) * 3, trail, -3, bottom_right, tol);
  long right = w - trail;
  if (w - half_w > right) right = w - half_w;
  if (left + 1 > right) right = left + 1;
  out[0] = (int)(right - left);
  out[1] = (int)(bottom - top);
}
