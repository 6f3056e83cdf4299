import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomRows, samePairs } from '../testing/pairFixtures.js';
import { rng } from '../testing/plantedHashes.js';
import { bundleWorkers } from '../testing/workerBundles.js';
import { bruteForcePairs } from './bruteForce.js';
import { collapseIdentical } from './collapse.js';
import { findPairs, type FindPairsInput, type FindPairsOptions, type PairSearchResult } from './findPairs.js';
import { PackedHashes } from './packed.js';
import { PairSet, type FoundPairs } from './pairSet.js';

// Identical hashes searched once: 'expand' must give exactly the brute-force pairs (every copy listed),
// 'nodes' must give groups and representative pairs that expand back to exactly those pairs.

let workers: Awaited<ReturnType<typeof bundleWorkers>> | undefined;
before(async () => (workers = await bundleWorkers()));
after(() => workers?.remove());

/** n rows of which about half are exact copies of earlier rows (and the rest random or near copies). */
function withCopies(n: number, bits: number, seed: number): PackedHashes {
  const rows = randomRows(n, bits, seed, 12);
  const rand = rng(seed + 1);
  for (let k = 1; k < n; k++) if (rand() < 0.5) rows[k] = rows[Math.floor(rand() * k)];
  return PackedHashes.fromBytes(rows, bits);
}

/** The pairs a 'nodes' result stands for: every member of a group in place of its first item, and members at 0. */
function expandGroups(r: PairSearchResult): FoundPairs {
  const members = new Map<number, number[]>();
  const g = r.identical!;
  for (let k = 0; k < g.count; k++) members.set(g.items[g.start[k]], Array.from(g.items.subarray(g.start[k], g.start[k + 1])));
  const set = new PairSet();
  const add = (a: number, b: number, d: number, t: number) => (a < b ? set.add(a, b, d, t) : set.add(b, a, d, t));
  for (const m of members.values()) for (let x = 0; x < m.length; x++) for (let y = x + 1; y < m.length; y++) add(m[x], m[y], 0, 0);
  const p = r.pairs;
  for (let k = 0; k < p.count; k++)
    for (const a of members.get(p.i[k]) ?? [p.i[k]]) for (const b of members.get(p.j[k]) ?? [p.j[k]]) add(a, b, p.distance[k], p.tag[k]);
  return set.toPairs();
}

test('collapseIdentical: one node per distinct (hash, group), numbered by first row', () => {
  const h = PackedHashes.fromBytes(
    [1, 2, 1, 3, 2, 1].map((v) => Uint8Array.of(v, 0, 0, 0, 0, 0, 0, 0)),
    64,
  );
  const ids = collapseIdentical(h);
  assert.equal(ids.nodes, 3);
  assert.deepEqual(Array.from(ids.nodeOf), [0, 1, 0, 2, 1, 0]);
  assert.deepEqual(Array.from(ids.firstRow), [0, 1, 3]);
  assert.deepEqual(Array.from(ids.repeated.get(0)!), [0, 2, 5]);
  assert.equal(ids.repeated.has(2), false);
  const byGroup = collapseIdentical(h, [0, 0, 1, 0, 0, 0]);
  assert.equal(byGroup.nodes, 4, 'a copy in another group is its own node');
});

test('identical hashes: expand mode lists exactly the brute-force pairs (exact and LSH, groups, items, threads)', async () => {
  const hashes = withCopies(1500, 256, 7);
  const rand = rng(8);
  const groups = Array.from({ length: hashes.count }, () => Math.floor(rand() * 3));
  const items = Array.from({ length: hashes.count }, (_, k) => (k % 10 === 1 ? k - 1 : k));
  const inputs: [string, FindPairsInput][] = [
    ['plain', { hashers: [{ hashes, threshold: 0.2 }] }],
    ['groups', { hashers: [{ hashes, threshold: 0.2 }], groups }],
    ['items', { hashers: [{ hashes, threshold: 0.2, items }] }],
  ];
  for (const [what, input] of inputs) {
    const expected = bruteForcePairs(input);
    const exact = await findPairs(input, { method: 'exact', workers: 1 });
    assert.ok(exact.searches[0].distinct! < hashes.count, 'copies were collapsed');
    samePairs(exact.pairs, expected, `${what}, exact`);
    for (const opts of [{ workers: 1 }, { workers: 2, workerDir: workers!.dir }] as FindPairsOptions[]) {
      const lsh = await findPairs(input, { ...opts, method: 'approximate', lsh: { seed: 3 } });
      const truth = new PairSet();
      truth.addAll(expected);
      for (let k = 0; k < lsh.pairs.count; k++) assert.equal(truth.get(lsh.pairs.i[k], lsh.pairs.j[k]), lsh.pairs.distance[k], `${what}: LSH pair is true`);
      assert.ok(lsh.pairs.count >= 0.99 * expected.count, `${what}: LSH recall ${lsh.pairs.count}/${expected.count}`);
    }
  }
  const zero = await findPairs({ hashers: [{ hashes, threshold: 0 }] }, { method: 'exact', workers: 1 });
  assert.equal(zero.pairs.count, 0, 'distance 0 is not below a threshold of 0');
});

