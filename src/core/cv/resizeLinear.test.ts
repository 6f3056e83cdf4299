// Hand-made arrays; expected values are worked out from OpenCV's fixed-point formulas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resizeCubic, resizeLinear, resizeLinearExact } from './resizeLinear.js';

test('INTER_LINEAR_EXACT: 8-bit weights, edge replication outside the source', () => {
  // 2 -> 4 pixels: taps at -0.25 (left edge), 0.25, 0.75, 1.25 (right edge); weights 64/256 and 192/256.
  assert.deepEqual([...resizeLinearExact(Uint8Array.of(0, 255), 2, 1, 1, 4, 1)], [0, 64, 191, 255]);
  assert.deepEqual([...resizeLinearExact(Uint8Array.of(0, 100, 200, 255), 4, 1, 1, 3, 1)], [17, 150, 246]);
  assert.deepEqual([...resizeLinearExact(Uint8Array.of(10, 20, 30, 40), 2, 2, 1, 3, 3)], [10, 15, 20, 20, 25, 30, 30, 35, 40]);
});

test('INTER_LINEAR: 11-bit weights; an exact 2x downscale is a rounded 2x2 mean; same size is a copy', () => {
  assert.deepEqual([...resizeLinear(Uint8Array.of(0, 255), 2, 1, 1, 4, 1)], [0, 64, 191, 255]);
  const ramp = Uint8Array.from({ length: 16 }, (_, i) => i * 16);
  assert.deepEqual([...resizeLinear(ramp, 4, 4, 1, 2, 2)], [40, 72, 168, 200]); // (0+16+64+80+2)>>2 = 40
  const rgb = Uint8Array.of(1, 2, 3, 4, 5, 6);
  assert.deepEqual([...resizeLinear(rgb, 2, 1, 3, 2, 1)], [...rgb]);
  // per-channel independence on interleaved data
  assert.deepEqual([...resizeLinearExact(Uint8Array.of(0, 10, 20, 255, 10, 20), 2, 1, 3, 4, 1)], [0, 10, 20, 64, 10, 20, 191, 10, 20, 255, 10, 20]);
});

test('INTER_CUBIC keeps flat images flat and mirror-symmetric input symmetric', () => {
  const flat = new Uint8Array(7 * 5 * 3).fill(200);
  assert.ok(resizeCubic(flat, 7, 5, 3, 16, 9).every((v) => v === 200));
  const sym = Uint8Array.of(0, 50, 255, 50, 0);
  const up = resizeCubic(sym, 5, 1, 1, 10, 1);
  assert.deepEqual([...up], [...up].reverse());
  assert.ok(Math.max(...up) >= 200 && up[0] <= 5);
});
