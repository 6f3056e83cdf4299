import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resizeArea, resizeAreaGray } from '../cv/resizeArea.js';
import type { RgbImage } from '../cv/types.js';
import { createHasher } from '../hashers/registry.js';
import { patternPixels } from '../testing/images.js';
import { contentBox, cropRgb, cropWindows, type Box } from './cropWindows.js';
import { areaOfGrid } from '../kernels/cropViewBits.js';
import { greyViewBits, gridCells, greyViews, smallViewBits } from './greyViews.js';

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
  const g = gridCells(64);
  const windows = cropWindows(g, g);
  assert.deepEqual(
    windows.map((w) => [w.x, w.y]),
    [0, 5, 10].flatMap((y) => [0, 5, 10].map((x) => [x, y])),
  );
  for (const w of windows) assert.deepEqual([w.width, w.height], [128, 128], 'each window is 2 x 64 cells, halved exactly');
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

test('greyViews: a window halved in place is what resizeArea makes of the cut rectangle of the grid (INTER_AREA by 2 x 2)', () => {
  const img = picture(11, 640, 480);
  const g = gridCells(64);
  const grid = resizeAreaGray(img.data, 640, 480, g, g);
  const views = greyViews(img, 'rgb', 64);
  cropWindows(g, g).forEach((b, k) => {
    const cut = new Uint8Array(b.width * b.height);
    for (let y = 0; y < b.height; y++) cut.set(grid.subarray((b.y + y) * g + b.x, (b.y + y) * g + b.x + b.width), y * b.width);
    assert.deepEqual(views[k + 1], resizeArea(cut, b.width, b.height, 1, 64, 64), `window ${k}`);
  });
});

test('areaOfGrid: on whole cells by 2 it is the 2 x 2 mean; a fractional rectangle weighs its partial cells by the part inside', () => {
  const g = 138;
  const grid = Uint8Array.from({ length: g * g }, (_, i) => (i * 7919 + (i >> 5)) & 255);
  const cut = new Uint8Array(128 * 128);
  for (let y = 0; y < 128; y++) cut.set(grid.subarray((5 + y) * g + 5, (5 + y) * g + 133), y * 128);
  assert.deepEqual(areaOfGrid(grid, g, 5, 5, 133, 133, 64), resizeArea(cut, 128, 128, 1, 64, 64));
  // A uniform grid stays uniform whatever the edges; a step edge half inside a cell gives the mean of its sides.
  assert.ok(areaOfGrid(new Uint8Array(g * g).fill(77), g, 3.3, 0.7, 120.9, 137.2, 64).every((v) => v === 77));
  const step = Uint8Array.from({ length: g * g }, (_, i) => (i % g < 69 ? 0 : 200));
  const v = areaOfGrid(step, g, 68.5, 0, 69.5, 138, 1);
  assert.deepEqual([...v], [100]);
});

test('greyViewBits: the bits of greyViews finished by PHash, one by one, with and without a content box; undefined below the grid', () => {
  for (const opts of [{ hashSize: 16 }, { hashSize: 8, freqShift: 1, excludeFirstTerm: true }] as Record<string, number | boolean>[]) {
    const rg = createHasher('phash', opts).resizedGrey!;
    assert.ok(rg.bits, 'bit-valued PHash names its block');
    for (const img of [picture(3, 400, 300), bordered(picture(8, 300, 220), 20), picture(4, 1200, 140)]) {
      const box = contentBox(img);
      const want = greyViews(img, 'rgb', rg.side, box).map((v) => (v ? rg.finish(v) : null));
      assert.deepEqual(greyViewBits(img, 'rgb', rg.side, rg.bits!, box), want, `${img.width}x${img.height}, ${JSON.stringify(opts)}`);
    }
    assert.equal(greyViewBits(picture(5, 60, 300), 'rgb', rg.side, rg.bits!, undefined), undefined);
    // Both take the grid from the same size on: a picture of exactly the grid's cells, and none a cell short.
    const g = gridCells(rg.side);
    const edge = bordered(picture(6, g - 8, g - 8), 4);
    const box = contentBox(edge);
    assert.deepEqual(
      greyViewBits(edge, 'rgb', rg.side, rg.bits!, box),
      greyViews(edge, 'rgb', rg.side, box).map((v) => (v ? rg.finish(v) : null)),
    );
    assert.equal(greyViewBits(picture(7, g - 1, 400), 'rgb', rg.side, rg.bits!, undefined), undefined);
    assert.equal(greyViewBits(picture(7, 400, g - 1), 'rgb', rg.side, rg.bits!, undefined), undefined);
  }
  assert.equal(createHasher('phashf').resizedGrey?.bits, undefined, 'float values are not bits');
});

test("smallViewBits: the bits of a small picture's views finished by PHash one by one, with and without a content box (64 px icons, thin strips, uniform pictures)", () => {
  for (const opts of [{ hashSize: 16 }, { hashSize: 8, freqShift: 1, excludeFirstTerm: true }] as Record<string, number | boolean>[]) {
    const rg = createHasher('phash', opts).resizedGrey!;
    const flat: RgbImage = { data: new Uint8Array(70 * 50 * 3).fill(128), width: 70, height: 50 };
    for (const img of [picture(6, 64, 64), bordered(picture(9, 50, 40), 6), picture(7, 60, 300), picture(2, 137, 137), flat]) {
      if (img.width >= gridCells(rg.side) && img.height >= gridCells(rg.side)) continue; // the grid's: greyViewBits
      const box = contentBox(img);
      const want = greyViews(img, 'rgb', rg.side, box).map((v) => (v ? rg.finish(v) : null));
      assert.deepEqual(smallViewBits(img, 'rgb', rg.side, rg.bits!, box), want, `${img.width}x${img.height}, ${JSON.stringify(opts)}`);
    }
  }
});
