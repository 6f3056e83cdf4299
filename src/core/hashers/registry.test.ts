/**
 * One contract, every hasher in the registry: what any perceptual hasher must do whatever its algorithm.
 * Perturbations are generated from the fixtures with sharp at test time, so the fixture folder stays small.
 */
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodeHash, encodeHash, vectorDistance } from './format.js';
import { computeIsometricHashes } from './isometric.js';
import { createHasher, hasherKey, listHashers, PERCEPTION_THRESHOLDS, resolveHasherParams } from './registry.js';
import { ISOMETRIC_KEYS, type Hasher, type HashVector } from './types.js';
import { decodeImageBuffer, type DecodedImage } from '../image/decode.js';
import type { RgbImage } from '../cv/types.js';
import { FIXTURES_DIR } from '../testing/dataDirs.js';

const IMAGES = join(FIXTURES_DIR, 'images');
const img = (b: Buffer, name: string): Promise<DecodedImage> => decodeImageBuffer(b, name);

interface Fixtures {
  base: RgbImage;
  brighter: RgbImage; // +2 grey levels on every channel, lossless
  reencoded: RgbImage; // the same JPEG re-encoded at quality 80
  others: RgbImage[]; // different pictures
  tiny: RgbImage; // 7 x 5: the upscaling path of INTER_AREA
  uniform: RgbImage;
}
let fx: Fixtures;

before(async () => {
  const base = readFileSync(join(IMAGES, 'chelsea.jpg'));
  fx = {
    base: await img(base, 'chelsea'),
    // A slight global shift: +2 keeps even phashf (raw DCT terms, whose DC term moves by 4 n^2 per grey
    // level: 16384 at n = 64) under its threshold of 50000; +4 would not.
    brighter: await img(await sharp(base).linear(1, 2).png().toBuffer(), 'brighter'),
    reencoded: await img(await sharp(base).jpeg({ quality: 80 }).toBuffer(), 'reencoded'),
    others: [await img(readFileSync(join(IMAGES, 'retina.jpg')), 'retina'), await img(readFileSync(join(IMAGES, 'ihc.jpg')), 'ihc')],
    tiny: await img(await sharp(base).resize(7, 5, { fit: 'fill' }).png().toBuffer(), 'tiny'),
    uniform: { data: new Uint8Array(32 * 24 * 3).fill(128), width: 32, height: 24 },
  };
});

const distance = (h: Hasher, a: RgbImage, b: RgbImage): number => {
  const va = h.compute(a);
  const vb = h.compute(b);
  assert.ok(va && vb, 'a natural image always has a hash');
  return vectorDistance(va, vb, h.distanceMetric);
};

const expectedBytes = (h: Hasher): number => (h.dtype === 'bool' ? Math.ceil(h.hashLength / 8) : h.dtype === 'uint8' ? h.hashLength : h.hashLength * 4);

