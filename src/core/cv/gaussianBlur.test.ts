// Expected values are worked out from OpenCV's fixed-point formulas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gaussianBlur } from './gaussianBlur.js';

test('GaussianBlur 3x3, sigma 0: impulse response is the rounded 1-2-1 tensor', () => {
  const img = new Uint8Array(25);
  img[12] = 255; // centre of 5x5
  const out = gaussianBlur(img, 5, 5, 1, 3);
  // (w_y * w_x * 255 + 32768) >> 16 with w in 1/256: 128*128 -> 64, 64*128 -> 32, 64*64 -> 16
  assert.equal(out[12], 64);
  assert.deepEqual([out[7], out[11], out[13], out[17]], [32, 32, 32, 32]);
  assert.deepEqual([out[6], out[8], out[16], out[18]], [16, 16, 16, 16]);
  assert.equal(out[0], 0);
  // 7x7 on a flat image stays flat (kernel taps sum to 256), also near the reflected borders
  assert.ok(gaussianBlur(new Uint8Array(4 * 3).fill(77), 4, 3, 1, 7).every((v) => v === 77));
});
