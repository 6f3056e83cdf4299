/**
 * Every kind of bad input, made in a temporary folder (no binary fixtures in git): the decoder's and the
 * hashing pipeline's tests check that each becomes a record with its own code and a message a person can act on.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { FIXTURES_DIR } from './dataDirs.js';

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

/** Beside the bad files: good.jpg (a fixture photo) and locked.jpg (the same photo, mode 000). */
export interface BadFiles {
  readonly dir: string;
  /** the path of a file in the folder */
  readonly p: (name: string) => string;
  readonly cleanup: () => void;
}

export async function makeBadFiles(): Promise<BadFiles> {
  const dir = mkdtempSync(join(tmpdir(), 'md-decode-'));
  const p = (name: string): string => join(dir, name);
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
  const cleanup = (): void => {
    try {
      chmodSync(p('locked.jpg'), 0o644);
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { dir, p, cleanup };
}

/** Each bad file, the code it must get and what its message must say. */
export const BAD_FILES: ReadonlyArray<readonly [file: string, code: string, message: RegExp]> = [
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
