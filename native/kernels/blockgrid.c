/*
 * The JPEG block-grid score of lossless pixels: the C twin of src/core/kernels/blockGrid.ts (read that
 * file for what each step means). Same operations in the same order on doubles, the DCT basis passed in
 * from JavaScript, compiled without fused multiply-add; Math.round is JavaScript's (ties towards +inf).
 * The score is a count of frequencies, so the only float results it depends on are comparisons. Where a
 * comparison's answer can be had for less, this twin takes the shortcut and keeps the answer (luma computed
 * where it is read, a cheaper cosine far from the 0.6 threshold, a frequency settled by its first step):
 * the same score, at 0.85 of the time (kernels.test.ts compares the twins on every picture it has). The
 * step search divides and rounds every coefficient of a step at once (step_terms, vectorised), then adds
 * its terms in JavaScript's order: 0.28 of the time again, the same scores.
 */
#include "blockgrid.h"
#include "simd.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW 1024
#define MAX_Q 24
#define MAX_BLOCKS 256
#define PROBE_BLOCKS 64
#define MULTIPLES 64
/* Math.PI (M_PI is not in strict C11). */
#define PI 3.141592653589793

/*
 * JavaScript's Math.round: the nearest integer, halves towards +infinity (x - floor(x) is exact). floor by a
 * truncating conversion (exact below 2^52, and larger doubles are integers already): libm's floor is a call
 * per coefficient, which was a sixth of this kernel's time.
 */
static inline double js_round(double x) {
  double r = x;
  if (fabs(x) < 4503599627370496.0) {
    r = (double)(long long)x;
    if (r > x) r -= 1;
  }
  return x - r >= 0.5 ? r + 1 : r;
}

/*
 * cos(2 pi t) for |t| <= 1/2: blockGrid.ts cosTurns, the same doubles from the same operations (libm's cos
 * and V8's Math.cos may differ in the last bit, and a score must not depend on the machine or the addon).
 */
#define COS_TERMS 12

/* The series' coefficients, (-1)^k / (2k)!, built as cosTurns' COS_COEF is (per call: pool threads share nothing). */
static void cos_coefficients(double *c) {
  c[0] = 1;
  for (int k = 1; k < COS_TERMS; k++) c[k] = -c[k - 1] / ((2 * k - 1) * (2 * k));
}

/* The series to x^(2 terms - 2): COS_TERMS for blockGrid.ts cosTurns' double, fewer for a rough one. */
static inline __attribute__((always_inline)) double cos_series(double t, const double *cos_coef, int terms) {
  double a = fabs(t);
  double sign = 1;
  if (a > 0.25) {
    a = 0.5 - a;
    sign = -1;
  }
  double x = 2 * PI * a;
  double x2 = x * x;
  double sum = cos_coef[terms - 1];
  for (int k = terms - 2; k >= 0; k--) sum = sum * x2 + cos_coef[k];
  return sign * sum;
}

static double cos_turns(double t, const double *cos_coef) { return cos_series(t, cos_coef, COS_TERMS); }

/* Scratch memory for one call: the spreads, their sorted copy, the chosen blocks and their coefficients. */
typedef struct {
  double *spread;
  double *sorted;
  int *chosen;
  double *coef;
} scratch_t;

/* qsort has no context argument in C11; one per thread, since the decoder addon measures several pictures at once on
 * its pool threads (a shared one let one thread sort its blocks by another picture's spreads). */
static _Thread_local const double *g_spread;

/* The k-th smallest of a[0..n) (0-based), reordering a: the value a full sort puts at k, in linear time (a
 * sort of every block's spread was most of this kernel's time at the 1024 px window: 16,384 blocks). */
