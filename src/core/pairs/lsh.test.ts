import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../testing/plantedHashes.js';
import { wordHashes } from '../testing/pairFixtures.js';
import { bundleWorkers } from '../testing/workerBundles.js';
import { bruteForcePairs } from './bruteForce.js';
import { findPairs, type FindPairsOptions } from './findPairs.js';
import { lshPairs } from './lsh.js';
import { collisionProbability, DEFAULT_LSH_RECALL, planLsh, sampleTableBits, tablesFor } from './lshParams.js';
import { LSH_WASM_BASE64 } from './lshWasm.js';
import { PackedHashes } from './packed.js';
import { PairSet, type FoundPairs } from './pairSet.js';

// LSH is probabilistic, so the data and the table seed are fixed and recall is asserted as a bound, never as
// equality; false pairs must be zero whatever the seed, since every candidate is verified. The oracle is
// bruteForcePairs on the same input (the exact search's oracle too).

let workers: Awaited<ReturnType<typeof bundleWorkers>> | undefined;
before(async () => (workers = await bundleWorkers()));
after(() => workers?.remove());

const packed = (words: Uint32Array, n: number, bits: number): PackedHashes => new PackedHashes(n, bits, new Uint8Array(words.buffer, 0, words.byteLength));

/** Every pair LSH found is a true pair with its exact distance; returns the share of true pairs found. */
function recallAgainst(found: FoundPairs, truth: FoundPairs): number {
  const exact = new PairSet();
  exact.addAll(truth);
  for (let k = 0; k < found.count; k++) {
    assert.ok(found.i[k] < found.j[k]);
    assert.equal(exact.get(found.i[k], found.j[k]), found.distance[k], 'every reported pair is a true pair with its exact distance');
  }
  return found.count / truth.count;
}

test('LSH plan: tables follow from the collision probability at the farthest pair', () => {
  assert.equal(collisionProbability(256, 0, 16), 1);
  assert.ok(Math.abs(collisionProbability(256, 51, 1) - 205 / 256) < 1e-12);
  const plan = planLsh(1_000_000, 256, 52); // pairs below 52 bits: the farthest is at 51
  assert.ok(plan.recallAtRadius >= DEFAULT_LSH_RECALL, `recall at radius ${plan.recallAtRadius}`);
  assert.equal(plan.tables, tablesFor(256, 51, plan.keyBits, DEFAULT_LSH_RECALL));
  assert.ok(tablesFor(256, 51, plan.keyBits, DEFAULT_LSH_RECALL) - 1 < plan.tables + 1);
  assert.throws(() => planLsh(10, 256, 129), /Expected an integer between 1 and 128 .*for radius/);
  assert.throws(() => planLsh(10, 256, 52, { recall: 1 }), /for recall/);
  assert.throws(() => planLsh(10, 512, 52), /for bits/);
  const a = sampleTableBits(planLsh(1000, 256, 52, { tables: 5, keyBits: 12, seed: 9 }));
  const b = sampleTableBits(planLsh(1000, 256, 52, { tables: 5, keyBits: 12, seed: 9 }));
  assert.deepEqual(a, b);
  for (let t = 0; t < 5; t++) assert.equal(new Set(a.subarray(t * 12, t * 12 + 12)).size, 12, 'distinct bits within a table');
});

test('LSH finds the pairs within the radius, with exact distances and nothing else', async () => {
  const n = 3000;
  const hashes = packed(wordHashes(n, 8, 40), n, 256);
  const threshold = 41 / 256; // fewer than 41 differing bits
  const truth = bruteForcePairs({ hashers: [{ hashes, threshold }] });
  const set = new PairSet();
  const r = await lshPairs(hashes, planLsh(n, 256, 41), undefined, { workers: 1 }, set);
  const found = set.toPairs();
  const recall = recallAgainst({ ...found, distance: found.distance.map((d) => d / 256) }, truth);
  assert.ok(recall >= 0.99, `recall ${found.count}/${truth.count}`);
  assert.ok(r.candidates > 0 && r.hits >= found.count);
});

test('LSH gives the same answer on workers as in this thread, and handles short hashes', async () => {
  const n = 2000;
  const input = { hashers: [{ hashes: packed(wordHashes(n, 2, 10, 11), n, 64), threshold: 13 / 64 }] }; // 64-bit hashes, fewer than 13 bits
  const how: FindPairsOptions = { method: 'approximate', lsh: { seed: 5 } };
  const one = await findPairs(input, { ...how, workers: 1 });
  const two = await findPairs(input, { ...how, workers: 2, workerDir: workers!.dir });
  assert.equal(two.searches[0].threads, 2);
  assert.deepEqual(two.pairs, one.pairs);
  assert.equal(one.searches[0].plan?.bits, 64);
  const recall = recallAgainst(one.pairs, bruteForcePairs(input));
  assert.ok(recall >= 0.99, `recall ${recall}`);
});

test('LSH: many identical hashes overflow the first output buffer and are still all reported', async () => {
  const n = 200; // all equal: 19,900 pairs per table, more than the kernel's first output buffer
  const hashes = packed(new Uint32Array(n * 8).fill(0xdeadbeef), n, 256);
  const r = await findPairs({ hashers: [{ hashes, threshold: 11 / 256 }] }, { method: 'approximate', workers: 1, lsh: { tables: 2, keyBits: 8 } });
  assert.equal(r.pairs.count, (n * (n - 1)) / 2);
  assert.ok(r.pairs.distance.every((d) => d === 0));
});

