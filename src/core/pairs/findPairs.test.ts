import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bundleWorkers } from '../testing/workerBundles.js';
import { randomRows, samePairs } from '../testing/pairFixtures.js';
import { rng } from '../testing/plantedHashes.js';
import { bruteForcePairs } from './bruteForce.js';
import { findPairs, type FindPairsInput, type FindPairsOptions } from './findPairs.js';
import { PackedHashes, radiusFor } from './packed.js';
import { euclideanPairs, VectorHashes } from './vectors.js';
import { PairSet } from './pairSet.js';

const randomHashes = (n: number, bits: number, seed: number, maxFlips?: number): PackedHashes =>
  PackedHashes.fromBytes(randomRows(n, bits, seed, maxFlips), bits);

let workers: Awaited<ReturnType<typeof bundleWorkers>> | undefined;
before(async () => (workers = await bundleWorkers()));
after(() => workers?.remove());

const inThread: FindPairsOptions = { method: 'exact', workers: 1 };
const threaded = (): FindPairsOptions => ({ method: 'exact', workers: 2, workerDir: workers!.dir, inThreadBelow: 0 });

/** findPairs' pairs for `input` with each of `how`, which must all equal the brute-force oracle's. */
async function checked(input: FindPairsInput, how: FindPairsOptions[], what: string) {
  const expected = bruteForcePairs(input);
  for (const opts of how) samePairs((await findPairs(input, opts)).pairs, expected, `${what}, ${opts.workers ?? 'all'} threads`);
  return expected;
}

describe('exact search against brute force', () => {
  for (const bits of [64, 100, 256, 576, 968]) {
    test(`${bits}-bit hashes, in this thread`, async () => {
      for (const n of [0, 1, 2, 3, 37, 300]) {
        const hashes = randomHashes(n, bits, n * 31 + bits);
        for (const threshold of [0, 0.008, 0.1, 0.2, 0.3, 0.45])
          await checked({ hashers: [{ hashes, threshold }] }, [inThread], `n ${n}, bits ${bits}, t ${threshold}`);
      }
    });
  }

  test('every pair (radius past the length) fills and drains the result buffer many times', async () => {
    const input = { hashers: [{ hashes: randomHashes(700, 256, 5), threshold: 1.5 }] };
    assert.equal(radiusFor(1.5, 256), 257);
    const all = await checked(input, [inThread, threaded()], 'all pairs');
    assert.equal(all.count, (700 * 699) / 2);
  });

  test('worker threads find the same pairs as one thread and as brute force', async () => {
    for (const bits of [64, 256, 968]) {
      const input = { hashers: [{ hashes: randomHashes(1200, bits, bits), threshold: 0.2 }] };
      assert.ok((await checked(input, [threaded(), inThread], `${bits} bits`)).count > 100, 'the data has pairs');
    }
  });

  test('groups: pairs only within a group, keys may be strings or numbers', async () => {
    const hashes = randomHashes(1500, 256, 11);
    const rand = rng(12);
    const groups = Array.from({ length: hashes.count }, () => ['cats', 'dogs', 'birds', 'fish'][Math.floor(rand() * 4)]);
    const hashers = [{ hashes, threshold: 0.25 }];
    const expected = await checked({ hashers, groups }, [inThread, threaded()], 'groups');
    assert.ok(expected.count > 10 && expected.count < bruteForcePairs({ hashers }).count);
    await checked({ hashers, groups: groups.map((g) => g.length) }, [inThread], 'numeric groups');
  });

  test('splits: only pairs across different splits, with and without groups, collapsed, isometric and queries', async () => {
    const base = randomRows(1200, 256, 21, 40);
    // planted identical rows across and within splits: collapsed nodes must still pair across splits only
    for (let k = 0; k < 30; k++) base[1100 + k] = base[k].slice();
    const hashes = PackedHashes.fromBytes(base, 256);
    const rand = rng(22);
    const splits = Array.from({ length: hashes.count }, () => ['train', 'val', 'test'][Math.floor(rand() * 3)]);
    const groups = Array.from({ length: hashes.count }, (_, k) => k % 2);
    const hashers = [{ hashes, threshold: 0.25 }];
    const plain = bruteForcePairs({ hashers });
    const across = (g?: number[]) =>
      Array.from({ length: plain.count }, (_, k) => [plain.i[k], plain.j[k]]).filter(([i, j]) => splits[i] !== splits[j] && (!g || g[i] === g[j]));
    for (const [g, what] of [[undefined, 'splits'] as const, [groups, 'splits and groups'] as const]) {
      const found = await checked({ hashers, splits, ...(g ? { groups: g } : {}) }, [inThread, threaded()], what);
      const got = Array.from({ length: found.count }, (_, k) => [found.i[k], found.j[k]]);
      assert.deepEqual(got, across(g ? [...g] : undefined), `${what}: the plain pairs across splits, no others`);
      assert.ok(got.length > 10 && got.length < plain.count, `${what}: some pairs, fewer than a plain search`);
    }
    // isometric (8 rows per item) and queries go through the rectangle plan
    const iso = PackedHashes.fromBytes(randomRows(300 * 8, 64, 23, 12), 64);
    const isoSplits = Array.from({ length: 300 }, (_, k) => (k % 3 === 0 ? 'test' : 'train'));
    await checked({ hashers: [{ hashes: iso, threshold: 0.2, isometric: true }], splits: isoSplits }, [inThread], 'isometric splits');
    const queries = hashes.select(Array.from({ length: 100 }, (_, k) => k));
    const querySplits = Array.from({ length: 100 }, (_, k) => splits[k]);
    const q = await checked({ hashers: [{ hashes, queries, threshold: 0.25 }], splits, querySplits }, [inThread], 'query splits');
    for (let k = 0; k < q.count; k++) assert.notEqual(querySplits[q.i[k]], splits[q.j[k]]);
  });

  test('items: rows of one item (several hashes of one file) are never paired', async () => {
    const hashes = randomHashes(900, 64, 13);
    const items = Array.from({ length: hashes.count }, (_, k) => Math.floor(k / 3));
    const input = { hashers: [{ hashes, threshold: 0.2, items }] };
    const found = await checked(input, [inThread, threaded()], 'items');
    for (let k = 0; k < found.count; k++) assert.notEqual(found.i[k], found.j[k]);
  });

  test('queries against a data set (checking new files), with and without groups', async () => {
    for (const bits of [64, 256, 576]) {
      const all = randomHashes(1200, bits, 17 + bits);
      const hashes = all.select(Array.from({ length: 1000 }, (_, k) => k));
      const queries = all.select(Array.from({ length: 200 }, (_, k) => 1000 + k));
      const hashers = [{ hashes, queries, threshold: 0.3 }];
      assert.ok((await checked({ hashers }, [inThread, threaded()], `queries, ${bits} bits`)).count > 0);
      const groups = Array.from({ length: hashes.count }, (_, k) => k % 3);
      const queryGroups = Array.from({ length: queries.count }, (_, k) => k % 2);
      await checked({ hashers, groups, queryGroups }, [inThread], `grouped queries, ${bits} bits`);
    }
  });
});

