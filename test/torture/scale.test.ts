import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { identicalCopies, onePixelVariants } from '../../src/core/testing/hostileFolders.js';
import { tempDir } from '../../src/core/testing/tempDir.js';
import { manifestPathOf, scanOk } from './cli.js';

/**
 * Byte-identical copies are one node before the search (scan/copies.ts). One-pixel variants are not
 * byte-identical and mostly share their hashes, but their colours can differ, so their nodes need the
 * colour check inside them: pending until the scan uses the identical-hash nodes of src/core/pairs
 * (findPairs with identical: 'nodes') with that check; today every pair is listed and colour-checked.
 */
const PENDING =
  'pending: hash-identical (not byte-identical) files are still listed pair by pair: the scan does not yet use the identical-hash nodes of src/core/pairs';

/** Scans n and n/10 files made by `make`; the bigger scan must be fast, flat in memory, and its manifest grow linearly. */
async function linear(make: (dir: string, n: number) => void, n: number): Promise<void> {
  const sizes: number[] = [];
  for (const count of [n / 10, n]) {
    const { dir, cleanup } = tempDir('md-torture-');
    try {
      make(join(dir, 'data'), count);
      const { summary, run } = await scanOk(join(dir, 'data'));
      assert.equal(summary.files, count);
      assert.ok(run.wallSec < 90, `${count} files: ${run.wallSec} s`);
      assert.ok(run.rssMb < 1500, `${count} files: ${run.rssMb} MB`);
      sizes.push(statSync(manifestPathOf(join(dir, 'data'))).size);
    } finally {
      cleanup();
    }
  }
  assert.ok(sizes[1] < sizes[0] * 12, `manifest ${sizes[0]} B for ${n / 10} files, ${sizes[1]} B for ${n}: not linear`);
}

test('torture: 20,000 identical copies of one picture scan in seconds, with a manifest that grows linearly', async () => {
  await linear(identicalCopies, 20_000);
});

test('torture: 20,000 one-pixel variants of one picture scan in seconds, with a manifest that grows linearly', { skip: PENDING }, async () => {
  await linear(onePixelVariants, 20_000);
});
