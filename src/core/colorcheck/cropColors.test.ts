import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contentBox } from '../crops/cropWindows.js';
import { encodeViewColors, VIEW_COLOR_CELLS, WHOLE_VIEW } from '../crops/viewColors.js';
import { cellMeans, COLOR_SIGNATURE_BYTES } from '../hashers/colorSignature.js';
import { colorDistance, colorMeanDistance } from './colorDistance.js';
import { CROP_COLOR_MEAN, CropColorCheck, cropColorDistance, cropColorsAgree } from './cropColors.js';

type Rgb = readonly [number, number, number];

/** A vertical tricolour (three bands), optionally on a uniform border of `pad` of each side. */
function tricolour(bands: readonly Rgb[], pad = 0, border: Rgb = [255, 255, 255]): { data: Uint8Array; width: number; height: number } {
  const w = 150;
  const h = 100;
  const px = Math.round(w * pad);
  const py = Math.round(h * pad);
  const W = w + 2 * px;
  const H = h + 2 * py;
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const inside = x >= px && x < px + w && y >= py && y < py + h;
      data.set(inside ? bands[Math.min(2, Math.floor(((x - px) * 3) / w))] : border, (y * W + x) * 3);
    }
  return { data, width: W, height: H };
}

const colours = (img: ReturnType<typeof tricolour>): string =>
  encodeViewColors(cellMeans(img, 0, 0, img.width, img.height, VIEW_COLOR_CELLS), contentBox(img), img.width, img.height);

test('crop colours: a bordered copy agrees with its original on the matched views; a grey-identical recolouring does not', () => {
  const italy: Rgb[] = [
    [0, 146, 70],
    [244, 245, 240],
    [206, 43, 55],
  ];
  // the same grey levels, other hues (what pHash cannot tell apart)
  const grey = (c: Rgb): number => 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
  const recoloured: Rgb[] = italy.map((c) => {
    const g = grey(c);
    const r = Math.round(Math.min(255, g * 1.25));
    const gg = Math.round((g - 0.299 * r - 0.114 * g) / 0.587);
    return [r, Math.max(0, Math.min(255, gg)), Math.round(g)] as Rgb;
  });
  const original = colours(tricolour(italy));
  const bordered = colours(tricolour(italy, 0.1));
  // the bordered copy's content box (view 0) against the original's whole picture
  assert.ok(cropColorDistance(original, bordered, WHOLE_VIEW, 0)! <= 2, String(cropColorDistance(original, bordered, WHOLE_VIEW, 0)));
  assert.ok(cropColorsAgree(original, bordered, WHOLE_VIEW, 0));
  // its whole picture (white border included) is farther: the check compares the views that matched
  assert.ok(cropColorDistance(original, bordered, WHOLE_VIEW, WHOLE_VIEW)! > cropColorDistance(original, bordered, WHOLE_VIEW, 0)!);
  const other = colours(tricolour(recoloured, 0.1));
  assert.ok(cropColorDistance(original, other, WHOLE_VIEW, 0)! > CROP_COLOR_MEAN, String(cropColorDistance(original, other, WHOLE_VIEW, 0)));
  assert.equal(cropColorsAgree(original, other, WHOLE_VIEW, 0), false);
  // a file without view colours cannot be checked: kept
  assert.ok(cropColorsAgree(undefined, other, WHOLE_VIEW, 0));
});

test("crop colours: colorMeanDistance is colorDistance's mean (the crop check reads only the mean)", () => {
  let seed = 7;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) >>> 8) & 255;
  for (let k = 0; k < 40; k++) {
    const a = Uint8Array.from({ length: COLOR_SIGNATURE_BYTES }, rand);
    // a near copy (brightened, with noise) half the time, a stranger the other half; a grey one now and then
    const b = k % 2 ? Uint8Array.from(a, (v) => Math.min(255, Math.round(v * 1.1) + (rand() % 5))) : Uint8Array.from({ length: COLOR_SIGNATURE_BYTES }, rand);
    if (k % 7 === 0) for (let i = 0; i < b.length; i += 3) b[i + 1] = b[i + 2] = b[i];
    assert.equal(colorMeanDistance(a, b), colorDistance(a, b).mean);
    assert.equal(colorMeanDistance(a, b), colorDistance(a, b, 0).mean);
  }
});

