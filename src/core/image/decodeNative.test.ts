/**
 * The native decoder addon (libjpeg-turbo, libpng, libwebp) must give exactly the pixels of the sharp
 * recipe, or decline so that sharp decodes the file. Every comparison here decodes the same bytes both ways.
 * The tests of a format the addon was built without (or of every format, when it is not built) are
 * skipped with a message naming it, except in CI (MEDIA_DEDUPE_REQUIRE_NATIVE=1), where they run and fail.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { BENCH_DIR, FIXTURES_DIR, REFERENCE_DIR, sharedSkipReason } from '../testing/dataDirs.js';
import { nativeDecoder, nativeDecoderInfo, type NativeDecoderAddon, type NativeFormat, type NativeResult } from './nativeDecoder.js';
import { decodeImageBuffer, type DecodedImage, type DecodeOptions } from './decode.js';
import { decodeJpeg, decodeNative, decodePooled, pngSize, shrinkFactor, webpSize } from './decodeNative.js';
import { readJpegHeader } from './jpegHeader.js';
import { keepStatsOf, REENCODED_GRID } from './keepStats.js';
import { GRID_COS } from '../kernels/blockGrid.js';

const info = nativeDecoderInfo();
// CI builds the addon with every format (it installs the libraries' headers) and sets this, so a broken build fails there.
const required = process.env.MEDIA_DEDUPE_REQUIRE_NATIVE === '1';

/** Why the tests of `format` cannot run on this machine, or false (always false when CI requires the addon). */
function skipWithout(format: NativeFormat): string | false {
  if (required) return false;
  if (!info.available) return `${format}: the native decoder addon is not available (${info.reason}); sharp decodes every image`;
  if (!info.formats!.includes(format))
    return `${format}: the native decoder addon was built without ${format} (no headers for its library at install); sharp decodes those files`;
  return false;
}
const skip = skipWithout('jpeg');

async function both(data: Buffer, opts: DecodeOptions = {}): Promise<[DecodedImage, DecodedImage]> {
  return [await decodeImageBuffer(data, 'x', { ...opts, decoder: 'auto' }), await decodeImageBuffer(data, 'x', { ...opts, decoder: 'sharp' })];
}

/** Whether the addon itself decodes these bytes (rather than declining to sharp). */
async function nativeTakes(data: Buffer, format: string): Promise<boolean> {
  return (await decodeNative(data, format, { maxPixels: 1e8 })) !== undefined;
}

/**
 * Fast mode shrinks inside libjpeg's IDCT, which is close to averaging each f x f block of the full
 * image: compare with that average of sharp's full-resolution pixels (whole blocks only).
 */
function assertShrunkFrom(fast: DecodedImage, full: DecodedImage, what: string): void {
  const f = Math.round(full.width / fast.width);
  assert.ok(f >= 2, `${what}: shrank by ${f}`);
  assert.equal(fast.width, Math.ceil(full.width / f), `${what}: width`);
  assert.equal(fast.height, Math.ceil(full.height / f), `${what}: height`);
  let sum = 0;
  let n = 0;
  for (let y = 0; y + 1 <= Math.floor(full.height / f); y++)
    for (let x = 0; x + 1 <= Math.floor(full.width / f); x++)
      for (let c = 0; c < 3; c++) {
        let acc = 0;
        for (let dy = 0; dy < f; dy++) for (let dx = 0; dx < f; dx++) acc += full.data[((y * f + dy) * full.width + x * f + dx) * 3 + c];
        sum += Math.abs(acc / (f * f) - fast.data[(y * fast.width + x) * 3 + c]);
        n++;
      }
  assert.ok(sum / n < 4, `${what}: mean difference from the block average ${(sum / n).toFixed(2)} levels`);
}

function assertSame(a: DecodedImage, b: DecodedImage, what: string): void {
  assert.equal(a.width, b.width, `${what}: width`);
  assert.equal(a.height, b.height, `${what}: height`);
  assert.equal(a.originalWidth, b.originalWidth, `${what}: original width`);
  assert.equal(a.originalHeight, b.originalHeight, `${what}: original height`);
  assert.ok(Buffer.from(a.data).equals(Buffer.from(b.data)), `${what}: pixels differ`);
}

