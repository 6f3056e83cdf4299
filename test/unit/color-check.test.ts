import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { COLOR_GRID, COLOR_SIGNATURE_BYTES, colorSignature, decodeColorSignature, encodeColorSignature } from '../../src/core/hashers/colorSignature.js';
import { transformGrid } from '../../src/core/hashers/isometric.js';
import { hashFiles } from '../../src/core/hashing/hashFiles.js';
import { decodeImage, decodeImageBuffer } from '../../src/core/image/decode.js';
import { buildManifest } from '../../src/core/manifest/index.js';
import { colorDistance } from '../../src/core/scan/colorDistance.js';
import { scanFolder } from '../../src/core/scan/scanFolder.js';
import { colorsAgree, verifyPairs } from '../../src/core/scan/verifyPairs.js';
import type { Pair } from '../../src/core/types.js';
import { readManifest } from '../../src/core/manifest/index.js';
import { runCli, tempDir } from '../helpers/scan-fixtures.js';

const FIXTURES = join(__dirname, '..', 'fixtures', 'images');
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

test('hashFiles returns the colour signature of the same decoded pixels when asked, on the main thread and in workers', async () => {
  const files = PHOTOS.map((f) => join(FIXTURES, f));
  const main = await hashFiles(files, [{ name: 'phash' }], { colorSignature: true });
  for (const [i, o] of main.entries()) {
    assert.ok(o.ok);
    assert.deepEqual(decodeColorSignature(o.color), colorSignature(await decodeImage(files[i])));
  }
  assert.deepEqual(await hashFiles(files, [{ name: 'phash' }], { colorSignature: true, pipeline: 'workers', workers: 1 }), main);
  const plain = await hashFiles(files, [{ name: 'phash' }]);
  assert.ok(
    plain.every((o) => o.ok && o.color === undefined),
    'not computed unless asked',
  );
});

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
  // End to end: an isometric scan keeps a rotated and a mirrored copy, and still drops a recoloured mirror.
  const { dir, cleanup } = tempDir();
  try {
    await sharp(src).toFile(join(dir, 'a.jpg'));
    await sharp(src).rotate(90).jpeg({ quality: 85 }).toFile(join(dir, 'a_rot.jpg'));
    await sharp(src).flip().jpeg({ quality: 85 }).toFile(join(dir, 'a_flip.jpg'));
    await sharp(src).flip().modulate({ hue: 120 }).jpeg({ quality: 85 }).toFile(join(dir, 'a_flip_recoloured.jpg'));
    const r = await scanFolder(dir, { isometric: true, useCache: false });
    assert.deepEqual(
      r.pairs.map((p) => `${p.a} ${p.b} ${p.transform ?? ''}`),
      ['a.jpg a_flip.jpg fv', 'a.jpg a_rot.jpg r90', 'a_flip.jpg a_rot.jpg r90fv'],
    );
    assert.equal(r.stats.colorRejected, 3);
  } finally {
    cleanup();
  }
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

test("scan: the colour check (on by default) drops a recoloured copy and keeps re-encoded ones; off, the pairs are perception's; the cache keeps the signatures", async () => {
  const { dir, cleanup } = tempDir();
  try {
    const src = readFileSync(join(FIXTURES, 'chelsea.jpg'));
    await sharp(src).toFile(join(dir, 'cat.jpg'));
    await sharp(src).jpeg({ quality: 40 }).toFile(join(dir, 'cat_q40.jpg'));
    await sharp(src).greyscale().png().toFile(join(dir, 'cat_grey.png'));
    await sharp(src).modulate({ hue: 120 }).jpeg({ quality: 90 }).toFile(join(dir, 'cat_recoloured.jpg'));
    const key = (p: Pair): string => `${p.a} ${p.b}`;

    const checked = await scanFolder(dir);
    // A greyscale copy holds no colour, so it stays paired with every colour version (documented).
    assert.deepEqual(checked.pairs.map(key), ['cat.jpg cat_grey.png', 'cat.jpg cat_q40.jpg', 'cat_grey.png cat_q40.jpg', 'cat_grey.png cat_recoloured.jpg']);
    assert.equal(checked.stats.colorRejected, 2);
    assert.ok(!checked.pairs.some((p) => p.b === 'cat_recoloured.jpg' && p.a !== 'cat_grey.png'));
    assert.equal(checked.options.colorCheck, true);

    // Switching the check off re-uses the cached hashes and signatures.
    const parity = await scanFolder(dir, { colorCheck: false });
    assert.equal(parity.stats.hashed, 0);
    assert.equal(parity.stats.colorRejected, undefined);
    assert.equal(parity.pairs.length, 6, 'every pair of the four files: perception pairs them all');
    assert.deepEqual(buildManifest(parity).settings.colorCheck, false);
    assert.equal('colorCheck' in buildManifest(checked).settings, false);

    const cacheDir = join(dir, '.media-dedupe');
    const lines = readFileSync(
      join(
        cacheDir,
        readdirSync(cacheDir).find((n) => n.endsWith('.jsonl'))!,
      ),
      'utf8',
    )
      .trim()
      .split('\n');
    assert.match(lines[0], /"version":2/);
    for (const l of lines.slice(1)) assert.ok(decodeColorSignature((JSON.parse(l.slice(0, l.lastIndexOf('\t'))) as { c?: string }).c), l.slice(0, 60));
  } finally {
    cleanup();
  }
});

test("CLI: --no-color-check keeps perception's pairs and is recorded for check; --json counts the dropped pairs", async () => {
  const { dir, cleanup } = tempDir();
  try {
    const src = readFileSync(join(FIXTURES, 'retina.jpg'));
    await sharp(src).toFile(join(dir, 'eye.jpg'));
    await sharp(src).jpeg({ quality: 40 }).toFile(join(dir, 'eye_q40.jpg'));
    await sharp(src)
      .recomb([
        [0, 0, 1],
        [0, 1, 0],
        [1, 0, 0],
      ])
      .jpeg({ quality: 90 })
      .toFile(join(dir, 'eye_blue.jpg'));
    const on = await runCli(['scan', dir, '--json']);
    assert.equal(on.code, 0, on.stderr);
    assert.deepEqual(((s) => [s.pairs, s.colorRejected])(JSON.parse(on.stdout) as Record<string, unknown>), [1, 2]);
    assert.match(on.stderr, /colour check: 2 of 3 image pairs dropped/);
    assert.equal((await readManifest(join(dir, 'dedupe-manifest.json')))!.settings.colorCheck, undefined);
    assert.equal((await runCli(['check', dir])).code, 0);

    const off = await runCli(['scan', dir, '--json', '--no-color-check']);
    assert.equal(off.code, 0, off.stderr);
    const summary = JSON.parse(off.stdout) as Record<string, unknown>;
    assert.equal(summary.pairs, 3);
    assert.equal('colorRejected' in summary, false);
    assert.equal((await readManifest(join(dir, 'dedupe-manifest.json')))!.settings.colorCheck, false);
    // check repeats the scan as the manifest says (colour check off): every pair is known.
    assert.equal((await runCli(['check', dir])).code, 0);
  } finally {
    cleanup();
  }
});

test('bad colorCheck options fail at once', async () => {
  await assert.rejects(scanFolder('.', { colorCheck: 'yes' as unknown as boolean }), /colorCheck/);
});
