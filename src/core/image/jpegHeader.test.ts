import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { FIXTURES_DIR } from '../testing/dataDirs.js';
import { readJpegHeader } from './jpegHeader.js';

describe('readJpegHeader', () => {
  test('size and EXIF orientation from the markers', async () => {
    const jpg = readFileSync(join(FIXTURES_DIR, 'images', 'chelsea.jpg'));
    assert.deepEqual(readJpegHeader(jpg), { width: 256, height: 170, orientation: 1 });
    for (const orientation of [3, 6, 8]) {
      const rotated = await sharp(jpg).withMetadata({ orientation }).jpeg().toBuffer();
      assert.deepEqual(readJpegHeader(rotated), { width: 256, height: 170, orientation });
    }
    assert.equal(readJpegHeader(jpg.subarray(0, 40)), undefined);
    assert.equal(readJpegHeader(Buffer.from('not a jpeg')), undefined);
  });
});