test('several hashers, bit and vector, each at its own threshold: the union of their pairs', async () => {
  const bitsA = randomHashes(300, 256, 31);
  const bitsB = randomHashes(300, 64, 32);
  const rand = rng(33);
  const vec = VectorHashes.fromVectors(
    Array.from({ length: 300 }, () => Array.from({ length: 4 }, () => Math.floor(rand() * 6))),
    'uint8',
  );
  const hashers = [
    { hashes: bitsA, threshold: 0.15 },
    { hashes: bitsB, threshold: 0.1 },
    { hashes: vec, threshold: 2.5 },
  ];
  const found = await checked({ hashers }, [{ workers: 1 }], 'union');
  const keys = new Set<string>();
  for (const h of hashers) {
    const p = bruteForcePairs({ hashers: [h] });
    for (let k = 0; k < p.count; k++) keys.add(`${p.i[k]},${p.j[k]}`);
  }
  assert.deepEqual(new Set(Array.from({ length: found.count }, (_, k) => `${found.i[k]},${found.j[k]}`)), keys);
});

test('Euclidean search equals the textbook formula (float32 and uint8, groups, queries)', () => {
  const rand = rng(41);
  const f = VectorHashes.fromVectors(
    Array.from({ length: 250 }, () => Array.from({ length: 16 }, () => rand() * 2 - 1)),
    'float32',
  );
  const u = VectorHashes.fromVectors(
    Array.from({ length: 250 }, () => Array.from({ length: 16 }, () => Math.floor(rand() * 8))),
    'uint8',
  );
  const groups = Array.from({ length: 250 }, (_, k) => k % 2);
  const search = (data: VectorHashes, t: number, opts: Parameters<typeof euclideanPairs>[2]) => {
    const set = new PairSet();
    euclideanPairs(data, t, opts, set);
    return set.toPairs();
  };
  for (const [data, t] of [
    [f, 2.2],
    [u, 11],
  ] as const) {
    const expected: string[] = [];
    for (let i = 0; i < data.count; i++) {
      for (let j = i + 1; j < data.count; j++) {
        if (groups[i] !== groups[j]) continue;
        let s = 0;
        for (let k = 0; k < data.dim; k++) s += (data.values[i * data.dim + k] - data.values[j * data.dim + k]) ** 2;
        if (Math.sqrt(s) < t) expected.push(`${i},${j},${Math.sqrt(s)}`);
      }
    }
    assert.ok(expected.length > 5);
    const found = search(data, t, { groups });
    assert.deepEqual(
      Array.from({ length: found.count }, (_, k) => `${found.i[k]},${found.j[k]},${found.distance[k]}`),
      expected,
    );
  }
  const q = search(u, 11, { queries: u });
  assert.equal(q.count, 2 * search(u, 11, {}).count + u.count, 'a set against itself as queries: both orders and the diagonal');
});
