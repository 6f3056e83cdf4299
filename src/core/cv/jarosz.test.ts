import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decimate, jaroszWindowSize } from './jarosz.js';

test('PDQ: Jarosz window, centre decimation', () => {
  assert.equal(jaroszWindowSize(1024, 64), 8);
  assert.equal(jaroszWindowSize(20, 64), 1);
  const src = Float32Array.from({ length: 16 }, (_, i) => i);
  const out = new Float32Array(4);
  decimate(src, 4, 4, out, 2, 2);
  assert.deepEqual([...out], [5, 7, 13, 15]);
});
