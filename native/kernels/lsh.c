/*
 * The LSH table loop in C: the same search as src/core/pairs/lsh.wat (bit-sampling keys, partitions by
 * the key's top bits, buckets by the rest, exact popcount distance inside a bucket), with the same plan,
 * so it finds the same pairs (src/core/pairs/lshNative.test.ts compares the two). What differs is memory:
 *
 * - the hashes are read in place (a Node buffer or a memory-mapped file), never copied: the WebAssembly
 *   search must hold them in one 4 GB wasm memory, which stops a task near 100M hashes;
 * - a pass moves 6 bytes a row (its index and low key bits; 8 when those pass 16 bits), not the 32-byte
 *   row: a bucket's rows are read from the hashes when it is tested, prefetched a few rows ahead; or,
 *   when lshNative.ts chooses it (from 2^25 (~34M) hashes, coarse bytes kept), the row's first copy_bytes
 *   too (a multiple of 4: at 1B and threshold 0.2, 20 of 32, 26 bytes a pass row), copied while the pass finds its rows in index order: about 5x the
 *   passes, each a sparse stream of the hashes, instead of one read a row from anywhere in them per table,
 *   whose page walks miss the caches more the more hashes there are. A pair test rejects on the prefix (a
 *   lower bound of the distance) and reads the rest of both rows from the hashes only when the prefix is
 *   within the radius (test_buckets);
 * - a thread keeps a table's keys (4 bytes a row) when its budget allows; else each row's coarse byte
 *   (the top 8 bits of its partition, 1 byte a row, written while the partitions are counted), so a pass
 *   scans the bytes and computes the keys of its own rows only: two key computations a row per table
 *   however many passes; else every pass recomputes every key, so a thread's memory is bounded by its
 *   budget whatever n is.
 *
 * Threads (pthreads) take the tables round-robin, as lsh.ts deals them to worker threads, and each keeps
 * its pairs in its own hash set; the sets are merged at the end (one entry per pair: a pair has one
 * distance, whichever tables find it).
 */
#include "lsh.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define EMPTY UINT64_MAX
/* Rows prefetched ahead of the one being tested: enough to cover a memory access at a few ns a test. */
#define PREFETCH 16
/* Rows prefetched ahead in a pass's scan for its rows (sparse reads in index order, a page walk every few
   rows when the pass copies them: 48 took 0.77x the scan's CPU of 16 at 30M, 128 no less than 48). */
#define SCAN_PREFETCH 48

typedef struct {
  uint64_t *key; /* (i << 32) | j, EMPTY when free */
  uint32_t *d;
  size_t cap, size;
} pair_set;

static int set_init(pair_set *s, size_t cap) {
  s->cap = cap;
  s->size = 0;
  s->key = malloc(cap * sizeof *s->key);
  s->d = malloc(cap * sizeof *s->d);
  if (!s->key || !s->d) return 0;
  memset(s->key, 0xff, cap * sizeof *s->key);
  return 1;
}

static void set_free(pair_set *s) {
  free(s->key);
  free(s->d);
  s->key = NULL;
  s->d = NULL;
}

static inline size_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return (size_t)x;
}

static void set_put(pair_set *s, uint64_t k, uint32_t d) {
  size_t m = s->cap - 1, at = mix(k) & m;
  while (s->key[at] != EMPTY && s->key[at] != k) at = (at + 1) & m;
  if (s->key[at] == EMPTY) {
    s->key[at] = k;
    s->d[at] = d;
    s->size++;
  }
}

/* Adds (i, j, d) unless present; returns 0 when memory ran out. Kept at most half full. */
static int set_add(pair_set *s, uint32_t i, uint32_t j, uint32_t d) {
  if ((s->size + 1) * 2 > s->cap) {
    pair_set g;
    if (!set_init(&g, s->cap * 2)) {
      set_free(&g);
      return 0;
    }
    for (size_t q = 0; q < s->cap; q++)
      if (s->key[q] != EMPTY) set_put(&g, s->key[q], s->d[q]);
    set_free(s);
    *s = g;
  }
  set_put(s, ((uint64_t)i << 32) | j, d);
  return 1;
}

typedef struct {
  const lsh_job *job;
  int w;
  pair_set set;
  uint64_t candidates, hits, passes, tails;
  int error;
} worker;

static inline uint64_t word(const uint8_t *p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}

