/*
 * The box inside a picture's uniform borders: the C twin of src/core/kernels/contentBox.ts (read that
 * file for what it means). Integer work, the same steps in the same order, so the same boxes.
 */
#include "contentbox.h"
#include <stdlib.h>

/* A line is border when its pixels off the border colour are at most its length / this (2 %). */
#define BORDER_MISS_DIVISOR 50

static int median_of_corners(const unsigned char *data, const long *corners, int c) {
  int v[4];
  for (int i = 0; i < 4; i++) v[i] = data[corners[i] * 3 + c];
  for (int i = 1; i < 4; i++) /* insertion sort of four */
    for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
      int t = v[j];
      v[j] = v[j - 1];
      v[j - 1] = t;
    }
  return (v[1] + v[2]) >> 1;
}

/* Whether `count` pixels from pixel `start`, `step` pixels apart, are border (see contentBox.ts). */
static int line_is_border(const unsigned char *data, long start, long step, long count, const int *col, int tol) {
  long misses = 0;
  const unsigned char *p = data + start * 3;
  for (long k = 0; k < count; k++, p += step * 3)
    if (abs(p[0] - col[0]) > tol || abs(p[1] - col[1]) > tol || abs(p[2] - col[2]) > tol)
      if (++misses * BORDER_MISS_DIVISOR > count) return 0;
  return 1;
}

void content_box(const unsigned char *data, long w, long h, int tol, int *out) {
  const long corners[4] = {0, w - 1, (h - 1) * w, h * w - 1};
  int col[3];
  for (int c = 0; c < 3; c++) col[c] = median_of_corners(data, corners, c);
  long top = 0, bottom = h, left = 0, right = w;
  while (top < bottom - 1 && line_is_border(data, top * w, 1, w, col, tol)) top++;
  while (bottom - 1 > top && line_is_border(data, (bottom - 1) * w, 1, w, col, tol)) bottom--;
  while (left < right - 1 && line_is_border(data, top * w + left, w, bottom - top, col, tol)) left++;
  while (right - 1 > left && line_is_border(data, top * w + right - 1, w, bottom - top, col, tol)) right--;
  out[0] = (int)left;
  out[1] = (int)top;
  out[2] = (int)right;
  out[3] = (int)bottom;
}