/** An asymmetric test picture (a gradient plus a corner block), so every flip and turn changes its pixels. */
async function asymmetricJpeg(orientation: number, opts: { chroma?: string; progressive?: boolean } = {}): Promise<Buffer> {
  const w = 37;
  const h = 23;
  const px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 3;
      px[o] = (x * 7) & 255;
      px[o + 1] = (y * 11) & 255;
      px[o + 2] = x < 8 && y < 5 ? 250 : 20;
    }
  return sharp(px, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: 90, chromaSubsampling: opts.chroma ?? '4:2:0', progressive: opts.progressive ?? false })
    .withMetadata({ orientation })
    .toBuffer();
}

describe('native decoder', () => {
  test('applies each EXIF orientation as sharp does', { skip }, async () => {
    for (let o = 1; o <= 8; o++) {
      const [a, b] = await both(await asymmetricJpeg(o));
      assertSame(a, b, `orientation ${o}`);
      if (o >= 5) assert.deepEqual([a.width, a.height], [23, 37], `orientation ${o} turns the image`);
    }
  });

  test('matches sharp on 4:4:4, progressive and grey JPEGs', { skip }, async () => {
    for (const opts of [{ chroma: '4:4:4' }, { progressive: true }]) {
      const [a, b] = await both(await asymmetricJpeg(1, opts));
      assertSame(a, b, JSON.stringify(opts));
    }
    const grey = await sharp(await asymmetricJpeg(1))
      .greyscale()
      .jpeg()
      .toBuffer();
    const [a, b] = await both(grey);
    assertSame(a, b, 'grey');
  });

  test('matches sharp on the fixtures at full resolution; fast mode gives block averages', { skip }, async () => {
    const dir = join(FIXTURES_DIR, 'images');
    const jpegs = readdirSync(dir).filter((f) => f.endsWith('.jpg'));
    assert.ok(jpegs.length >= 3);
    for (const f of jpegs) {
      const data = readFileSync(join(dir, f));
      const [a, b] = await both(data);
      assertSame(a, b, f);
      // A small fastMinSide forces a real libjpeg shrink on these small fixtures.
      const fast = await decodeImageBuffer(data, f, { mode: 'fast', fastMinSide: 64 });
      assertShrunkFrom(fast, b, `${f} fast`);
    }
  });

  test('declines what it must not decode, and sharp still reports the same errors', { skip }, async () => {
    const good = await asymmetricJpeg(1);
    const truncated = good.subarray(0, Math.floor(good.length * 0.7));
    assert.equal(await nativeTakes(truncated, 'jpeg'), false, 'truncated');
    assert.equal(await decodeNative(good, 'jpeg', { maxPixels: 100 }), undefined, 'over the pixel limit');
    // CMYK is the addon's (OpenCV's formula, not libvips' ICC conversion: test/golden/formats.test.ts checks the pixels).
    const cmyk = await sharp(good).toColourspace('cmyk').jpeg().toBuffer();
    assert.equal(nativeDecoder()!.decodeSync(cmyk, 'jpeg', 1e8, 1).status, 'ok');
    await assert.rejects(decodeImageBuffer(truncated, 't.jpg'), { code: 'TRUNCATED_IMAGE' });
    await assert.rejects(decodeImageBuffer(good, 'big.jpg', { maxPixels: 100 }), { code: 'TOO_LARGE' });
    assert.equal((await decodeImageBuffer(cmyk, 'cmyk.jpg')).width, 37);
  });

  test('PNG: declines 16-bit, truncated and EXIF-turned files, which sharp decodes or classifies', { skip: skipWithout('png') }, async () => {
    const good = await asymmetricJpeg(1);
    const png = await sharp(good).png().toBuffer();
    const png16 = await sharp(good).toColourspace('rgb16').png().toBuffer();
    assert.equal(nativeDecoder()!.decodeSync(png16, 'png', 1e8, 1).status, 'unsupported', '16-bit PNG');
    assert.equal(await nativeTakes(png.subarray(0, png.length - 30), 'png'), false, 'truncated PNG');
    await assert.rejects(decodeImageBuffer(png.subarray(0, png.length - 30), 't.png'), { code: 'TRUNCATED_IMAGE' });
    const pngTurned = await sharp(good).png().withMetadata({ orientation: 6 }).toBuffer();
    assert.equal(nativeDecoder()!.decodeSync(pngTurned, 'png', 1e8, 1).status, 'unsupported', 'PNG whose eXIf turns it');
    const [pa, pb] = await both(pngTurned);
    assertSame(pa, pb, 'PNG with an EXIF orientation, through sharp');
    assert.deepEqual([pa.width, pa.height], [23, 37]);
  });

  test('WebP: declines truncated files and files with EXIF, which sharp decodes', { skip: skipWithout('webp') }, async () => {
    const good = await asymmetricJpeg(1);
    const webp = await sharp(good).webp().toBuffer();
    assert.equal(await nativeTakes(webp.subarray(0, webp.length - 20), 'webp'), false, 'truncated WebP');
    const webpExif = await sharp(good).webp().withMetadata({ orientation: 6 }).toBuffer();
    assert.equal(nativeDecoder()!.decodeSync(webpExif, 'webp', 1e8, 1).status, 'unsupported', 'WebP with EXIF');
    const [a, b] = await both(webpExif);
    assertSame(a, b, 'WebP with EXIF, through sharp');
  });

  test('PNG: grey, grey + alpha, palette with transparency, RGBA, interlaced and 1-bit decode as sharp does', { skip: skipWithout('png') }, async () => {
    const rgb = await sharp(await asymmetricJpeg(1))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const base = (): sharp.Sharp => sharp(rgb.data, { raw: { width: rgb.info.width, height: rgb.info.height, channels: 3 } });
    const rgba = await base().ensureAlpha(0.4).raw().toBuffer({ resolveWithObject: true });
    const variants: Array<[string, Buffer]> = [
      ['rgb', await base().png().toBuffer()],
      [
        'rgba',
        await sharp(rgba.data, { raw: { width: rgba.info.width, height: rgba.info.height, channels: 4 } })
          .png()
          .toBuffer(),
      ],
      ['grey', await base().greyscale().png().toBuffer()],
      ['grey + alpha', await base().greyscale().ensureAlpha(0.5).png().toBuffer()],
      ['palette', await base().png({ palette: true, colours: 16 }).toBuffer()],
      [
        'palette + alpha',
        await sharp(rgba.data, { raw: { width: rgba.info.width, height: rgba.info.height, channels: 4 } })
          .png({ palette: true, colours: 8 })
          .toBuffer(),
      ],
      ['1-bit', await base().greyscale().threshold(128).png({ palette: true, colours: 2 }).toBuffer()],
      ['interlaced', await base().png({ progressive: true }).toBuffer()],
    ];
    for (const [what, data] of variants) {
      assert.ok(await nativeTakes(data, 'png'), `${what}: decoded natively`);
      const [a, b] = await both(data);
      assertSame(a, b, `PNG ${what}`);
    }
  });

  test('WebP: lossy, lossless and with alpha decode as sharp does', { skip: skipWithout('webp') }, async () => {
    const src = await asymmetricJpeg(1);
    const withAlpha = await sharp(src).ensureAlpha(0.3).raw().toBuffer({ resolveWithObject: true });
    const rgbaSharp = (): sharp.Sharp => sharp(withAlpha.data, { raw: { width: withAlpha.info.width, height: withAlpha.info.height, channels: 4 } });
    const variants: Array<[string, Buffer]> = [
      ['lossy', await sharp(src).webp({ quality: 70 }).toBuffer()],
      ['lossless', await sharp(src).webp({ lossless: true }).toBuffer()],
      ['lossy + alpha', await rgbaSharp().webp({ quality: 80 }).toBuffer()],
      ['lossless + alpha', await rgbaSharp().webp({ lossless: true }).toBuffer()],
    ];
    for (const [what, data] of variants) {
      assert.ok(await nativeTakes(data, 'webp'), `${what}: decoded natively`);
      const [a, b] = await both(data);
      assertSame(a, b, `WebP ${what}`);
    }
  });

  test('rejects bad arguments', { skip }, async (t) => {
    const a = nativeDecoder()!;
    assert.throws(() => a.decodeSync('not a buffer' as unknown as Buffer, 'jpeg', 1, 1), TypeError);
    assert.throws(() => a.decodeSync(Buffer.alloc(4), 'jpeg', 1, 3), RangeError);
    assert.throws(() => a.decodeSync(Buffer.alloc(4), 'gif' as 'jpeg', 1, 1), RangeError);
    for (const f of ['jpeg', 'png', 'webp'] as const)
      await t.test(`${f}: data that is no image is an error`, { skip: skipWithout(f) }, () => {
        assert.equal(a.decodeSync(Buffer.from('not an image at all'), f, 1e6, 1).status, 'error', f);
      });
    assert.equal(a.decodeSync(await asymmetricJpeg(1), 'jpeg', 1e6, 1, Buffer.alloc(5)).status, 'out_size', 'wrong output size: its own status');
  });
});

