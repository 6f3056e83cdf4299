/**
 * perception's compute_isometric (8 dihedral variants; for PHash from DCT signs, for AverageHash from the
 * bit grid) and the hashes of the actually transformed pixels, from reference/perception/isometric.json.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REFERENCE_DIR, sharedSkipReason } from '../../src/core/testing/dataDirs.js';
import { decodeForTests } from '../../src/core/testing/decodeForTests.js';
import { computeIsometricHashes, isometricTransforms } from '../../src/core/hashers/isometric.js';
import { encodeHash } from '../../src/core/hashers/format.js';
import { ISOMETRIC_KEYS } from '../../src/core/hashers/types.js';
import { createPHash } from '../../src/core/hashers/phash.js';
import { createDHash } from '../../src/core/hashers/dhash.js';
import { createAverageHash } from '../../src/core/hashers/ahash.js';
import { createWaveletHash } from '../../src/core/hashers/wavelet.js';
import type { Hasher } from '../../src/core/hashers/types.js';

// The isometric.json configurations this module's hashers cover (parameters as in hashers_and_versions.json).
const HASHERS: Record<string, Hasher> = {
  phash: createPHash({ hashSize: 8 }),
  phash16: createPHash({ hashSize: 16 }),
  phash_zauner: createPHash({ hashSize: 8, highfreqFactor: 4, freqShift: 1, boxFilter: true }),
  ahash16: createAverageHash({ hashSize: 16 }),
  dhash16: createDHash({ hashSize: 16 }),
  whash16: createWaveletHash({ hashSize: 16 }),
};
const DECODER_DIFFERS = new Set(['edge_cmyk.jpg']); // see phash-family.test.ts
// Hashing 8 transformed copies of the two 9-megapixel wallpapers costs most of this test's time while adding
// no path the smaller photos do not take; their upright hashes are checked in phash-family.test.ts.
const MAX_PIXELS_FOR_PIXEL_TRANSFORMS = 4_000_000;

interface IsoEntry {
  compute_isometric: Record<string, string | null>;
  direct_on_transformed_pixels: Record<string, string | null>;
}

const skip = sharedSkipReason('reference/perception');

test('perception parity: isometric hashes (compute_isometric and transformed pixels)', { skip }, async (t) => {
  const iso: Record<string, Record<string, IsoEntry>> = JSON.parse(readFileSync(join(REFERENCE_DIR, 'isometric.json'), 'utf8'));
  const manifest: Record<string, { path: string }> = JSON.parse(readFileSync(join(REFERENCE_DIR, 'manifest.json'), 'utf8'));
  const hashers = Object.entries(HASHERS);
  const skippedLarge: string[] = [];
  const tally = new Map(hashers.map(([n]) => [n, { via: 0, direct: 0, total: 0, bad: [] as string[] }]));

  for (const [name, entries] of Object.entries(iso).sort()) {
    if (DECODER_DIFFERS.has(name)) continue;
    const image = await decodeForTests(join(REFERENCE_DIR, manifest[name].path));
    const large = image.width * image.height > MAX_PIXELS_FOR_PIXEL_TRANSFORMS;
    if (large) skippedLarge.push(name);
    const variants = large ? null : isometricTransforms(image);
    for (const [hname, h] of hashers) {
      if (large && !h.computeIsometric) continue;
      const e = entries[hname];
      const s = tally.get(hname)!;
      s.total++;
      const via = computeIsometricHashes(h, image);
      const viaOk = ISOMETRIC_KEYS.every((k) => (via[k] ? encodeHash(via[k]!, h.dtype) : null) === e.compute_isometric[k]);
      // Without computeIsometric the variants above already are hashes of the transformed pixels: reuse them.
      const direct = h.computeIsometric ? null : via;
      const directOk =
        !variants ||
        ISOMETRIC_KEYS.every((k) => {
          const v = direct ? direct[k] : h.compute(variants[k]);
          return (v ? encodeHash(v, h.dtype) : null) === e.direct_on_transformed_pixels[k];
        });
      if (viaOk) s.via++;
      if (directOk) s.direct++;
      if (!viaOk || !directOk) s.bad.push(`${name}${viaOk ? '' : ' (compute_isometric)'}${directOk ? '' : ' (transformed pixels)'}`);
    }
  }
  t.diagnostic('isometric agreement (compute_isometric / hashes of transformed pixels), edge_cmyk.jpg skipped (decoder):');
  t.diagnostic(`  images over ${MAX_PIXELS_FOR_PIXEL_TRANSFORMS} pixels (${skippedLarge.join(', ')}): compute_isometric of phash/ahash only`);
  for (const [n, s] of tally)
    t.diagnostic(`  ${n.padEnd(13)} ${s.via}/${s.total} / ${s.direct}/${s.total}${s.bad.length ? ` mismatched: ${s.bad.join(', ')}` : ''}`);
  for (const [n, s] of tally) assert.deepEqual(s.bad, [], n);
});