for (const info of listHashers()) {
  describe(`hasher contract: ${info.name}`, () => {
    const h = createHasher(info.name);

    test('declares a consistent contract', () => {
      assert.equal(h.name, info.name);
      assert.ok(['bool', 'uint8', 'float32'].includes(h.dtype));
      assert.equal(h.distanceMetric, h.dtype === 'bool' ? 'hamming' : 'euclidean');
      assert.ok(Number.isInteger(h.hashLength) && h.hashLength > 0);
      assert.ok(h.defaultThreshold > 0 && Number.isFinite(h.defaultThreshold));
      if (info.name in PERCEPTION_THRESHOLDS) assert.equal(h.defaultThreshold, PERCEPTION_THRESHOLDS[info.name], "perception's recommended threshold");
      if (info.params.some((p) => p.name === 'hashSize')) assert.equal(h.hashLength, 256, 'product default hash size 16');
    });

    test('hash has the declared length and type, and is deterministic', () => {
      const v = h.compute(fx.base)!;
      assert.equal(v.length, h.hashLength);
      assert.ok(h.dtype === 'float32' ? v instanceof Float32Array : v instanceof Uint8Array);
      if (h.dtype === 'bool')
        assert.ok(
          [...v].every((b) => b === 0 || b === 1),
          'bool hashes hold 0/1',
        );
      assert.deepEqual(h.compute(fx.base), v);
    });

    test("string round trip in perception's format (base64 and hex)", () => {
      const v = h.compute(fx.base)!;
      const b64 = encodeHash(v, h.dtype);
      assert.equal(b64.length, 4 * Math.ceil(expectedBytes(h) / 3));
      assert.deepEqual(decodeHash(b64, h.dtype, h.hashLength), v);
      const hex = encodeHash(v, h.dtype, 'hex');
      assert.equal(hex.length, expectedBytes(h) * 2);
      assert.deepEqual(decodeHash(hex, h.dtype, h.hashLength, 'hex'), v);
    });

    test('a slight brightness shift stays below the default threshold', () => {
      const d = distance(h, fx.base, fx.brighter);
      assert.ok(d < h.defaultThreshold, `distance ${d} >= threshold ${h.defaultThreshold}`);
    });

    test('a JPEG re-encode stays below the default threshold', () => {
      const d = distance(h, fx.base, fx.reencoded);
      assert.ok(d < h.defaultThreshold, `distance ${d} >= threshold ${h.defaultThreshold}`);
    });

    test('a different image is far: at or above the default threshold', () => {
      for (const other of fx.others) {
        const d = distance(h, fx.base, other);
        assert.ok(d >= h.defaultThreshold, `distance ${d} < threshold ${h.defaultThreshold}`);
      }
    });

    test('tiny and uniform images hash without throwing', () => {
      for (const im of [fx.tiny, fx.uniform]) {
        const v = h.compute(im);
        if (v !== null) assert.equal(v.length, h.hashLength);
        else assert.notEqual(h.dtype, 'bool', 'only the float/uint8 variants return None (as perception)');
      }
    });

    test('isometric variants: 8 keys, r0 is the plain hash, a flip is found', async () => {
      const iso = computeIsometricHashes(h, fx.base);
      assert.deepEqual(Object.keys(iso).sort(), [...ISOMETRIC_KEYS].sort());
      assert.deepEqual(iso.r0, h.compute(fx.base));
      for (const k of ISOMETRIC_KEYS) assert.equal(iso[k]?.length, h.hashLength);
      // The hash of a horizontally flipped copy is near one of the variants of the original.
      const flipped = await img(
        await sharp(readFileSync(join(IMAGES, 'chelsea.jpg')))
          .flop()
          .png()
          .toBuffer(),
        'flop',
      );
      const vf = h.compute(flipped)!;
      const best = Math.min(...ISOMETRIC_KEYS.map((k) => vectorDistance(iso[k] as HashVector, vf, h.distanceMetric)));
      assert.ok(best < h.defaultThreshold, `best isometric distance ${best} >= ${h.defaultThreshold}`);
    });

    test('bad parameters are rejected with a message naming the parameter', () => {
      if (info.params.length === 0) {
        assert.throws(
          () => createHasher(info.name, { hashSize: 16 }),
          (e: Error) => /Unknown parameter "hashSize" for hasher .*takes no parameters/.test(e.message),
        );
        return;
      }
      const hs = info.params.find((p) => p.name === 'hashSize');
      if (hs) {
        assert.throws(() => createHasher(info.name, { hashSize: 0 }), { message: 'Expected an integer between 2 and 64 for hash-size but received 0' });
        assert.throws(() => createHasher(info.name, { hashSize: 65 }), /for hash-size but received 65/);
        assert.throws(() => createHasher(info.name, { hashSize: 2.5 }), /for hash-size but received 2.5/);
        assert.throws(() => createHasher(info.name, { hashSize: '16' as unknown as number }), /for hash-size but received "16"/);
      }
      assert.throws(() => createHasher(info.name, { colour: true }), /Unknown parameter "colour" for hasher .*Known parameters: /);
    });
  });
}

describe('registry', () => {
  test('every name in perception resolves; aliases share a key', () => {
    assert.deepEqual(
      listHashers().map((h) => h.name),
      ['phash', 'phashf', 'phashu8', 'dhash', 'ahash', 'wavelet', 'blockmean', 'marrhildreth', 'colormoment', 'pdq', 'pdqf'],
    );
    assert.equal(hasherKey({ name: 'whash' }), hasherKey({ name: 'wavelet', hashSize: 16 }));
    assert.equal(createHasher('whash').name, 'wavelet');
  });

  test('unknown hasher names list the known ones', () => {
    assert.throws(() => createHasher('sha256'), { message: /^Expected one of phash, phashf, .* for hasher but received "sha256"$/ });
  });

  test('hasherKey is stable, fills defaults and tells configurations apart', () => {
    const k = hasherKey({ name: 'phash' });
    assert.equal(k, 'phash:hashSize=16,highfreqFactor=4,excludeFirstTerm=false,freqShift=0,boxFilter=false');
    assert.equal(hasherKey({ name: 'PHash', params: { hash_size: 16, 'highfreq-factor': 4 } }), k);
    assert.notEqual(hasherKey({ name: 'phash', hashSize: 8 }), k);
    assert.notEqual(hasherKey({ name: 'phash', params: { boxFilter: true } }), k);
    assert.equal(hasherKey({ name: 'pdq' }), 'pdq');
    // A HasherConfig (with its threshold) is accepted as is; the threshold is not part of the key.
    assert.equal(hasherKey({ name: 'phash', hashSize: 16, threshold: 0.1 } as never), k);
  });

  test('cross-parameter rules', () => {
    assert.throws(() => resolveHasherParams('phash', { hashSize: 16, freqShift: 49 }), {
      message: 'Expected an integer between 0 and 48 (with hash-size 16 and highfreq-factor 4) for freq-shift but received 49',
    });
    assert.throws(() => resolveHasherParams('wavelet', { hashSize: 12 }), /power of two .* for hash-size but received 12/);
    assert.throws(() => resolveHasherParams('phash', { excludeFirstTerm: 1 }), { message: 'Expected true or false for exclude-first-term but received 1' });
    assert.throws(() => resolveHasherParams('phash', { hashSize: 16, 'hash-size': 8 }), /hash-size/);
    assert.equal(createHasher('phash', { hashSize: 8 }).hashLength, 64);
    assert.equal(createHasher('phash', { excludeFirstTerm: true }).hashLength, 255);
  });
});
