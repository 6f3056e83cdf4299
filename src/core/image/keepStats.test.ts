import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { xorshift32 } from '../testing/plantedHashes.js';
import { decodeImageBuffer } from './decode.js';
import { blockGridScore, contentSize, jpegQualityOf, keepStatsOf, REENCODED_GRID } from './keepStats.js';

const W = 256;
const H = 192;

/** Photo-like texture: a few gradients and waves plus seeded grain, so 8x8 blocks carry real AC energy. */
function texture(seed: number): Buffer {
  const next = xorshift32(seed);
  const px = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      for (let c = 0; c < 3; c++) {
        const v = 128 + 50 * Math.sin((x * (c + 1)) / 9 + y / 13) + 30 * Math.cos((y * (c + 2)) / 7 - x / 17) + ((next() & 31) - 16);
        px[(y * W + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
      }
  return px;
}

const raw = (seed: number): sharp.Sharp => sharp(texture(seed), { raw: { width: W, height: H, channels: 3 } });
const decode = (b: Buffer, name: string) => decodeImageBuffer(b, name);

describe('jpegQualityOf', () => {
  it('reads the IJG quality back from the quantisation tables', async () => {
    for (const q of [40, 75, 90, 95]) {
      const jpeg = await raw(1).jpeg({ quality: q }).toBuffer();
      const got = jpegQualityOf(jpeg);
      assert.ok(got !== undefined && Math.abs(got - q) <= 1, `quality ${q}: got ${got}`);
    }
  });

  it('is undefined for bytes that are not a JPEG', async () => {
    assert.equal(jpegQualityOf(await raw(1).png().toBuffer()), undefined);
    assert.equal(jpegQualityOf(new Uint8Array([0xff, 0xd8, 0x00])), undefined);
  });
});

describe('blockGridScore', () => {
  it('tells a PNG saved from a JPEG from a PNG that never was one', async () => {
    for (const seed of [1, 2, 3]) {
      const original = await decode(await raw(seed).png().toBuffer(), 'o.png');
      const fromJpeg = await raw(seed).jpeg({ quality: 90 }).toBuffer();
      const reencoded = await decode(await sharp(fromJpeg).png().toBuffer(), 'r.png');
      const o = blockGridScore(original);
      const r = blockGridScore(reencoded);
      assert.ok(o < REENCODED_GRID, `seed ${seed}: never-JPEG PNG scored ${o}`);
      assert.ok(r >= REENCODED_GRID, `seed ${seed}: PNG from a JPEG scored ${r}`);
    }
  });

  it('does not flag lossless pictures whose edges sit on the 8x8 grid (pixel art) or flat clipart; flags the clipart saved as a JPEG first', async () => {
    for (const cell of [4, 8, 16]) {
      const next = xorshift32(cell);
      const px = Buffer.alloc(32 * 24 * 3);
      for (let i = 0; i < px.length; i++) px[i] = next() & 0xff;
      const art = await sharp(px, { raw: { width: 32, height: 24, channels: 3 } })
        .resize(32 * cell, 24 * cell, { kernel: 'nearest' })
        .png()
        .toBuffer();
      assert.ok(blockGridScore(await decode(art, 'art.png')) < REENCODED_GRID, `pixel art on ${cell} px cells`);
    }
    const shapes = Array.from(
      { length: 20 },
      (_, i) => `<circle cx="${(i * 97) % 600}" cy="${(i * 57) % 400}" r="${10 + ((i * 7) % 40)}" fill="hsl(${(i * 47) % 360},70%,50%)"/>`,
    );
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400"><rect width="100%" height="100%" fill="#f0f0f0"/>${shapes.join('')}</svg>`;
    const clipart = await sharp(Buffer.from(svg)).png().toBuffer();
    assert.ok(blockGridScore(await decode(clipart, 'c.png')) < REENCODED_GRID, 'flat clipart');
    const viaJpeg = await sharp(await sharp(clipart).jpeg({ quality: 90 }).toBuffer())
      .png()
      .toBuffer();
    assert.ok(blockGridScore(await decode(viaJpeg, 'r.png')) >= REENCODED_GRID, 'clipart saved as a JPEG, then as PNG');
  });

  it('scores a flat or tiny image 0', async () => {
    const flat = await decode(
      await sharp({ create: { width: 64, height: 64, channels: 3, background: '#808080' } })
        .png()
        .toBuffer(),
      'f.png',
    );
    assert.equal(blockGridScore(flat), 0);
    const tiny = await decode(await raw(1).resize(12, 9).png().toBuffer(), 't.png');
    assert.equal(blockGridScore(tiny), 0);
  });
});

describe('contentSize / keepStatsOf', () => {
  it('leaves uniform borders out, keeps a picture without them whole', async () => {
    const padded = await decode(await raw(4).extend({ top: 20, bottom: 20, left: 30, right: 30, background: '#ffffff' }).png().toBuffer(), 'p.png');
    assert.deepEqual(contentSize(padded), { width: W, height: H });
    const plain = await decode(await raw(4).png().toBuffer(), 'x.png');
    assert.deepEqual(contentSize(plain), { width: W, height: H });
    assert.equal(keepStatsOf(plain, undefined).contentWidth, undefined, 'no trim recorded when nothing was trimmed');
    const s = keepStatsOf(padded, undefined);
    assert.deepEqual([s.contentWidth, s.contentHeight], [W, H]);
    assert.ok(s.blockGrid !== undefined, 'lossless files get a grid score');
  });

  it('gives JPEGs their quality and no grid score', async () => {
    const jpeg = await raw(5).jpeg({ quality: 80 }).toBuffer();
    const s = keepStatsOf(await decode(jpeg, 'j.jpg'), jpegQualityOf(jpeg));
    assert.equal(s.blockGrid, undefined);
    assert.equal(s.jpegQuality, 80);
  });
});