/* The 4 bytes at p, zero-extended: the last half word of a copied prefix of 4 mod 8 bytes. */
static inline uint64_t half(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

/* A row of 4 to 32 bytes (a multiple of 4), a word at a time and its last half word alone (memcpy with a
   variable length is a library call; a whole last word would write past a 20-byte prefix's record). */
static inline void copy_row(uint8_t *to, const uint8_t *from, size_t stride) {
  for (size_t k = 0; k < 32; k += 8)
    if (k + 8 <= stride) {
      uint64_t v;
      memcpy(&v, from + k, 8);
      memcpy(to + k, &v, 8);
    } else if (k + 4 <= stride) {
      uint32_t v;
      memcpy(&v, from + k, 4);
      memcpy(to + k, &v, 4);
    }
}

/* The table's key of one row: one lookup per touched byte (lut: byte position x value -> key bits). */
static inline uint32_t key_of(const uint8_t *row, const uint32_t *lut, const int *touched, int nt) {
  uint32_t key = 0;
  for (int t = 0; t < nt; t++) key |= lut[touched[t] * 256 + row[touched[t]]];
  return key;
}

/*
 * Every pair inside the buckets of one sorted partition (idx[0..m), buckets end at ends[b]). Built twice
 * on x86-64, with and without the popcnt instruction (chosen at load time): the baseline x86-64 target
 * has none, and a software popcount would double the cost of a test.
 */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("popcnt", "default")))
#endif
static int test_buckets(worker *wk, const uint32_t *idx, const uint8_t *rows, size_t rs, const uint32_t *ends, uint32_t nb) {
  const lsh_job *job = wk->job;
  const size_t stride = (size_t)job->stride;
  const int words = job->stride / 8;
  /* the words of a row in `rows` (rs bytes a row): all of them, or a prefix when the passes copy only a
     prefix of each row (its last word a half word when rs is 4 mod 8: loaded alone, zero-extended); the
     rest is read from the hashes for the few pairs the prefix does not reject */
  const int cw = (int)((rs + 7) / 8), hw = rs % 8 ? cw - 1 : -1; /* words, and the half word's (or -1) */
  const uint32_t radius = (uint32_t)job->radius;
  const int32_t *items = job->items;
  uint32_t bs = 0;
  for (uint32_t b = 0; b < nb; b++) {
    const uint32_t be = ends[b];
    const uint64_t c = be - bs;
    if (c < 2) {
      bs = be;
      continue;
    }
    wk->candidates += c * (c - 1) / 2;
    for (uint32_t x = bs; x + 1 < be; x++) {
      const uint8_t *ra = rows + x * rs;
      /* the row's words, zero past the stride (explicit loads: a loop here became a memcpy call) */
      const uint64_t a0 = hw == 0 ? half(ra) : word(ra), a1 = cw > 1 ? (hw == 1 ? half(ra + 8) : word(ra + 8)) : 0,
                     a2 = cw > 2 ? (hw == 2 ? half(ra + 16) : word(ra + 16)) : 0, a3 = cw > 3 ? (hw == 3 ? half(ra + 24) : word(ra + 24)) : 0;
      for (uint32_t y = x + 1; y < be; y++) {
        const uint8_t *rb = rows + y * rs;
        /* half the bits first: a random pair is already past the radius there almost always */
        uint32_t d = (uint32_t)__builtin_popcountll(a0 ^ (hw == 0 ? half(rb) : word(rb)));
        if (cw > 1) d += (uint32_t)__builtin_popcountll(a1 ^ (hw == 1 ? half(rb + 8) : word(rb + 8)));
        if (d >= radius) continue;
        if (cw > 2) d += (uint32_t)__builtin_popcountll(a2 ^ (hw == 2 ? half(rb + 16) : word(rb + 16)));
        if (cw > 3) d += (uint32_t)__builtin_popcountll(a3 ^ (hw == 3 ? half(rb + 24) : word(rb + 24)));
        if (d >= radius) continue;
        if (rs < stride) {
          /* the prefix's distance is a lower bound of the row's: past the radius it rejects exactly; below
             it the rest of both rows comes from the hashes (the mapped file): a half word first when the
             prefix ends mid-word, then whole words */
          const uint8_t *fa = job->rows + (size_t)idx[x] * stride, *fb = job->rows + (size_t)idx[y] * stride;
          size_t k = rs;
          if (k % 8) d += (uint32_t)__builtin_popcountll(half(fa + k) ^ half(fb + k)), k += 4;
          for (; k < stride; k += 8) d += (uint32_t)__builtin_popcountll(word(fa + k) ^ word(fb + k));
          wk->tails++;
          if (d >= radius) continue;
        }
        if (items && items[idx[x]] == items[idx[y]]) continue;
        wk->hits++;
        if (!set_add(&wk->set, idx[x], idx[y], d)) return 0;
      }
    }
    bs = be;
  }
  return 1;
}

