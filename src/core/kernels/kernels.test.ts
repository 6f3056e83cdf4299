/**
 * The one parity test of the math kernels: every implementation in KERNELS that this machine can run
 * (JavaScript, WebAssembly, the C addon) gets the same random and real inputs, and every output (the
 * return value and each array written in place) must be the JavaScript one's, bit for bit.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { benchImageFiles, FIXTURES_DIR, REFERENCE_DIR, sharedSkipReason } from '../testing/dataDirs.js';
import { cosTurns, GRID_COS } from './blockGrid.js';
import { randomBytes, RESIZE_CASES } from '../testing/kernelInputs.js';
import { areaPlan } from './area.js';
import { upscaleTab } from '../cv/resizeArea.js';
import { dctMatrix } from './dct.js';
import { GREY_BGR as W_BGR, GREY_RGB as W_RGB } from './grey.js';
import { implementations, kernel, kernelLevel, KERNELS, nativeKernels, nativeKernelsInfo, setKernelLevel, type Kernel } from './kernels.js';

// CI builds the addon and sets this, so a broken build fails there instead of comparing JavaScript with itself.
const required = process.env.MEDIA_DEDUPE_REQUIRE_NATIVE === '1';
const info = nativeKernelsInfo();

type Name = keyof typeof KERNELS;
type Args<N extends Name> = Parameters<(typeof KERNELS)[N]['js']>;
interface Case<N extends Name> {
  readonly what: string;
  /** Fresh arguments for each implementation (outputs are written in place). */
  readonly args: () => Args<N>;
}
interface Picture {
  readonly name: string;
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** The fixtures, and when ../shared is there a few reference images of other sizes and kinds. */
async function realPictures(): Promise<Picture[]> {
  const files = readdirSync(join(FIXTURES_DIR, 'images')).map((f) => join(FIXTURES_DIR, 'images', f));
  if (!sharedSkipReason('reference/perception'))
    for (const f of [
      'debian/mate_Aqua.jpg',
      'debian/skimage_astronaut.png',
      'debian/skimage_coins.png',
      'edge/edge_small_20x12.png',
      'edge/edge_small_31x40.png',
    ])
      files.push(join(REFERENCE_DIR, 'images', f));
  return Promise.all(
    files.map(async (f) => {
      const { data, info: i } = await sharp(f).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
      return { name: f.split('/').pop()!, data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: i.width, height: i.height };
    }),
  );
}

/** Grey (RGB and BGR weights), one channel and three channels of one picture, whenever dw x dh is a downscale. */
function* areaCases(what: string, rgb: Uint8Array, sw: number, sh: number, dw: number, dh: number): Generator<Case<'area'>> {
  const plan = areaPlan(sw, sh, dw, dh);
  if (!plan) return; // upscales are cv/resizeArea.ts's own bilinear, not the kernel's
  const green = Uint8Array.from({ length: sw * sh }, (_, i) => rgb[i * 3 + 1]);
  const at = `${what} ${sw}x${sh} -> ${dw}x${dh}`;
  yield { what: `${at}, grey of RGB`, args: () => [rgb, sw, sh, 3, W_RGB, plan, dw, dh] };
  yield { what: `${at}, grey of BGR`, args: () => [rgb, sw, sh, 3, W_BGR, plan, dw, dh] };
  yield { what: `${at}, one channel`, args: () => [green, sw, sh, 1, null, plan, dw, dh] };
  yield { what: `${at}, three channels`, args: () => [rgb, sw, sh, 3, null, plan, dw, dh] };
}

/** Random, flat and mirror-symmetric blocks (the last give exact zeros that must stay zeros). */
function* dctCases(pictures: readonly Picture[]): Generator<Case<'dct2Block'>> {
  for (const [n, off, size] of [
    [64, 0, 16],
    [64, 1, 16],
    [32, 0, 8],
    [33, 2, 8],
    [7, 0, 7],
    [128, 0, 16],
  ]) {
    for (let t = 0; t < 20; t++) {
      const random = randomBytes(n * n, n * 100 + t);
      const x = Uint8Array.from({ length: n * n }, (_, i) => (t === 0 ? 128 : t === 1 ? Math.min(i % n, n - 1 - (i % n)) : random[i]));
      yield { what: `n ${n}, block ${off}+${size}, input ${t}`, args: () => [x, n, off, size, dctMatrix(n), new Float64Array(size * size)] };
    }
  }
  // phash's real input: the 64 x 64 grey of a picture.
  for (const p of pictures) {
    const plan = areaPlan(p.width, p.height, 64, 64);
    if (!plan) continue;
    const x = KERNELS.area.js(p.data, p.width, p.height, 3, W_RGB, plan, 64, 64);
    yield { what: `${p.name}, 64 x 64 grey`, args: () => [x, 64, 0, 16, dctMatrix(64), new Float64Array(256)] };
  }
}

/** The colour signature's geometry (16 x 16 cells, a 1/16 margin, a column step beyond 640 x 480 pixels: 1, 2 (the C kernel's byte lanes) and more) on random and real pictures. */
function* cellSumsCases(pictures: readonly Picture[]): Generator<Case<'cellSums'>> {
  const sizes: Array<[string, Uint8Array, number, number]> = [
    [5, 7],
    [31, 40],
    [640, 427],
    [800, 600],
    [1023, 683],
    [1100, 900],
    [2000, 1500],
  ].map(([w, h]) => [`random ${w}x${h}`, randomBytes(w * h * 3, w + 7 * h), w, h]);
  for (const [what, data, w, h] of [...sizes, ...pictures.map((p): [string, Uint8Array, number, number] => [p.name, p.data, p.width, p.height])]) {
    for (const G of [16, 5]) {
      const bounds = (n: number): Int32Array => Int32Array.from({ length: 2 * G }, (_, i) => Math.min(n, Math.round((((i >> 1) + (i & 1)) * n) / G)));
      const x0 = w >= 32 ? Math.round(w / 16) : 0;
      const y0 = h >= 32 ? Math.round(h / 16) : 0;
      const cols = bounds(w - 2 * x0);
      const rows = bounds(h - 2 * y0);
      const step = Math.max(1, Math.ceil(((w - 2 * x0) * (h - 2 * y0)) / (640 * 480)));
      yield {
        what: `${what}, grid ${G}, step ${step}`,
        args: () => [data, w, h, x0, y0, cols, rows, G, step, new Float64Array(G * G * 3), new Float64Array(G * G)],
      };
    }
  }
}

/**
 * The JPEG block-grid score on random pixels (no grid), on the real pictures, and on pictures that went
 * through a JPEG at several qualities (a grid, the case the score exists for), with the window cut from a
 * larger picture; minScore 0 makes every call measure the shifted grid too.
 */
async function blockGridCases(pictures: readonly Picture[]): Promise<Array<Case<'blockGrid'>>> {
  const out: Array<Case<'blockGrid'>> = [];
  const viaJpeg = async (p: Picture, quality: number): Promise<Picture> => {
    const jpeg = await sharp(p.data, { raw: { width: p.width, height: p.height, channels: 3 } })
      .jpeg({ quality })
      .toBuffer();
    const { data, info: i } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
    return { name: `${p.name} via JPEG q${quality}`, data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: i.width, height: i.height };
  };
  const random = [
    [7, 5],
    [64, 48],
    [300, 200],
    [1100, 1030],
  ].map(([w, h]): Picture => ({ name: `random ${w}x${h}`, data: randomBytes(w * h * 3, 31 * w + h), width: w, height: h }));
  const jpegs: Picture[] = [];
  for (const p of pictures.filter((x) => x.width >= 64 && x.height >= 64)) for (const q of [50, 90]) jpegs.push(await viaJpeg(p, q));
  for (const p of [...random, ...pictures, ...jpegs])
    for (const min of [100, 0]) out.push({ what: `${p.name}, minScore ${min}`, args: () => [p.data, p.width, p.height, min] });
  return out;
}

/**
 * p inside a border of `base` plus up to `spread` - 1 levels of noise per channel (seeded by the framed
 * size and `seed`), sides [top, right, bottom, left] wide, with `stray` white pixels scattered on it.
 */
function framed(p: Picture, [t, r, b, l]: readonly number[], base: number, spread: number, seed: number, stray = 0): Picture {
  const width = p.width + l + r;
  const height = p.height + t + b;
  const noise = randomBytes(width * height * 3, width * seed + height);
  const data = Uint8Array.from({ length: width * height * 3 }, (_, i) => base + (noise[i] % spread));
  for (let k = 0; k < stray - 1; k++) {
    const at = ((noise[k] % height) * width + (noise[k + 1] % width)) * 3;
    data.fill(255, at, at + 3);
  }
  for (let y = 0; y < p.height; y++) data.set(p.data.subarray(y * p.width * 3, (y + 1) * p.width * 3), ((y + t) * width + l) * 3);
  return { name: `${p.name} framed ${t}/${r}/${b}/${l}${stray ? `, ${stray} stray` : ''}`, data, width, height };
}

/** Random pictures of 1 x 1, 2 x 3 and 40 x 30 and a flat one: the border kernels' corner cases. */
const borderCorners = (): Picture[] => [
  ...[
    [1, 1],
    [2, 3],
    [40, 30],
  ].map(([w, h]): Picture => ({ name: `random ${w}x${h}`, data: randomBytes(w * h * 3, w * 3 + h), width: w, height: h })),
  { name: 'flat 20x10', data: new Uint8Array(20 * 10 * 3).fill(90), width: 20, height: 10 },
];

/** The size without borders on random and real pictures, and on those pictures padded with a near-uniform border (each side its own width), at tolerance 12 and 0. */
function* contentSizeCases(pictures: readonly Picture[]): Generator<Case<'contentSize'>> {
  const padded = (p: Picture, ...sides: number[]): Picture => framed(p, sides, 200, 9, 1);
  const all = [...borderCorners(), ...pictures, ...pictures.flatMap((p) => [padded(p, 5, 0, 17, 3), padded(p, 0, 40, 0, 0), padded(p, 60, 60, 60, 60)])];
  for (const p of all)
    for (const tol of [12, 0]) yield { what: `${p.name}, tolerance ${tol}`, args: () => [p.data, p.width, p.height, tol, new Int32Array(2)] };
}

/**
 * The crop-resistant content box on random and real pictures, on those pictures inside a border of one
 * colour with JPEG-like noise (each side its own width) and with stray pixels on the border (a line stays
 * border up to 2 % of them), on a flat picture, at tolerance 24 and 0.
 */
function* contentBoxCases(pictures: readonly Picture[]): Generator<Case<'contentBox'>> {
  const all = [
    ...borderCorners(),
    ...pictures,
    ...pictures.flatMap((p) => [
      framed(p, [5, 0, 17, 3], 30, 17, 7),
      framed(p, [0, 40, 0, 0], 30, 17, 7, 40),
      framed(p, [30, 30, 30, 30], 30, 17, 7, ((p.width + 60) * (p.height + 60)) / 100),
    ]),
  ];
  for (const p of all)
    for (const tol of [24, 0]) yield { what: `${p.name}, tolerance ${tol}`, args: () => [p.data, p.width, p.height, tol, new Int32Array(4)] };
}

/** The return value (a number as its float64 bytes) and every argument array after a call, as bytes. */
function outputs(f: unknown, args: readonly unknown[]): Buffer[] {
  const result = (f as (...a: readonly unknown[]) => unknown)(...args);
  const returned = typeof result === 'number' ? Float64Array.of(result) : result;
  return [returned, ...args].filter(ArrayBuffer.isView).map((v) => Buffer.from(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength)));
}

