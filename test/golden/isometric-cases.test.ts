import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { scanFolder } from '../../src/core/scan/scanFolder.js';
import type { HasherConfig } from '../../src/core/types.js';

// Generated cases (bench/peers/make_isometric_cases.py, expected pairs from perception's own deduplicate with
// isometric=True): pairs that only "every variant of A against every variant of B" finds, because pHash
// and dHash threshold each transformed block at its own median (the variants are not bit permutations).
// Parity mode must give exactly perception's pairs: for pHash through the transposition-closed 4 x 8
// join, for dHash (not closed) through the full 8 x 8 one.
const DIR = join(__dirname, 'isometric-cases');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as {
  runs: Record<string, { pairs: [string, string][]; pairs_only_all_variants_find: [string, string][] }>;
};
const CONFIGS: Record<string, HasherConfig> = {
  'phash16_0.2_isometric': { name: 'phash', hashSize: 16, threshold: 0.2 },
  'phash8_0.2_isometric': { name: 'phash', hashSize: 8, threshold: 0.2 },
  'dhash16_0.07_isometric': { name: 'dhash', hashSize: 16, threshold: 0.07 },
};

for (const [run, hasher] of Object.entries(CONFIGS)) {
  test(`isometric parity on generated cases: ${run}`, async () => {
    const ref = expected.runs[run];
    assert.ok(ref.pairs_only_all_variants_find.length >= 5, 'the cases include pairs the upright-only join misses');
    const r = await scanFolder(join(DIR, 'images'), { hashers: [hasher], isometric: true, colorCheck: false, useCache: false });
    const ours = r.pairs.map((p) => [basename(p.a), basename(p.b)].sort().join(' ')).sort();
    assert.deepEqual(ours, ref.pairs.map((p) => p.join(' ')).sort());
  });
}