/* Grows *buf to hold `bytes` bytes; 0 when memory ran out. */
static int reserve_rows(uint8_t **buf, size_t *cap, size_t bytes) {
  if (bytes <= *cap) return 1;
  uint8_t *p = realloc(*buf, bytes);
  if (!p) return 0;
  *buf = p;
  *cap = bytes;
  return 1;
}

static int reserve(uint32_t **buf, size_t *cap, size_t count) {
  if (count <= *cap) return 1;
  uint32_t *p = realloc(*buf, count * sizeof *p);
  if (!p) return 0;
  *buf = p;
  *cap = count;
  return 1;
}

/*
 * A pass row: its index (4 bytes) and its key's bits below the partition (2 bytes, or 4 when they pass 16
 * bits), one record of rb = 6 or 8 bytes (set once a worker), so the pass's scatter writes one place a
 * row, not two arrays; then the row (stride bytes) when the pass copies rows. The branches are the same
 * for a whole table (predicted).
 */
static inline void put_rec(uint8_t *recs, size_t rb, size_t lb, uint32_t at, uint32_t idx, uint32_t lowkey, const uint8_t *row, size_t cb) {
  uint8_t *r = recs + (size_t)at * rb;
  memcpy(r, &idx, 4);
  if (row) copy_row(r + lb, row, cb);
  if (lb == 8)
    memcpy(r + 4, &lowkey, 4);
  else {
    const uint16_t v = (uint16_t)lowkey;
    memcpy(r + 4, &v, 2);
  }
}

static inline uint32_t rec_idx(const uint8_t *recs, size_t rb, uint32_t at) {
  uint32_t v;
  memcpy(&v, recs + (size_t)at * rb, 4);
  return v;
}

static inline uint32_t rec_low(const uint8_t *recs, size_t rb, size_t lb, uint32_t at) {
  const uint8_t *r = recs + (size_t)at * rb + 4;
  if (lb == 8) {
    uint32_t v;
    memcpy(&v, r, 4);
    return v;
  }
  uint16_t v;
  memcpy(&v, r, 2);
  return v;
}

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Rows a pass looks at per call of coarse_rows: their indices stay in L1. */
#define SCAN_BLOCK 1024

/*
 * The rows i in [from, to) whose coarse byte c has c - lo < w (bytes, w from 1 to 255), into out; returns
 * how many. A pass finds its own rows 16 bytes at a time (SSE2, part of every x86-64), so scanning the
 * coarse bytes costs a fraction of the key computations they save.
 */
static size_t coarse_rows(const uint8_t *coarse, size_t from, size_t to, uint8_t lo, uint8_t w, uint32_t *out) {
  size_t m = 0, i = from;
#if defined(__SSE2__)
  const __m128i vlo = _mm_set1_epi8((char)lo), vw = _mm_set1_epi8((char)w);
  for (; i + 16 <= to; i += 16) {
    const __m128i x = _mm_sub_epi8(_mm_loadu_si128((const __m128i *)(coarse + i)), vlo);
    /* x < w (unsigned) exactly when max(x, w) != x */
    unsigned bits = 0xffffu & ~(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(x, vw), x));
    while (bits) {
      out[m++] = (uint32_t)(i + (size_t)__builtin_ctz(bits));
      bits &= bits - 1;
    }
  }
#endif
  for (; i < to; i++)
    if ((uint8_t)(coarse[i] - lo) < w) out[m++] = (uint32_t)i;
  return m;
}

