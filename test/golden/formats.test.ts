/**
 * Every format cv2.imread reads, with cv2's pixels: each file of test/golden/formats/fixtures (made by
 * make_fixtures.py with Debian 12's OpenCV 4.6 and perception) decodes to exactly the RGB bytes cv2.imread
 * gives (sha256), and hashes to perception's own PHash(16) and DHash(16) strings; a file cv2 cannot read
 * gives an error code, never a hash. Formats that need a library the native addon was built without
 * (TIFF: libtiff, JPEG 2000: OpenJPEG) are skipped with a message naming it, except in CI
 * (MEDIA_DEDUPE_REQUIRE_NATIVE=1), where they run and fail.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodeImage, decodeImageBuffer } from '../../src/core/image/decode.js';
import { nativeDecoderInfo } from '../../src/core/image/nativeDecoder.js';
import { createPHash } from '../../src/core/hashers/phash.js';
import { createDHash } from '../../src/core/hashers/dhash.js';
import { encodeHash } from '../../src/core/hashers/format.js';
import { MediaError } from '../../src/core/errors.js';

const DIR = join(__dirname, 'formats');
interface Expected {
  readonly cv2: { width: number; height: number; sha256: string } | null;
  readonly perception: Record<string, string> | null;
}
const { files } = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as { files: Record<string, Expected> };
const HASHERS = { phash16: createPHash({ hashSize: 16 }), dhash16: createDHash({ hashSize: 16 }) };

/** Which native decoder a fixture needs, by its name's prefix (the fixtures are named for their format). */
const NEEDS: Record<string, string> = { tiff: 'tiff', jp2: 'jp2', j2k: 'jp2', png16: 'png', cmyk: 'jpeg', jpeg: 'jpeg' };
const required = process.env.MEDIA_DEDUPE_REQUIRE_NATIVE === '1';
const info = nativeDecoderInfo();
function skipReason(name: string): string | false {
  const needs = NEEDS[name.split('_')[0]];
  if (!needs || required) return false;
  if (!info.available) return `${name}: needs the native decoder addon (${info.reason})`;
  if (!(info.formats as readonly string[]).includes(needs))
    return `${name}: the native decoder addon was built without ${needs} (no headers for its library at install)`;
  return false;
}

const ERROR_CODES = ['TRUNCATED_IMAGE', 'CORRUPT_IMAGE', 'UNSUPPORTED_FORMAT'];

describe('formats cv2.imread reads: cv2 pixels and perception hashes', () => {
  for (const [name, want] of Object.entries(files)) {
    test(name, { skip: skipReason(name) }, async () => {
      const path = join(DIR, 'fixtures', name);
      if (!want.cv2) {
        await assert.rejects(decodeImage(path), (e: unknown) => {
          assert.ok(e instanceof MediaError, `${name}: ${String(e)}`);
          assert.ok(ERROR_CODES.includes(e.code), `${name}: cv2.imread cannot read it; got ${e.code}: ${e.message}`);
          return true;
        });
        return;
      }
      const img = await decodeImage(path);
      assert.deepEqual([img.width, img.height], [want.cv2.width, want.cv2.height], `${name}: size`);
      assert.equal(createHash('sha256').update(img.data).digest('hex'), want.cv2.sha256, `${name}: pixels differ from cv2.imread's`);
      for (const [hasher, hash] of Object.entries(want.perception ?? {})) {
        const h = HASHERS[hasher as keyof typeof HASHERS];
        assert.equal(encodeHash(h.compute(img)!, h.dtype), hash, `${name}: ${hasher}`);
      }
    });
  }
});

describe('formats cv2.imread does not read', () => {
  test('AVIF decodes through sharp (no perception hash exists to compare with); HEIC and JPEG XL stay UNSUPPORTED_FORMAT (src/core/image/decode.test.ts)', async () => {
    const px = Buffer.alloc(16 * 12 * 3, 0);
    for (let i = 0; i < px.length; i += 3) px[i] = 200;
    const avif = await sharp(px, { raw: { width: 16, height: 12, channels: 3 } })
      .avif({ lossless: true })
      .toBuffer();
    const img = await decodeImageBuffer(avif, 'x.avif');
    assert.equal(img.format, 'avif');
    assert.deepEqual([img.width, img.height], [16, 12]);
    assert.ok(Math.abs(img.data[0] - 200) <= 2 && img.data[1] <= 2, `red stays red: ${img.data.subarray(0, 3).join(',')}`);
  });
});
