import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ISOMETRIC_KEYS } from '../hashers/types.js';
import { randomRows, samePairs } from '../testing/pairFixtures.js';
import { rng } from '../testing/plantedHashes.js';
import { bundleWorkers } from '../testing/workerBundles.js';
import { bruteForcePairs } from './bruteForce.js';
import { searchQueries, searchVariantsForward, type ThreadOptions } from './exact.js';
import { findPairs } from './findPairs.js';
import { isometricPairs, relativeVariant, transposeClosed, type ForwardJoin } from './isometric.js';
import { VectorHashes } from './vectors.js';
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

/** Transposes a square grid of bits (perception's packed bytes). */
function transposeBits(row: Uint8Array, side: number): Uint8Array {
  const out = new Uint8Array(row.length);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) if ((row[(y * side + x) >> 3] >> (7 - ((y * side + x) & 7))) & 1) out[(x * side + y) >> 3] |= 0x80 >> ((x * side + y) & 7);
  return out;
}

/**
 * 8 rows per item closed under transposition, as pHash's variants are: rows 0-3 random, row
 * COMPOSE(transpose, t) the transposed bits of row t. Some items' variant t is a noisy copy of another
 * item's variant s with s != 0, pairs the variants-against-upright join cannot see.
 */
function closedSets(n: number, side: number, seed: number): PackedHashes {
  const bits = side * side;
  const rand = rng(seed);
  const base = randomRows(n * 4, bits, seed, 4);
  for (let k = 1; k < n; k++) {
    if (rand() < 0.3) {
      const other = Math.floor(rand() * k);
      const row = Uint8Array.from(base[other * 4 + Math.floor(rand() * 4)]);
      row[0] ^= 0x81;
      base[k * 4 + Math.floor(rand() * 4)] = row;
    }
  }
  // r90fv is the transpose; after r0 fv fh r180 it gives r90fv r270 r90 r90fh (transformGrid's definitions).
  const transposed: Record<number, number> = { 0: 5, 1: 7, 2: 4, 3: 6 };
  const rows: Uint8Array[] = [];
  for (let k = 0; k < n; k++) {
    const item = new Array<Uint8Array>(8);
    for (let t = 0; t < 4; t++) {
      item[t] = base[k * 4 + t];
      item[transposed[t]] = transposeBits(base[k * 4 + t], side);
    }
    rows.push(...item);
  }
  return PackedHashes.fromBytes(rows, bits);
}

/** Every variant of A against every variant of B, the slow obvious way: pair -> smallest distance. */
function bruteIsometric(v: PackedHashes, radius: number): Map<string, number> {
  const n = v.count / 8;
  const best = new Map<string, number>();
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      for (let t = 0; t < 8; t++) {
        for (let s = 0; s < 8; s++) {
          const d = hammingBits(v, a * 8 + t, v, b * 8 + s);
          if (d < radius && (best.get(`${a},${b}`) ?? Infinity) > d) best.set(`${a},${b}`, d);
        }
      }
    }
  }
  return best;
}

/** isometricPairs on bit hashes with the exact joins, in differing bits. */
async function isometric(v: PackedHashes, radius: number, opts: ThreadOptions) {
  const set = new PairSet();
  const forward: ForwardJoin = (a, b, shift, scope, out) => searchVariantsForward(a, b, shift, radius, scope, opts, out);
  await isometricPairs(v, { forward }, (q, d, scope, out) => searchQueries(q as PackedHashes, d as PackedHashes, radius, scope, opts, out), set);
  return set.toPairs();
}

test('the variant tag: t^-1 s, from transformGrid', () => {
  for (let t = 0; t < 8; t++) assert.equal(relativeVariant(t, t), 0, 'the same variant on both sides: upright');
  for (let s = 0; s < 8; s++) assert.equal(relativeVariant(0, s), s);
  assert.equal(ISOMETRIC_KEYS[relativeVariant(ISOMETRIC_KEYS.indexOf('r90'), ISOMETRIC_KEYS.indexOf('r180'))], 'r90');
  assert.equal(ISOMETRIC_KEYS[relativeVariant(ISOMETRIC_KEYS.indexOf('fv'), ISOMETRIC_KEYS.indexOf('fh'))], 'r180');
});

for (const closed of [true, false]) {
  test(`any variant of A within radius of any variant of B (${closed ? 'transposition-closed: 4 x 8' : 'not closed: 8 x 8'}), on one thread and on workers`, async () => {
    for (const side of [8, 16]) {
      const bits = side * side;
      const v = closed ? closedSets(120, side, bits) : variantSets(120, bits, bits);
      assert.equal(transposeClosed(v), closed);
      const radius = radiusFor(0.2, bits);
      const expected = bruteIsometric(v, radius);
      assert.ok(expected.size > 20);
      let offUpright = 0;
      for (const [key, d] of expected) {
        const [a, b] = key.split(',').map(Number);
        const upright = Math.min(
          ...Array.from({ length: 16 }, (_, k) => (k < 8 ? hammingBits(v, a * 8 + k, v, b * 8) : hammingBits(v, b * 8 + k - 8, v, a * 8))),
        );
        if (upright > d) offUpright++;
      }
      assert.ok(offUpright > 5, `pairs whose best distance needs two non-upright variants: ${offUpright}`);
      for (const opts of [inThread, threaded()]) {
        const found = await isometric(v, radius, opts);
        assert.deepEqual(new Map(Array.from({ length: found.count }, (_, k) => [`${found.i[k]},${found.j[k]}`, found.distance[k]])), expected);
        for (let k = 0; k < found.count; k++) {
          assert.equal(tagWhose(found.tag[k]), 1);
          const r = tagVariant(found.tag[k]);
          const [a, b] = [found.i[k], found.j[k]];
          const gives = Array.from({ length: 64 }, (_, ts) => ts).some(
            (ts) => relativeVariant(ts >> 3, ts & 7) === r && hammingBits(v, a * 8 + (ts >> 3), v, b * 8 + (ts & 7)) === found.distance[k],
          );
          assert.ok(gives, 'the reported variant gives the reported distance');
          assert.ok(found.i[k] < found.j[k]);
        }
      }
    }
  });
}

test('findPairs with isometric hashes equals the oracle, bit hashes and vectors', async () => {
  for (const v of [closedSets(300, 16, 5), variantSets(300, 256, 5)]) {
    const input = { hashers: [{ hashes: v, threshold: 0.2, isometric: true }] };
    const found = (await findPairs(input, { workers: 1 })).pairs;
    samePairs(found, bruteForcePairs(input), 'isometric');
    const bits = await isometric(v, radiusFor(0.2, 256), inThread);
    assert.deepEqual(
      [...found.distance],
      [...bits.distance].map((d) => d / 256),
    );
  }
  const rand = rng(9);
  const vectors = Array.from({ length: 80 * 8 }, () => Array.from({ length: 16 }, () => Math.floor(rand() * 4)));
  const input = { hashers: [{ hashes: VectorHashes.fromVectors(vectors, 'uint8'), threshold: 4, isometric: true }] };
  const found = (await findPairs(input, { workers: 1 })).pairs;
  assert.ok(found.count > 10);
  samePairs(found, bruteForcePairs(input), 'isometric vectors');
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
