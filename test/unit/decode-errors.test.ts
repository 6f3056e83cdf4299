/**
 * Every kind of bad input becomes a record with its own code and a message a person can act on,
 * and hashing many files goes on past them. The bad files are made here, in a temporary folder.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, accessSync, constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { MediaError } from '../../src/core/errors.js';
import { hashFiles } from '../../src/core/hashing/hashFiles.js';
import { decodeImage } from '../../src/core/image/decode.js';
import { readJpegHeader } from '../../src/core/image/jpegHeader.js';
import { FIXTURES_DIR } from '../helpers/shared.js';

let dir: string;
const p = (name: string): string => join(dir, name);

function crc32(buf: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of buf) {
    let c = (crc ^ byte) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A valid PNG whose header declares 100000 x 100000 RGB pixels, in a few hundred bytes: a decompression bomb. */
function bombPng(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(100000, 0);
  ihdr.writeUInt32BE(100000, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(1024))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A 2 x 2 Windows BMP whose pixels are declared JPEG-compressed (BI_JPEG): a BMP variant cv2.imread does not read. */
function bmp(): Buffer {
  const row = 8; // 2 pixels x 3 bytes, padded to 4
  const size = 54 + row * 2;
  const b = Buffer.alloc(size);
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(size, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(2, 18);
  b.writeInt32LE(2, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  b.writeUInt32LE(4, 30);
  b.writeUInt32LE(row * 2, 34);
  b.fill(0x80, 54);
  return b;
}

/** The start of a HEIC photo as iPhones write it: an ftyp box with the heic brand. */
function heicHeader(): Buffer {
  const b = Buffer.alloc(64);
  b.writeUInt32BE(24, 0);
  b.write('ftypheic', 4, 'latin1');
  b.write('mif1heic', 16, 'latin1');
  b.writeUInt32BE(40, 24);
  b.write('meta', 28, 'latin1');
  return b;
}

function mp4Header(): Buffer {
  const b = Buffer.alloc(64);
  b.writeUInt32BE(32, 0);
  b.write('ftypisom', 4, 'latin1');
  b.write('isomiso2avc1mp41', 16, 'latin1');
  return b;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'md-decode-'));
  const jpg = readFileSync(join(FIXTURES_DIR, 'images', 'chelsea.jpg'));
  writeFileSync(p('good.jpg'), jpg);
  writeFileSync(p('empty.jpg'), Buffer.alloc(0));
  writeFileSync(p('truncated.jpg'), jpg.subarray(0, Math.floor(jpg.length * 0.6)));
  const png = await sharp(jpg).png().toBuffer();
  writeFileSync(p('truncated.png'), png.subarray(0, Math.floor(png.length * 0.5)));
  writeFileSync(p('notes.jpg'), 'These are my holiday notes, not a picture.\n');
  writeFileSync(p('bomb.png'), bombPng());
  writeFileSync(p('picture.bmp'), bmp());
  writeFileSync(p('photo.heic'), heicHeader());
  writeFileSync(p('photo.jxl'), Buffer.from([0xff, 0x0a, 0xfa, 0x7f, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00]));
  writeFileSync(p('clip.jpg'), mp4Header());
  // A JPEG whose Huffman table is garbage: complete, but damaged.
  const bad = Buffer.from(jpg);
  const dht = bad.indexOf(Buffer.from([0xff, 0xc4]));
  bad.fill(0xff, dht + 5, dht + 21);
  writeFileSync(p('corrupt.jpg'), bad);
  mkdirSync(p('folder.jpg'));
  symlinkSync(p('does-not-exist.jpg'), p('dangling.jpg'));
  symlinkSync(p('loop-b.jpg'), p('loop-a.jpg'));
  symlinkSync(p('loop-a.jpg'), p('loop-b.jpg'));
  writeFileSync(p('locked.jpg'), jpg);
  chmodSync(p('locked.jpg'), 0o000);
});

after(() => {
  try {
    chmodSync(p('locked.jpg'), 0o644);
  } catch {
    // already gone
  }
  rmSync(dir, { recursive: true, force: true });
});

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

const CASES: ReadonlyArray<readonly [file: string, code: string, message: RegExp]> = [
  ['empty.jpg', 'EMPTY_FILE', /empty \(0 bytes\)/],
  ['truncated.jpg', 'TRUNCATED_IMAGE', /JPEG file ends before its image data/],
  ['truncated.png', 'TRUNCATED_IMAGE', /PNG file ends before its image data/],
  ['corrupt.jpg', 'CORRUPT_IMAGE', /JPEG file is damaged and cannot be decoded: /],
  ['notes.jpg', 'NOT_AN_IMAGE', /text file, not an image/],
  ['clip.jpg', 'NOT_AN_IMAGE', /video .*MP4/],
  ['bomb.png', 'TOO_LARGE', /declares 100000 x 100000 pixels .* above the limit of 100 megapixels/],
  ['picture.bmp', 'UNSUPPORTED_FORMAT', /BMP image cannot be decoded: compression 4 .*cv2\.imread does not read either.*convert/],
  ['photo.heic', 'UNSUPPORTED_FORMAT', /HEIC .* not supported: .*no HEVC decoder/],
  ['photo.jxl', 'UNSUPPORTED_FORMAT', /JPEG XL images are not supported/],
  ['missing.jpg', 'NOT_FOUND', /No such file/],
  ['folder.jpg', 'NOT_A_FILE', /directory, not a regular file/],
  ['dangling.jpg', 'BROKEN_SYMLINK', /symbolic link whose target does not exist/],
  ['loop-a.jpg', 'SYMLINK_LOOP', /link loop/],
];

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

describe('hashFiles: bad files become records, the rest go on', () => {
  // Several bad files decode at once here: libvips shares one error buffer between them, so this also checks
  // that the codes come from each file's structure and not from whichever message the decoder left.
  for (let round = 0; round < 5; round++)
    test(`one outcome per file, in input order, with the decoder codes (round ${round + 1}, 8 in flight)`, async () => {
      const names = ['good.jpg', ...CASES.map(([f]) => f), 'good.jpg'];
      const seen: number[] = [];
      const out = await hashFiles(names.map(p), [{ name: 'phash' }], { concurrency: 8, onResult: (_o, i) => seen.push(i) });
      assert.equal(out.length, names.length);
      assert.deepEqual(
        seen.sort((a, b) => a - b),
        names.map((_, i) => i),
      );
      out.forEach((o, i) => assert.equal(o.path, p(names[i])));
      assert.ok(out[0].ok && out[out.length - 1].ok);
      for (let i = 0; i < CASES.length; i++) {
        const o = out[i + 1];
        assert.ok(!o.ok);
        assert.equal(o.error.code, CASES[i][1], `${CASES[i][0]}: ${o.error.message}`);
        assert.match(o.error.message, CASES[i][2]);
      }
    });
});
