import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RgbImage } from '../cv/types.js';
import { contentBox, cropRgb, cropWindows } from './cropWindows.js';

/** A w x h picture with some texture, inside a border of b pixels of one colour. */
function padded(w: number, h: number, b: number, colour: readonly number[]): RgbImage {
  const W = w + 2 * b;
  const H = h + 2 * b;
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const inside = x >= b && x < b + w && y >= b && y < b + h;
      for (let c = 0; c < 3; c++) data[(y * W + x) * 3 + c] = inside ? (x * 7 + y * 13 + c * 50) % 256 : colour[c];
    }
  return { data, width: W, height: H };
}

test('contentBox: a uniform border of any colour is trimmed to the picture inside, JPEG-like noise in it tolerated', () => {
  for (const colour of [
    [0, 0, 0],
    [255, 255, 255],
    [200, 40, 90],
  ]) {
    const img = padded(100, 60, 8, colour);
    // A few noisy border pixels (ringing) stay within the tolerance or under 2 % of a row.
    img.data[(3 * img.width + 5) * 3] = colour[0] > 128 ? colour[0] - 20 : colour[0] + 20;
    assert.deepEqual(contentBox(img), { x: 8, y: 8, width: 100, height: 60 }, String(colour));
  }
});

test('contentBox: nothing to trim, too little to matter, or all one colour gives undefined', () => {
  assert.equal(contentBox(padded(100, 60, 0, [0, 0, 0])), undefined);
  const flat = padded(100, 60, 8, [10, 10, 10]);
  flat.data.fill(10);
  assert.equal(contentBox(flat), undefined);
  assert.equal(contentBox(padded(4, 4, 1, [0, 0, 0])), undefined, 'too small to have borders');
});

test('cropRgb copies exactly the box; cropWindows covers the corners and the centre at the given scale', () => {
  const img = padded(10, 6, 2, [1, 2, 3]);
  const box = { x: 2, y: 2, width: 10, height: 6 };
  const inner = cropRgb(img, box);
  assert.equal(inner.data.length, 10 * 6 * 3);
  for (let y = 0; y < 6; y++)
    for (let x = 0; x < 10; x++) for (let c = 0; c < 3; c++) assert.equal(inner.data[(y * 10 + x) * 3 + c], img.data[((y + 2) * img.width + x + 2) * 3 + c]);
  const w = cropWindows(200, 100, 0.9);
  assert.equal(w.length, 9);
  assert.deepEqual(w[0], { x: 0, y: 0, width: 180, height: 90 });
  assert.deepEqual(w[4], { x: 10, y: 5, width: 180, height: 90 });
  assert.deepEqual(w[8], { x: 20, y: 10, width: 180, height: 90 });
  for (const b of w) assert.ok(b.x + b.width <= 200 && b.y + b.height <= 100);
});