test('LSH rejects bad input with the expected-X-for-Y message', async () => {
  assert.throws(() => new PackedHashes(3, 256, new Uint8Array(40)), /Expected 96 bytes for packed hashes/);
  const two = packed(new Uint32Array(16), 2, 256);
  await assert.rejects(findPairs({ hashers: [{ hashes: two, threshold: 0.8 }] }, { method: 'approximate' }), /too wide for bit sampling/);
  const empty = await findPairs({ hashers: [{ hashes: packed(new Uint32Array(0), 0, 256), threshold: 0.2 }] }, { method: 'approximate' });
  assert.equal(empty.pairs.count, 0);
});

test('lshWasm.ts is the compiled lsh.wat', async () => {
  // Importing .mjs from a CommonJS test: a dynamic import keeps it out of the type-check.
  const gen = (await import('../../../scripts/gen-lsh-wasm.mjs' as string)) as { compileLshWat(): Promise<string> };
  assert.equal(await gen.compileLshWat(), LSH_WASM_BASE64, 'run npm run build:wasm after editing lsh.wat');
});

test('LSH skips pairs of one item inside the kernel: many frames of one video never fill the output', async () => {
  // 40 items of 50 frames each within a few bits of the item's first frame, then 500 random rows.
  const rand = rng(3);
  const frames = 50;
  const n = 40 * frames + 500;
  const words = new Uint32Array(n * 8);
  const items = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const item = r < 40 * frames ? Math.floor(r / frames) : r;
    items[r] = item;
    const first = item * frames;
    for (let w = 0; w < 8; w++) words[r * 8 + w] = r < 40 * frames && r !== first ? words[first * 8 + w] : Math.floor(rand() * 2 ** 32);
    if (r < 40 * frames && r !== first) words[r * 8 + (r % 8)] ^= 1 << (r % 32);
  }
  const hashes = packed(words, n, 256);
  const plan = planLsh(n, 256, 52);
  const all = new PairSet();
  await lshPairs(hashes, plan, undefined, { workers: 1 }, all);
  assert.equal(all.size, 40 * ((frames * (frames - 1)) / 2), 'without items every pair of frames is found');
  for (const threads of [1, 2]) {
    const set = new PairSet();
    const r = await lshPairs(hashes, plan, items, { workers: threads, workerDir: workers!.dir }, set);
    assert.equal(set.size, 0, `workers ${threads}: no pair of one item`);
    assert.equal(r.hits, 0, `workers ${threads}: none reached the output either`);
  }
  await assert.rejects(lshPairs(hashes, plan, items.subarray(1), {}, new PairSet()), /Expected one item id per hash/);
});

test('LSH query search: new hashes against a dataset, only (query, dataset) pairs, exact distances, recall within the plan', async () => {
  const n = 3000;
  const all = packed(wordHashes(n, 8, 40), n, 256);
  const hashes = all.select(Array.from({ length: 2400 }, (_, k) => k));
  const queries = all.select(Array.from({ length: 600 }, (_, k) => 2400 + k));
  const threshold = 41 / 256;
  const input = { hashers: [{ hashes, queries, threshold }] };
  const truth = bruteForcePairs(input);
  assert.ok(truth.count > 50, 'the queries have near-copies in the dataset');
  for (const opts of [{ workers: 1 }, { workers: 2, workerDir: workers!.dir }]) {
    const r = await findPairs(input, { ...opts, method: 'approximate', lsh: { seed: 3 } });
    assert.equal(r.searches[0].method, 'approximate');
    const exact = new PairSet();
    exact.addAll(truth);
    for (let k = 0; k < r.pairs.count; k++) {
      assert.ok(r.pairs.i[k] < queries.count && r.pairs.j[k] < hashes.count, 'named (query, dataset row)');
      assert.equal(exact.get(r.pairs.i[k], r.pairs.j[k]), r.pairs.distance[k], 'a true pair with its exact distance');
    }
    assert.ok(r.pairs.count / truth.count >= 0.99, `recall ${r.pairs.count}/${truth.count}`);
  }
  // Items: a query and a dataset row of one item are never paired (the exact query search's rule): query
  // truth.i[0] is given the item of its dataset match truth.j[0], so that pair would be named (x, x).
  const items = Array.from({ length: hashes.count }, (_, k) => k);
  const queryItems = Array.from({ length: queries.count }, (_, q) => (q === truth.i[0] ? truth.j[0] : hashes.count + q));
  const r = await findPairs({ hashers: [{ hashes, queries, threshold, items, queryItems }] }, { method: 'approximate', workers: 1, lsh: { seed: 3 } });
  assert.ok(r.pairs.count > 0);
  for (let k = 0; k < r.pairs.count; k++) assert.notEqual(r.pairs.i[k], r.pairs.j[k], 'no pair of one item');
});

test('the query search stays exact within the exact range (comparisons and dataset size) and is LSH beyond both', async () => {
  const { chooseSearch } = await import('./choose.js');
  const hashes = new PackedHashes(1000, 256);
  const few = new PackedHashes(4, 256);
  const many = new PackedHashes(600, 256);
  assert.equal(chooseSearch({ hashes, queries: many, threshold: 0.2 }, { approximateAbove: 100 }).method, 'approximate', '600 x 1000 > 100 x 99 / 2');
  assert.equal(chooseSearch({ hashes, queries: few, threshold: 0.2 }, { approximateAbove: 100 }).method, 'exact', '4 x 1000 < 100 x 99 / 2');
  assert.equal(chooseSearch({ hashes, queries: many, threshold: 0.2 }, { approximateAbove: 1000 }).method, 'exact', 'a dataset within the exact range');
  assert.equal(chooseSearch({ hashes, queries: many, threshold: 0.2, isometric: true }, { approximateAbove: 10 }).method, 'exact', 'isometric: exact only');
});
