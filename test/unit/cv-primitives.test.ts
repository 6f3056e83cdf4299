// Hand-made arrays for the OpenCV-compatible primitives behind BlockMean, MarrHildreth, ColorMoment, PDQ
// and compute_quality. Expected values are worked out from OpenCV's fixed-point formulas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resizeCubic, resizeLinear, resizeLinearExact } from '../../src/core/cv/resizeLinear.js';
import { gaussianBlur } from '../../src/core/cv/gaussianBlur.js';
import { equalizeHist } from '../../src/core/cv/equalizeHist.js';
import { bgrToHsv, bgrToYCrCb } from '../../src/core/cv/colorSpaces.js';
import { huMoments, momentsU8 } from '../../src/core/cv/moments.js';
import { reflect101, roundHalfEven } from '../../src/core/cv/rounding.js';
import { torbenMedian } from '../../src/core/cv/torben.js';
import { decimate, jaroszWindowSize } from '../../src/core/cv/jarosz.js';
import { computeQuality } from '../../src/core/quality.js';
import { filter2DViaDft } from '../../src/core/cv/dftFilter.js';
import { reflect101 as r101 } from '../../src/core/cv/rounding.js';

const u8 = (...v: number[]) => Uint8Array.from(v);

test('roundHalfEven matches cvRound on ties; reflect101 mirrors without repeating the edge', () => {
  assert.deepEqual([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6].map(roundHalfEven), [0, 2, 2, -0, -2, 2, 3]);
  assert.deepEqual(
    [-3, -1, 0, 4, 5, 7].map((p) => reflect101(p, 5)),
    [3, 1, 0, 4, 3, 1],
  );
  assert.equal(reflect101(-2, 1), 0);
});

test('INTER_LINEAR_EXACT: 8-bit weights, edge replication outside the source', () => {
  // 2 -> 4 pixels: taps at -0.25 (left edge), 0.25, 0.75, 1.25 (right edge); weights 64/256 and 192/256.
  assert.deepEqual([...resizeLinearExact(u8(0, 255), 2, 1, 1, 4, 1)], [0, 64, 191, 255]);
  assert.deepEqual([...resizeLinearExact(u8(0, 100, 200, 255), 4, 1, 1, 3, 1)], [17, 150, 246]);
  assert.deepEqual([...resizeLinearExact(u8(10, 20, 30, 40), 2, 2, 1, 3, 3)], [10, 15, 20, 20, 25, 30, 30, 35, 40]);
});

test('INTER_LINEAR: 11-bit weights; an exact 2x downscale is a rounded 2x2 mean; same size is a copy', () => {
  assert.deepEqual([...resizeLinear(u8(0, 255), 2, 1, 1, 4, 1)], [0, 64, 191, 255]);
  const ramp = Uint8Array.from({ length: 16 }, (_, i) => i * 16);
  assert.deepEqual([...resizeLinear(ramp, 4, 4, 1, 2, 2)], [40, 72, 168, 200]); // (0+16+64+80+2)>>2 = 40
  const rgb = u8(1, 2, 3, 4, 5, 6);
  assert.deepEqual([...resizeLinear(rgb, 2, 1, 3, 2, 1)], [...rgb]);
  // per-channel independence on interleaved data
  assert.deepEqual([...resizeLinearExact(u8(0, 10, 20, 255, 10, 20), 2, 1, 3, 4, 1)], [0, 10, 20, 64, 10, 20, 191, 10, 20, 255, 10, 20]);
});

test('INTER_CUBIC keeps flat images flat and mirror-symmetric input symmetric', () => {
  const flat = new Uint8Array(7 * 5 * 3).fill(200);
  assert.ok(resizeCubic(flat, 7, 5, 3, 16, 9).every((v) => v === 200));
  const sym = u8(0, 50, 255, 50, 0);
  const up = resizeCubic(sym, 5, 1, 1, 10, 1);
  assert.deepEqual([...up], [...up].reverse());
  assert.ok(Math.max(...up) >= 200 && up[0] <= 5);
});

test('GaussianBlur 3x3, sigma 0: impulse response is the rounded 1-2-1 tensor', () => {
  const img = new Uint8Array(25);
  img[12] = 255; // centre of 5x5
  const out = gaussianBlur(img, 5, 5, 1, 3);
  // (w_y * w_x * 255 + 32768) >> 16 with w in 1/256: 128*128 -> 64, 64*128 -> 32, 64*64 -> 16
  assert.equal(out[12], 64);
  assert.deepEqual([out[7], out[11], out[13], out[17]], [32, 32, 32, 32]);
  assert.deepEqual([out[6], out[8], out[16], out[18]], [16, 16, 16, 16]);
  assert.equal(out[0], 0);
  // 7x7 on a flat image stays flat (kernel taps sum to 256), also near the reflected borders
  assert.ok(gaussianBlur(new Uint8Array(4 * 3).fill(77), 4, 3, 1, 7).every((v) => v === 77));
});