static void *run_worker(void *arg) {
  worker *wk = arg;
  const lsh_job *job = wk->job;
  const size_t n = job->n, stride = (size_t)job->stride;
  const int k = job->key_bits, pb = job->partition_bits, low = k - pb;
  const uint32_t np = 1u << pb, nb = 1u << low, mask = nb - 1;
  /* a coarse byte is the top 8 bits of a row's partition: passes are ranges of coarse values */
  const int cs = job->keep == LSH_KEEP_COARSE && pb > 8 ? pb - 8 : 0;
  const uint32_t units = np >> cs;
  uint32_t *lut = malloc(32 * 256 * sizeof *lut);
  uint32_t *start = malloc(((size_t)np + 1) * sizeof *start);
  uint32_t *cur = malloc((size_t)np * sizeof *cur);
  uint32_t *lcnt = malloc(((size_t)nb + 1) * sizeof *lcnt);
  uint32_t *keys = job->keep == LSH_KEEP_KEYS ? malloc(n * sizeof *keys) : NULL;
  uint8_t *coarse = job->keep == LSH_KEEP_COARSE ? malloc(n ? n : 1) : NULL;
  /* a pass row's low key bits: 2 bytes when they fit (6 bytes a pass row, so a budget holds a third more
     rows a pass: at 1B, 7 passes a table instead of 10), else 4 */
  const size_t lb = low > 16 ? 8 : 6; /* a pass record's index and low key bytes */
  /* with LSH_PASS_ROWS a record also carries its row, copied while the pass's rows are found in index
     order (a sparse stream of the hashes), so no bucket gathers rows from anywhere in the hashes */
  const int copy = job->copy_bytes > 0;
  /* the bytes of a row a record carries: the row, or its first copy_bytes (the pair tests read the rest
     from the hashes when the prefix does not reject a pair); rs: a row's bytes in a partition's buckets */
  const size_t cb = copy && (size_t)job->copy_bytes < stride ? (size_t)job->copy_bytes : stride, rs = copy ? cb : stride;
  const size_t rb = lb + (copy ? cb : 0); /* a pass record's bytes */
  uint32_t *lidx = NULL;
  uint8_t *recs = NULL, *lrows = NULL;
  size_t rcap = 0, lcap = 0, lrcap = 0;
  int touched[32];
  if (!lut || !start || !cur || !lcnt || (job->keep == LSH_KEEP_KEYS && !keys) || (job->keep == LSH_KEEP_COARSE && !coarse) ||
      !set_init(&wk->set, 1 << 16))
    goto fail;

  for (int q = wk->w; q < job->tables; q += job->threads) {
    const int32_t *bits = job->table_bits + (size_t)q * k;
    unsigned char used[32] = {0};
    int nt = 0;
    for (int j = 0; j < k; j++) {
      const int byte = bits[j] >> 3;
      if (!used[byte]) {
        used[byte] = 1;
        touched[nt++] = byte;
        memset(lut + byte * 256, 0, 256 * sizeof *lut);
      }
      const int bit = 1 << (bits[j] & 7);
      for (int v = 0; v < 256; v++)
        if (v & bit) lut[byte * 256 + v] |= 1u << j;
    }
    /* partition sizes, and what the budget keeps: the keys, or each row's coarse byte */
    memset(start, 0, ((size_t)np + 1) * sizeof *start);
    for (size_t i = 0; i < n; i++) {
      const uint32_t key = key_of(job->rows + i * stride, lut, touched, nt);
      if (keys) keys[i] = key;
      if (coarse) coarse[i] = (uint8_t)((key >> low) >> cs);
      start[(key >> low) + 1]++;
    }
    for (uint32_t p = 1; p <= np; p++) start[p] += start[p - 1];
    /* passes: ranges of units (a partition, or the partitions of one coarse byte) of at most pass_rows
       rows, a larger unit alone, as lshKernel.ts plans them */
    for (uint32_t u0 = 0; u0 < units;) {
      uint32_t u1 = u0 + 1;
      while (u1 < units && start[(u1 + 1) << cs] - start[u0 << cs] <= job->pass_rows) u1++;
      const uint32_t p0 = u0 << cs, p1 = u1 << cs;
      const uint32_t base = start[p0], rows = start[p1] - base;
      wk->passes++;
      /* a pass holds 6 or 8 bytes a row: its index and low key bits */
      if (!reserve_rows(&recs, &rcap, (size_t)rows * rb)) goto fail;
      for (uint32_t p = p0; p < p1; p++) cur[p] = start[p] - base;
      if (coarse && u1 - u0 < units) {
        /* the pass's rows as the scan finds them, processed SCAN_PREFETCH behind it: the prefetches run on
           across scan blocks however sparse the pass's rows are (a block of a sparse pass finds a few) */
        uint32_t found[4 * SCAN_BLOCK];
        size_t m = 0, x = 0, from = 0;
        for (;;) {
          while (m - x <= SCAN_PREFETCH && from < n) {
            if (m + SCAN_BLOCK > 4 * SCAN_BLOCK) {
              memmove(found, found + x, (m - x) * sizeof *found);
              m -= x;
              x = 0;
            }
            const size_t to = from + SCAN_BLOCK < n ? from + SCAN_BLOCK : n;
            m += coarse_rows(coarse, from, to, (uint8_t)u0, (uint8_t)(u1 - u0), found + m);
            from = to;
          }
          if (x >= m) break;
          /* a pass's rows are sparse in the hashes: fetched ahead, not left to the hardware's stream prefetch */
          if (x + SCAN_PREFETCH < m) __builtin_prefetch(job->rows + (size_t)found[x + SCAN_PREFETCH] * stride);
          const uint32_t i = found[x++], key = key_of(job->rows + (size_t)i * stride, lut, touched, nt);
          put_rec(recs, rb, lb, cur[key >> low]++, i, key & mask, copy ? job->rows + (size_t)i * stride : NULL, cb);
        }
      } else {
        for (size_t i = 0; i < n; i++) {
          const uint32_t key = keys ? keys[i] : key_of(job->rows + i * stride, lut, touched, nt), p = key >> low;
          if (p >= p0 && p < p1) put_rec(recs, rb, lb, cur[p]++, (uint32_t)i, key & mask, copy ? job->rows + i * stride : NULL, cb);
        }
      }
      for (uint32_t p = p0; p < p1; p++) {
        const uint32_t s = start[p] - base, e = start[p + 1] - base;
        if (e - s < 2) continue;
        if (!reserve(&lidx, &lcap, e - s) || !reserve_rows(&lrows, &lrcap, (size_t)(e - s) * rs)) goto fail;
        /* counting sort by the low key bits (stable: indices stay ascending in a bucket, so i < j) */
        memset(lcnt, 0, ((size_t)nb + 1) * sizeof *lcnt);
        for (uint32_t r = s; r < e; r++) lcnt[rec_low(recs, rb, lb, r) + 1]++;
        for (uint32_t b = 1; b <= nb; b++) lcnt[b] += lcnt[b - 1];
        for (uint32_t r = s; r < e; r++) {
          /* the partition's rows (a few thousand: they fit in L2) gathered in bucket order while it is sorted */
          if (!copy && r + PREFETCH < e) __builtin_prefetch(job->rows + (size_t)rec_idx(recs, rb, r + PREFETCH) * stride);
          const uint32_t pos = lcnt[rec_low(recs, rb, lb, r)]++, i = rec_idx(recs, rb, r);
          lidx[pos] = i;
          copy_row(lrows + (size_t)pos * rs, copy ? recs + (size_t)r * rb + lb : job->rows + (size_t)i * stride, rs);
        }
        if (!test_buckets(wk, lidx, lrows, rs, lcnt, nb)) goto fail;
      }
      u0 = u1;
    }
  }
  goto done;
fail:
  wk->error = 1;
done:
  free(lut);
  free(start);
  free(cur);
  free(lcnt);
  free(keys);
  free(coarse);
  free(recs);
  free(lidx);
  free(lrows);
  return NULL;
}

