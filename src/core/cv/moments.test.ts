import { test } from 'node:test';
import assert from 'node:assert/strict';
import { huMoments, momentsU8 } from './moments.js';

test('moments / HuMoments of a 2x2 flat square', () => {
  const m = momentsU8(Uint8Array.of(1, 1, 1, 1), 2, 2);
  assert.equal(m.nu20, 1 / 16);
  assert.equal(m.nu02, 1 / 16);
  assert.equal(m.nu11, 0);
  const hu = huMoments(m);
  assert.equal(hu[0], 0.125);
  assert.deepEqual([...hu.slice(1)], [0, 0, 0, 0, 0, 0]);
  // channel selection on interleaved data
  const m2 = momentsU8(Uint8Array.of(9, 1, 9, 1, 9, 1, 9, 1), 2, 2, 2, 1);
  assert.equal(m2.nu20, 1 / 16);
});
