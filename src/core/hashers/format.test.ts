import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeHash, encodeHash, packBits, unpackBits, vectorDistance } from './format.js';

test('packBits is MSB-first and pads with zero bits, like np.packbits', () => {
  assert.deepEqual([...packBits(new Uint8Array([1, 0, 0, 0, 0, 0, 0, 1, 1]))], [0x81, 0x80]);
  assert.deepEqual([...unpackBits(new Uint8Array([0x81, 0x80]), 9)], [1, 0, 0, 0, 0, 0, 0, 1, 1]);
});

test('bool hashes round-trip through base64 and hex', () => {
  const bits = new Uint8Array(256).map((_, i) => ((i * 7) % 3 === 0 ? 1 : 0));
  const b64 = encodeHash(bits, 'bool');
  assert.equal(b64.length, 44);
  assert.ok(b64.endsWith('='));
  assert.deepEqual(decodeHash(b64, 'bool', 256), bits);
  assert.deepEqual(decodeHash(encodeHash(bits, 'bool', 'hex'), 'bool', 256, 'hex'), bits);
});

test('float32 hashes are little-endian bytes', () => {
  const v = new Float32Array([1.5, -2, 0.25]);
  assert.equal(encodeHash(v, 'float32', 'hex'), '0000c03f000000c00000803e');
  assert.deepEqual(decodeHash(encodeHash(v, 'float32'), 'float32', 3), v);
});

test('a hash string of the wrong length or alphabet is rejected with a clear message', () => {
  assert.throws(() => decodeHash('AAAA', 'bool', 256), /Expected 32 bytes/);
  assert.throws(() => decodeHash('not base64!', 'bool', 64), /Expected a standard base64 string/);
});

test('distances: normalised Hamming and Euclidean', () => {
  assert.equal(vectorDistance(new Uint8Array([1, 0, 1, 1]), new Uint8Array([1, 1, 1, 0]), 'hamming'), 0.5);
  assert.equal(vectorDistance(new Float32Array([0, 3]), new Float32Array([4, 0]), 'euclidean'), 5);
});