/*
 * The pairs sorted by (i, j): a table-shard task then writes its pairs as they come (shardPairs.ts), with
 * no hash set or sort in JavaScript. A stable radix sort of the packed keys (i << 32 | j), 16 bits at a
 * time, digits that are the same for every pair skipped; 0 when memory ran out.
 */
static int sort_pairs(uint64_t *key, uint32_t *d, size_t n) {
  uint64_t *k2 = malloc((n ? n : 1) * sizeof *k2);
  uint32_t *d2 = malloc((n ? n : 1) * sizeof *d2);
  size_t *count = malloc(65537 * sizeof *count);
  int ok = k2 && d2 && count;
  uint64_t *ka = key, *kb = k2;
  uint32_t *da = d, *db = d2;
  for (int shift = 0; ok && n > 1 && shift < 64; shift += 16) {
    memset(count, 0, 65537 * sizeof *count);
    for (size_t q = 0; q < n; q++) count[((ka[q] >> shift) & 0xffff) + 1]++;
    if (count[((ka[0] >> shift) & 0xffff) + 1] == n) continue;
    for (size_t v = 1; v <= 65536; v++) count[v] += count[v - 1];
    for (size_t q = 0; q < n; q++) {
      const size_t at = count[(ka[q] >> shift) & 0xffff]++;
      kb[at] = ka[q];
      db[at] = da[q];
    }
    uint64_t *kt = ka;
    ka = kb;
    kb = kt;
    uint32_t *dt = da;
    da = db;
    db = dt;
  }
  if (ok && ka != key) {
    memcpy(key, ka, n * sizeof *key);
    memcpy(d, da, n * sizeof *d);
  }
  free(k2);
  free(d2);
  free(count);
  return ok;
}

