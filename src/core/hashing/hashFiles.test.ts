import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../../../test/helpers/shared.js';
import { colorSignature, decodeColorSignature } from '../hashers/colorSignature.js';
import { decodeImage } from '../image/decode.js';
import { hashFiles } from './hashFiles.js';

const FIXTURES = join(FIXTURES_DIR, 'images');

const PHOTOS = ['chelsea.jpg', 'retina.jpg', 'ihc.jpg'];

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