describe('shrinkFactor', () => {
  test('keeps the shorter side at or above the minimum', () => {
    assert.equal(shrinkFactor(511, 256), 1);
    assert.equal(shrinkFactor(512, 256), 2);
    assert.equal(shrinkFactor(1024, 256), 4);
    assert.equal(shrinkFactor(5000, 256), 8);
  });
});

describe('native decoder on the shared reference and benchmark images', () => {
  const reason = skip || sharedSkipReason('reference/perception');
  let files: string[] = [];
  before(() => {
    if (reason) return;
    const ref = join(REFERENCE_DIR, 'images');
    for (const sub of readdirSync(ref)) for (const f of readdirSync(join(ref, sub))) files.push(join(ref, sub, f));
    const orig = join(BENCH_DIR, 'images', 'originals');
    const variants = join(BENCH_DIR, 'images', 'variants');
    files = files.concat(
      readdirSync(orig)
        .slice(0, 20)
        .map((f) => join(orig, f)),
    );
    // Every PNG and WebP of the benchmark (few, and where the two decoders are most likely to differ).
    if (sharedSkipReason('bench/images') === false)
      files = files.concat(
        readdirSync(variants)
          .filter((f) => /\.(png|webp)$/.test(f))
          .map((f) => join(variants, f)),
      );
    files = files.filter((f) => /\.(jpe?g|png|webp)$/i.test(f) && !skipWithout(formatOf(f)));
  });

  test("gives sharp's pixels byte for byte, and block averages in fast mode", { skip: reason }, async (t) => {
    for (const f of ['png', 'webp'] as const) if (skipWithout(f)) t.diagnostic(`${f} files left out: ${skipWithout(f)}`);
    const declined: string[] = [];
    // CMYK JPEGs: the addon gives cv2.imread's pixels (OpenCV's CMYK formula), which libvips does not;
    // compared with the reference's record of cv2's decoded bytes instead of with sharp.
    const cv2Md5: Record<string, { decoded_rgb_md5: string }> = JSON.parse(readFileSync(join(REFERENCE_DIR, 'manifest.json'), 'utf8'));
    for (const f of files) {
      const data = readFileSync(f);
      const format = formatOf(f);
      const name = f.split('/').pop()!;
      if (format === 'jpeg' && (await sharp(data).metadata()).space === 'cmyk') {
        const img = await decodeImageBuffer(data, f);
        assert.equal(createHash('md5').update(img.data).digest('hex'), cv2Md5[name].decoded_rgb_md5, `${name}: cv2.imread's pixels`);
        continue;
      }
      const [a, b] = await both(data);
      assertSame(a, b, f);
      if (!(await nativeTakes(data, format))) {
        declined.push(f.split('/').pop()!);
        continue; // sharp decodes it
      }
      if (format !== 'jpeg') continue;
      const fast = await decodeImageBuffer(data, f, { mode: 'fast' });
      // Blocks line up with the stored image's top-left corner, so compare upright files only.
      if (fast.width < b.width && readJpegHeader(data)?.orientation === 1) assertShrunkFrom(fast, b, `${f} fast`);
    }
    // Declined: the 16-bit PNG (sharp's pixels are cv2's there); everything else is the addon's.
    assert.deepEqual(
      declined.sort(),
      ['edge_rgb16.png'].filter((f) => !skipWithout(formatOf(f))),
    );
  });
});

