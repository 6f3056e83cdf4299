import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cellMeans } from '../hashers/colorSignature.js';
import { decodeViewColors, encodeViewColors, isViewColorsString, regionGrid, VIEW_COLOR_CELLS, viewRegion, WHOLE_VIEW } from './viewColors.js';

/** A w x h picture whose left half is one colour and right half another. */
function halves(w: number, h: number, left: number[], right: number[]): { data: Uint8Array; width: number; height: number } {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set(x < w / 2 ? left : right, (y * w + x) * 3);
  return { data, width: w, height: h };
}

test('view colours: the grid and the content box survive encoding; a string of another shape is refused', () => {
  const img = halves(96, 48, [200, 10, 10], [10, 10, 200]);
  const grid = cellMeans(img, 0, 0, img.width, img.height, VIEW_COLOR_CELLS);
  const s = encodeViewColors(grid, { x: 12, y: 6, width: 72, height: 36 }, 96, 48);
  assert.ok(isViewColorsString(s));
  const c = decodeViewColors(s)!;
  assert.deepEqual(c.grid, grid);
  assert.ok(Math.abs(c.box!.x0 - 0.125) < 1e-4 && Math.abs(c.box!.x1 - 0.875) < 1e-4 && Math.abs(c.box!.y0 - 0.125) < 1e-4);
  assert.equal(decodeViewColors(encodeViewColors(grid, undefined, 96, 48))!.box, undefined, 'no box: the whole picture');
  assert.equal(decodeViewColors(s.slice(4)), undefined);
  assert.equal(decodeViewColors(42), undefined);
});

test('view colours: a view is cut from the grid where it lies (window 1 is the top-left, window 3 the top-right)', () => {
  const img = halves(96, 96, [200, 10, 10], [10, 10, 200]);
  const c = decodeViewColors(encodeViewColors(cellMeans(img, 0, 0, 96, 96, VIEW_COLOR_CELLS), undefined, 96, 96))!;
  assert.deepEqual(viewRegion(c, 0), viewRegion(c, WHOLE_VIEW), 'no content box: view 0 is the whole picture');
  const topLeft = regionGrid(c, viewRegion(c, 1), 16, 1 / 16);
  const topRight = regionGrid(c, viewRegion(c, 3), 16, 1 / 16);
  assert.deepEqual([...topLeft.subarray(0, 3)], [200, 10, 10], 'its first cell is red');
  assert.deepEqual([...topRight.subarray(15 * 3, 16 * 3)], [10, 10, 200], "the top-right window's last cell of the first row is blue");
  // a cell straddling the middle is the area-weighted mix
  const mid = regionGrid(c, { x0: 0.25, y0: 0, x1: 0.75, y1: 1 }, 2, 0);
  assert.deepEqual([...mid.subarray(0, 3)], [200, 10, 10]);
  assert.deepEqual([...mid.subarray(3, 6)], [10, 10, 200]);
  const one = regionGrid(c, { x0: 0, y0: 0, x1: 1, y1: 1 }, 1, 0);
  assert.deepEqual([...one], [105, 10, 105]);
});
