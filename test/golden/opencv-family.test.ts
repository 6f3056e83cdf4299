// Golden tests: BlockMean, PDQ, PDQF, MarrHildreth and ColorMoment against perception's own outputs
// (reference/perception/hashes.json, isometric.json and the dedup runs).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { REFERENCE_DIR, sharedSkipReason } from '../../src/core/testing/dataDirs.js';
import { decodeForTests } from '../../src/core/testing/decodeForTests.js';
import { createBlockMean } from '../../src/core/hashers/blockmean.js';
import { createColorMoment } from '../../src/core/hashers/colormoment.js';
import { createMarrHildreth } from '../../src/core/hashers/marrhildreth.js';
import { createPDQ, createPDQF } from '../../src/core/hashers/pdq.js';
import { decodeHash, encodeHash, vectorDistance } from '../../src/core/hashers/format.js';
import type { Hasher, HashVector, IsometricKey } from '../../src/core/hashers/types.js';

const skip = sharedSkipReason('reference/perception');

/** libjpeg and libvips convert CMYK differently, so its pixels (and hashes) differ: reported, not asserted. */
const DECODER_DIFFERENCE = 'edge_cmyk.jpg';

const HASHERS: Record<string, Hasher> = {
  blockmean: createBlockMean(),
  pdq: createPDQ(),
  pdqf: createPDQF(),
  marrhildreth: createMarrHildreth(),
  colormoment: createColorMoment(),
};

function listImages(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listImages(p));
    else out.push(p);
  }
  return out;
}

interface Computed {
  vectors: Record<string, HashVector | null>;
  pdqIsometric: Record<IsometricKey, HashVector | null>;
}

describe('OpenCV img_hash family and PDQ vs perception', { skip }, () => {
  const expected: Record<string, Record<string, string | null>> = {};
  const isometric: Record<string, Record<string, { compute_isometric: Record<string, string> }>> = {};
  const computed = new Map<string, Computed>();

  before(async () => {
    Object.assign(expected, JSON.parse(readFileSync(join(REFERENCE_DIR, 'hashes.json'), 'utf8')));
    Object.assign(isometric, JSON.parse(readFileSync(join(REFERENCE_DIR, 'isometric.json'), 'utf8')));
    // Decode each image once and keep only the hashes, not the pixels.
    for (const path of listImages(join(REFERENCE_DIR, 'images'))) {
      const image = await decodeForTests(path);
      const vectors: Record<string, HashVector | null> = {};
      for (const [name, h] of Object.entries(HASHERS)) vectors[name] = h.compute(image);
      computed.set(basename(path), { vectors, pdqIsometric: HASHERS.pdq.computeIsometric!(image) });
    }
  });

  test('the reference set is complete', () => {
    assert.equal(computed.size, 61);
    for (const name of computed.keys()) assert.ok(expected[name], `${name} missing from hashes.json`);
  });

  /** Distance of every image to perception's hash for `name`; exact string matches counted separately. */
  function compare(name: string): { exact: string[]; distances: Map<string, number> } {
    const h = HASHERS[name];
    const exact: string[] = [];
    const distances = new Map<string, number>();
    for (const [file, c] of computed) {
      const ours = c.vectors[name];
      const want = expected[file][name];
      assert.ok(ours && want, `${name}/${file}: perception and we must both produce a hash`);
      if (encodeHash(ours, h.dtype) === want) exact.push(file);
      distances.set(file, vectorDistance(ours, decodeHash(want, h.dtype, h.hashLength), h.distanceMetric));
    }
    return { exact, distances };
  }

  for (const name of ['blockmean', 'pdq', 'pdqf', 'marrhildreth', 'colormoment']) {
    test(`${name}: bit-identical hash strings on every image (${DECODER_DIFFERENCE} reported only)`, (t) => {
      const { exact, distances } = compare(name);
      const mismatched = [...distances.keys()].filter((f) => !exact.includes(f) && f !== DECODER_DIFFERENCE);
      t.diagnostic(`${name}: ${exact.length}/${distances.size} exact; ${DECODER_DIFFERENCE} distance ${distances.get(DECODER_DIFFERENCE)}`);
      assert.deepEqual(mismatched, [], `${name} differs on ${mismatched.map((f) => `${f} (${distances.get(f)})`).join(', ')}`);
    });
  }

  test('pdqf: every coefficient within 1e-3 of perception (exact strings are asserted above)', () => {
    const h = HASHERS.pdqf;
    for (const [file, c] of computed) {
      if (file === DECODER_DIFFERENCE) continue;
      const ours = c.vectors.pdqf as Float32Array;
      const want = decodeHash(expected[file].pdqf!, 'float32', 256) as Float32Array;
      for (let i = 0; i < 256; i++) assert.ok(Math.abs(ours[i] - want[i]) <= 1e-3, `${file}[${i}]: ${ours[i]} vs ${want[i]}`);
      assert.equal(ours.length, h.hashLength);
    }
  });

  test('pdq: the 8 dihedral variants equal pdqhash.compute_dihedral as perception names them', () => {
    let checked = 0;
    for (const [file, c] of computed) {
      const ref = isometric[file]?.pdq?.compute_isometric;
      if (!ref || file === DECODER_DIFFERENCE) continue;
      for (const [key, want] of Object.entries(ref)) {
        assert.equal(encodeHash(c.pdqIsometric[key as IsometricKey]!, 'bool'), want, `${file} ${key}`);
        checked++;
      }
    }
    assert.ok(checked >= 8 * 60, `only ${checked} variants checked`);
  });
});

