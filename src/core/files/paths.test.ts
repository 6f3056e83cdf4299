import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pair } from '../types.js';
import { mergeSortedPairs } from './paths.js';

test('mergeSortedPairs keeps (a, b) order', () => {
  const p = (a: string, b: string, via?: 'flat'): Pair => ({ a, b, distance: 0, hasher: 'h', ...(via ? { via } : {}) });
  assert.deepEqual(
    mergeSortedPairs([p('a', 'c'), p('b', 'c')], [p('a', 'b', 'flat'), p('b', 'd', 'flat')]).map((x) => x.a + x.b),
    ['ab', 'ac', 'bc', 'bd'],
  );
});