function formatOf(file: string): NativeFormat {
  return /\.png$/i.test(file) ? 'png' : /\.webp$/i.test(file) ? 'webp' : 'jpeg';
}

describe('the keep policy facts measured beside the decode', () => {
  test('are the ones keepStatsOf measures on the decoded pixels, for every format and file the addon decodes', { skip }, async (t) => {
    const files = readdirSync(join(FIXTURES_DIR, 'images')).map((f) => join(FIXTURES_DIR, 'images', f));
    const bench = join(BENCH_DIR, 'images');
    if (sharedSkipReason('bench/images')) t.diagnostic(`real inputs: the fixtures only (${sharedSkipReason('bench/images')})`);
    else
      for (const sub of readdirSync(bench, { withFileTypes: true }).filter((d) => d.isDirectory()))
        for (const f of readdirSync(join(bench, sub.name)).filter((n) => /\.(png|webp)$/i.test(n) || /_0[01]\.jpg$/i.test(n)))
          files.push(join(bench, sub.name, f));
    // PNGs saved from JPEGs (a grid in lossless pixels) and padded ones (borders to trim), made from the first files.
    const made: [string, Buffer][] = [];
    for (const f of files.slice(0, 3)) {
      const jpeg = await sharp(f).jpeg({ quality: 80 }).toBuffer();
      made.push([`${f} via JPEG.png`, await sharp(jpeg).png().toBuffer()]);
      made.push([`${f} padded.png`, await sharp(f).extend({ top: 9, bottom: 30, left: 17, right: 2, background: '#204060' }).png().toBuffer()]);
    }
    let measured = 0;
    let grids = 0;
    let trimmed = 0;
    for (const [name, data] of [...files.map((f): [string, Buffer] => [f, readFileSync(f)]), ...made]) {
      const img = await decodeImageBuffer(data, name, { keepFacts: true });
      const plain = await decodeImageBuffer(data, name);
      assert.equal(plain.facts, undefined, `${name}: facts only when asked`);
      if (!img.facts) continue; // a turned JPEG: measured after its transform, on this thread
      measured++;
      const fromPool = keepStatsOf(img, undefined);
      assert.deepEqual(fromPool, keepStatsOf(plain, undefined), name);
      if ((fromPool.blockGrid ?? 0) >= REENCODED_GRID) grids++;
      if (fromPool.contentWidth !== undefined) trimmed++;
    }
    t.diagnostic(`${measured} files measured beside their decode, ${grids} with a JPEG grid, ${trimmed} with borders`);
    assert.ok(measured >= files.length - 3 && grids >= 3 && trimmed >= 3, `${measured} measured, ${grids} grids, ${trimmed} trimmed`);
  });
});

