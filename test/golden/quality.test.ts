// Golden test: computeQuality against perception.hashers.tools.compute_quality (reference/perception/quality.json).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { REFERENCE_DIR, sharedSkipReason } from '../../src/core/testing/dataDirs.js';
import { decodeForTests } from '../../src/core/testing/decodeForTests.js';
import { computeQuality } from '../../src/core/quality.js';

const skip = sharedSkipReason('reference/perception');
const DECODER_DIFFERENCE = 'edge_cmyk.jpg'; // libjpeg vs libvips CMYK conversion: reported, not asserted

function listImages(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => (statSync(join(dir, n)).isDirectory() ? listImages(join(dir, n)) : [join(dir, n)]));
}

describe('computeQuality vs perception compute_quality', { skip }, () => {
  const ours = new Map<string, number>();
  let expected: Record<string, number> = {};

  before(async () => {
    expected = JSON.parse(readFileSync(join(REFERENCE_DIR, 'quality.json'), 'utf8'));
    for (const p of listImages(join(REFERENCE_DIR, 'images'))) ours.set(basename(p), computeQuality(await decodeForTests(p)));
  });

  test("every image gets exactly perception's score", (t) => {
    assert.equal(ours.size, Object.keys(expected).length);
    const wrong: string[] = [];
    for (const [file, q] of ours) {
      if (file === DECODER_DIFFERENCE) {
        t.diagnostic(`${file}: ${q} (perception ${expected[file]})`);
        continue;
      }
      if (q !== expected[file]) wrong.push(`${file}: ${q} vs ${expected[file]}`);
    }
    assert.deepEqual(wrong, []);
  });

  test('the reference covers the upscaling and partial-score paths, not only saturated 100s', () => {
    const partial = [...ours].filter(([f, q]) => q > 0 && q < 100 && f !== DECODER_DIFFERENCE);
    assert.ok(partial.length >= 5, `only ${partial.length} images score strictly between 0 and 100`);
  });
});
