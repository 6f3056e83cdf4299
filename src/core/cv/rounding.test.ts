// Expected values are worked out from OpenCV's formulas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reflect101, roundHalfEven } from './rounding.js';

test('roundHalfEven matches cvRound on ties; reflect101 mirrors without repeating the edge', () => {
  assert.deepEqual([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6].map(roundHalfEven), [0, 2, 2, -0, -2, 2, 3]);
  assert.deepEqual(
    [-3, -1, 0, 4, 5, 7].map((p) => reflect101(p, 5)),
    [3, 1, 0, 4, 3, 1],
  );
  assert.equal(reflect101(-2, 1), 0);
});