/** 30 files' view colours: random grids, each with a content box now and then, a brightened near copy of the one before half the time. */
function scanFiles(): Map<string, string> {
  let seed = 11;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) >>> 8) & 255;
  const files = new Map<string, string>();
  let prev = Uint8Array.from({ length: VIEW_COLOR_CELLS * VIEW_COLOR_CELLS * 3 }, rand);
  for (let k = 0; k < 30; k++) {
    const grid = k % 2 ? Uint8Array.from(prev, (v) => Math.min(255, Math.round(v * 1.1) + (rand() % 5))) : Uint8Array.from(prev, rand);
    if (k % 5 === 0) for (let i = 0; i < grid.length; i += 3) grid[i + 1] = grid[i + 2] = grid[i];
    files.set(`f${k}`, encodeViewColors(grid, k % 3 ? { x: 4 + k, y: 3, width: 60, height: 50 } : undefined, 100, 80));
    prev = grid;
  }
  return files;
}

/** Asks a CropColorCheck of `files` (kept `kept`, else its default) about 200 pairs twice and checks each answer against cropColorsAgree; the paths it read colours for, a path once each time. */
function askTwice(files: Map<string, string>, kept?: number): string[] {
  const read: string[] = [];
  const colorsOf = (p: string): string | undefined => (read.push(p), files.get(p));
  const check = kept === undefined ? new CropColorCheck(colorsOf) : new CropColorCheck(colorsOf, kept);
  let agreed = 0;
  for (let round = 0; round < 2; round++)
    // the second round reads the kept views
    for (let k = 0; k < 200; k++) {
      const a = `f${k % 30}`;
      const b = k % 4 === 0 ? 'missing' : `f${(k * 7 + 1) % 30}`;
      const [va, vb] = [(k % 11) - 1, ((k * 5) % 11) - 1];
      const want = cropColorsAgree(files.get(a), files.get(b), va, vb);
      assert.equal(check.agree(a, b, va, vb), want, `${a} ${b} ${va} ${vb}`);
      if (want && files.has(b)) agreed++;
    }
  assert.ok(agreed > 10 && agreed < 300, String(agreed)); // both answers were tested
  return read;
}

test("crop colours: a scan's CropColorCheck answers as cropColorsAgree, views kept or not", () => {
  const read = askTwice(scanFiles());
  // 31 paths (30 files and 'missing'), well under the 4,096 kept: each file's colours read once
  assert.equal(read.length, 31);
  assert.equal(new Set(read).size, read.length);
});

test('crop colours: a CropColorCheck keeping 3 files and views drops the first kept and works them out again, with the same answers', () => {
  const read = askTwice(scanFiles(), 3);
  // dropped files are read again (and their views cut again): far more reads than paths
  assert.equal(new Set(read).size, 31);
  assert.ok(read.length > 200, String(read.length));
  // first in, first out: kept 2, f1 and f2 kept, then f1 asked again (a hit, last used), yet f3 drops f1, not f2
  const files = scanFiles();
  const reads: string[] = [];
  const check = new CropColorCheck((p) => (reads.push(p), files.get(p)), 2);
  const agree = (a: string, b: string): boolean => check.agree(a, b, WHOLE_VIEW, WHOLE_VIEW);
  agree('f1', 'f2');
  agree('f1', 'f1');
  assert.deepEqual(reads, ['f1', 'f2']);
  agree('f3', 'f2'); // f3 drops f1 (its colours and its view); f2 still kept
  assert.deepEqual(reads, ['f1', 'f2', 'f3']);
  agree('f1', 'f3'); // f1 read again
  assert.deepEqual(reads, ['f1', 'f2', 'f3', 'f1']);
  assert.equal(agree('f1', 'f3'), cropColorsAgree(files.get('f1'), files.get('f3'), WHOLE_VIEW, WHOLE_VIEW));
});
