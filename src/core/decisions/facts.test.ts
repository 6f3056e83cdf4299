import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from './decide.js';
import {
  acceptClusterChanges,
  applyFactChanges,
  clusterNotDuplicatesChanges,
  FactTable,
  keepThisChanges,
  pairActionChanges,
  resolveConflictChanges,
  splitOutChanges,
} from './facts.js';
import { NO_FACTS, type DecideFile, type Facts } from './types.js';

const f = (path: string, width = 100, extra: Partial<DecideFile> = {}): DecideFile => ({ path, width, height: width, size: 1, ...extra });

test('facts: a review is stored from a’s side (a < b) and reads back from either side; null clears; changes record what they replaced', () => {
  const t = new FactTable(NO_FACTS);
  const rec = t.apply([...pairActionChanges('z.jpg', 'a.jpg', 'keep-a'), { key: { kind: 'file', path: 'q.jpg' }, value: 'remove' }]);
  assert.deepEqual(t.facts(), {
    reviews: [{ a: 'a.jpg', b: 'z.jpg', decision: 'keep-b' }],
    notDuplicates: [],
    fileDecisions: [{ path: 'q.jpg', decision: 'remove' }],
  });
  assert.equal(t.get({ kind: 'review', a: 'z.jpg', b: 'a.jpg' }), 'keep-a');
  assert.deepEqual(
    rec.map((r) => [r.before, r.value]),
    [
      [null, 'keep-a'],
      [null, null],
      [null, 'remove'],
    ],
  );
  const nd = applyFactChanges(t.facts(), pairActionChanges('a.jpg', 'z.jpg', 'not-duplicate'));
  assert.deepEqual([nd.reviews, nd.notDuplicates], [[], [['a.jpg', 'z.jpg']]], 'not-duplicate replaces the review');
  assert.deepEqual(applyFactChanges(nd, pairActionChanges('z.jpg', 'a.jpg', 'clear')).notDuplicates, []);
});

test('bulk: keep this removes the rest of the cluster but never a protected file; accept, not-duplicates and split out', () => {
  const d = decide({
    files: [f('a.jpg', 300), f('b.jpg', 200), f('c.jpg', 100), f('p.jpg', 50, { protectedBy: 'p.jpg' }), f('far.jpg', 10)],
    edges: [
      { a: 'a.jpg', b: 'b.jpg', distance: 0.1 },
      { a: 'a.jpg', b: 'c.jpg', distance: 0.1 },
      { a: 'a.jpg', b: 'p.jpg', distance: 0.1 },
      { a: 'c.jpg', b: 'far.jpg', distance: 0.1 },
    ],
    facts: NO_FACTS,
  });
  const keepC = applyFactChanges(NO_FACTS, keepThisChanges(d, 0, 'c.jpg'));
  assert.deepEqual(keepC.fileDecisions, [
    { path: 'a.jpg', decision: 'remove' },
    { path: 'b.jpg', decision: 'remove' },
    { path: 'c.jpg', decision: 'keep' },
    { path: 'far.jpg', decision: 'remove' },
  ]);
  const after = decide({
    files: [f('a.jpg', 300), f('b.jpg', 200), f('c.jpg', 100), f('p.jpg', 50, { protectedBy: 'p.jpg' }), f('far.jpg', 10)],
    edges: [],
    facts: keepC,
  });
  assert.ok(!after.remove.includes('p.jpg'));

  // Accept: each automatic verdict becomes a file decision. a.jpg is kept by the keep policy (p.jpg is
  // protected, which keeps it but does not make it the kept file); b and c are direct copies of a; far.jpg
  // is chained (through c) and kept; p.jpg is decided by --protect, not automatically, so accept leaves it.
  assert.equal(d.clusters[0].keep, 'a.jpg');
  assert.deepEqual(
    acceptClusterChanges(d, 0).map((c) => [c.key.kind === 'file' ? c.key.path : '', c.value]),
    [
      ['a.jpg', 'keep'],
      ['b.jpg', 'remove'],
      ['c.jpg', 'remove'],
      ['far.jpg', 'keep'],
    ],
  );
  const cut = applyFactChanges(NO_FACTS, clusterNotDuplicatesChanges(d, 0));
  assert.equal(cut.notDuplicates.length, 4);
  assert.equal(
    decide({
      files: [f('a.jpg'), f('b.jpg'), f('c.jpg'), f('p.jpg'), f('far.jpg')],
      edges: d.pairs.map((p) => ({ a: p.a, b: p.b, distance: 0.1 })),
      facts: cut,
    }).clusters.length,
    0,
  );
  const split = applyFactChanges(NO_FACTS, splitOutChanges(d, 0, 'c.jpg'));
  assert.deepEqual(split.notDuplicates, [
    ['a.jpg', 'c.jpg'],
    ['c.jpg', 'far.jpg'],
  ]);
  assert.throws(() => keepThisChanges(d, 0, 'nope.jpg'), /not in cluster 0/);
  assert.throws(() => acceptClusterChanges(d, 5), /no cluster 5/);
});

test('resolving a conflict: "keep this file" turns the reviews that removed it around; the cycle becomes a chain and its other files go', () => {
  const files = [f('a.jpg'), f('b.jpg'), f('c.jpg')];
  const edges = [
    { a: 'a.jpg', b: 'b.jpg', distance: 0.1 },
    { a: 'b.jpg', b: 'c.jpg', distance: 0.1 },
    { a: 'a.jpg', b: 'c.jpg', distance: 0.1 },
  ];
  // keep a over b, b over c, c over a: no file would stay, so decide keeps all three and flags them.
  const cycle: Facts = {
    ...NO_FACTS,
    reviews: [
      { a: 'a.jpg', b: 'b.jpg', decision: 'keep-a' },
      { a: 'b.jpg', b: 'c.jpg', decision: 'keep-a' },
      { a: 'a.jpg', b: 'c.jpg', decision: 'keep-b' },
    ],
  };
  const before = decide({ files, edges, facts: cycle });
  assert.equal(before.totals.conflicts, 3);
  assert.deepEqual(before.remove, []);
  const changes = resolveConflictChanges(cycle, 'a.jpg');
  assert.deepEqual(changes, [{ key: { kind: 'review', a: 'a.jpg', b: 'c.jpg' }, value: 'keep-a' }]);
  const after = decide({ files, edges, facts: applyFactChanges(cycle, changes) });
  assert.equal(after.totals.conflicts, 0);
  assert.deepEqual(after.remove, ['b.jpg', 'c.jpg']);
  assert.equal(after.clusters[0].keep, 'a.jpg');
  // A file kept and removed by review: keeping it turns its lost review and its remove decision around.
  const contradicted: Facts = {
    ...NO_FACTS,
    reviews: [{ a: 'a.jpg', b: 'b.jpg', decision: 'keep-a' }],
    fileDecisions: [{ path: 'b.jpg', decision: 'remove' }],
  };
  assert.deepEqual(
    resolveConflictChanges(contradicted, 'b.jpg').map((c) => c.value),
    ['keep-b', 'keep'],
  );
});
