import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resizeArea, resizeAreaGray } from '../src/core/cv/resizeArea.js';
import { align, alignedSignals, GREY, RGB, type AlignFile } from './verifyAligned.js';
import { brightContrast, type RgbImage } from './pilEdits.js';

type Img = RgbImage;

/** A flat-shaded drawing: a background, a disc, a bar and a square "emblem" (colours per part). */
function drawing(w: number, h: number, bg: number[], disc: number[], bar: number[], emblem?: number[]): Img {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const u = x / w;
      const v = y / h;
      let c = bg;
      if ((u - 0.4) ** 2 + (v - 0.45) ** 2 < 0.07) c = disc;
      if (v > 0.75 && v < 0.85 && u > 0.1 && u < 0.9) c = bar;
      if (emblem && u > 0.62 && u < 0.82 && v > 0.15 && v < 0.35) c = emblem;
      data.set(
        c.map((k) => k + ((x * 7 + y * 13) % 5)),
        (y * w + x) * 3,
      );
    }
  return { data, width: w, height: h };
}

function fileOf(img: Img): AlignFile {
  return {
    grey: resizeAreaGray(img.data, img.width, img.height, GREY, GREY, 'rgb'),
    rgb: resizeArea(img.data, img.width, img.height, 3, RGB, RGB),
    width: img.width,
    height: img.height,
  };
}

function crop(img: Img, x0: number, y0: number, w: number, h: number): Img {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) data.set(img.data.subarray(((y0 + y) * img.width + x0) * 3, ((y0 + y) * img.width + x0 + w) * 3), y * w * 3);
  return { data, width: w, height: h };
}

const BG = [250, 250, 245];
const BLUE = [40, 90, 230];
const RED = [230, 60, 40];
const BAR = [250, 200, 30];
const original = drawing(320, 240, BG, BLUE, BAR);

test('a 2 % crop is aligned back: scale and offset of each axis recovered', () => {
  // 320 -> 312 wide (5 px off the left), 240 -> 234 high (2 px off the top)
  const cropped = crop(original, 5, 2, 312, 234);
  const al = align(fileOf(original), fileOf(cropped));
  assert.ok(Math.abs(al.ax.s - 320 / 312) < 0.008, `x scale ${al.ax.s}`);
  assert.ok(Math.abs(al.ax.o - -5 / 312) < 0.008, `x offset ${al.ax.o}`);
  assert.ok(Math.abs(al.ay.s - 240 / 234) < 0.008, `y scale ${al.ay.s}`);
  assert.ok(Math.abs(al.ay.o - -2 / 234) < 0.008, `y offset ${al.ay.o}`);
  const s = alignedSignals(fileOf(original), fileOf(cropped));
  assert.ok(s.tone8max < 3, `tone8max of a crop ${s.tone8max}`);
});

test('brightness and contrast that clip saturated channels one by one fit one shared tone curve', () => {
  const edited = brightContrast(original, 1.2, 1.2);
  const s = alignedSignals(fileOf(original), fileOf(edited));
  // inside each flat part exactly; only cells that average two parts across a clipped channel miss it
  // (the curve applies to pixels, the grid averages them first): a few levels, not a recolouring's tens
  assert.ok(s.tone8max < 12, `tone8max ${s.tone8max}`);
  assert.ok(s.toneAbs < 6, `toneAbs ${s.toneAbs}`);
});

test('a recolouring (the blue disc made red, same drawing) does not fit one shared tone curve', () => {
  const recoloured = drawing(320, 240, BG, RED, BAR);
  const s = alignedSignals(fileOf(original), fileOf(recoloured));
  assert.ok(s.tone8max > 30, `tone8max ${s.tone8max}`);
  // ... while a curve per channel can map blue to red on a two-colour picture: tonePer stays lower
  assert.ok(s.tonePer < s.tone, `tonePer ${s.tonePer} tone ${s.tone}`);
});

test('another small emblem on the same drawing is a local difference', () => {
  const badged = drawing(320, 240, BG, BLUE, BAR, [30, 160, 60]);
  const s = alignedSignals(fileOf(original), fileOf(badged));
  assert.ok(s.tone8max > 30, `tone8max ${s.tone8max}`);
  assert.ok(s.local64 > 0.5, `local64 ${s.local64}`);
});

test('the same grids from a smaller file (compared at its resolution) differ in nothing', () => {
  const small = { ...fileOf(original), width: 80, height: 60 };
  const s = alignedSignals(fileOf(original), small);
  assert.equal(s.ncc64, 0);
  assert.ok(s.tone8max < 1);
});
