import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { identicalCopies, onePixelVariants } from '../../src/core/testing/hostileFolders.js';
import { tempDir } from '../../src/core/testing/tempDir.js';
import { manifestPathOf, scanOk } from './cli.js';

/**
 * Files whose hashes are equal under every hasher (byte-identical copies, and one-pixel variants of a
 * picture, whose one changed pixel moves no hash bit) are one node before the search (findPairs'
 * `identical: 'nodes'`, IDENTICAL_NODE_MIN in scanFolder), in the decisions and in the manifest: listed
 * pair by pair, 20,000 of them are 200 million pairs and would run out of time and heap here.
 */
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

test('torture: 20,000 one-pixel variants of one picture scan in seconds, with a manifest that grows linearly', async () => {
  await linear(onePixelVariants, 20_000);
});

test('torture: 3,000 near-identical pictures with distinct hashes scan in seconds, listing pairs and writing a manifest that grow linearly', async () => {
  // One-pixel variants of a 32 x 32 picture: hashes a few bits apart, every two within threshold, so listed
  // pair by pair they are about 4.5 million pairs (2,000 of them took 27 s and 2.7 GB before near-identical
  // nodes). As one node each is listed once, against the kept file.
  const n = 3000;
  const { dir, cleanup } = tempDir('md-torture-');
  try {
    const data = join(dir, 'data');
    onePixelVariants(data, n, 6, 32);
    const { summary, run } = await scanOk(data);
    assert.equal(summary.files, n);
    assert.equal(summary.remove, n - 1, 'every variant but the kept one is removed: each directly a duplicate of the kept file');
    assert.ok(summary.pairs < 10 * n, `${summary.pairs} pairs listed for ${n} near-copies: not linear`);
    assert.ok(run.wallSec < 60, `${run.wallSec} s`);
    assert.ok(run.rssMb < 700, `${run.rssMb} MB`);
    const bytes = statSync(manifestPathOf(data)).size;
    assert.ok(bytes < 1000 * n, `manifest ${bytes} B for ${n} files`);
  } finally {
    cleanup();
  }
});