describe('the block-grid score measured on several pool threads at once', () => {
  test(
    'is the score measured one picture at a time (the kernel kept its sort order in a variable every thread shared)',
    { skip: skipWithout('png') },
    async (t) => {
      // Small noisy pictures saved as JPEG, then as PNG: a grid in every block, and the kernel's sort of the
      // blocks (which read the spreads through that variable) a large share of each measure, so measures that
      // overlap on the pool threads sorted by another picture's spreads in about 1 of 300 (24 passes: 5 of 1,536 differed).
      const pngs: Buffer[] = [];
      for (let i = 0; i < 64; i++) {
        const w = 96 + 8 * (i % 5);
        const px = Buffer.alloc(w * 96 * 3);
        let s = i * 7919 + 1;
        for (let k = 0; k < px.length; k++) {
          s = (s * 1103515245 + 12345) & 0x7fffffff;
          px[k] = (s >> 16) & 255;
        }
        const jpeg = await sharp(px, { raw: { width: w, height: 96, channels: 3 } })
          .jpeg({ quality: 70 })
          .toBuffer();
        pngs.push(await sharp(jpeg).png().toBuffer());
      }
      const facts = { tolerance: 12, gridMinScore: 0, gridCos: GRID_COS };
      const addon = nativeDecoder()!;
      const alone: (number | undefined)[] = [];
      for (const b of pngs) alone.push((await addon.decode(b, 'png', 1e8, 1, undefined, facts)).blockGrid);
      assert.ok(
        alone.every((g) => g !== undefined && g >= REENCODED_GRID),
        'every picture carries a grid',
      );
      let differ = 0;
      for (let pass = 0; pass < 24; pass++) {
        const together = await Promise.all(pngs.map((b) => addon.decode(b, 'png', 1e8, 1, undefined, facts).then((r) => r.blockGrid)));
        differ += together.filter((g, i) => g !== alone[i]).length;
      }
      t.diagnostic(`${24 * pngs.length} measures, 4 at a time`);
      assert.equal(differ, 0);
    },
  );
});

