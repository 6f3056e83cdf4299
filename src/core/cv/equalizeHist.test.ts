// Expected values are worked out from OpenCV's formulas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { equalizeHist } from './equalizeHist.js';

test('equalizeHist: float32 LUT, ties to even, one-level images unchanged', () => {
  // hist[0] = 2, scale = 255 / 2; level 128 -> 1 * 127.5 -> 128 (tie to even), level 255 -> 255
  assert.deepEqual([...equalizeHist(Uint8Array.of(0, 0, 128, 255))], [0, 0, 128, 255]);
  assert.deepEqual([...equalizeHist(Uint8Array.of(10, 10, 10, 20))], [0, 0, 0, 255]);
  assert.deepEqual([...equalizeHist(Uint8Array.of(9, 9, 9))], [9, 9, 9]);
});
