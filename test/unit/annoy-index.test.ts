import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { annoyAvailable } from '../../src/core/index/annoyAddon.js';
import { AnnoyIndexError } from '../../src/core/index/annoyErrors.js';
import { AnnoyHashIndex, loadOrBuildAnnoyIndex, sidecarName, type IndexedHash } from '../../src/core/index/annoyIndex.js';
import { approximatePairs } from '../../src/core/index/approximatePairs.js';
import { hammingWords, packHashWords } from '../../src/core/index/hamming.js';
import { collisionProbability, planLsh, sampleTableBits, tablesFor } from '../../src/core/index/lshParams.js';
import { LSH_WASM_BASE64 } from '../../src/core/index/lshWasm.js';
import { PairSet } from '../../src/core/index/pairSet.js';
import { MediaError } from '../../src/core/errors.js';
import { xorshift32 } from '../../bench/plantedHashes.js';

/** n random hashes of `words` 32-bit words; the last quarter are copies of earlier rows with up to maxFlip bits flipped. */
function hashes(n: number, words = 8, maxFlip = 20, seed = 3): Uint32Array {
  const next = xorshift32(seed);
  const h = new Uint32Array(n * words);
  for (let q = 0; q < h.length; q++) h[q] = next();
  const bits = words * 32;
  for (let c = Math.floor((n * 3) / 4); c < n; c++) {
    const src = next() % Math.floor((n * 3) / 4);
    h.copyWithin(c * words, src * words, src * words + words);
    const flips = next() % (maxFlip + 1);
    for (let f = 0; f < flips; f++) {
      const b = next() % bits;
      h[c * words + (b >>> 5)] ^= 1 << (b & 31);
    }
  }
  return h;
}

function exactPairs(h: Uint32Array, n: number, words: number, radius: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const d = hammingWords(h, words, i, j);
      if (d <= radius) m.set(`${i},${j}`, d);
    }
  return m;
}

test('PairSet keeps one copy of each pair and returns them sorted by (i, j)', () => {
  const s = new PairSet(2);
  for (let r = 0; r < 3; r++) for (let q = 200; q >= 0; q--) s.add(q % 7, 1000 + q, q % 50);
  assert.equal(s.size, 201);
  const { i, j, dist } = s.toArrays();
  for (let q = 1; q < i.length; q++) assert.ok(i[q - 1] < i[q] || (i[q - 1] === i[q] && j[q - 1] < j[q]));
  assert.equal(dist[0], s.get(i[0], j[0]));
  assert.equal(s.get(99, 99), 0xffff);
  // Row numbers past 2^21 take the comparator sort (i * 2^32 + j would not be exact as a double).
  const big = new PairSet();
  big.add(3_000_000, 3_000_002, 4);
  big.add(5, 6, 1);
  big.add(3_000_000, 3_000_001, 2);
  assert.deepEqual([...big.toArrays().j], [6, 3_000_001, 3_000_002]);
  assert.deepEqual([...big.toArrays().dist], [1, 2, 4]);
});

test('LSH plan: tables follow from the collision probability at the radius', () => {
  assert.equal(collisionProbability(256, 0, 16), 1);
  assert.ok(Math.abs(collisionProbability(256, 51, 1) - 205 / 256) < 1e-12);
  const plan = planLsh(1_000_000, 256, 51);
  assert.ok(plan.recallAtRadius >= 0.995, `recall at radius ${plan.recallAtRadius}`);
  assert.equal(plan.tables, tablesFor(256, 51, plan.keyBits, 0.995));
  assert.ok(tablesFor(256, 51, plan.keyBits, 0.995) - 1 < plan.tables + 1);
  assert.throws(() => planLsh(10, 256, 128), /Expected an integer between 0 and 127 .*for radiusBits/);
  assert.throws(() => planLsh(10, 256, 51, { recall: 1 }), /for recall/);
  assert.throws(() => planLsh(10, 512, 51), /for bits/);
  const a = sampleTableBits(planLsh(1000, 256, 51, { tables: 5, keyBits: 12, seed: 9 }));
  const b = sampleTableBits(planLsh(1000, 256, 51, { tables: 5, keyBits: 12, seed: 9 }));
  assert.deepEqual(a, b);
  for (let t = 0; t < 5; t++) assert.equal(new Set(a.subarray(t * 12, t * 12 + 12)).size, 12, 'distinct bits within a table');
});

test('approximatePairs finds the pairs within the radius, with exact distances and nothing else', async () => {
  const n = 3000;
  const h = hashes(n, 8, 40);
  const truth = exactPairs(h, n, 8, 40);
  const r = await approximatePairs(h, n, 40, { workers: 0 });
  let found = 0;
  for (let q = 0; q < r.i.length; q++) {
    assert.ok(r.i[q] < r.j[q]);
    assert.equal(truth.get(`${r.i[q]},${r.j[q]}`), r.dist[q], 'every reported pair is a true pair with its exact distance');
    found++;
  }
  assert.ok(found / truth.size >= 0.99, `recall ${found}/${truth.size}`);
  assert.ok(r.candidates > 0 && r.hits >= found);
});