describe('pooled pixels for PNG and WebP', () => {
  test(
    "the size read from the file's header is the one the addon decodes (else the addon would decline to sharp)",
    { skip: skipWithout('webp') },
    async (t) => {
      const files: Array<[string, Buffer]> = readdirSync(join(FIXTURES_DIR, 'images'))
        .filter((f) => /\.(png|webp)$/i.test(f))
        .map((f) => [f, readFileSync(join(FIXTURES_DIR, 'images', f))]);
      const good = await asymmetricJpeg(1);
      // Every WebP bitstream kind: lossy (VP8), lossless (VP8L), and the extended header (VP8X, here for alpha).
      files.push(['lossy.webp', await sharp(good).webp().toBuffer()], ['lossless.webp', await sharp(good).webp({ lossless: true }).toBuffer()]);
      files.push(['alpha.webp', await sharp(good).ensureAlpha(0.5).webp().toBuffer()], ['rgb.png', await sharp(good).png().toBuffer()]);
      const bench = join(BENCH_DIR, 'images');
      if (!sharedSkipReason('bench/images'))
        for (const sub of readdirSync(bench, { withFileTypes: true }).filter((d) => d.isDirectory()))
          for (const f of readdirSync(join(bench, sub.name)).filter((n) => /\.(png|webp)$/i.test(n))) files.push([f, readFileSync(join(bench, sub.name, f))]);
      const kinds = new Set<string>();
      for (const [name, data] of files) {
        const webp = /webp$/i.test(name);
        const size = webp ? webpSize(data) : pngSize(data);
        const r = nativeDecoder()!.decodeSync(data, webp ? 'webp' : 'png', 1e8, 1);
        if (r.status !== 'ok') continue;
        if (webp) kinds.add(data.toString('latin1', 12, 16));
        assert.deepEqual(size, { width: r.width, height: r.height }, name);
        const img = await decodeNative(data, webp ? 'webp' : 'png', { maxPixels: 1e8 });
        assert.ok(img && img.data.length === r.width * r.height * 3, `${name}: decoded by the addon into pooled pixels`);
        assert.deepEqual(Buffer.from(img.data), Buffer.from(r.data!), `${name}: the same pixels`);
      }
      t.diagnostic(`${files.length} files; WebP chunks ${[...kinds].sort().join(', ')}`);
      assert.deepEqual([...kinds].sort(), ['VP8 ', 'VP8L', 'VP8X']);
    },
  );
});