test('equalizeHist: float32 LUT, ties to even, one-level images unchanged', () => {
  // hist[0] = 2, scale = 255 / 2; level 128 -> 1 * 127.5 -> 128 (tie to even), level 255 -> 255
  assert.deepEqual([...equalizeHist(u8(0, 0, 128, 255))], [0, 0, 128, 255]);
  assert.deepEqual([...equalizeHist(u8(10, 10, 10, 20))], [0, 0, 0, 255]);
  assert.deepEqual([...equalizeHist(u8(9, 9, 9))], [9, 9, 9]);
});

test('BGR -> HSV and BGR -> YCrCb (8-bit OpenCV tables)', () => {
  // bytes are B,G,R: red, green, blue, white, black
  const px = u8(0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 0, 0, 0);
  assert.deepEqual([...bgrToHsv(px)], [0, 255, 255, 60, 255, 255, 120, 255, 255, 0, 0, 255, 0, 0, 0]);
  const ycc = bgrToYCrCb(px);
  assert.deepEqual([...ycc.slice(9)], [255, 128, 128, 0, 128, 128]);
  // red: Y = (255 * 4899 + 8192) >> 14 = 76; Cr = ((255 - 76) * 11682 + 128 * 16384 + 8192) >> 14 = 255 (saturated)
  assert.deepEqual([...ycc.slice(0, 3)], [76, 255, 85]);
});

test('moments / HuMoments of a 2x2 flat square', () => {
  const m = momentsU8(u8(1, 1, 1, 1), 2, 2);
  assert.equal(m.nu20, 1 / 16);
  assert.equal(m.nu02, 1 / 16);
  assert.equal(m.nu11, 0);
  const hu = huMoments(m);
  assert.equal(hu[0], 0.125);
  assert.deepEqual([...hu.slice(1)], [0, 0, 0, 0, 0, 0]);
  // channel selection on interleaved data
  const m2 = momentsU8(u8(9, 1, 9, 1, 9, 1, 9, 1), 2, 2, 2, 1);
  assert.equal(m2.nu20, 1 / 16);
});

test('PDQ helpers: Torben median, Jarosz window, centre decimation', () => {
  assert.equal(torbenMedian(Float32Array.of(3, 1, 2)), 2);
  assert.equal(torbenMedian(Float32Array.of(4, 1, 3, 2)), 2); // lower median for even n
  assert.equal(jaroszWindowSize(1024, 64), 8);
  assert.equal(jaroszWindowSize(20, 64), 1);
  const src = Float32Array.from({ length: 16 }, (_, i) => i);
  const out = new Float32Array(4);
  decimate(src, 4, 4, out, 2, 2);
  assert.deepEqual([...out], [5, 7, 13, 15]);
});

test("computeQuality: flat images score 0; an image that is already 64x64 keeps perception's uint8 quirk (always 0)", () => {
  const flat = { data: new Uint8Array(30 * 20 * 3).fill(90), width: 30, height: 20 };
  assert.equal(computeQuality(flat), 0);
  const stripes = new Uint8Array(64 * 64 * 3);
  for (let i = 0; i < 64 * 64; i++) stripes.fill((i & 1) === 0 ? 255 : 0, i * 3, i * 3 + 3);
  assert.equal(computeQuality({ data: stripes, width: 64, height: 64 }), 0);
  // the same stripes at 128x128 go through the resize and saturate at 100
  const big = new Uint8Array(128 * 128 * 3);
  for (let y = 0; y < 128; y++) for (let x = 0; x < 128; x++) big.fill(((x >> 1) & 1) * 255, (y * 128 + x) * 3, (y * 128 + x) * 3 + 3);
  assert.equal(computeQuality({ data: big, width: 128, height: 128 }), 100);
});

test('filter2D through the float32 DFT tiles equals direct correlation (reflect-101) up to float noise', () => {
  const k = 17;
  const kernel = Float32Array.from({ length: k * k }, (_, i) => Math.fround(Math.sin(i) * 3 + (i % 5)));
  for (const size of [48, 512]) {
    const img = Uint8Array.from({ length: size * size }, (_, i) => (i * 2654435761) >>> 24);
    const out = filter2DViaDft(img, size, size, kernel, k);
    let maxErr = 0;
    let maxAbs = 0;
    for (let y = 0; y < size; y += size === 48 ? 1 : 37) {
      for (let x = 0; x < size; x += size === 48 ? 1 : 41) {
        let s = 0;
        for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) s += kernel[i * k + j] * img[r101(y + i - 8, size) * size + r101(x + j - 8, size)];
        maxErr = Math.max(maxErr, Math.abs(out[y * size + x] - s));
        maxAbs = Math.max(maxAbs, Math.abs(s));
      }
    }
    assert.ok(maxErr <= 1e-4 * maxAbs, `size ${size}: error ${maxErr} vs magnitude ${maxAbs}`);
  }
});