test('approximatePairs gives the same answer on workers as in this thread, and handles short hashes', async () => {
  const n = 2000;
  const h = hashes(n, 2, 10, 11); // 64-bit hashes
  const one = await approximatePairs(h, n, 12, { workers: 0, seed: 5 });
  const two = await approximatePairs(h, n, 12, { workers: 2, seed: 5 });
  assert.deepEqual(two.i, one.i);
  assert.deepEqual(two.j, one.j);
  assert.deepEqual(two.dist, one.dist);
  assert.equal(one.plan.bits, 64);
  const truth = exactPairs(h, n, 2, 12);
  assert.ok(one.i.length / truth.size >= 0.99, `recall ${one.i.length}/${truth.size}`);
  for (let q = 0; q < one.i.length; q++) assert.equal(truth.get(`${one.i[q]},${one.j[q]}`), one.dist[q]);
});

test('approximatePairs: many identical hashes overflow the first output buffer and are still all reported', async () => {
  const n = 200; // all equal: 19,900 pairs per table, more than the kernel's first output buffer
  const h = new Uint32Array(n * 8).fill(0xdeadbeef);
  const r = await approximatePairs(h, n, 10, { workers: 0, tables: 2, keyBits: 8 });
  assert.equal(r.i.length, (n * (n - 1)) / 2);
  assert.ok(r.dist.every((d) => d === 0));
});

test('approximatePairs rejects bad input with the expected-X-for-Y message', async () => {
  await assert.rejects(approximatePairs(new Uint32Array(10), 3, 5), /Expected n rows of 1 to 8 32-bit words/);
  await assert.rejects(approximatePairs(new Uint32Array(16), 1, 5), /Expected n rows of 1 to 8 32-bit words/);
  await assert.rejects(approximatePairs(new Uint32Array(16), 2, 200), /for radiusBits/);
  const empty = await approximatePairs(new Uint32Array(0), 0, 5);
  assert.equal(empty.i.length, 0);
});

test('lshWasm.ts is the compiled lsh.wat', async () => {
  // Importing .mjs from a CommonJS test: a dynamic import keeps it out of the type-check.
  const gen = (await import('../../scripts/gen-lsh-wasm.mjs' as string)) as { compileLshWat(): Promise<string> };
  assert.equal(await gen.compileLshWat(), LSH_WASM_BASE64, 'run node scripts/gen-lsh-wasm.mjs after editing lsh.wat');
});

// ------------------------------------------------------------------------------------------ Annoy index

const noAnnoy = annoyAvailable() ? false : 'annoy-node is not built here (npm install builds it); Annoy tests skipped';

function items(n: number, seed = 21): IndexedHash[] {
  const h = hashes(n, 8, 12, seed);
  const bytes = new Uint8Array(h.buffer);
  return Array.from({ length: n }, (_, q) => ({ path: `dir/img${q}.jpg`, hash: bytes.slice(q * 32, q * 32 + 32) }));
}

function withDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'annoy-test-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function hamming(a: Uint8Array, b: Uint8Array): number {
  let d = 0;
  for (let q = 0; q < a.length; q++) for (let x = a[q] ^ b[q]; x; x &= x - 1) d++;
  return d;
}

test('Annoy index: build, save, load, query with exact distances', { skip: noAnnoy }, () => {
  const its = items(400);
  withDir((dir) => {
    const built = AnnoyHashIndex.build(its, { hasherKey: 'phash:16@0.2', trees: 8, threads: 1 });
    built.save(dir);
    built.close();
    const files = readdirSync(dir).sort();
    assert.equal(files.length, 3, files.join(', '));
    const index = AnnoyHashIndex.load(dir, { hasherKey: 'phash:16@0.2', bits: 256 });
    try {
      assert.equal(index.size, 400);
      const probe = its[399].hash;
      const hits = index.query(probe, 5, { searchNeighbours: 400 });
      assert.equal(hits.length, 5);
      assert.equal(hits[0].distance, 0);
      for (const h of hits) assert.equal(h.path, `dir/img${h.id}.jpg`);
      for (const h of hits) assert.equal(h.distance, hamming(its[h.id].hash, probe));
      for (let q = 1; q < hits.length; q++) assert.ok(hits[q - 1].distance <= hits[q].distance);
      // Asking Annoy for every item makes it exhaustive: the answer is then the exact k nearest.
      const all = its.map((it, id) => ({ id, d: hamming(it.hash, probe) })).sort((a, b) => a.d - b.d || a.id - b.id);
      assert.deepEqual(
        hits.map((h) => h.id),
        all.slice(0, 5).map((x) => x.id),
      );
      const near = index.queryItem(399, 3);
      assert.ok(near.every((h) => h.id !== 399));
      const pairs = index.candidatePairs(30, 20);
      for (let q = 0; q < pairs.i.length; q++) {
        assert.ok(pairs.dist[q] <= 30);
        assert.equal(pairs.dist[q], hamming(its[pairs.i[q]].hash, its[pairs.j[q]].hash));
      }
      assert.ok(pairs.i.length > 0);
      assert.throws(() => index.query(new Uint8Array(8), 3), /Expected 32 bytes for hash/);
    } finally {
      index.close();
    }
  });
});

