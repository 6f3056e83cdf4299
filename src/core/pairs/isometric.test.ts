import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ISOMETRIC_KEYS } from '../hashers/types.js';
import { randomRows, samePairs } from '../testing/pairFixtures.js';
import { rng } from '../testing/plantedHashes.js';
import { bundleWorkers } from '../testing/workerBundles.js';
import { bruteForcePairs } from './bruteForce.js';
import { searchQueries, searchVariantsForward, type ThreadOptions } from './exact.js';
import { findPairs } from './findPairs.js';
import { isometricPairs, type ForwardJoin } from './isometric.js';
import { hammingBits, PackedHashes, radiusFor } from './packed.js';
import { PairSet, tagVariant, tagWhose } from './pairSet.js';

const randomHashes = (n: number, bits: number, seed: number, maxFlips?: number): PackedHashes =>
  PackedHashes.fromBytes(randomRows(n, bits, seed, maxFlips), bits);

let workers: Awaited<ReturnType<typeof bundleWorkers>> | undefined;
before(async () => (workers = await bundleWorkers()));
after(() => workers?.remove());

const inThread: ThreadOptions = { workers: 1 };
const threaded = (): ThreadOptions => ({ workers: 2, workerDir: workers!.dir, inThreadBelow: 0 });

/** 8 rows per item; some items' variant v is a noisy copy of another item's upright hash. */
function variantSets(n: number, bits: number, seed: number): PackedHashes {
  const base = randomHashes(n * 8, bits, seed, 4);
  const rand = rng(seed + 1);
  const rows = Array.from({ length: n * 8 }, (_, q) => Uint8Array.from(base.row(q).subarray(0, Math.ceil(bits / 8))));
  for (let k = 1; k < n; k++) {
    if (rand() < 0.3) {
      const other = Math.floor(rand() * k);
      const v = Math.floor(rand() * 8);
      rows[k * 8 + v] = Uint8Array.from(rows[other * 8]);
      rows[k * 8 + v][0] ^= 0x81;
    }
  }
  return PackedHashes.fromBytes(rows, bits);
}

function bruteIsometric(v: PackedHashes, radius: number, bothWays: boolean): Map<string, number> {
  const n = v.count / 8;
  const best = new Map<string, number>();
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      if (a === b || (!bothWays && b < a)) continue;
      for (let k = 0; k < 8; k++) {
        const d = hammingBits(v, a * 8 + k, v, b * 8);
        const key = `${Math.min(a, b)},${Math.max(a, b)}`;
        if (d < radius && (best.get(key) ?? Infinity) > d) best.set(key, d);
      }
    }
  }
  return best;
}

/** isometricPairs on bit hashes with the exact joins, in differing bits. */
async function isometric(v: PackedHashes, radius: number, bothWays: boolean, opts: ThreadOptions) {
  const set = new PairSet();
  const oneWay: ForwardJoin | undefined = bothWays ? undefined : (a, b, shift, scope, out) => searchVariantsForward(a, b, shift, radius, scope, opts, out);
  await isometricPairs(v, { oneWay }, (q, d, scope, out) => searchQueries(q as PackedHashes, d as PackedHashes, radius, scope, opts, out), set);
  return set.toPairs();
}

for (const bothWays of [true, false]) {
  test(`any variant of A within radius of B (${bothWays ? 'both ways' : 'one way'}), on one thread and on workers`, async () => {
    for (const bits of [64, 256]) {
      const v = variantSets(400, bits, bits);
      const radius = radiusFor(0.2, bits);
      const expected = bruteIsometric(v, radius, bothWays);
      assert.ok(expected.size > 20);
      for (const opts of [inThread, threaded()]) {
        const found = await isometric(v, radius, bothWays, opts);
        assert.deepEqual(new Map(Array.from({ length: found.count }, (_, k) => [`${found.i[k]},${found.j[k]}`, found.distance[k]])), expected);
        for (let k = 0; k < found.count; k++) {
          const whose = tagWhose(found.tag[k]) ? found.j[k] : found.i[k];
          const other = tagWhose(found.tag[k]) ? found.i[k] : found.j[k];
          assert.equal(
            hammingBits(v, whose * 8 + tagVariant(found.tag[k]), v, other * 8),
            found.distance[k],
            'the reported variant gives the reported distance',
          );
          assert.ok(found.i[k] < found.j[k]);
        }
      }
    }
  });
}

test('findPairs with isometric hashes is the both-ways search, and equals the oracle', async () => {
  const v = variantSets(300, 256, 5);
  const input = { hashers: [{ hashes: v, threshold: 0.2, isometric: true }] };
  const found = (await findPairs(input, { workers: 1 })).pairs;
  samePairs(found, bruteForcePairs(input), 'isometric');
  const bits = await isometric(v, radiusFor(0.2, 256), true, inThread);
  assert.deepEqual(
    [...found.distance],
    [...bits.distance].map((d) => d / 256),
  );
});

test('isometric queries: new files (8 variants each) against a data set of upright hashes', async () => {
  const all = randomHashes(900 + 60 * 8, 256, 77, 4);
  const data = all.select(Array.from({ length: 900 }, (_, k) => k));
  const rows = Array.from({ length: 60 * 8 }, (_, q) => Uint8Array.from(all.row(900 + q).subarray(0, 32)));
  for (let k = 0; k < 60; k += 3) rows[k * 8 + (k % 8)] = Uint8Array.from(data.row(k * 7).subarray(0, 32)); // variant k%8 of query k is data row 7k
  const queries = PackedHashes.fromBytes(rows, 256);
  // The data side has 8 rows per item too; only its upright rows (r0) are compared with the queries' variants.
  const hashes = PackedHashes.concat([data, randomHashes(900 * 7, 256, 78)]).select(
    Array.from({ length: 900 * 8 }, (_, q) => (q % 8 === 0 ? q / 8 : 900 + (q >> 3) * 7 + (q % 8) - 1)),
  );
  const radius = radiusFor(0.2, 256);
  const expected = new Map<string, number>();
  for (let q = 0; q < queries.count; q++) {
    for (let j = 0; j < data.count; j++) {
      const d = hammingBits(queries, q, data, j);
      const key = `${q >> 3},${j}`;
      if (d < radius && (expected.get(key) ?? Infinity) > d) expected.set(key, d);
    }
  }
  assert.ok(expected.size >= 20);
  const input = { hashers: [{ hashes, queries, threshold: 0.2, isometric: true }] };
  for (const opts of [inThread, threaded()]) {
    const found = (await findPairs(input, opts)).pairs;
    assert.deepEqual(new Map(Array.from({ length: found.count }, (_, k) => [`${found.i[k]},${found.j[k]}`, found.distance[k] * 256])), expected);
    assert.ok(
      Array.from({ length: found.count }, (_, k) => k).some(
        (k) => found.i[k] === 3 && found.j[k] === 21 && ISOMETRIC_KEYS[tagVariant(found.tag[k])] === 'r180' && found.distance[k] === 0,
      ),
    );
    samePairs(found, bruteForcePairs(input), 'isometric queries');
  }
});
