/** A tiny PNG writer, so tests and the bench make thousands of small images without an image library. */
import { deflateSync } from 'node:zlib';
import { xorshift32 } from './plantedHashes.js';

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** An 8-bit RGB PNG of raw pixels (width x height x 3 bytes, row by row). */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 3);
    raw[row] = 0; // filter: none
    raw.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), row + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The pixels of makePng: `size` x `size` RGB in 4x4-pixel blocks from a seeded generator. */
export function blockPixels(seed: number, size = 32): Buffer {
  const next = xorshift32((seed * 2654435761 + 1) >>> 0);
  const rnd = (): number => next() & 0xff;
  const blocks = size / 4;
  const colours = Array.from({ length: blocks * blocks }, () => [rnd(), rnd(), rnd()]);
  const px = Buffer.alloc(size * size * 3);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) px.set(colours[(y >> 2) * blocks + (x >> 2)], (y * size + x) * 3);
  return px;
}

/** An RGB PNG of `size` x `size` made of 4x4-pixel blocks from a seeded generator: distinct images, distinct hashes. */
export function makePng(seed: number, size = 32): Buffer {
  return encodePng(size, size, blockPixels(seed, size));
}

/**
 * Variant `k` of makePng(seed): the same picture with one pixel changed (pixel k mod size², set to a
 * colour from k), so every variant has its own bytes and fingerprint but the same hash as the others
 * or one a few bits away (the smaller the picture, the more often): what thumbnails of one frame or a
 * logo saved many times look like to the scan.
 */
export function onePixelVariant(seed: number, k: number, size = 32): Buffer {
  const px = blockPixels(seed, size);
  const at = (k % (size * size)) * 3;
  const v = Math.floor(k / (size * size));
  px[at] = (px[at] + 1 + (k % 251) + v) & 0xff;
  px[at + 1] = (px[at + 1] + 7 + v) & 0xff;
  return encodePng(size, size, px);
}
