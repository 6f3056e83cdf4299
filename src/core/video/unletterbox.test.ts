import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RgbImage } from '../cv/types.js';
import { barBounds, centerCrop, cropRgb, unletterboxBounds } from './unletterbox.js';

function image(w: number, h: number, paint: (x: number, y: number) => number): RgbImage {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.fill(paint(x, y), (y * w + x) * 3, (y * w + x) * 3 + 3);
  return { data, width: w, height: h };
}

const texture = (x: number, y: number): number => 40 + ((x * 37 + y * 91) % 180);

test('black bars around a picture are found; dark pictures and off-centre borders are left alone', () => {
  const letterbox = image(100, 80, (x, y) => (y < 10 || y >= 70 ? 0 : texture(x, y)));
  assert.deepEqual(barBounds(letterbox), { x1: 0, x2: 100, y1: 10, y2: 70 });
  const pillarbox = image(120, 60, (x, y) => (x < 20 || x >= 100 ? 1 : texture(x, y)));
  assert.deepEqual(barBounds(pillarbox), { x1: 20, x2: 100, y1: 0, y2: 60 });
  assert.equal(barBounds(image(100, 80, texture)), null); // no bars
  assert.equal(barBounds(image(100, 80, (x, y) => (y < 30 ? 0 : texture(x, y)))), null); // one dark band at the top only
  // A night sky: a few bright dots on black. perception's bounds crop to the dots; bars do not.
  const sky = image(100, 80, (x, y) => ((x === 30 && y === 20) || (x === 70 && y === 50) ? 255 : 0));
  assert.equal(barBounds(sky), null);
  assert.equal(unletterboxBounds(sky), null);
  // perception's rule: keep rows/columns with more than 10% of pixels whose channel mean is above 2.
  assert.deepEqual(unletterboxBounds(letterbox), { x1: 0, x2: 100, y1: 10, y2: 70 });
  assert.deepEqual(unletterboxBounds(image(10, 10, () => 200)), { x1: 0, x2: 10, y1: 0, y2: 10 });
});

test('crops copy the right pixels', () => {
  const img = image(10, 6, (x, y) => y * 10 + x);
  const c = cropRgb(img, { x1: 2, x2: 5, y1: 1, y2: 3 });
  assert.equal(c.width, 3);
  assert.equal(c.height, 2);
  assert.deepEqual([...c.data.filter((_, i) => i % 3 === 0)], [12, 13, 14, 22, 23, 24]);
  const cc = centerCrop(
    image(100, 50, () => 1),
    0.9,
  );
  assert.deepEqual([cc.width, cc.height], [90, 45]);
});