describe('a header size the addon does not decode', () => {
  test('the file is decoded again by the addon without pooled pixels, not left to sharp', { skip: skipWithout('png') }, async () => {
    const addon = nativeDecoder()!;
    const png = await sharp(await asymmetricJpeg(1))
      .png()
      .toBuffer();
    const own = addon.decodeSync(png, 'png', 1e8, 1);
    assert.equal(own.status, 'ok');
    // A size reader that is one column off: the addon refuses a pooled buffer of that size.
    const offByOne = decodePooled(() => ({ width: own.width + 1, height: own.height }));
    const refused = await addon.decode(png, 'png', 1e8, 1, Buffer.alloc((own.width + 1) * own.height * 3));
    assert.equal(refused.status, 'out_size', 'the addon refuses an output buffer of the wrong size, by its own status');
    assert.equal(refused.data, undefined);
    const img = await offByOne(addon, png, 'png', { maxPixels: 1e8 });
    assert.ok(img, 'decoded by the addon, not declined to sharp');
    assert.deepEqual([img.width, img.height], [own.width, own.height]);
    assert.deepEqual(Buffer.from(img.data), Buffer.from(own.data!));
  });

  test('the retry branches on the status, not on the message text', async () => {
    const px = Buffer.alloc(2 * 1 * 3, 7);
    /** An addon answering `first` to a pooled decode and ok without one; counts its calls. */
    const scripted = (first: NativeResult) => {
      const calls: (Buffer | undefined)[] = [];
      const addon = {
        formats: ['png'],
        libjpegTurboVersion: 0,
        decodeSync: () => first,
        decode: async (_d: Buffer, _f: NativeFormat, _m: number, _s: number, out?: Buffer): Promise<NativeResult> => {
          calls.push(out);
          return out ? first : { status: 'ok', data: px, width: 2, height: 1 };
        },
      } satisfies NativeDecoderAddon;
      return { addon, calls };
    };
    const pooled = decodePooled(() => ({ width: 3, height: 1 }));
    const req = { maxPixels: 1e8 };
    // An error whose text reads like a size mismatch is an error: declined to sharp, not decoded again.
    const error = scripted({ status: 'error', width: 0, height: 0, message: 'output buffer of 9 bytes for 6' });
    assert.equal(await pooled(error.addon, Buffer.alloc(0), 'png', req), undefined);
    assert.equal(error.calls.length, 1);
    // out_size, whatever its message, is decoded again without the pooled buffer.
    const size = scripted({ status: 'out_size', width: 0, height: 0, message: '' });
    const img = await pooled(size.addon, Buffer.alloc(0), 'png', req);
    assert.deepEqual(
      size.calls.map((b) => b?.length),
      [9, undefined],
    );
    assert.deepEqual([img?.width, img?.height], [2, 1]);
  });

  test('a JPEG whose pooled buffer the addon refuses (out_size) is decoded again without it, upright, not left to sharp', async () => {
    for (const orientation of [1, 6]) {
      const jpeg = await asymmetricJpeg(orientation);
      const px = Buffer.alloc(37 * 23 * 3, 9);
      const calls: (number | undefined)[] = [];
      /** Answers `first` to a pooled decode and the 37 x 23 pixels without one. */
      const scripted = (first: NativeResult): NativeDecoderAddon => ({
        formats: ['jpeg'],
        libjpegTurboVersion: 0,
        decodeSync: () => first,
        decode: async (_d: Buffer, _f: NativeFormat, _m: number, _s: number, out?: Buffer): Promise<NativeResult> => {
          calls.push(out?.length);
          return out ? first : { status: 'ok', data: px, width: 37, height: 23 };
        },
      });
      const img = await decodeJpeg(scripted({ status: 'out_size', width: 0, height: 0, message: '' }), jpeg, 'jpeg', { maxPixels: 1e8 });
      assert.deepEqual(calls, [37 * 23 * 3, undefined], `orientation ${orientation}: retried without the pooled buffer`);
      assert.deepEqual([img?.width, img?.height, img?.originalWidth], orientation === 6 ? [23, 37, 23] : [37, 23, 37]);
      calls.length = 0;
      assert.equal(await decodeJpeg(scripted({ status: 'error', width: 0, height: 0, message: 'output buffer' }), jpeg, 'jpeg', { maxPixels: 1e8 }), undefined);
      assert.deepEqual(calls, [37 * 23 * 3], 'any other status is declined to sharp, not retried');
    }
  });
});
