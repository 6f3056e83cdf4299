import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resizeAreaGray } from '../cv/resizeArea.js';
import type { RgbImage } from '../cv/types.js';
import { createHasher } from '../hashers/registry.js';
import { patternPixels } from '../testing/images.js';
import { contentBox, cropRgb, cropWindows, type Box } from './cropWindows.js';
import { GRID_PER_SIDE, greyViews } from './greyViews.js';

const picture = (seed: number, width: number, height: number): RgbImage => ({ data: new Uint8Array(patternPixels(seed, width, height)), width, height });

/** The picture inside a border of b pixels of one colour. */
function bordered(inner: RgbImage, b: number): RgbImage {
  const W = inner.width + 2 * b;
  const data = new Uint8Array(W * (inner.height + 2 * b) * 3).fill(30);
  for (let y = 0; y < inner.height; y++) data.set(inner.data.subarray(y * inner.width * 3, (y + 1) * inner.width * 3), ((y + b) * W + b) * 3);
  return { data, width: W, height: inner.height + 2 * b };
}

const bitsApart = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from(a).reduce((n, v, i) => n + (v !== b[i] ? 1 : 0), 0);

test('greyViews: the windows fall on whole cells of the grid (its size is chosen for that)', () => {
  const g = Math.round(GRID_PER_SIDE * 64);
  for (const w of cropWindows(g, g)) {
    assert.ok(Number.isInteger(w.x) && Number.isInteger(w.y));
    assert.ok(Math.abs(w.width - 0.925 * g) < 1e-9, `window ${w.width} of ${g} is 0.925 of the side exactly`);
  }
});

test('greyViews: each view is close to cutting the rectangle and resizing it, and hashes within a few bits of that', () => {
  const phash = createHasher('phash');
  const finish = phash.resizedGrey!.finish;
  for (const [w, h] of [
    [400, 300],
    [97, 143],
    [1200, 500],
  ]) {
    const img = picture(w + h, w, h);
    const views = greyViews(img, 'rgb', 64);
    assert.equal(views.length, 10);
    assert.equal(views[0], null, 'no border: no content box');
    cropWindows(w, h).forEach((b: Box, k) => {
      const cut = cropRgb(img, b);
      const direct = resizeAreaGray(cut.data, cut.width, cut.height, 64, 64);
      const v = views[k + 1]!;
      let diff = 0;
      for (let i = 0; i < v.length; i++) diff += Math.abs(v[i] - direct[i]);
      assert.ok(diff / v.length < 4, `${w}x${h} window ${k}: mean difference ${diff / v.length}`);
      assert.ok(bitsApart(finish(v)!, finish(direct)!) <= 20, `${w}x${h} window ${k}: ${bitsApart(finish(v)!, finish(direct)!)} bits apart`);
    });
  }
});

test("greyViews: a bordered copy's content box hashes like its original; PHash finishes what compute starts", () => {
  const phash = createHasher('phash');
  const inner = picture(5, 300, 200);
  assert.deepEqual(phash.resizedGrey!.finish(resizeAreaGray(inner.data, 300, 200, 64, 64)), phash.compute(inner), 'finish(resized grey) is the hash itself');
  const img = bordered(inner, 24);
  const box = contentBox(img);
  assert.deepEqual(box, { x: 24, y: 24, width: 300, height: 200 });
  const view = greyViews(img, 'rgb', 64, box)[0]!;
  assert.ok(bitsApart(phash.resizedGrey!.finish(view)!, phash.compute(inner)!) <= 12);
  assert.equal(createHasher('phash', { boxFilter: true }).resizedGrey, undefined, 'with the box filter PHash needs the pixels');
});