test('identical hashes: nodes mode groups items identical under every hasher and expands back to every pair', async () => {
  const a = withCopies(1200, 256, 21);
  // A second hasher that splits some of the first one's copies: items identical in both stay grouped.
  const rows = Array.from({ length: a.count }, (_, k) => Uint8Array.from(a.row(k).subarray(0, 8)));
  for (let k = 0; k < rows.length; k += 7) rows[k] = Uint8Array.of(k & 255, k >> 8, 1, 2, 3, 4, 5, 6);
  const b = PackedHashes.fromBytes(rows, 64);
  for (const input of [
    { hashers: [{ hashes: a, threshold: 0.2 }] },
    {
      hashers: [
        { hashes: a, threshold: 0.2 },
        { hashes: b, threshold: 0.1 },
      ],
    },
  ]) {
    const expected = bruteForcePairs(input);
    for (const method of ['exact', 'approximate'] as const) {
      const r = await findPairs(input, { method, workers: 1, identical: 'nodes', lsh: { seed: 4 } });
      const g = r.identical!;
      assert.ok(g.count > 50, 'groups found');
      for (let k = 0; k < g.count; k++) {
        const m = Array.from(g.items.subarray(g.start[k], g.start[k + 1]));
        assert.ok(m.length >= 2);
        for (const x of m.slice(1))
          for (const s of input.hashers) assert.deepEqual(s.hashes.row(x), s.hashes.row(m[0]), 'members are identical in every hasher');
        for (let q = 0; q < r.pairs.count; q++)
          for (const x of m.slice(1)) assert.ok(r.pairs.i[q] !== x && r.pairs.j[q] !== x, 'only the first member is named');
      }
      if (method === 'exact') samePairs(expandGroups(r), expected, `${input.hashers.length} hashers, nodes expanded`);
      else assert.ok(expandGroups(r).count >= 0.99 * expected.count);
      assert.ok(r.pairs.count < expected.count, 'fewer pairs than listing every copy');
    }
  }
});

test('20,000 copies of one hash and 20,000 one-bit variants: one group, pairs linear in distinct hashes', async () => {
  const n = 20_000;
  const base = randomRows(1, 256, 5)[0];
  const copies = PackedHashes.fromBytes(
    Array.from({ length: n }, () => base),
    256,
  );
  const started = performance.now();
  const r = await findPairs({ hashers: [{ hashes: copies, threshold: 0.2 }] }, { identical: 'nodes', workers: 1 });
  assert.equal(r.identical!.count, 1);
  assert.equal(r.identical!.start[1], n);
  assert.equal(r.pairs.count, 0);
  assert.equal(r.searches[0].distinct, 1);
  const variants = PackedHashes.fromBytes(
    Array.from({ length: n }, (_, k) => {
      const row = Uint8Array.from(base);
      row[k % 32] ^= 1 << ((k >> 5) % 8);
      return row;
    }),
    256,
  );
  // 256 distinct one-bit variants, each repeated: every pair of distinct variants is 2 bits apart.
  const v = await findPairs({ hashers: [{ hashes: variants, threshold: 0.2 }] }, { identical: 'nodes', workers: 1 });
  assert.equal(v.identical!.count, 256);
  assert.equal(v.pairs.count, (256 * 255) / 2);
  assert.ok(performance.now() - started < 20_000, 'seconds, not minutes');
});
