import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collapseCopies } from './copies.js';

test('collapseCopies: large groups of byte-identical files become one node (first path searched); small ones stay', () => {
  const paths = ['a/1.png', 'a/2.png', 'a/3.png', 'b/1.png', 'b/2.png', 'c/x.png', 'c/y.png'];
  const fp: Record<string, string> = { 'a/1.png': 'L', 'a/2.png': 'L', 'a/3.png': 'L', 'b/1.png': 'L', 'b/2.png': 'L', 'c/x.png': 'X', 'c/y.png': 'X' };
  const all = collapseCopies(paths, (p) => fp[p], undefined, 3);
  assert.deepEqual(all.identical, [['a/1.png', 'a/2.png', 'a/3.png', 'b/1.png', 'b/2.png']]);
  assert.deepEqual(all.searched, ['a/1.png', 'c/x.png', 'c/y.png'], 'the pair of two copies stays enumerated');
  // With groupBy folder, copies in two folders that must not pair are two groups (b's two copies stay below the minimum).
  const folder = collapseCopies(
    paths,
    (p) => fp[p],
    (i) => paths[i].split('/')[0],
    3,
  );
  assert.deepEqual(folder.identical, [['a/1.png', 'a/2.png', 'a/3.png']]);
  assert.deepEqual(folder.searched, ['a/1.png', 'b/1.png', 'b/2.png', 'c/x.png', 'c/y.png']);
  const none = collapseCopies(paths, () => undefined, undefined, 2);
  assert.equal(none.searched, paths);
  assert.deepEqual(none.identical, []);
});