void lsh_run(const lsh_job *job, lsh_result *out) {
  memset(out, 0, sizeof *out);
  const int threads = job->threads < job->tables ? job->threads : job->tables;
  worker *wk = calloc(threads > 0 ? threads : 1, sizeof *wk);
  pthread_t *tid = calloc(threads > 0 ? threads : 1, sizeof *tid);
  if (!wk || !tid) {
    free(wk);
    free(tid);
    out->error = 1;
    return;
  }
  lsh_job shared = *job;
  shared.threads = threads;
  int started = 0;
  for (int w = 0; w < threads; w++) {
    wk[w].job = &shared;
    wk[w].w = w;
  }
  /* thread 0 is the caller; a thread that cannot start leaves its tables to the caller */
  for (int w = 1; w < threads; w++) {
    if (pthread_create(&tid[w], NULL, run_worker, &wk[w]) != 0) break;
    started = w;
  }
  if (threads > 0) run_worker(&wk[0]);
  for (int w = 1; w <= started; w++) pthread_join(tid[w], NULL);
  for (int w = started + 1; w < threads; w++) {
    /* not started: run its share here */
    run_worker(&wk[w]);
  }
  int error = 0;
  for (int w = 0; w < threads; w++) {
    error |= wk[w].error;
    out->candidates += wk[w].candidates;
    out->hits += wk[w].hits;
    out->passes += wk[w].passes;
    out->tails += wk[w].tails;
  }
  size_t total = 0;
  for (int w = 0; w < threads; w++) total += wk[w].set.size;
  if (!error && threads > 0) {
    /* the union, one entry per pair */
    pair_set *all = &wk[0].set;
    for (int w = 1; w < threads && !error; w++)
      for (size_t q = 0; q < wk[w].set.cap && !error; q++)
        if (wk[w].set.key[q] != EMPTY && !set_add(all, (uint32_t)(wk[w].set.key[q] >> 32), (uint32_t)wk[w].set.key[q], wk[w].set.d[q])) error = 1;
    total = all->size;
    /* the keys and distances out of the sets, the sets freed, then the sort and the i/j columns: past
       the sets a pair peaks at 24 bytes (the sort's keys and distances twice), not the sets' 24-48 plus
       the 32 of the columns and the sort together (sizing.ts PAIR_BYTES) */
    uint64_t *keys = malloc((total ? total : 1) * sizeof *keys);
    out->d = malloc((total ? total : 1) * sizeof(uint32_t));
    if (!out->d || !keys) error = 1;
    size_t c = 0;
    for (size_t q = 0; !error && q < all->cap; q++)
      if (all->key[q] != EMPTY) {
        keys[c] = all->key[q];
        out->d[c] = all->d[q];
        c++;
      }
    for (int w = 0; w < threads; w++) set_free(&wk[w].set);
    if (!error && !sort_pairs(keys, out->d, c)) error = 1;
    if (!error) {
      out->i = malloc((total ? total : 1) * sizeof(uint32_t));
      out->j = malloc((total ? total : 1) * sizeof(uint32_t));
      if (!out->i || !out->j) error = 1;
    }
    for (size_t q = 0; !error && q < c; q++) {
      out->i[q] = (uint32_t)(keys[q] >> 32);
      out->j[q] = (uint32_t)keys[q];
    }
    free(keys);
    out->count = c;
  }
  for (int w = 0; w < threads; w++) set_free(&wk[w].set);
  free(wk);
  free(tid);
  out->error = error;
}

void lsh_free(lsh_result *r) {
  free(r->i);
  free(r->j);
  free(r->d);
  r->i = r->j = r->d = NULL;
}
