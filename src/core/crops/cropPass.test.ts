import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RgbImage } from '../cv/types.js';
import { cellMeans } from '../hashers/colorSignature.js';
import { hashCrops, prepareHashers } from '../hashing/hashImage.js';
import { decodeImage } from '../image/decode.js';
import { nativeKernelsInfo } from '../kernels/kernels.js';
import { randomBytes } from '../testing/kernelInputs.js';
import { benchImageFiles, sharedSkipReason } from '../testing/dataDirs.js';
import { cropPass, cropPassSync, type CropFacts, type CropPassHasher } from './cropPass.js';
import { contentBox } from './cropWindows.js';
import { greyViewBits } from './greyViews.js';
import { VIEW_COLOR_CELLS } from './viewColors.js';

const PHASH16: CropPassHasher = { order: 'rgb', side: 64, bits: { off: 0, size: 16, excludeFirst: false } };

/** Noise on a uniform border of `pad` pixels (none: 0), w x h in all. */
function picture(w: number, h: number, pad: number, seed: number): RgbImage {
  const data = randomBytes(w * h * 3, seed);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (x < pad || y < pad || x >= w - pad || y >= h - pad) data.set([250, 250, 250], (y * w + x) * 3);
  return { data, width: w, height: h };
}

/** What hashCrops measures on the main thread, one kernel at a time. */
function mainThread(img: RgbImage, h: CropPassHasher): Omit<CropFacts, 'hasher'> {
  const box = contentBox(img);
  return { box, bits: greyViewBits(img, h.order, h.side, h.bits, box)!, colors: cellMeans(img, 0, 0, img.width, img.height, VIEW_COLOR_CELLS) };
}

function assertSame(f: CropFacts | undefined, img: RgbImage, h: CropPassHasher, what: string): void {
  assert.ok(f, `${what}: measured`);
  const m = mainThread(img, h);
  assert.deepEqual(f.box, m.box, `${what}: content box`);
  assert.deepEqual(
    f.bits.map((b) => b && Array.from(b)),
    m.bits.map((b) => b && Array.from(b)),
    `${what}: views' bits`,
  );
  assert.deepEqual(Array.from(f.colors), Array.from(m.colors), `${what}: view colours`);
}

test("the crop pass gives the main-thread steps' box, bits and colours (borders or none, integer and other factors, both greys, both blocks)", async (t) => {
  const info = nativeKernelsInfo();
  if (!info.available) return t.skip(`the kernels addon is not available (${info.reason})`);
  const hashers: CropPassHasher[] = [
    PHASH16,
    { order: 'bgr', side: 64, bits: { off: 1, size: 8, excludeFirst: true } },
    { order: 'rgb', side: 32, bits: { off: 0, size: 8, excludeFirst: true } },
  ];
  const sizes: [number, number, number][] = [
    [640, 480, 0],
    [640, 480, 40],
    [276, 414, 0], // 2 x 3 blocks of the 138-cell grid
    [138, 138, 0], // the grid itself
    [301, 157, 12],
    [1000, 150, 3],
  ];
  let k = 0;
  for (const h of hashers)
    for (const [w, hh, pad] of sizes) {
      if (w < 2 * h.side + 10 || hh < 2 * h.side + 10) continue;
      const img = picture(w, hh, pad, 77 + k++);
      const what = `${w} x ${hh}, border ${pad}, ${h.order} ${h.side} ${h.bits.off}+${h.bits.size}`;
      assertSame(cropPassSync(img, h), img, h, `${what} (sync)`);
      assertSame(await cropPass(img, h), img, h, `${what} (pool)`);
    }
  assert.equal(cropPass(picture(137, 400, 0, 1), PHASH16), undefined, 'a picture narrower than the grid is left to the main thread');
});

test('the crop pass on pictures of bench/images: the same crop hashes as the main thread', async (t) => {
  const info = nativeKernelsInfo();
  if (!info.available) return t.skip(`the kernels addon is not available (${info.reason})`);
  const reason = sharedSkipReason('bench/images');
  if (reason) return t.skip(reason);
  const files = benchImageFiles(/\.(png|webp|jpe?g)$/i);
  const picked = files.filter((_, k) => k % Math.max(1, Math.floor(files.length / 60)) === 0);
  const hashers = prepareHashers([{ name: 'phash', hashSize: 16 }]);
  let measured = 0;
  let boxes = 0;
  for (const f of picked) {
    const img = await decodeImage(f);
    const facts = await cropPass(img, PHASH16);
    if (!facts) continue;
    measured++;
    if (facts.box) boxes++;
    assertSame(facts, img, PHASH16, f);
    assert.deepEqual(hashCrops(f, img, hashers, 'base64', facts), hashCrops(f, img, hashers, 'base64'), `${f}: crop hashes`);
  }
  t.diagnostic(`${measured} of ${picked.length} pictures measured on the pool (${boxes} with a content box): the same`);
  assert.ok(measured >= 20 && boxes >= 1, `${measured} measured, ${boxes} with a box`);
});
