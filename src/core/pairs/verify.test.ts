import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomRows } from '../testing/pairFixtures.js';
import { rng } from '../testing/plantedHashes.js';
import { bruteForcePairs } from './bruteForce.js';
import { PackedHashes, radiusFor } from './packed.js';
import { verifyCandidates } from './verify.js';

const randomHashes = (n: number, bits: number, seed: number, maxFlips?: number): PackedHashes =>
  PackedHashes.fromBytes(randomRows(n, bits, seed, maxFlips), bits);

test('verifyCandidates keeps exactly the candidates within the radius', () => {
  const data = randomHashes(600, 256, 23);
  const radius = radiusFor(0.2, 256);
  const expected = bruteForcePairs({ hashers: [{ hashes: data, threshold: 0.2 }] });
  const rand = rng(24);
  const ci: number[] = [];
  const cj: number[] = [];
  for (let k = 0; k < expected.count; k++) {
    // every true pair, some of them backwards or twice
    ci.push(k % 3 ? expected.i[k] : expected.j[k]);
    cj.push(k % 3 ? expected.j[k] : expected.i[k]);
    if (k % 5 === 0) {
      ci.push(expected.i[k]);
      cj.push(expected.j[k]);
    }
  }
  for (let k = 0; k < 5000; k++) {
    ci.push(Math.floor(rand() * 600));
    cj.push(Math.floor(rand() * 600));
  }
  const found = verifyCandidates(data, { i: ci, j: cj }, radius);
  assert.deepEqual([...found.i], [...expected.i]);
  assert.deepEqual([...found.j], [...expected.j]);
  assert.deepEqual(
    [...found.distance],
    [...expected.distance].map((d) => d * 256),
    'differing bits',
  );
  assert.throws(() => verifyCandidates(data, { i: [0], j: [600] }, radius), /row numbers below/);
});
