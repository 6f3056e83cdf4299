import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeQuality } from './quality.js';

test("computeQuality: flat images score 0; an image that is already 64x64 keeps perception's uint8 quirk (always 0)", () => {
  const flat = { data: new Uint8Array(30 * 20 * 3).fill(90), width: 30, height: 20 };
  assert.equal(computeQuality(flat), 0);
  const stripes = new Uint8Array(64 * 64 * 3);
  for (let i = 0; i < 64 * 64; i++) stripes.fill((i & 1) === 0 ? 255 : 0, i * 3, i * 3 + 3);
  assert.equal(computeQuality({ data: stripes, width: 64, height: 64 }), 0);
  // the same stripes at 128x128 go through the resize and saturate at 100
  const big = new Uint8Array(128 * 128 * 3);
  for (let y = 0; y < 128; y++) for (let x = 0; x < 128; x++) big.fill(((x >> 1) & 1) * 255, (y * 128 + x) * 3, (y * 128 + x) * 3 + 3);
  assert.equal(computeQuality({ data: big, width: 128, height: 128 }), 100);
});
