import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resizeArea, resizeAreaGray, setNativeAreaEnabled } from '../../src/core/cv/resizeArea.js';
import { nativeDecoderInfo } from '../../src/core/image/nativeDecoder.js';
import { setAreaKernelEnabled } from '../../src/core/cv/areaKernel.js';
import { AREA_KERNEL_WASM_BASE64 } from '../../src/core/cv/areaKernelWasm.js';
import { rgbToGray, rgbToGraySwapped } from '../../src/core/cv/gray.js';

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

function random(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

// Sizes that hit every path: integer factors (2x2, 3x, 10x), non-integer factors on either axis, upscaling.
const CASES: [number, number, number, number][] = [
  [640, 480, 64, 64],
  [128, 128, 64, 64],
  [96, 64, 32, 32],
  [300, 201, 64, 64],
  [301, 199, 17, 16],
  [1000, 750, 64, 64],
  [65, 130, 64, 64],
  [33, 47, 9, 8],
  [20, 12, 64, 64],
  [5, 7, 17, 16],
  [300, 50, 64, 64],
  [48, 48, 32, 32],
  [1920, 1280, 64, 64],
  [2561, 1601, 64, 64],
  [427, 640, 64, 64],
  [90, 65, 64, 64],
];

test('the native, WebAssembly and JavaScript kernels give identical bytes', (t) => {
  if (!nativeDecoderInfo().available) t.diagnostic(`native kernel not built (${nativeDecoderInfo().reason}): WebAssembly vs JavaScript only`);
  for (const [sw, sh, dw, dh] of CASES) {
    const rgb = random(sw * sh * 3, sw * 7919 + sh);
    const gray = rgbToGray({ data: rgb, width: sw, height: sh }).data;
    const run = (): Uint8Array[] => [
      resizeAreaGray(rgb, sw, sh, dw, dh, 'rgb'),
      resizeAreaGray(rgb, sw, sh, dw, dh, 'bgr'),
      resizeArea(gray, sw, sh, 1, dw, dh),
      resizeArea(rgb, sw, sh, 3, dw, dh),
    ];
    const withNative = run();
    setNativeAreaEnabled(false);
    let withWasm: Uint8Array[];
    let withJs: Uint8Array[];
    try {
      withWasm = run();
      setAreaKernelEnabled(false);
      withJs = run();
    } finally {
      setAreaKernelEnabled(true);
      setNativeAreaEnabled(true);
    }
    assert.deepEqual(withWasm, withJs, `${sw}x${sh} -> ${dw}x${dh}: WebAssembly vs JavaScript`);
    assert.deepEqual(withNative, withJs, `${sw}x${sh} -> ${dw}x${dh}: native vs JavaScript`);
  }
});

test('resizeAreaGray equals the grey conversion followed by resizeArea', () => {
  for (const [sw, sh, dw, dh] of CASES) {
    const rgb = random(sw * sh * 3, sw + sh * 31);
    const img = { data: rgb, width: sw, height: sh };
    assert.deepEqual(resizeAreaGray(rgb, sw, sh, dw, dh, 'rgb'), resizeArea(rgbToGray(img).data, sw, sh, 1, dw, dh), `${sw}x${sh}`);
    assert.deepEqual(resizeAreaGray(rgb, sw, sh, dw, dh, 'bgr'), resizeArea(rgbToGraySwapped(img).data, sw, sh, 1, dw, dh), `${sw}x${sh}`);
  }
});

test('the shipped wasm bytes are areaKernel.wat compiled', async (t) => {
  const dir = join(__dirname, '..', '..', 'src', 'core', 'cv');
  let wabtInit: () => Promise<{
    parseWat(name: string, text: string, features: object): { validate(): void; toBinary(o: object): { buffer: Uint8Array }; destroy(): void };
  }>;
  try {
    wabtInit = require('wabt');
  } catch {
    t.skip('the wabt devDependency is not installed');
    return;
  }
  const wabt = await wabtInit();
  const mod = wabt.parseWat('areaKernel.wat', readFileSync(join(dir, 'areaKernel.wat'), 'utf8'), { simd: true });
  let bytes: Uint8Array;
  try {
    mod.validate();
    bytes = mod.toBinary({ canonicalize_lebs: true }).buffer;
  } finally {
    mod.destroy();
  }
  const b64 = Buffer.from(bytes).toString('base64');
  if (process.env.UPDATE_AREA_WASM === '1') {
    const lines = (b64.match(/.{1,100}/g) ?? []).map((l) => `  '${l}'`).join(' +\n');
    const target = join(dir, 'areaKernelWasm.ts');
    writeFileSync(
      target,
      `// Generated from areaKernel.wat (${bytes.length} bytes of wasm); do not edit. Edit the .wat, then run\n` +
        `// UPDATE_AREA_WASM=1 node --import tsx --test test/unit/resizeArea.test.ts\n` +
        `export const AREA_KERNEL_WASM_BASE64 =\n${lines};\n`,
    );
    assert.ok(existsSync(target));
    return;
  }
  assert.equal(AREA_KERNEL_WASM_BASE64, b64, 'areaKernelWasm.ts is stale: run UPDATE_AREA_WASM=1 node --import tsx --test test/unit/resizeArea.test.ts');
});
