import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { encodeHash } from '../../src/core/hashers/format.js';
import {
  bruteForcePairs,
  euclideanPairs,
  findDuplicatePairs,
  hammingBits,
  PackedHashes,
  radiusFor,
  searchIsometric,
  searchIsometricQueries,
  searchPairs,
  searchQueries,
  unionPairs,
  VectorHashes,
  verifyCandidates,
  type BitPairs,
} from '../../src/core/search/index.js';
import { rng } from '../../bench/plantedHashes.js';

/** n random hashes, about a third of them copies of an earlier one with up to `maxFlips` bits flipped, so pairs land on both sides of any radius. */
function randomHashes(n: number, bits: number, seed: number, maxFlips = Math.ceil(bits * 0.3)): PackedHashes {
  const rand = rng(seed);
  const bytes = Math.ceil(bits / 8);
  const rows: Uint8Array[] = [];
  for (let k = 0; k < n; k++) {
    const row = new Uint8Array(bytes);
    if (k > 0 && rand() < 0.35) {
      row.set(rows[Math.floor(rand() * k)]);
      const flips = Math.floor(rand() * (maxFlips + 1));
      for (let f = 0; f < flips; f++) {
        const b = Math.floor(rand() * bits);
        row[b >> 3] ^= 0x80 >> (b & 7);
      }
    } else for (let b = 0; b < bytes; b++) row[b] = Math.floor(rand() * 256);
    rows.push(row);
  }
  return PackedHashes.fromBytes(rows, bits);
}

function same(actual: BitPairs, expected: BitPairs, what: string): void {
  assert.equal(actual.count, expected.count, `${what}: pair count`);
  assert.deepEqual([...actual.i], [...expected.i], `${what}: i`);
  assert.deepEqual([...actual.j], [...expected.j], `${what}: j`);
  assert.deepEqual([...actual.d], [...expected.d], `${what}: d`);
}

let workerDir = '';
let workerScript = '';

