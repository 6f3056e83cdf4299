import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goldenDedup } from '../../src/core/testing/goldenDedup.js';
import { REFERENCE_DIR, sharedSkipReason } from '../../src/core/testing/dataDirs.js';

// perception's tools.deduplicate on its reference dedup set (13 originals, 10 manipulated copies), for every
// configuration it was run with: in parity mode (colour check off) our scan must find exactly the same pairs.
const skip = sharedSkipReason('reference/perception/dedup/dedup_results.json');
const PARITY = false;

for (const run of ['phash16_0.2', 'phash16_0.2_isometric']) {
  test(`scan finds the same pairs as perception's deduplicate: ${run}`, { skip }, async () => {
    const [g] = await goldenDedup(REFERENCE_DIR, [run], PARITY);
    assert.deepEqual({ missing: g.missing, extra: g.extra }, { missing: [], extra: [] });
    assert.equal(g.ours, g.perception);
  });
}

test("scan matches perception's deduplicate for the other hashers, thresholds and a two-hasher union", { skip }, async () => {
  const rows = await goldenDedup(
    REFERENCE_DIR,
    [
      'phash16_0.25',
      'phash8_0.2',
      'dhash16_0.07',
      'ahash16_0.008',
      'whash16_0.02',
      'marrhildreth_0.1',
      'blockmean_0.008',
      'pdq_0.2',
      'pdq_0.2_isometric',
      'phashu8_16_euclid10 (cython path)',
      'phash16_0.2 + dhash16_0.07 (union)',
    ],
    PARITY,
  );
  for (const g of rows) assert.deepEqual({ run: g.run, missing: g.missing, extra: g.extra }, { run: g.run, missing: [], extra: [] });
});

// With the colour check on (`--color-check`, opt-in), the default configurations keep every one of perception's pairs
// (these are true duplicates: re-encodes, resizes, flips, a greyscale copy, a brightened one). The only
// change over all runs is one pair of phash8_0.2, a 90 % crop, which the colour check drops (bench/accuracy.ts).
test("with the colour check on, the default configurations still give perception's pairs", { skip }, async () => {
  for (const g of await goldenDedup(REFERENCE_DIR, ['phash16_0.2', 'phash16_0.2_isometric'], true)) {
    assert.deepEqual({ run: g.run, missing: g.missing, extra: g.extra }, { run: g.run, missing: [], extra: [] });
  }
  const [p8] = await goldenDedup(REFERENCE_DIR, ['phash8_0.2'], true);
  assert.deepEqual({ missing: p8.missing, extra: p8.extra }, { missing: ['dup_image7_crop90.jpg\norig_image7.jpg'], extra: [] });
});
