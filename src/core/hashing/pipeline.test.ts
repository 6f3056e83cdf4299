/** The pipeline's crop pass: a pass that throws or fails leaves the views to hashCrops, never the file failed. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CropFacts, CropPassHasher } from '../crops/cropPass.js';
import type { DecodedImage } from '../image/decode.js';
import { nativeKernelsInfo } from '../kernels/kernels.js';
import { randomBytes } from '../testing/kernelInputs.js';
import { startCropPass } from './pipeline.js';

const PHASH16: CropPassHasher = { order: 'rgb', side: 64, bits: { off: 0, size: 16, excludeFirst: false } };
const img = (w: number, h: number, data = randomBytes(w * h * 3, 5)): DecodedImage => ({ data, width: w, height: h }) as DecodedImage;

test('startCropPass: a pass that throws at once or fails on the pool gives no facts (hashCrops measures the views), one that works gives its facts', async () => {
  const picture = img(300, 200);
  const facts = { hasher: PHASH16, box: undefined, bits: [], colors: new Uint8Array(0) } satisfies CropFacts;
  assert.equal(
    startCropPass(picture, PHASH16, () => {
      throw new Error('cropPass: could not queue the work');
    }),
    undefined,
  );
  assert.equal(await startCropPass(picture, PHASH16, () => Promise.reject(new Error('cropPass: out of memory'))), undefined);
  assert.equal(
    startCropPass(picture, PHASH16, () => undefined),
    undefined,
  );
  assert.equal(await startCropPass(picture, PHASH16, () => Promise.resolve(facts)), facts);
});

test('startCropPass: the kernels addon throwing synchronously (arguments it rejects) is caught, not a failed file', async (t) => {
  const info = nativeKernelsInfo();
  if (!info.available) return t.skip(`the kernels addon is not available (${info.reason})`);
  // Pixels shorter than width x height x 3: crop_pass_args throws a RangeError before any work is queued.
  assert.equal(startCropPass(img(300, 200, new Uint8Array(300)), PHASH16), undefined);
  const facts = await startCropPass(img(300, 200), PHASH16);
  assert.ok(facts && facts.bits.length === 10, 'the real pass on good pixels gives the ten views');
});
