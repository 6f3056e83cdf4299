import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COLOR_GRID, COLOR_SIGNATURE_BYTES, colorSignature, decodeColorSignature, encodeColorSignature } from './colorSignature.js';

test('colorSignature: mean colour of each cell of a 16 x 16 grid over the central part; a thin border is left out', async () => {
  // Left half red, right half blue, 64 x 64.
  const px = Buffer.alloc(64 * 64 * 3);
  for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) px.set(x < 32 ? [200, 30, 40] : [20, 40, 210], (y * 64 + x) * 3);
  const img = { data: new Uint8Array(px), width: 64, height: 64 };
  const sig = colorSignature(img);
  assert.equal(sig.length, COLOR_SIGNATURE_BYTES);
  assert.deepEqual([...sig.subarray(0, 3)], [200, 30, 40]);
  assert.deepEqual([...sig.subarray((COLOR_GRID - 1) * 3, COLOR_GRID * 3)], [20, 40, 210]);
  // The same picture inside a 3-pixel green frame (a thin border): the outer 1/16 of each side is not looked at.
  const framed = Buffer.alloc(64 * 64 * 3);
  for (let y = 0; y < 64; y++)
    for (let x = 0; x < 64; x++) framed.set(x < 3 || y < 3 || x > 60 || y > 60 ? [0, 255, 0] : x < 32 ? [200, 30, 40] : [20, 40, 210], (y * 64 + x) * 3);
  assert.deepEqual(colorSignature({ data: new Uint8Array(framed), width: 64, height: 64 }), sig);
  // Images smaller than the grid still give a full signature (each cell takes the pixel under its centre).
  const tiny = colorSignature({ data: new Uint8Array([255, 0, 0, 0, 0, 255]), width: 2, height: 1 });
  assert.deepEqual([...tiny.subarray(0, 3)], [255, 0, 0]);
  assert.deepEqual([...tiny.subarray(tiny.length - 3)], [0, 0, 255]);
});

test('colorSignature of a large image reads a sample of its pixels, without aliasing stripe patterns', () => {
  // 2000 x 1500, 1-pixel vertical stripes black/white in the left half, 1-pixel horizontal stripes red/blue in the right half.
  const [w, h] = [2000, 1500];
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) data.set(x < w / 2 ? (x % 2 ? [255, 255, 255] : [0, 0, 0]) : y % 2 ? [220, 0, 0] : [0, 0, 220], (y * w + x) * 3);
  }
  const sig = colorSignature({ data, width: w, height: h });
  for (let k = 0; k < COLOR_GRID * COLOR_GRID; k++) {
    const left = k % COLOR_GRID < COLOR_GRID / 2;
    const want = left ? [127.5, 127.5, 127.5] : [110, 0, 110];
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(sig[k * 3 + c] - want[c]) <= 3, `cell ${k}: ${[...sig.subarray(k * 3, k * 3 + 3)]}`);
  }
});

test('colorSignature strings: base64 round trip; anything else is refused', () => {
  const sig = new Uint8Array(COLOR_SIGNATURE_BYTES).map((_, i) => (i * 7) % 256);
  const s = encodeColorSignature(sig);
  assert.deepEqual(decodeColorSignature(s), sig);
  for (const bad of [undefined, 42, '', s.slice(4), `${s.slice(0, -4)}!!!!`]) assert.equal(decodeColorSignature(bad), undefined);
});
