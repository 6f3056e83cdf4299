/**
 * Every kind of bad input becomes a MediaError with its own code and a message a person can act on.
 * The bad files are made in a temporary folder (src/core/testing/badFiles.ts).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessSync, constants } from 'node:fs';
import { MediaError } from '../errors.js';
import { BAD_FILES as CASES, makeBadFiles, type BadFiles } from '../testing/badFiles.js';
import { decodeImage } from './decode.js';

let files: BadFiles;
const p = (name: string): string => files.p(name);

before(async () => {
  files = await makeBadFiles();
});

after(() => files.cleanup());

async function codeOf(name: string, opts = {}): Promise<MediaError> {
  try {
    await decodeImage(p(name), opts);
  } catch (e) {
    assert.ok(e instanceof MediaError, `expected a MediaError, got ${String(e)}`);
    assert.equal(e.path, p(name), 'the error names the file');
    return e;
  }
  assert.fail(`${name} decoded without error`);
}

/** Root reads files whatever their mode, so the permission case can only be checked as another user. */
function rootCanReadAnyway(): boolean {
  try {
    accessSync(p('locked.jpg'), constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

describe('decodeImage: bad inputs', () => {
  for (const [file, code, message] of CASES) {
    test(`${file} -> ${code}`, async () => {
      const e = await codeOf(file);
      assert.equal(e.code, code, e.message);
      assert.match(e.message, message);
    });
  }

  test('unreadable file (chmod 000) -> UNREADABLE', async (t) => {
    if (rootCanReadAnyway()) {
      t.skip('running as root (or with CAP_DAC_OVERRIDE): the file stays readable whatever its mode');
      return;
    }
    const e = await codeOf('locked.jpg');
    assert.equal(e.code, 'UNREADABLE');
    assert.match(e.message, /Permission denied/);
  });

  test('a damaged file says what the decoder found, when it decodes alone', async () => {
    assert.match((await codeOf('corrupt.jpg')).message, /Huffman/);
  });

  test('the pixel limit is configurable', async () => {
    const e = await codeOf('good.jpg', { maxPixels: 10_000 });
    assert.equal(e.code, 'TOO_LARGE');
    assert.match(e.message, /declares 256 x 170 pixels/);
    const ok = await decodeImage(p('good.jpg'), { maxPixels: 256 * 170 });
    assert.equal(ok.width, 256);
  });

  test('the codes are distinct per kind of problem', () => {
    const kinds = new Set(CASES.map(([, code]) => code));
    assert.equal(kinds.size, 10); // EMPTY, TRUNCATED, CORRUPT, NOT_AN_IMAGE, TOO_LARGE, UNSUPPORTED, NOT_FOUND, NOT_A_FILE, BROKEN_SYMLINK, SYMLINK_LOOP (+ UNREADABLE)
  });
});
