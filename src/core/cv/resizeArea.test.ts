import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, RESIZE_CASES } from '../testing/kernelInputs.js';
import { rgbToGray, rgbToGraySwapped } from './gray.js';
import { resizeArea, resizeAreaGray, upscaleTab } from './resizeArea.js';

const f = Math.fround;

test("2x2 blocks round half up, as OpenCV's fast path does", () => {
  assert.deepEqual([...resizeArea(new Uint8Array([1, 2, 3, 4]), 2, 2, 1, 1, 1)], [3]); // 10/4 = 2.5 -> 3
  assert.deepEqual([...resizeArea(new Uint8Array([1, 1, 1, 3]), 2, 2, 1, 1, 1)], [2]); // 6/4 = 1.5 -> 2
  // colour: each channel on its own
  const rgb = new Uint8Array([0, 10, 255, 1, 10, 255, 2, 10, 255, 3, 11, 254]);
  assert.deepEqual([...resizeArea(rgb, 2, 2, 3, 1, 1)], [2, 10, 255]); // (6+2)>>2, (41+2)>>2, (1019+2)>>2
});

test('other integer factors go through float32 and round half to even', () => {
  // 4x1 -> 1x1: 10 / 4 = 2.5 -> 2 (not the 2x2 rule), 14 / 4 = 3.5 -> 4
  assert.deepEqual([...resizeArea(new Uint8Array([1, 2, 3, 4]), 4, 1, 1, 1, 1)], [2]);
  assert.deepEqual([...resizeArea(new Uint8Array([2, 3, 4, 5]), 4, 1, 1, 1, 1)], [4]);
  // 3x: 6x3 -> 2x1, block sums 9*5 + 4 = 49 -> 5.44 -> 5 and 9*200 + 5 = 1805 -> 200.56 -> 201
  const src = new Uint8Array(18);
  for (let y = 0; y < 3; y++) for (let x = 0; x < 6; x++) src[y * 6 + x] = x < 3 ? 5 : 200;
  src[0] += 4;
  src[3] += 5;
  assert.deepEqual([...resizeArea(src, 6, 3, 1, 2, 1)], [5, 201]);
});

test('a non-integer factor uses the area table with float32 weights', () => {
  // 3 -> 2: weights 2/3 and 1/3 as float32; out0 = 10*(2/3) + 20*(1/3), out1 = 20*(1/3) + 30*(2/3)
  const a = f(1 / 1.5);
  const b = f(0.5 / 1.5);
  const want0 = Math.round(f(f(10 * a) + f(20 * b))); // 13.33 -> 13
  const want1 = Math.round(f(f(20 * b) + f(30 * a))); // 26.67 -> 27
  assert.deepEqual([want0, want1], [13, 27]);
  assert.deepEqual([...resizeArea(new Uint8Array([10, 20, 30]), 3, 1, 1, 2, 1)], [want0, want1]);
  // the same along y
  assert.deepEqual([...resizeArea(new Uint8Array([10, 20, 30]), 1, 3, 1, 1, 2)], [want0, want1]);
});

test("upscaling falls back to OpenCV's fixed-point bilinear with area phase", () => {
  // 2 -> 3: the middle sample is (a + b) * 1024 / 2048, rounded half up by the SIMD arithmetic
  assert.deepEqual([...resizeArea(new Uint8Array([10, 21]), 2, 1, 1, 3, 1)], [10, 16, 21]);
  // 2 -> 4 in area mode replicates
  assert.deepEqual([...resizeArea(new Uint8Array([10, 20]), 2, 1, 1, 4, 1)], [10, 10, 20, 20]);
  // one axis down, the other up: still the bilinear fallback for both
  assert.equal(
    resizeArea(new Uint8Array(300 * 50).fill(7), 300, 50, 1, 64, 64).every((v) => v === 7),
    true,
  );
});

test('bad geometry is rejected', () => {
  assert.throws(() => resizeArea(new Uint8Array(3), 2, 2, 1, 1, 1), RangeError);
  assert.throws(() => resizeArea(new Uint8Array(4), 2, 2, 1, 0, 1), RangeError);
});

test('resizeAreaGray equals the grey conversion followed by resizeArea', () => {
  for (const [sw, sh, dw, dh] of RESIZE_CASES) {
    const rgb = randomBytes(sw * sh * 3, sw + sh * 31);
    const img = { data: rgb, width: sw, height: sh };
    assert.deepEqual(resizeAreaGray(rgb, sw, sh, dw, dh, 'rgb'), resizeArea(rgbToGray(img).data, sw, sh, 1, dw, dh), `${sw}x${sh}`);
    assert.deepEqual(resizeAreaGray(rgb, sw, sh, dw, dh, 'bgr'), resizeArea(rgbToGraySwapped(img).data, sw, sh, 1, dw, dh), `${sw}x${sh}`);
  }
});

test('upscaleTab keeps the first tables it made, not emptied when many other sizes come after them', () => {
  const first = upscaleTab(3, 1001);
  for (let s = 1; s <= 200; s++) upscaleTab(s, 1002);
  assert.equal(upscaleTab(3, 1001), first, 'the same table object, kept');
  const late = upscaleTab(5, 1003);
  assert.deepEqual(upscaleTab(5, 1003), late, 'one past the memo is made again, the same values');
});
