import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from './decide.js';
import { impliedPairs, type ClusterPlace } from './impliedPairs.js';
import { NO_FACTS, type DecideEdge, type DecideFile, type Decisions } from './types.js';

const f = (path: string, width = 100): DecideFile => ({ path, width, height: width, size: 1 });

/** Where decide put each file: the one mapping the gallery uses too. */
function places(d: Decisions): (p: string) => ClusterPlace | undefined {
  const m = new Map<string, ClusterPlace>();
  for (const c of d.clusters) {
    m.set(c.keep, { keep: c.keep, distance: 0 });
    for (const x of c.members) m.set(x.path, { keep: c.keep, distance: x.distance });
  }
  return (p) => m.get(p);
}

test('impliedPairs: a group of copies alone gives each member against the kept file at distance 0 (N - 1 pairs)', () => {
  const group = ['c3.jpg', 'c1.jpg', 'c2.jpg', 'c0.jpg'];
  const d = decide({ files: group.map((p) => f(p)), edges: [], identical: [group], facts: NO_FACTS });
  assert.equal(d.clusters.length, 1);
  const keep = d.clusters[0]!.keep;
  const pairs = impliedPairs([group], places(d), []);
  assert.equal(pairs.length, 3);
  for (const p of pairs) {
    assert.ok(p.a === keep || p.b === keep, `every pair names the kept file ${keep}: ${p.a} | ${p.b}`);
    assert.equal(p.distance, 0);
    assert.ok(p.a < p.b);
  }
  // Every file the manifest removes is in a pair, so a person can review it.
  const inPairs = new Set(pairs.flatMap((p) => [p.a, p.b]));
  for (const r of d.remove) assert.ok(inPairs.has(r), `${r} is shown in a pair`);
  assert.deepEqual(
    pairs.map((p) => [p.a, p.b]),
    [...pairs.map((p) => [p.a, p.b])].sort((x, y) => (x[0]! + x[1]!).localeCompare(y[0]! + y[1]!)),
    'sorted by (a, b)',
  );
});

test('impliedPairs: a kept file outside the group pairs with every member at its stored distance; a listed pair is not repeated', () => {
  const group = ['g/a.jpg', 'g/b.jpg', 'g/c.jpg'];
  // The search named the group's first file only; the large picture is kept (the policy prefers resolution).
  const edges: DecideEdge[] = [{ a: 'g/a.jpg', b: 'z-large.jpg', distance: 2 }];
  const d = decide({ files: [...group.map((p) => f(p)), f('z-large.jpg', 400)], edges, identical: [group], facts: NO_FACTS });
  assert.equal(d.clusters[0]!.keep, 'z-large.jpg');
  const pairs = impliedPairs([group], places(d), edges);
  assert.deepEqual(pairs, [
    { a: 'g/b.jpg', b: 'z-large.jpg', distance: 2 },
    { a: 'g/c.jpg', b: 'z-large.jpg', distance: 2 },
  ]);
});

test('impliedPairs: a member not directly tied to the kept file, or in no cluster, pairs with the group’s first file at distance 0', () => {
  const group = ['n/b.jpg', 'n/a.jpg'];
  const placeOf = (p: string): ClusterPlace | undefined => (p === 'n/b.jpg' ? { keep: 'far.jpg', distance: null } : undefined);
  assert.deepEqual(impliedPairs([group], placeOf, []), [{ a: 'n/a.jpg', b: 'n/b.jpg', distance: 0 }]);
  assert.deepEqual(impliedPairs([], placeOf, [{ a: 'x', b: 'y' }]), [], 'no groups, nothing implied');
});

test('impliedPairs: 20,000 copies of one picture give 19,999 pairs, each against the kept file (linear, not the 200 million the group stands for)', () => {
  const n = 20_000;
  const group = Array.from({ length: n }, (_, i) => `copies/c${String(i).padStart(5, '0')}.jpg`);
  const keep = group[0]!;
  const placeOf = (): ClusterPlace => ({ keep, distance: 0 });
  const pairs = impliedPairs([group], placeOf, []);
  assert.equal(pairs.length, n - 1);
  assert.ok(pairs.every((p) => p.a === keep));
  assert.equal(new Set(pairs.map((p) => p.b)).size, n - 1, 'each member once');
});
