import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resizeArea, resizeAreaGray } from '../src/core/cv/resizeArea.js';
import { align, GREY, RGB, type AlignFile } from './verifyAligned.js';
import { CAP, pixelSignals, reducePixels, toneCurve, type PixelSignals } from './verifyPixels.js';
import { brightContrast, type RgbImage } from './pilEdits.js';

type Img = RgbImage;

/** A flat-shaded drawing on a light background: a disc, a bar and optionally a square "emblem". */
function drawing(w: number, h: number, disc: number[], emblem?: number[]): Img {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const u = x / w;
      const v = y / h;
      let c = [250, 250, 245];
      if ((u - 0.4) ** 2 + (v - 0.45) ** 2 < 0.07) c = disc;
      if (v > 0.75 && v < 0.85 && u > 0.1 && u < 0.9) c = [250, 200, 30];
      if (emblem && u > 0.62 && u < 0.76 && v > 0.15 && v < 0.3) c = emblem;
      data.set(
        c.map((k) => Math.min(255, k + ((x * 7 + y * 13) % 5))),
        (y * w + x) * 3,
      );
    }
  return { data, width: w, height: h };
}

const BLUE = [40, 90, 230];

function signals(a: Img, b: Img): PixelSignals {
  const file = (i: Img): AlignFile => ({
    grey: resizeAreaGray(i.data, i.width, i.height, GREY, GREY, 'rgb'),
    rgb: resizeArea(i.data, i.width, i.height, 3, RGB, RGB),
    width: i.width,
    height: i.height,
  });
  const [big, small] = a.width * a.height >= b.width * b.height ? [a, b] : [b, a];
  return pixelSignals(reducePixels(big.data, big.width, big.height), reducePixels(small.data, small.width, small.height), align(file(big), file(small)));
}

const original = drawing(240, 180, BLUE);

test('files are kept at most CAP pixels a side, smaller ones as they are', () => {
  const r = reducePixels(original.data, 240, 180);
  assert.deepEqual([r.w, r.h], [CAP, 96]);
  const s = drawing(60, 40, BLUE);
  assert.equal(reducePixels(s.data, 60, 40).rgb, s.data);
});

test('the tone curve is the least-squares monotone fit: exact on monotone data, pooled where it is not', () => {
  const sw = new Float64Array(256);
  const sy = new Float64Array(256);
  sw[10] = 1;
  sy[10] = 30;
  sw[20] = 1;
  sy[20] = 10; // violates: pooled with level 10 to their mean
  sw[200] = 2;
  sy[200] = 400;
  const g = toneCurve(sw, sy);
  assert.equal(g[10], 20);
  assert.equal(g[20], 20);
  assert.equal(g[200], 200);
  for (let i = 1; i < 256; i++) assert.ok(g[i] >= g[i - 1]);
});

test('a picture and its copy, its 0.5 resize and its brightness/contrast edit that clips channels are alike', () => {
  const copy = signals(original, original);
  assert.ok(copy.pxLocal < 0.05, `copy pxLocal ${copy.pxLocal}`);
  const half = { data: resizeArea(original.data, 240, 180, 3, 120, 90), width: 120, height: 90 };
  const rs = signals(original, half);
  assert.ok(rs.pxLocal < 0.5, `resize pxLocal ${rs.pxLocal}`);
  const bc = signals(original, brightContrast(original, 1.2, 1.25));
  assert.ok(bc.pxLocal < 0.8, `brightness/contrast pxLocal ${bc.pxLocal}`);
  assert.ok(bc.hueArea < 0.05, `brightness/contrast hueArea ${bc.hueArea}`);
});

test('another small emblem is a local residual the contrast does not explain', () => {
  const bc = signals(original, brightContrast(original, 1.2, 1.25));
  const badged = signals(original, drawing(240, 180, BLUE, [30, 160, 60]));
  assert.ok(badged.pxLocal > 2, `emblem pxLocal ${badged.pxLocal}`);
  assert.ok(badged.pxLocal > 3 * bc.pxLocal, `emblem ${badged.pxLocal} against brightness ${bc.pxLocal}`);
  assert.ok(badged.maskArea > 0.3, `emblem silhouette ${badged.maskArea}`);
});

test('a recolouring (the blue disc made green) disagrees in hue over the disc', () => {
  const green = signals(original, drawing(240, 180, [60, 170, 80]));
  assert.ok(green.hueArea > 0.9, `hueArea ${green.hueArea}`);
  assert.ok(green.hueAll > 0.5, `hueAll ${green.hueAll}`);
});
