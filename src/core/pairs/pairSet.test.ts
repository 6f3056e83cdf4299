import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PairSet, tagOf } from './pairSet.js';

test('PairSet keeps one copy of each pair and returns them sorted by (i, j)', () => {
  const s = new PairSet(2);
  for (let r = 0; r < 3; r++) for (let q = 200; q >= 0; q--) s.add(q % 7, 1000 + q, q % 50);
  assert.equal(s.size, 201);
  const { i, j, distance } = s.toPairs();
  for (let q = 1; q < i.length; q++) assert.ok(i[q - 1] < i[q] || (i[q - 1] === i[q] && j[q - 1] < j[q]));
  assert.equal(distance[0], s.get(i[0], j[0]));
  assert.equal(s.get(99, 99), undefined);
  // Row numbers past 2^21 take the comparator sort (i * 2^32 + j would not be exact as a double).
  const big = new PairSet();
  big.add(3_000_000, 3_000_002, 4);
  big.add(5, 6, 1);
  big.add(3_000_000, 3_000_001, 2);
  assert.deepEqual([...big.toPairs().j], [6, 3_000_001, 3_000_002]);
  assert.deepEqual([...big.toPairs().distance], [1, 2, 4]);
});

test('several hashers: the union of their pairs with the smallest distance, ties to the earlier hasher', () => {
  const s = new PairSet();
  s.add(0, 1, 0.1, tagOf(0));
  s.add(2, 3, 0.15, tagOf(0));
  s.add(0, 1, 0.05, tagOf(1));
  s.add(4, 5, 0.01, tagOf(1));
  s.add(2, 3, 0.15, tagOf(1));
  const p = s.toPairs();
  assert.deepEqual(
    Array.from({ length: p.count }, (_, k) => [p.i[k], p.j[k], p.distance[k], p.tag[k]]),
    [
      [0, 1, 0.05, tagOf(1)],
      [2, 3, 0.15, tagOf(0)],
      [4, 5, 0.01, tagOf(1)],
    ],
  );
});
