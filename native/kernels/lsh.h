#ifndef MEDIA_DEDUPE_LSH_H
#define MEDIA_DEDUPE_LSH_H
#include <stddef.h>
#include <stdint.h>

/* Kept between a table's passes: nothing (every pass recomputes the keys), each row's coarse byte (the top
   8 bits of its partition, 1 byte a row: a pass computes the keys of its own rows only), or each row's key
   (4 bytes a row). */
enum { LSH_KEEP_NOTHING = 0, LSH_KEEP_COARSE = 1, LSH_KEEP_KEYS = 2 };
/* Or'ed into the addon's keep argument: a pass record carries its row (lsh_job.copy_bytes), all of it, or
   only its first h half words (4 bytes each) when h (1 to 7) is shifted in at LSH_PASS_WORDS_SHIFT. */
enum { LSH_PASS_ROWS = 4, LSH_PASS_WORDS_SHIFT = 3 };

/* One LSH search: the tables of `table_bits` (key_bits positions each) over n rows of `stride` bytes. */
typedef struct {
  const uint8_t *rows; /* n * stride bytes, read only (a Node buffer or a memory-mapped file) */
  size_t n;
  int stride;           /* bytes per row: 8, 16, 24 or 32 (zero padding never adds to a distance) */
  const int32_t *items; /* an item id per row, or NULL; rows of one item are never paired */
  int key_bits, partition_bits, radius;
  const int32_t *table_bits;
  int tables;
  size_t pass_rows; /* most rows one pass holds, 6 bytes each, 8 when key_bits - partition_bits > 16, copy_bytes more when rows are copied (a larger partition, or coarse group, is a pass of its own) */
  int keep;         /* LSH_KEEP_*: what a thread keeps of a table between its passes */
  int threads;
  int copy_bytes; /* 0, or the bytes of its row a pass record carries (a multiple of 4, 4 to stride; see lsh.c) */
} lsh_job;

/* The verified pairs (i < j, distance < radius), one entry per pair sorted by (i, j), and the search's counts. */
typedef struct {
  size_t count;
  uint32_t *i, *j, *d; /* malloc'd, count each */
  uint64_t candidates, hits, passes;
  uint64_t tails; /* pairs the copied prefix did not reject, whose rest was read from the hashes */
  int error; /* 0, or nonzero when memory ran out */
} lsh_result;

void lsh_run(const lsh_job *job, lsh_result *out);
void lsh_free(lsh_result *r);

#endif
