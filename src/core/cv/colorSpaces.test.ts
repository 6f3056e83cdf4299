// Expected values are worked out from OpenCV's fixed-point tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bgrToHsv, bgrToYCrCb } from './colorSpaces.js';

test('BGR -> HSV and BGR -> YCrCb (8-bit OpenCV tables)', () => {
  // bytes are B,G,R: red, green, blue, white, black
  const px = Uint8Array.of(0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 0, 0, 0);
  assert.deepEqual([...bgrToHsv(px)], [0, 255, 255, 60, 255, 255, 120, 255, 255, 0, 0, 255, 0, 0, 0]);
  const ycc = bgrToYCrCb(px);
  assert.deepEqual([...ycc.slice(9)], [255, 128, 128, 0, 128, 128]);
  // red: Y = (255 * 4899 + 8192) >> 14 = 76; Cr = ((255 - 76) * 11682 + 128 * 16384 + 8192) >> 14 = 255 (saturated)
  assert.deepEqual([...ycc.slice(0, 3)], [76, 255, 85]);
});
