import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { FIXTURES_DIR } from '../testing/dataDirs.js';
import { COLOR_GRID, COLOR_SIGNATURE_BYTES, colorSignature } from '../hashers/colorSignature.js';
import { transformGrid } from '../hashers/isometric.js';
import { decodeImageBuffer } from '../image/decode.js';
import type { Pair } from '../types.js';
import { colorDistance } from './colorDistance.js';
import { colorsAgree, verifyPairs } from './verifyPairs.js';

const FIXTURES = join(FIXTURES_DIR, 'images');

const PHOTOS = ['chelsea.jpg', 'retina.jpg', 'ihc.jpg'];

async function signatureOf(bytes: Buffer): Promise<Uint8Array> {
  return colorSignature(await decodeImageBuffer(bytes, 'test image'));
}

/** A watermark as the benchmark makes one: white with a black outline, partly transparent, over part of the picture. */
function watermark(w: number, h: number): Buffer {
  const bars = [0, 1, 2, 3, 4]
    .map((i) => `<rect x="${Math.round(w * (0.15 + i * 0.14))}" y="${Math.round(h * 0.55)}" width="${Math.round(w * 0.09)}" height="${Math.round(h * 0.12)}"/>`)
    .join('');
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><g fill="white" fill-opacity="0.6" stroke="black" stroke-opacity="0.6" stroke-width="${Math.max(1, Math.round(w / 100))}">${bars}</g></svg>`,
  );
}

/** Copies a duplicate may be: each must keep agreeing in colour with the original. */
const KEPT: Record<string, (s: sharp.Sharp, w: number, h: number) => sharp.Sharp> = {
  'JPEG q30': (s) => s.jpeg({ quality: 30 }),
  'half size': (s, w) => s.resize(Math.round(w / 2)).jpeg({ quality: 80 }),
  'quarter size PNG': (s, w) => s.resize(Math.round(w / 4)).png(),
  WebP: (s) => s.webp({ quality: 60 }),
  blur: (s) => s.blur(1.5).jpeg({ quality: 90 }),
  'brighter x1.15': (s) => s.linear(1.15, 0).jpeg({ quality: 90 }),
  'darker x0.85': (s) => s.linear(0.85, 0).jpeg({ quality: 90 }),
  'contrast x1.2': (s) => s.linear(1.2, -0.2 * 128).jpeg({ quality: 90 }),
  greyscale: (s) => s.greyscale().jpeg({ quality: 90 }),
  'crop 2%': (s, w, h) =>
    s.extract({ left: Math.round(w * 0.02), top: 0, width: w - Math.round(w * 0.02), height: h - Math.round(h * 0.01) }).jpeg({ quality: 90 }),
  watermark: (s, w, h) => s.composite([{ input: watermark(w, h) }]).jpeg({ quality: 90 }),
};

/** Same drawing, other colours: each must be told apart. */
const RECOLOURED: Record<string, (s: sharp.Sharp, w: number, h: number) => sharp.Sharp> = {
  'hue +60': (s) => s.modulate({ hue: 60 }).jpeg({ quality: 90 }),
  'hue +120': (s) => s.modulate({ hue: 120 }).jpeg({ quality: 90 }),
  'red and blue swapped': (s) =>
    s
      .recomb([
        [0, 0, 1],
        [0, 1, 0],
        [1, 0, 0],
      ])
      .jpeg({ quality: 90 }),
  'blue tint 30%': (s, w, h) =>
    s.composite([{ input: { create: { width: w, height: h, channels: 4, background: { r: 30, g: 80, b: 255, alpha: 0.3 } } } }]).jpeg({ quality: 90 }),
};

async function variants(file: string, set: typeof KEPT): Promise<{ name: string; original: Uint8Array; copy: Uint8Array }[]> {
  const src = readFileSync(join(FIXTURES, file));
  const { width, height } = await sharp(src).metadata();
  const original = await signatureOf(src);
  const out = [];
  for (const [name, make] of Object.entries(set)) out.push({ name, original, copy: await signatureOf(await make(sharp(src), width!, height!).toBuffer()) });
  return out;
}

test('colour check keeps re-encoded, resized, blurred, brightened, greyscale, cropped and watermarked copies of real photos', async () => {
  for (const file of PHOTOS) {
    for (const v of await variants(file, KEPT)) {
      const d = colorDistance(v.original, v.copy);
      assert.ok(colorsAgree(v.original, v.copy), `${file} ${v.name}: mean ${d.mean.toFixed(2)} local ${d.local.toFixed(1)}`);
      assert.ok(colorsAgree(v.copy, v.original), `${file} ${v.name} (other way round)`);
    }
  }
});

test('colour check rejects recoloured copies of real photos: hue rotations, swapped channels, a tint', async () => {
  for (const file of PHOTOS) {
    for (const v of await variants(file, RECOLOURED)) {
      const d = colorDistance(v.original, v.copy);
      assert.equal(colorsAgree(v.original, v.copy), false, `${file} ${v.name}: mean ${d.mean.toFixed(2)} local ${d.local.toFixed(1)}`);
    }
  }
});

test('colour check rejects a recoloured small region, as a skin tone on a face', async () => {
  const src = readFileSync(join(FIXTURES, 'chelsea.jpg'));
  const { width, height } = await sharp(src).metadata();
  const [w, h] = [Math.round(width! * 0.2), Math.round(height! * 0.2)];
  const [left, top] = [Math.round(width! * 0.4), Math.round(height! * 0.4)];
  const patch = await sharp(src).extract({ left, top, width: w, height: h }).modulate({ hue: 150, saturation: 1.6 }).toBuffer();
  const recoloured = await sharp(src)
    .composite([{ input: patch, left, top }])
    .jpeg({ quality: 90 })
    .toBuffer();
  const a = await signatureOf(src);
  const b = await signatureOf(recoloured);
  assert.equal(colorsAgree(a, b), false, JSON.stringify(colorDistance(a, b)));
});

test('colour check compares a mirrored or rotated copy through the transform the hash match found', async () => {
  const src = readFileSync(join(FIXTURES, 'ihc.jpg'));
  const a = await signatureOf(src);
  const flopped = await signatureOf(await sharp(src).flop().jpeg({ quality: 85 }).toBuffer());
  // perception's fh: b mirrored left to right is a. The signature of the mirror is the mirrored signature.
  assert.ok(colorsAgree(a, flopped, 'fh'));
  const mirrored = transformGrid({ data: a, width: COLOR_GRID, height: COLOR_GRID }, 3, 'fh').data;
  assert.ok(colorDistance(mirrored, flopped).mean < 1.5);
});

test('verifyPairs keeps order, drops pairs whose colours differ, and keeps (and counts) pairs it cannot check', () => {
  const sig = new Uint8Array(COLOR_SIGNATURE_BYTES);
  for (let i = 0; i < sig.length; i += 3) sig.set([40 + (i % 160), 200 - (i % 120), 90], i);
  const swapped = sig.map((_, i) => sig[i - (i % 3) + 2 - (i % 3)]); // red and blue exchanged
  const sigs: Record<string, Uint8Array> = { a: sig, b: sig.slice(), c: swapped };
  const pairs: Pair[] = [
    { a: 'a', b: 'b', distance: 0, hasher: 'phash16' },
    { a: 'a', b: 'c', distance: 0, hasher: 'phash16' },
    { a: 'a', b: 'missing', distance: 0.1, hasher: 'phash16' },
  ];
  const r = verifyPairs(pairs, (p) => sigs[p]);
  assert.deepEqual(
    r.kept.map((p) => `${p.a}-${p.b}`),
    ['a-b', 'a-missing'],
  );
  assert.equal(r.rejected, 1);
  assert.equal(r.unchecked, 1);
});
