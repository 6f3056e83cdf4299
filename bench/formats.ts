/**
 * Decode cost of the formats read for cv2.imread parity outside sharp: BMP, Netpbm and PFM in
 * TypeScript, TIFF and JPEG 2000 in the native addon, beside the same picture as a PNG (the native PNG
 * path) for scale. One 2000x1500 picture of random pixels (the worst case for the RLE-free formats: every
 * byte differs), encoded once per format; `decodeImageBuffer` timed in interleaved rounds, medians.
 */
import sharp from 'sharp';
import { decodeImageBuffer } from '../src/core/image/decode.js';
import { nativeDecoderInfo } from '../src/core/image/nativeDecoder.js';
import type { BenchContext } from './context.js';
import { formatTable, median } from './table.js';

const W = 2000;
const H = 1500;

/** Deterministic noise (xorshift32), so every run times the same bytes. */
function randomRgb(): Buffer {
  const px = Buffer.alloc(W * H * 3);
  let s = 0x9e3779b9;
  for (let i = 0; i < px.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    px[i] = s & 0xff;
  }
  return px;
}

/** An uncompressed bottom-up BMP: 24-bit BGR, or 8-bit indices into a 256-entry grey palette. */
function bmp(rgb: Buffer, bits: 24 | 8): Buffer {
  const stride = Math.ceil((W * bits) / 32) * 4;
  const palette = bits === 8 ? 1024 : 0;
  const offset = 54 + palette;
  const out = Buffer.alloc(offset + stride * H);
  out.write('BM', 0, 'ascii');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(offset, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(W, 18);
  out.writeInt32LE(H, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(bits, 28);
  out.writeUInt32LE(stride * H, 34);
  for (let i = 0; i < palette / 4; i++) out.fill(i, 54 + i * 4, 54 + i * 4 + 3);
  for (let y = 0; y < H; y++) {
    const row = offset + (H - 1 - y) * stride;
    for (let x = 0; x < W; x++) {
      const s = (y * W + x) * 3;
      if (bits === 8) out[row + x] = rgb[s];
      else {
        out[row + x * 3] = rgb[s + 2];
        out[row + x * 3 + 1] = rgb[s + 1];
        out[row + x * 3 + 2] = rgb[s];
      }
    }
  }
  return out;
}

async function encodings(rgb: Buffer): Promise<Array<[string, string, Buffer]>> {
  const raw = { raw: { width: W, height: H, channels: 3 as const } };
  const grey = Buffer.alloc(W * H);
  for (let i = 0; i < grey.length; i++) grey[i] = rgb[i * 3];
  const out: Array<[string, string, Buffer]> = [
    ['BMP 24-bit', 'x.bmp', bmp(rgb, 24)],
    ['BMP 8-bit palette', 'x.bmp', bmp(rgb, 8)],
    ['PPM binary (P6)', 'x.ppm', Buffer.concat([Buffer.from(`P6\n${W} ${H}\n255\n`), rgb])],
    ['PGM binary (P5)', 'x.pgm', Buffer.concat([Buffer.from(`P5\n${W} ${H}\n255\n`), grey])],
    ['PNG (compression 1)', 'x.png', await sharp(rgb, raw).png({ compressionLevel: 1 }).toBuffer()],
  ];
  const formats = nativeDecoderInfo().formats as readonly string[];
  if (formats.includes('tiff')) out.push(['TIFF (uncompressed)', 'x.tif', await sharp(rgb, raw).tiff({ compression: 'none' }).toBuffer()]);
  if (formats.includes('tiff')) out.push(['TIFF (LZW)', 'x.tif', await sharp(rgb, raw).tiff({ compression: 'lzw' }).toBuffer()]);
  return out;
}

export async function benchFormats(ctx: BenchContext): Promise<void> {
  const cases = await encodings(randomRgb());
  const times = cases.map((): number[] => []);
  const rounds = Math.max(ctx.rounds, 5);
  for (let r = 0; r < rounds + 1; r++) {
    for (const [i, [, name, data]] of cases.entries()) {
      const t0 = process.hrtime.bigint();
      await decodeImageBuffer(data, name);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r > 0) times[i].push(ms); // round 0 warms the JIT and the addon
    }
  }
  ctx.out(
    formatTable(
      `decodeImageBuffer on a ${W}x${H} picture of random pixels, median of ${rounds} interleaved rounds (ms)`,
      ['format', 'file MB', 'decode ms'],
      cases.map(([label, , data], i) => [label, Number((data.length / 1e6).toFixed(1)), median(times[i])]),
    ),
  );
}
