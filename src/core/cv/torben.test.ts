import { test } from 'node:test';
import assert from 'node:assert/strict';
import { torbenMedian } from './torben.js';

test("PDQ: Torben's median", () => {
  assert.equal(torbenMedian(Float32Array.of(3, 1, 2)), 2);
  assert.equal(torbenMedian(Float32Array.of(4, 1, 3, 2)), 2); // lower median for even n
});