double kth_smallest(double *a, int n, int k) {
  int lo = 0, hi = n - 1;
  while (lo < hi) {
    double pivot = a[lo + (hi - lo) / 2];
    int i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        double t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/* Largest spread first, then the lower index: the JavaScript comparator, a total order. */
static int cmp_block(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  double d = g_spread[y] - g_spread[x];
  if (d != 0) return d < 0 ? -1 : 1;
  return x - y;
}

/* The MAX_BLOCKS largest spreads, largest first (blockGrid.ts textured). Returns how many. */
static int textured(const double *spread, int count, scratch_t *s) {
  int n = 0;
  if (count <= MAX_BLOCKS) {
    for (int i = 0; i < count; i++) s->chosen[n++] = i;
  } else {
    memcpy(s->sorted, spread, sizeof(double) * (size_t)count);
    double threshold = kth_smallest(s->sorted, count, count - MAX_BLOCKS);
    for (int i = 0; i < count; i++)
      if (spread[i] >= threshold) s->chosen[n++] = i;
  }
  g_spread = spread;
  qsort(s->chosen, (size_t)n, sizeof(int), cmp_block);
  return n < MAX_BLOCKS ? n : MAX_BLOCKS;
}

/*
 * One step q over m coefficients, every value at once (no branch per value, so the compiler vectorises the
 * loop; the division and the rounding are the same IEEE operations whether one or four at a time): the
 * closeness term 1 - 4 |d - round(d)| (or with `phases` the phase d - round(d)) of each value used (|f| >= q / 2)
 * and 0 for the others, its multiple
 * of q as a histogram bin (NO_BIN for the others). Returns how many were used: usable's count, and the
 * count closeness and exact_above take, which add the terms in the same order (adding +0 changes no sum,
 * and a sum of these terms starting at +0 is never -0).
 */
#define NO_BIN (2 * MULTIPLES + 1)

/* no-trapping-math lets GCC turn the selects into vector blends (it changes no value, only which floating-point
 * exception flags could be raised, which nothing here reads). */
MD_SIMD_CLONES __attribute__((optimize("no-trapping-math"))) static int step_terms(const double *coef, int m, int q, int phases, double *term, int *bin) {
  double qd = q, half = q / 2.0;
  int used = 0;
  for (int b = 0; b < m; b++) {
    double f = coef[b];
    double d = f / qd;
    /* js_round: floor(d) is what its truncation and correction give, at every size */
    double r = floor(d);
    double mult = d - r >= 0.5 ? r + 1 : r;
    int in = !(fabs(f) < half);
    double t = phases ? d - mult : 1 - 4 * fabs(d - mult);
    term[b] = in ? t : 0.0;
    double c = mult < -MULTIPLES ? -MULTIPLES : mult > MULTIPLES ? MULTIPLES : mult;
    bin[b] = in ? (int)c + MULTIPLES : NO_BIN;
    used += in;
  }
  return used;
}

/* How many multiples of q were hit at least twice (closeness's spread), from step_terms' bins. */
static int spread_of(const int *bin, int m) {
  unsigned short count[NO_BIN + 1];
  memset(count, 0, sizeof count);
  for (int b = 0; b < m; b++) count[bin[b]]++;
  int spread = 0;
  for (int i = 0; i < NO_BIN; i++)
    if (count[i] >= 2) spread++;
  return spread;
}

/* blockGrid.ts closeness with the triangle (the probe's ranking of the steps) from step_terms' terms, when at
 * least 12 were used and their multiples spread over 3 (spread_of): JavaScript returns undefined otherwise. */
static double mean_of(const double *term, int m, int used) {
  double re = 0;
  for (int b = 0; b < m; b++) re += term[b];
  return re / used;
}

/*
 * The window's pixels: luma is computed where it is read (0.25 of the pixels for the spreads, 64 per chosen
 * block), from the same expression as blockGrid.ts's luma plane, so the same doubles; no plane of 8 bytes a
 * pixel to allocate and fill for each image.
 */
typedef struct {
  const unsigned char *rgb;
  int width;
  int x0, y0;
} window_t;

static inline double luma_at(const window_t *win, int x, int y) {
  const unsigned char *p = win->rgb + ((size_t)(win->y0 + y) * win->width + win->x0 + x) * 3;
  return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
}

/* The rough cosine (cos_series to x^8) of every used phase, 0 for the others (adding +0 changes no sum), all at once. */
MD_SIMD_CLONES __attribute__((optimize("no-trapping-math"))) static void rough_terms(const double *phase, const int *bin, int n, const double *series, double *out) {
  for (int i = 0; i < n; i++) {
    double c = cos_series(phase[i], series, 5);
    out[i] = bin[i] != NO_BIN ? c : 0.0;
  }
}

/*
 * Whether closeness(coef, n, 1, q, 24, exact) is defined and above 0.6: -1 undefined, else 0 or 1. The
 * phases are summed first with the cosine's series cut after x^8 (within 2.6e-5 of the full one on
 * [0, pi/2]); only a mean within 1e-4 of 0.6 is summed again with cos_turns in closeness's order, so the
 * answer is always the one of the exact mean, at a third of the cost.
 */
static int exact_above(const double *coef, int n, int q, const double *series, double *phase, int *bin) {
  int used = step_terms(coef, n, q, 1, phase, bin);
  if (used < 24) return -1;
  if (spread_of(bin, n) < 3) return -1;
  double rough_cos[MAX_BLOCKS];
  rough_terms(phase, bin, n, series, rough_cos);
  double rough = 0;
  for (int i = 0; i < n; i++) rough += rough_cos[i];
  if (rough > (0.6 + 1e-4) * used) return 1;
  if (rough < (0.6 - 1e-4) * used) return 0;
  double re = 0;
  for (int i = 0; i < n; i++)
    if (bin[i] != NO_BIN) re += cos_turns(phase[i], series);
  return re / used > 0.6;
}

static int quantised_share(const window_t *win, int w, int h, int offset, const double *cos_table, scratch_t *s) {
  int bw = (w - offset) >> 3;
  int bh = (h - offset) >> 3;
  if (bw < 2 || bh < 2) return 0;
  int blocks = bw * bh;
  double *spread = s->spread;
  for (int i = 0; i < blocks; i++) {
    int by = i / bw;
    int bx = i % bw;
    /* Comparisons, not fmin/fmax (calls): the same values, as no luma is NaN or a negative zero. */
    double lo = 255, hi = 0;
    for (int d = 0; d < 8; d++) {
      double v = luma_at(win, offset + bx * 8 + d, offset + by * 8 + d);
      double u = luma_at(win, offset + bx * 8 + 7 - d, offset + by * 8 + d);
      double a = v < u ? v : u, b = v > u ? v : u;
      lo = a < lo ? a : lo;
      hi = b > hi ? b : hi;
    }
    spread[i] = hi - lo;
  }
  int n = textured(spread, blocks, s);
  double *coef = s->coef;
  double px[64], tmp[64];
  for (int b = 0; b < n; b++) {
    int i = s->chosen[b];
    int by = i / bw;
    int bx = i % bw;
    for (int y = 0; y < 8; y++)
      for (int x = 0; x < 8; x++) px[y * 8 + x] = luma_at(win, offset + bx * 8 + x, offset + by * 8 + y) - 128;
    for (int y = 0; y < 8; y++)
      for (int u = 0; u < 8; u++) {
        double sum = 0;
        for (int x = 0; x < 8; x++) sum += cos_table[u * 8 + x] * px[y * 8 + x];
        tmp[y * 8 + u] = sum;
      }
    for (int v = 0; v < 8; v++)
      for (int u = 0; u < 8; u++) {
        double sum = 0;
        for (int y = 0; y < 8; y++) sum += cos_table[v * 8 + y] * tmp[y * 8 + u];
        coef[(size_t)(v * 8 + u) * n + b] = sum;
      }
  }
  int probe_step = n / PROBE_BLOCKS > 1 ? n / PROBE_BLOCKS : 1;
  int tested = 0, quantised = 0;
  double series[COS_TERMS];
  cos_coefficients(series);
  double phase[MAX_BLOCKS], probe[MAX_BLOCKS], term[MAX_BLOCKS];
  int bin[MAX_BLOCKS];
  for (int k = 1; k < 64; k++) {
    const double *ck = coef + (size_t)k * n;
    /* The probe's coefficients side by side, as step_terms reads them. */
    int m = 0;
    for (int b = 0; b < n; b += probe_step) probe[m++] = ck[b];
    /* The two best steps of the probe, best first; a tie keeps the smaller step first (a stable sort). */
    int best_q[2] = {0, 0};
    double best_c[2] = {0, 0};
    int found = 0;
    for (int q = 2; q <= MAX_Q; q++) {
      int used = step_terms(probe, m, q, 0, term, bin);
      if (used < 12) break; /* usable() < 12: no larger step has more */
      double c = mean_of(term, m, used);
      /* Past two steps, one no better than the second best changes nothing whether it is defined or not
       * (found only counts up to 2 below): its spread, a histogram of every term, is not counted. */
      if (found >= 2 && !(c > best_c[1])) continue;
      if (spread_of(bin, m) < 3) continue;
      if (found == 0 || c > best_c[0]) {
        best_q[1] = best_q[0];
        best_c[1] = best_c[0];
        best_q[0] = q;
        best_c[0] = c;
      } else if (found == 1 || c > best_c[1]) {
        best_q[1] = q;
        best_c[1] = c;
      }
      found++;
    }
    if (found == 0) continue;
    /* blockGrid.ts keeps the larger of the two steps' means and asks whether it is above 0.6: the same as
     * asking whether either is, so a first step above it settles the frequency without the second. */
    int have = 0, above = 0;
    for (int t = 0; t < (found < 2 ? found : 2) && !above; t++) {
      int r = exact_above(ck, n, best_q[t], series, phase, bin);
      if (r < 0) continue;
      have = 1;
      above = r;
    }
    if (!have) continue;
    tested++;
    quantised += above;
  }
  return tested < 4 ? 0 : (int)js_round(((double)quantised / tested) * 1000);
}

int block_grid(const unsigned char *data, int width, int height, int min_score, const double *cos_table) {
  int w = width < WINDOW ? width : WINDOW;
  int h = height < WINDOW ? height : WINDOW;
  window_t win = {data, width, ((width - w) >> 4) << 3, ((height - h) >> 4) << 3};
  size_t blocks = (size_t)(w >> 3) * (size_t)(h >> 3) + 1;
  double *scratch = (double *)malloc(sizeof(double) * (2 * blocks + 64 * MAX_BLOCKS));
  int *chosen = (int *)malloc(sizeof(int) * blocks);
  if (!scratch || !chosen) {
    free(scratch);
    free(chosen);
    return -1;
  }
  scratch_t s = {scratch, scratch + blocks, chosen, scratch + 2 * blocks};
  int aligned = quantised_share(&win, w, h, 0, cos_table, &s);
  int score = 0;
  if (aligned >= min_score) {
    int shifted = quantised_share(&win, w, h, 4, cos_table, &s);
    score = aligned - shifted > 0 ? aligned - shifted : 0;
  }
  free(scratch);
  free(chosen);
  return score;
}