before(async () => {
  // The engine starts dist/searchWorker.js; tests bundle the same entry so they need no prior build.
  workerDir = mkdtempSync(join(tmpdir(), 'media-dedupe-search-'));
  workerScript = join(workerDir, 'searchWorker.js');
  await build({
    entryPoints: [join(__dirname, '..', '..', 'src', 'core', 'workers', 'searchWorker.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: workerScript,
    logLevel: 'warning',
  });
});

after(() => {
  if (workerDir) rmSync(workerDir, { recursive: true, force: true });
});

const inThread = { workers: 1 } as const;
const threaded = () => ({ workers: 2, workerScript, inThreadBelow: 0 });

describe('radius and hash packing', () => {
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
});

describe('exact search against brute force', () => {
  for (const bits of [64, 100, 256, 576, 968]) {
    test(`${bits}-bit hashes, in this thread`, async () => {
      for (const n of [0, 1, 2, 3, 37, 300]) {
        const data = randomHashes(n, bits, n * 31 + bits);
        for (const t of [0, 0.008, 0.1, 0.2, 0.3, 0.45]) {
          const radius = radiusFor(t, bits);
          same(await searchPairs(data, { radius, ...inThread }), bruteForcePairs(data, radius), `n ${n}, bits ${bits}, t ${t}`);
        }
      }
    });
  }

  test('every pair (radius past the length) fills and drains the result buffer many times', async () => {
    const data = randomHashes(700, 256, 5);
    const all = await searchPairs(data, { radius: 257, ...inThread });
    assert.equal(all.count, (700 * 699) / 2);
    same(all, bruteForcePairs(data, 257), 'all pairs');
    same(await searchPairs(data, { radius: 257, ...threaded() }), all, 'all pairs on workers');
  });

  test('worker threads find the same pairs as one thread and as brute force', async () => {
    for (const bits of [64, 256, 968]) {
      const data = randomHashes(2500, bits, bits);
      const radius = radiusFor(0.2, bits);
      const expected = bruteForcePairs(data, radius);
      assert.ok(expected.count > 100, 'the data has pairs');
      same(await searchPairs(data, { radius, ...threaded() }), expected, `workers, ${bits} bits`);
      same(await searchPairs(data, { radius, ...inThread }), expected, `one thread, ${bits} bits`);
    }
  });

  test('groups: pairs only within a group, keys may be strings or numbers', async () => {
    const data = randomHashes(1500, 256, 11);
    const rand = rng(12);
    const groups = Array.from({ length: data.count }, () => ['cats', 'dogs', 'birds', 'fish'][Math.floor(rand() * 4)]);
    const radius = radiusFor(0.25, 256);
    const expected = bruteForcePairs(data, radius, { groups });
    assert.ok(expected.count > 10 && expected.count < bruteForcePairs(data, radius).count);
    same(await searchPairs(data, { radius, groups, ...inThread }), expected, 'groups in this thread');
    same(await searchPairs(data, { radius, groups, ...threaded() }), expected, 'groups on workers');
    const numeric = groups.map((g) => g.length);
    same(await searchPairs(data, { radius, groups: numeric, ...inThread }), bruteForcePairs(data, radius, { groups: numeric }), 'numeric groups');
  });

  test('items: rows of one item (several hashes of one file) are never paired', async () => {
    const data = randomHashes(900, 64, 13);
    const items = Array.from({ length: data.count }, (_, k) => Math.floor(k / 3));
    const radius = radiusFor(0.2, 64);
    const expected = bruteForcePairs(data, radius, { items });
    same(await searchPairs(data, { radius, items, ...inThread }), expected, 'items in this thread');
    same(await searchPairs(data, { radius, items, ...threaded() }), expected, 'items on workers');
  });

  test('queries against a data set (checking new files), with and without groups', async () => {
    for (const bits of [64, 256, 576]) {
      const all = randomHashes(1200, bits, 17 + bits);
      const data = all.select(Array.from({ length: 1000 }, (_, k) => k));
      const queries = all.select(Array.from({ length: 200 }, (_, k) => 1000 + k));
      const radius = radiusFor(0.3, bits);
      const expected = bruteForcePairs(data, radius, { queries });
      assert.ok(expected.count > 0);
      same(await searchQueries(queries, data, { radius, ...inThread }), expected, `queries, ${bits} bits`);
      same(await searchQueries(queries, data, { radius, ...threaded() }), expected, `queries on workers, ${bits} bits`);
      const groups = Array.from({ length: data.count }, (_, k) => k % 3);
      const queryGroups = Array.from({ length: queries.count }, (_, k) => k % 2);
      same(
        await searchQueries(queries, data, { radius, groups, queryGroups, ...inThread }),
        bruteForcePairs(data, radius, { queries, groups, queryGroups }),
        `grouped queries, ${bits} bits`,
      );
    }
  });
});

describe('isometric search', () => {
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

  for (const bothWays of [true, false]) {
    test(`any variant of A within radius of B (${bothWays ? 'both ways' : 'one way'}), on one thread and on workers`, async () => {
      for (const bits of [64, 256]) {
        const v = variantSets(400, bits, bits);
        const radius = radiusFor(0.2, bits);
        const expected = bruteIsometric(v, radius, bothWays);
        assert.ok(expected.size > 20);
        for (const opts of [inThread, threaded()]) {
          const found = await searchIsometric(v, { radius, bothWays, ...opts });
          assert.deepEqual(new Map(found.map((p) => [`${p.i},${p.j}`, p.d])), expected);
          for (const p of found) {
            const q = (p.variantOf === 'i' ? p.i : p.j) * 8 + ['r0', 'fv', 'fh', 'r180', 'r90', 'r90fv', 'r90fh', 'r270'].indexOf(p.variant);
            const other = (p.variantOf === 'i' ? p.j : p.i) * 8;
            assert.equal(hammingBits(v, q, v, other), p.d, 'the reported variant gives the reported distance');
            assert.ok(p.i < p.j);
          }
        }
      }
    });
  }
});

test('isometric queries: new files (8 variants each) against a data set of upright hashes', async () => {
  const all = randomHashes(900 + 60 * 8, 256, 77, 4);
  const data = all.select(Array.from({ length: 900 }, (_, k) => k));
  const rows = Array.from({ length: 60 * 8 }, (_, q) => Uint8Array.from(all.row(900 + q).subarray(0, 32)));
  for (let k = 0; k < 60; k += 3) rows[k * 8 + (k % 8)] = Uint8Array.from(data.row(k * 7).subarray(0, 32)); // variant k%8 of query k is data row 7k
  const queries = PackedHashes.fromBytes(rows, 256);
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
  for (const opts of [inThread, threaded()]) {
    const found = await searchIsometricQueries(queries, data, { radius, ...opts });
    assert.deepEqual(new Map(found.map((p) => [`${p.i},${p.j}`, p.d])), expected);
    assert.ok(found.some((p) => p.i === 3 && p.j === 21 && p.variant === 'r180' && p.d === 0));
  }
});

describe('candidates, unions and vectors', () => {
  test('verifyCandidates keeps exactly the candidates within the radius', () => {
    const data = randomHashes(600, 256, 23);
    const radius = radiusFor(0.2, 256);
    const expected = bruteForcePairs(data, radius);
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
    same(found, bruteForcePairs(data, radius), 'verified candidates');
    assert.throws(() => verifyCandidates(data, { i: [0], j: [600] }, radius), /row numbers below/);
  });

  test('several hashers: union of their pairs with the smallest distance', () => {
    const u = unionPairs([
      [
        { i: 0, j: 1, distance: 0.1, hasher: 0 },
        { i: 2, j: 3, distance: 0.15, hasher: 0 },
      ],
      [
        { i: 1, j: 0, distance: 0.05, hasher: 1 },
        { i: 4, j: 5, distance: 0.01, hasher: 1 },
      ],
    ]);
    assert.deepEqual(u, [
      { i: 0, j: 1, distance: 0.05, hasher: 1 },
      { i: 2, j: 3, distance: 0.15, hasher: 0 },
      { i: 4, j: 5, distance: 0.01, hasher: 1 },
    ]);
  });

  test('findDuplicatePairs unions bit and vector hashers, each at its own threshold', async () => {
    const bitsA = randomHashes(300, 256, 31);
    const bitsB = randomHashes(300, 64, 32);
    const ta = 0.15;
    const tb = 0.1;
    const pa = bruteForcePairs(bitsA, radiusFor(ta, 256));
    const pb = bruteForcePairs(bitsB, radiusFor(tb, 64));
    const rand = rng(33);
    const vec = VectorHashes.fromVectors(
      Array.from({ length: 300 }, () => Array.from({ length: 4 }, () => Math.floor(rand() * 6))),
      'uint8',
    );
    const pv = euclideanPairs(vec, 2.5);
    const found = await findDuplicatePairs(
      [
        { kind: 'bits', hashes: bitsA, threshold: ta },
        { kind: 'bits', hashes: bitsB, threshold: tb },
        { kind: 'vectors', hashes: vec, threshold: 2.5 },
      ],
      { workers: 1 },
    );
    const keys = new Set<string>();
    for (const p of [pa, pb]) for (let k = 0; k < p.count; k++) keys.add(`${p.i[k]},${p.j[k]}`);
    for (let k = 0; k < pv.count; k++) keys.add(`${pv.i[k]},${pv.j[k]}`);
    assert.deepEqual(new Set(found.map((p) => `${p.i},${p.j}`)), keys);
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
      const found = euclideanPairs(data, t, { groups });
      assert.deepEqual(
        Array.from({ length: found.count }, (_, k) => `${found.i[k]},${found.j[k]},${found.distance[k]}`),
        expected,
      );
    }
    const q = euclideanPairs(u, 11, { queries: u });
    assert.equal(q.count, 2 * euclideanPairs(u, 11).count + u.count, 'a set against itself as queries: both orders and the diagonal');
  });
});