describe('same duplicate decisions as perception on the dedup set', { skip }, () => {
  const files: string[] = [];
  let results: {
    files: string[];
    runs: Record<string, { pairs_normalized: [string, string][] }>;
    pairwise_distances: Record<string, { hashes: Record<string, string>; pairs: Record<string, number> }>;
  };
  const vectors = new Map<string, Record<string, HashVector | null>>();

  before(async () => {
    results = JSON.parse(readFileSync(join(REFERENCE_DIR, 'dedup', 'dedup_results.json'), 'utf8'));
    files.push(...results.files);
    for (const f of files) {
      const image = await decodeForTests(join(REFERENCE_DIR, 'dedup', 'images', f));
      const v: Record<string, HashVector | null> = {};
      for (const name of ['blockmean', 'pdq', 'marrhildreth', 'colormoment']) v[name] = HASHERS[name].compute(image);
      vectors.set(f, v);
    }
  });

  for (const [name, run] of [
    ['blockmean', 'blockmean_0.008'],
    ['pdq', 'pdq_0.2'],
    ['marrhildreth', 'marrhildreth_0.1'],
  ] as const) {
    test(`${name} at perception's threshold finds the same pairs`, () => {
      const h = HASHERS[name];
      const pairs: [string, string][] = [];
      for (let i = 0; i < files.length; i++) {
        for (let j = i + 1; j < files.length; j++) {
          const d = vectorDistance(vectors.get(files[i])![name]!, vectors.get(files[j])![name]!, h.distanceMetric);
          if (d < h.defaultThreshold) pairs.push([files[i], files[j]].sort() as [string, string]);
        }
      }
      const want = results.runs[run].pairs_normalized.map((p) => [...p].sort().join('|')).sort();
      assert.deepEqual(pairs.map((p) => p.join('|')).sort(), want);
    });
  }

  test('colormoment hashes and pairwise distances equal perception', () => {
    const ref = results.pairwise_distances.colormoment;
    for (const f of files) assert.equal(encodeHash(vectors.get(f)!.colormoment!, 'float32'), ref.hashes[f], f);
    for (const [key, want] of Object.entries(ref.pairs)) {
      const [a, b] = key.split('|');
      const d = vectorDistance(vectors.get(a)!.colormoment!, vectors.get(b)!.colormoment!, 'euclidean');
      assert.ok(Math.abs(d - want) < 1e-4, `${key}: ${d} vs ${want}`);
    }
  });

  test('pdq hashes equal perception on the dedup set', () => {
    const ref = results.pairwise_distances.pdq.hashes;
    for (const f of files) assert.equal(encodeHash(vectors.get(f)!.pdq!, 'bool'), ref[f], f);
  });
});
