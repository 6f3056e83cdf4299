import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildClusters, pairKey, type ClusterEdge, type KeepInfo } from './index.js';

const info = (entries: Record<string, [number, number, number, boolean?]>): Map<string, KeepInfo> =>
  new Map(Object.entries(entries).map(([p, [w, h, size, prot]]) => [p, { width: w, height: h, size, protected: prot === true }]));

const e = (a: string, b: string, distance: number): ClusterEdge => ({ a, b, distance });

test('clusters are connected components: a chain A~B~C is one cluster, with chained distances flagged', () => {
  const files = info({ 'a.jpg': [100, 100, 10], 'b.jpg': [200, 200, 10], 'c.jpg': [50, 50, 10], 'x.jpg': [10, 10, 1], 'y.jpg': [10, 10, 2] });
  const clusters = buildClusters({ files, edges: [e('a.jpg', 'b.jpg', 0.1), e('b.jpg', 'c.jpg', 0.15), e('x.jpg', 'y.jpg', 0.05)], strict: false });
  assert.deepEqual(clusters, [
    {
      keep: 'b.jpg', // highest resolution
      members: [
        { path: 'a.jpg', distance: 0.1, chained: false, decision: 'remove', by: 'auto' },
        { path: 'c.jpg', distance: 0.15, chained: false, decision: 'remove', by: 'auto' },
      ],
    },
    { keep: 'y.jpg', members: [{ path: 'x.jpg', distance: 0.05, chained: false, decision: 'remove', by: 'auto' }] }, // same resolution: larger file
  ]);
  // Kept file at one end of the chain: the far member is linked only through the middle one.
  const chain = buildClusters({
    files: info({ 'a.jpg': [300, 300, 1], 'b.jpg': [200, 200, 1], 'c.jpg': [100, 100, 1] }),
    edges: [e('a.jpg', 'b.jpg', 0.1), e('b.jpg', 'c.jpg', 0.15)],
    strict: false,
  });
  assert.deepEqual(
    chain[0].members.map((m) => [m.path, m.distance, m.chained]),
    [
      ['b.jpg', 0.1, false],
      ['c.jpg', 0.15, true], // the largest step of the chain a-b-c
    ],
  );
});

test('--strict: no chaining, every member is within threshold of its kept file', () => {
  const files = info({ 'a.jpg': [300, 300, 1], 'b.jpg': [200, 200, 1], 'c.jpg': [100, 100, 1], 'd.jpg': [50, 50, 1] });
  const edges = [e('a.jpg', 'b.jpg', 0.1), e('b.jpg', 'c.jpg', 0.15), e('c.jpg', 'd.jpg', 0.1)];
  const strict = buildClusters({ files, edges, strict: true });
  assert.deepEqual(
    strict.map((c) => [c.keep, c.members.map((m) => m.path)]),
    [
      ['a.jpg', ['b.jpg']],
      ['c.jpg', ['d.jpg']],
    ],
  );
  for (const c of strict) for (const m of c.members) assert.equal(m.chained, false);
  const loose = buildClusters({ files, edges, strict: false });
  assert.deepEqual(
    loose.map((c) => [c.keep, c.members.length]),
    [['a.jpg', 3]],
  );
});

test('keep policy: highest resolution, then largest file, then shortest path, then path order', () => {
  const keepOf = (files: Map<string, KeepInfo>): string =>
    buildClusters({ files, edges: [...files.keys()].slice(1).map((p) => e([...files.keys()][0], p, 0.01)), strict: false })[0].keep;
  assert.equal(keepOf(info({ 'a.jpg': [10, 10, 999], 'b.jpg': [11, 10, 1] })), 'b.jpg');
  assert.equal(keepOf(info({ 'a.jpg': [10, 10, 5], 'b.jpg': [10, 10, 6] })), 'b.jpg');
  assert.equal(keepOf(info({ 'deep/folder/a.jpg': [10, 10, 5], 'b.jpg': [10, 10, 5] })), 'b.jpg');
  assert.equal(keepOf(info({ 'b.jpg': [10, 10, 5], 'a.jpg': [10, 10, 5] })), 'a.jpg');
});

test('protected files are never removed, and anchor their cluster', () => {
  const files = info({ 'originals/a.jpg': [100, 100, 1, true], 'originals/a2.jpg': [90, 90, 1, true], 'big/a.png': [400, 400, 9] });
  const [c] = buildClusters({ files, edges: [e('big/a.png', 'originals/a.jpg', 0.05), e('originals/a.jpg', 'originals/a2.jpg', 0.02)], strict: false });
  assert.equal(c.keep, 'originals/a.jpg');
  assert.deepEqual(
    c.members.map((m) => [m.path, m.decision, m.by]),
    [
      ['big/a.png', 'remove', 'auto'],
      ['originals/a2.jpg', 'keep', 'auto'],
    ],
  );
});

test('notDuplicates unlink a pair; review overrides win over the policy', () => {
  const files = info({ 'a.jpg': [100, 100, 1], 'b.jpg': [50, 50, 1], 'c.jpg': [40, 40, 1] });
  const edges = [e('a.jpg', 'b.jpg', 0.1), e('b.jpg', 'c.jpg', 0.1)];
  const split = buildClusters({ files, edges, strict: false, notDuplicates: new Set([pairKey('b.jpg', 'a.jpg')]) });
  assert.deepEqual(
    split.map((c) => [c.keep, c.members.map((m) => m.path)]),
    [['b.jpg', ['c.jpg']]],
  );
  const reviewed = buildClusters({
    files,
    edges,
    strict: false,
    overrides: new Map([
      ['c.jpg', 'keep'],
      ['a.jpg', 'remove'],
    ]),
  });
  assert.equal(reviewed[0].keep, 'c.jpg');
  assert.deepEqual(
    reviewed[0].members.map((m) => [m.path, m.decision, m.by]),
    [
      ['a.jpg', 'remove', 'review'],
      ['b.jpg', 'remove', 'auto'],
    ],
  );
});

test('clusters do not depend on the order of the input', () => {
  const files = info(
    Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}.jpg`, [10 + (i % 7), 10, i % 5]])) as Record<string, [number, number, number]>,
  );
  const edges: ClusterEdge[] = [];
  for (let i = 0; i < 30; i++) for (let j = i + 1; j < 30; j++) if ((i * 7 + j * 13) % 11 === 0) edges.push(e(`f${i}.jpg`, `f${j}.jpg`, ((i + j) % 9) / 100));
  for (const strict of [false, true]) {
    const a = buildClusters({ files, edges, strict });
    const shuffled = [...edges].reverse().map((x, k) => (k % 2 ? { a: x.b, b: x.a, distance: x.distance } : x));
    assert.deepEqual(buildClusters({ files: new Map([...files].reverse()), edges: shuffled, strict }), a);
  }
});
