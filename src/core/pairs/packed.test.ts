import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeHash } from '../hashers/format.js';
import { rng } from '../testing/plantedHashes.js';
import { hammingBits, PackedHashes, radiusFor, withinBits } from './packed.js';

test('radiusFor gives exactly the pairs with bits / length < threshold (strict), as perception divides', () => {
  for (const bits of [8, 64, 100, 255, 256, 576, 968]) {
    for (const t of [0, 0.008, 0.02, 0.07, 0.1, 0.2, 0.25, 0.5, 1, 1.5]) {
      const r = radiusFor(t, bits);
      for (let d = 0; d <= bits; d++) assert.equal(d < r, d / bits < t, `bits ${bits}, threshold ${t}, d ${d}`);
    }
  }
  assert.equal(radiusFor(0.2, 255), 51); // 51/255 is 0.2, not below it
  assert.equal(radiusFor(0.2, 256), 52);
});

test('strings, bytes and bool vectors pack alike; padding bits past the length are ignored', () => {
  const rand = rng(7);
  const vectors = Array.from({ length: 5 }, () => Array.from({ length: 60 }, () => (rand() < 0.5 ? 1 : 0)));
  const a = PackedHashes.fromBoolVectors(vectors);
  const b = PackedHashes.fromStrings(
    vectors.map((v) => encodeHash(Uint8Array.from(v), 'bool')),
    60,
  );
  assert.deepEqual(a.bytes, b.bytes);
  assert.equal(a.words, 1);
  const dirty = Uint8Array.from(b.row(0).subarray(0, 8));
  dirty[7] |= 0x0f; // the 4 padding bits of a 60-bit hash
  const c = PackedHashes.fromBytes([dirty, b.row(0).subarray(0, 8)], 60);
  assert.equal(hammingBits(c, 0, c, 1), 0);
  assert.throws(() => PackedHashes.fromStrings(['AAAA'], 64), /Expected 8 bytes/);
});

test('hashes are padded to whole words; hashes of another length are refused', () => {
  const a = new Uint8Array([0xff, 0, 0, 0, 1]);
  const b = new Uint8Array([0x0f, 0, 0, 0, 0]);
  const p = PackedHashes.fromBytes([a, b]);
  assert.equal(p.words, 1);
  assert.equal(p.bits, 40);
  assert.equal(hammingBits(p, 0, p, 1), 5);
  assert.throws(() => PackedHashes.fromBytes([a, new Uint8Array(4)]), /Expected 5 bytes \(40 bits\) for hash/);
});

test('withinBits is hammingBits <= max for every max, on whole words, and on bytes that do not start on a word', () => {
  const rand = rng(11);
  for (const bits of [64, 100, 256, 968]) {
    const a = new PackedHashes(12, bits);
    for (let i = 0; i < a.bytes.length; i++) a.bytes[i] = Math.floor(rand() * 256);
    // Near-copies too: row 1 is row 0 with a few bits flipped.
    a.bytes.copyWithin(a.strideBytes, 0, a.strideBytes);
    a.bytes[a.strideBytes + 1] ^= 0x11;
    const shifted = new Uint8Array(a.bytes.length + 1);
    shifted.set(a.bytes, 1);
    const odd = new PackedHashes(12, bits, shifted.subarray(1));
    for (const [x, y] of [
      [a, a],
      [odd, a],
    ])
      for (let i = 0; i < 12; i++)
        for (let j = 0; j < 12; j++) {
          const d = hammingBits(x, i, y, j);
          for (const max of [0, 1, d - 1, d, d + 1, bits >> 2, bits >> 1, bits])
            assert.equal(withinBits(x, y)(i, j, max), d <= max, `${bits} bits, rows ${i} ${j}, d ${d}, max ${max}`);
        }
  }
});
