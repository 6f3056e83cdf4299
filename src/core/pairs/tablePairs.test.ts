import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findTablePairs, reversedPair, type HashTable } from './tablePairs.js';

/** A 64-bit hash string (base64) with the first `ones` bits set. */
function hash(ones: number): string {
  const b = Buffer.alloc(8);
  for (let i = 0; i < ones; i++) b[i >> 3] |= 0x80 >> (i & 7);
  return b.toString('base64');
}

function table(hashes: (string | null)[]): HashTable {
  return { key: 'phash:hashSize=8', label: 'phash', threshold: 0.2, dtype: 'bool', metric: 'hamming', length: 64, hashes };
}

test('findTablePairs with nodeMin: large groups of identical hashes become one node (first path searched); small ones stay listed', async () => {
  const paths = ['a/1.png', 'a/2.png', 'a/3.png', 'b/1.png', 'b/2.png', 'c/x.png', 'c/y.png', 'd/z.png'];
  // five files of one hash (L), two of another (X), one a bit from L
  const L = hash(0);
  const X = hash(40);
  const tables = [table([L, L, L, L, L, X, X, hash(2)])];
  const run = (groups?: string[], nodeMin: number | null = 3) =>
    findTablePairs({ paths, tables, isometric: false, approximateAbove: Infinity, ...(groups ? { groups } : {}), ...(nodeMin ? { nodeMin } : {}) });
  const all = await run();
  assert.deepEqual(all.identical, [['a/1.png', 'a/2.png', 'a/3.png', 'b/1.png', 'b/2.png']]);
  assert.deepEqual(
    all.pairs.map((p) => [p.a, p.b, p.distance]),
    [
      ['a/1.png', 'd/z.png', 2 / 64],
      ['c/x.png', 'c/y.png', 0],
    ],
    'the node is named by its first file; the pair of two identical files stays listed',
  );
  // With groupBy folder, identical files in two folders that must not pair are two groups (b's two stay below the minimum).
  const folder = await run(paths.map((p) => p.split('/')[0]));
  assert.deepEqual(folder.identical, [['a/1.png', 'a/2.png', 'a/3.png']]);
  assert.deepEqual(
    folder.pairs.map((p) => [p.a, p.b]),
    [
      ['b/1.png', 'b/2.png'],
      ['c/x.png', 'c/y.png'],
    ],
  );
  // Files without a hash are never grouped; without nodeMin every pair is listed, as perception lists them.
  assert.deepEqual(
    (await findTablePairs({ paths, tables: [table(paths.map(() => null))], isometric: false, approximateAbove: Infinity, nodeMin: 2 })).identical,
    [],
  );
  const listed = await run(undefined, null);
  assert.deepEqual(listed.identical, []);
  assert.equal(listed.pairs.length, 10 + 5 + 1, 'ten pairs among five, each of them with d/z.png, and c/x-c/y');
});

test('reversedPair: names the pair the other way round and inverts its transform', () => {
  assert.deepEqual(reversedPair({ a: 'x', b: 'y', distance: 0.1, hasher: 'phash', transform: 'r90' }), {
    a: 'y',
    b: 'x',
    distance: 0.1,
    hasher: 'phash',
    transform: 'r270',
  });
  assert.deepEqual(reversedPair({ a: 'x', b: 'y', distance: 0.1, hasher: 'phash', transform: 'fh' }), {
    a: 'y',
    b: 'x',
    distance: 0.1,
    hasher: 'phash',
    transform: 'fh',
  });
  assert.deepEqual(reversedPair({ a: 'x', b: 'y', distance: 0, hasher: 'phash' }), { a: 'y', b: 'x', distance: 0, hasher: 'phash' });
});