test('Annoy index: missing, corrupt and mismatched indexes are reported, never used', { skip: noAnnoy }, () => {
  const its = items(120);
  withDir((dir) => {
    const expect = { hasherKey: 'dhash:16', bits: 256 };
    const miss = AnnoyHashIndex.tryLoad(dir, expect);
    assert.ok(!miss.ok && miss.error.problem === 'missing' && miss.error.rebuildable);

    const built = AnnoyHashIndex.build(its, { hasherKey: 'dhash:16', trees: 4, threads: 1 });
    built.save(dir);
    built.close();
    const sidecar = join(dir, sidecarName('dhash:16'));
    const meta = JSON.parse(readFileSync(sidecar, 'utf8')) as { annoy: { file: string }; hashes: { file: string }; hasherKey: string };
    const ann = join(dir, meta.annoy.file);
    const original = readFileSync(ann);
    const problem = (): string => {
      const r = AnnoyHashIndex.tryLoad(dir, expect);
      if (r.ok) {
        r.index.close();
        return 'ok';
      }
      assert.ok(r.error instanceof AnnoyIndexError && r.error instanceof MediaError);
      return r.error.problem;
    };
    assert.equal(problem(), 'ok');
    assert.equal(AnnoyHashIndex.tryLoad(dir, { hasherKey: 'dhash:16', bits: 64 }).ok, false, 'bits mismatch');

    // Same size, one byte changed: only the checksum can tell, and annoy-node itself would not.
    const flipped = Buffer.from(original);
    flipped[flipped.length >> 1] ^= 0x40;
    writeFileSync(ann, flipped);
    assert.equal(problem(), 'corrupt');
    writeFileSync(ann, original);
    truncateSync(ann, original.length - 100);
    assert.equal(problem(), 'corrupt');
    writeFileSync(ann, original);
    assert.equal(problem(), 'ok');

    writeFileSync(join(dir, meta.hashes.file), Buffer.alloc(120 * 32));
    assert.equal(problem(), 'corrupt');

    writeFileSync(sidecar, JSON.stringify({ ...meta, hasherKey: 'phash:16' }));
    assert.equal(problem(), 'mismatch');
    writeFileSync(sidecar, '{"format": "media-dedupe-annoy", "version": 1, "paths": [');
    assert.equal(problem(), 'corrupt');
    writeFileSync(sidecar, JSON.stringify({ ...meta, annoy: { file: '../../etc/passwd', bytes: 1, sha256: 'x' } }));
    assert.equal(problem(), 'corrupt');
  });
});

test('loadOrBuildAnnoyIndex reuses a sound index and rebuilds a corrupt or stale one', { skip: noAnnoy }, () => {
  const its = items(150);
  withDir((dir) => {
    const opts = { hasherKey: 'phash:16', trees: 4, threads: 1 };
    const first = loadOrBuildAnnoyIndex(dir, its, opts);
    assert.equal(first.rebuiltBecause?.problem, 'missing');
    first.index.close();
    const second = loadOrBuildAnnoyIndex(dir, its, opts);
    assert.equal(second.rebuiltBecause, undefined);
    second.index.close();

    const changed = its.map((it, q) => (q === 7 ? { ...it, path: 'dir/renamed.jpg' } : it));
    const third = loadOrBuildAnnoyIndex(dir, changed, opts);
    assert.equal(third.rebuiltBecause?.problem, 'mismatch');
    assert.equal(third.index.paths[7], 'dir/renamed.jpg');
    third.index.close();
    assert.equal(readdirSync(dir).length, 3, 'old index files are removed after a rebuild');

    writeFileSync(join(dir, sidecarName('phash:16')), 'not json');
    const fourth = loadOrBuildAnnoyIndex(dir, changed, opts);
    assert.equal(fourth.rebuiltBecause?.problem, 'corrupt');
    fourth.index.close();
  });
});

test('packHashWords pads hashes to whole words and rejects mixed lengths', () => {
  const a = new Uint8Array([0xff, 0, 0, 0, 1]);
  const b = new Uint8Array([0x0f, 0, 0, 0, 0]);
  const p = packHashWords([a, b]);
  assert.equal(p.wordsPerRow, 2);
  assert.equal(p.bits, 40);
  assert.equal(hammingWords(p.words, 2, 0, 1), 5);
  assert.throws(() => packHashWords([a, new Uint8Array(4)]), /Expected 5 bytes like the first hash for hash 1/);
});