function assertParity<N extends Name>(name: N, cases: Iterable<Case<N>>): string {
  const impls = implementations(KERNELS[name] as Kernel<unknown>);
  let n = 0;
  for (const c of cases) {
    const want = outputs(KERNELS[name].js, c.args());
    for (const [level, f] of impls.slice(1)) {
      const got = outputs(f, c.args());
      assert.ok(got.length === want.length && got.every((b, i) => b.equals(want[i])), `${name}, ${level} vs js: ${c.what}`);
    }
    n++;
  }
  return impls.length > 1 ? `${name}: ${impls.map(([l]) => l).join(', ')} agree on ${n} inputs` : `${name}: only JavaScript here, nothing to compare`;
}

describe('math kernels', () => {
  let pictures: Picture[] = [];
  before(async () => {
    setKernelLevel('native'); // every implementation, whatever MEDIA_DEDUPE_KERNELS says
    pictures = await realPictures();
  });
  after(() => setKernelLevel(undefined));

  test(
    'the kernels addon is built and loads (required in CI)',
    { skip: !required && !info.available && `the kernels addon is not available (${info.reason})` },
    () => {
      assert.ok(info.available, `not available: ${info.reason}`);
      for (const name of Object.keys(KERNELS) as Name[]) assert.ok(kernel(KERNELS[name] as Kernel<unknown>) !== KERNELS[name].js, `${name} runs in C`);
    },
  );

  test('every implementation of every kernel gives the JavaScript bits, on random and real inputs', (t) => {
    if (!info.available) t.diagnostic(`the kernels addon is not available (${info.reason}): comparing JavaScript and WebAssembly only`);
    if (sharedSkipReason('reference/perception')) t.diagnostic(`real inputs: the fixtures only (${sharedSkipReason('reference/perception')})`);
    const area = function* (): Generator<Case<'area'>> {
      for (const [sw, sh, dw, dh] of RESIZE_CASES) yield* areaCases('random', randomBytes(sw * sh * 3, sw * 7919 + sh), sw, sh, dw, dh);
      for (const p of pictures)
        for (const [dw, dh] of [
          [64, 64],
          [17, 16],
          [Math.floor(p.width / 2), Math.floor(p.height / 2)],
          [Math.ceil(p.width / 3), 8],
        ])
          yield* areaCases(p.name, p.data, p.width, p.height, dw, dh);
    };
    t.diagnostic(assertParity('area', area()));
    t.diagnostic(assertParity('dct2Block', dctCases(pictures)));
    t.diagnostic(assertParity('cellSums', cellSumsCases(pictures)));
    const upscale = function* (): Generator<Case<'upscale'>> {
      const sizes = [
        [59, 59, 64, 64], // a window of a 64 px picture (crop-resistant views)
        [1, 1, 64, 64],
        [12, 20, 17, 16], // one axis grows, the other shrinks
        [63, 2, 64, 64],
        [33, 47, 128, 50],
      ];
      for (const [sw, sh, dw, dh] of sizes)
        for (const cn of [1, 3]) {
          const x = upscaleTab(sw, dw);
          const y = upscaleTab(sh, dh);
          const src = randomBytes(sw * sh * cn, sw * 31 + sh + cn);
          yield {
            what: `random ${sw}x${sh}x${cn} -> ${dw}x${dh}`,
            args: () => [src, sw, sh, cn, x.ofs, x.a0, x.a1, y.ofs, y.a0, y.a1, dw, dh, new Uint8Array(dw * dh * cn)],
          };
        }
      for (const p of pictures) {
        const x = upscaleTab(p.width, p.width + 7);
        const y = upscaleTab(p.height, p.height * 2);
        yield {
          what: p.name,
          args: () => [
            p.data,
            p.width,
            p.height,
            3,
            x.ofs,
            x.a0,
            x.a1,
            y.ofs,
            y.a0,
            y.a1,
            p.width + 7,
            p.height * 2,
            new Uint8Array((p.width + 7) * p.height * 2 * 3),
          ],
        };
      }
    };
    t.diagnostic(assertParity('upscale', upscale()));
    const viewBits = function* (): Generator<Case<'viewBits'>> {
      for (const [side, off, size, eft] of [
        [64, 0, 16, 0],
        [32, 1, 8, 1],
      ]) {
        const views = randomBytes(10 * side * side, side + off);
        views.fill(200, 3 * side * side, 4 * side * side); // a uniform view: ties with the median
        yield {
          what: `ten random views of ${side} px, block ${off}+${size}`,
          args: () => [views, 10, side, off, size, eft, dctMatrix(side), new Uint8Array(10 * (size * size - eft))],
        };
      }
    };
    t.diagnostic(assertParity('viewBits', viewBits()));
  });

  test('the JPEG block-grid score is the same in every implementation, with and without a JPEG grid in the pixels', async (t) => {
    const cases = await blockGridCases(pictures);
    const scores = cases.map((c) => KERNELS.blockGrid.js(...c.args()));
    assert.ok(
      scores.some((s) => s >= 100),
      'some pictures carry a grid',
    );
    assert.ok(
      scores.some((s) => s === 0),
      'some carry none',
    );
    t.diagnostic(assertParity('blockGrid', cases));
  });

  test('the block-grid score is bit for bit the same in C and JavaScript on the PNG and WebP files of bench/images (no libm cosine)', async (t) => {
    // The phase's cosine is cosTurns in both (Math.cos and libm's cos may differ in the last bit, so a
    // keep choice could differ between machines with and without the addon); it is the cosine.
    for (let i = 0; i <= 20000; i++) {
      const turns = -0.5 + i / 20000;
      assert.ok(Math.abs(cosTurns(turns) - Math.cos(2 * Math.PI * turns)) <= 5e-16, `cosTurns(${turns})`);
    }
    assert.equal(cosTurns(0), 1);
    assert.equal(cosTurns(0.5), -1);
    assert.equal(cosTurns(-0.25), cosTurns(0.25));
    if (!info.available) return t.skip(`the kernels addon is not available (${info.reason})`);
    const reason = sharedSkipReason('bench/images');
    if (reason) return t.skip(reason);
    const files = benchImageFiles(/\.(png|webp)$/i);
    const c = nativeKernels()!;
    let grids = 0;
    for (const f of files) {
      const { data, info: i } = await sharp(f).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
      const px = new Uint8Array(data.buffer, data.byteOffset, data.length);
      for (const min of [100, 0]) {
        const js = KERNELS.blockGrid.js(px, i.width, i.height, min);
        assert.equal(c.blockGrid(px, i.width, i.height, min, GRID_COS), js, `${f}, minScore ${min}`);
        if (min === 100 && js >= 100) grids++;
      }
    }
    t.diagnostic(`${files.length} files, ${grids} with a JPEG grid: the same scores`);
    assert.ok(files.length >= 40 && grids >= 1, `${files.length} files, ${grids} with a grid`);
  });

  test('the size without borders is the same in every implementation', (t) => {
    t.diagnostic(assertParity('contentSize', contentSizeCases(pictures)));
  });

  test('the content box is the same in every implementation', (t) => {
    t.diagnostic(assertParity('contentBox', contentBoxCases(pictures)));
  });

  test("the crop views' PHash bits are the same in every implementation, on random grids and on pictures of bench/images", async (t) => {
    const side = 64;
    const cells = 2 * side + 10;
    const windows = Int32Array.from([0, 5, 10].flatMap((y) => [0, 5, 10].flatMap((x) => [x, y])));
    const boxes = [new Float64Array(0), Float64Array.of(3.3, 0.7, 120.9, 137.2), Float64Array.of(40.5, 10.25, 41.5, 128), Float64Array.of(0, 0, cells, cells)];
    const cases = function* (name: string, grid: Uint8Array): Generator<Case<'cropViewBits'>> {
      for (const box of boxes)
        for (const [off, size, eft] of [
          [0, 16, 0],
          [1, 8, 1],
        ])
          yield {
            what: `${name}, box ${box.join(' ') || 'none'}, block ${off}+${size}${eft ? ' minus the first term' : ''}`,
            args: () => [grid, cells, side, box, windows, off, size, eft, dctMatrix(side), new Uint8Array(10 * (size * size - eft))],
          };
    };
    const flat = new Uint8Array(cells * cells).fill(77);
    t.diagnostic(
      assertParity('cropViewBits', [0, 1, 2].flatMap((k) => [...cases(`random ${k}`, randomBytes(cells * cells, 4242 + k))]).concat([...cases('flat', flat)])),
    );
    const reason = sharedSkipReason('bench/images');
    if (reason) return t.skip(`real pictures: ${reason}`);
    const files = benchImageFiles(/\.(png|webp|jpe?g)$/i);
    const picked = files.filter((_, k) => k % Math.max(1, Math.floor(files.length / 40)) === 0);
    const grids: [string, Uint8Array][] = [];
    for (const f of picked) {
      const { data, info: i } = await sharp(f).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
      const plan = areaPlan(i.width, i.height, cells, cells);
      if (plan) grids.push([f, KERNELS.area.js(new Uint8Array(data.buffer, data.byteOffset, data.length), i.width, i.height, 3, W_RGB, plan, cells, cells)]);
    }
    const real = grids.flatMap(([f, g]) => [...cases(f, g)]);
    assert.ok(grids.length >= 20, `${grids.length} pictures of ${cells} px or more a side`);
    // The bits are median tests: about half of them set on a real picture (none left unwritten).
    const probe = real[0].args();
    KERNELS.cropViewBits.js(...probe);
    const ones = probe[9].reduce((n, b) => n + b, 0);
    assert.ok(ones > 0.4 * probe[9].length && ones < 0.6 * probe[9].length, `${ones} of ${probe[9].length} bits set`);
    t.diagnostic(assertParity('cropViewBits', real) + ` (${grids.length} pictures of bench/images)`);
  });

  test('MEDIA_DEDUPE_KERNELS caps the implementations used; a wrong value is an error naming the choices', () => {
    const env = process.env.MEDIA_DEDUPE_KERNELS;
    try {
      setKernelLevel('js');
      for (const name of Object.keys(KERNELS) as Name[]) assert.equal(kernel(KERNELS[name] as Kernel<unknown>), KERNELS[name].js, name);
      setKernelLevel('wasm');
      assert.ok(implementations(KERNELS.area as Kernel<unknown>).every(([l]) => l !== 'native'));
      process.env.MEDIA_DEDUPE_KERNELS = 'fast';
      setKernelLevel(undefined);
      assert.throws(() => kernelLevel(), /MEDIA_DEDUPE_KERNELS must be one of js, wasm, native \(got "fast"\)/);
    } finally {
      if (env === undefined) delete process.env.MEDIA_DEDUPE_KERNELS;
      else process.env.MEDIA_DEDUPE_KERNELS = env;
      setKernelLevel('native');
    }
  });

  test(
    'the C kernels reject arguments their loops would read or write outside',
    { skip: !required && !info.available && `the kernels addon is not available (${info.reason})` },
    () => {
      const a = nativeKernels()!;
      const bad = Int32Array.from({ length: 32 }, () => 50);
      assert.throws(
        () => a.cellSums(new Uint8Array(10 * 10 * 3), 10, 10, 0, 0, bad, bad, 16, 1, new Float64Array(16 * 16 * 3), new Float64Array(16 * 16)),
        RangeError,
      );
      assert.throws(() => a.dct2Block(new Uint8Array(4), 2, 0, 3, new Float64Array(4), new Float64Array(9)), RangeError);
      assert.throws(() => a.areaResize(new Uint8Array(4), 2, 2, 1, 0, 0, 0, 4, 4, 1, 1, new Int32Array(0), new Int32Array(0), new Uint8Array(16)), RangeError);
      assert.throws(() => a.dct2Block(new Float64Array(4) as unknown as Uint8Array, 2, 0, 1, new Float64Array(4), new Float64Array(1)), TypeError);
      assert.throws(() => a.blockGrid(new Uint8Array(10 * 10 * 3 - 1), 10, 10, 100, new Float64Array(64)), RangeError);
      assert.throws(() => a.blockGrid(new Uint8Array(10 * 10 * 3), 10, 10, 100, new Float64Array(63)), RangeError);
      assert.throws(() => a.contentSize(new Uint8Array(10 * 10 * 3 - 1), 10, 10, 12, new Int32Array(2)), RangeError);
      assert.throws(() => a.contentSize(new Uint8Array(10 * 10 * 3), 10, 10, 12, new Int32Array(1)), RangeError);
      assert.throws(() => a.contentBox(new Uint8Array(10 * 10 * 3 - 1), 10, 10, 24, new Int32Array(4)), RangeError);
      assert.throws(() => a.contentBox(new Uint8Array(10 * 10 * 3), 10, 10, 24, new Int32Array(3)), RangeError);
    },
  );
});
