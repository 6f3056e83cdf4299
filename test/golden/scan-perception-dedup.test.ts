import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goldenDedup } from '../../bench/accuracy.js';
import { REFERENCE_DIR, sharedSkipReason } from '../helpers/shared.js';

// perception's tools.deduplicate on its reference dedup set (13 originals, 10 manipulated copies), for every
// configuration it was run with: our scan must find exactly the same pairs.
const skip = sharedSkipReason('reference/perception/dedup/dedup_results.json');

for (const run of ['phash16_0.2', 'phash16_0.2_isometric']) {
  test(`scan finds the same pairs as perception's deduplicate: ${run}`, { skip }, async () => {
    const [g] = await goldenDedup(REFERENCE_DIR, [run]);
    assert.deepEqual({ missing: g.missing, extra: g.extra }, { missing: [], extra: [] });
    assert.equal(g.ours, g.perception);
  });
}

test("scan matches perception's deduplicate for the other hashers, thresholds and a two-hasher union", { skip }, async () => {
  const rows = await goldenDedup(REFERENCE_DIR, [
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
  ]);
  for (const g of rows) assert.deepEqual({ run: g.run, missing: g.missing, extra: g.extra }, { run: g.run, missing: [], extra: [] });
});
