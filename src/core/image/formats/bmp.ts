/**
 * Windows/OS2 BMP -> 8-bit RGB, exactly as cv2.imread(path) (IMREAD_COLOR) decodes it with OpenCV 4.6's
 * BmpDecoder, so perception's hashes come out the same. Re-implemented from the format and checked pixel
 * for pixel against cv2 on generated and real files (test/golden/formats.test.ts); what OpenCV does
 * that a BMP reader might not:
 * - 1/4/8-bit palettes always give colour (a grey palette expands), entries past the file's palette are
 *   black; 16-bit is 5-5-5 (or 5-6-5 with those exact bit fields) widened by a left shift, without
 *   replicating the high bits (31 -> 248); 32-bit takes bytes B, G, R whatever the bit fields say.
 * - RLE8/RLE4: skipped pixels (delta, end of line, end of bitmap) take palette entry 0; an RLE4
 *   end-of-bitmap only ends the line; a run that would cross the end of a line fails the whole file.
 * - Only these combinations are read: 1/4/8/24/32-bit uncompressed, 16/32-bit uncompressed or bit
 *   fields (16-bit: 5-5-5 or 5-6-5 only), RLE4, RLE8; headers of 12 (OS/2) or at least 36 bytes.
 *   Anything else (JPEG/PNG inside a BMP, other masks) is UNSUPPORTED_FORMAT: cv2.imread returns None.
 * - Every read past the end of the file fails it (TRUNCATED_IMAGE), padding of the last row included.
 */
import type { RgbImage } from '../../cv/types.js';
import { ByteReader, FormatFailure, sizeFrom } from './byteReader.js';

const BI_RGB = 0;
const BI_RLE8 = 1;
const BI_RLE4 = 2;
const BI_BITFIELDS = 3;

interface BmpHeader {
  readonly width: number;
  readonly height: number;
  readonly bottomUp: boolean;
  /** 15 for 5-5-5 16-bit, 16 for 5-6-5, else the file's bit count. */
  readonly bpp: number;
  readonly compression: number;
  readonly offset: number;
  /** 256 entries of R, G, B (zero past the file's palette). */
  readonly palette: Uint8Array;
}

const unsupported = (what: string): FormatFailure => new FormatFailure('unsupported', `${what}: a BMP variant that cv2.imread does not read either`);

function readHeader(b: Uint8Array): BmpHeader {
  const r = new ByteReader(b);
  r.skip(10);
  const offset = r.i32();
  const size = r.i32();
  if (size <= 0) throw new FormatFailure('corrupt', `its header size is ${size}`);
  const palette = new Uint8Array(256 * 3);
  let width: number;
  let height: number;
  let bpp: number;
  let compression = BI_RGB;
  if (size >= 36) {
    width = r.i32();
    height = r.i32();
    bpp = r.i32() >> 16;
    compression = r.i32();
    if (compression < 0 || compression > BI_BITFIELDS) throw unsupported(`compression ${compression >>> 0} (4 and 5 embed a JPEG or PNG)`);
    r.skip(12);
    const clrUsed = r.i32();
    if (bpp === 32 && compression === BI_BITFIELDS && size >= 56) {
      r.bytes(20); // important colours, then the R, G, B, A masks: a 3-channel read ignores them
      r.skip(size - 56);
    } else r.skip(size - 36);
    const valid =
      width > 0 &&
      height !== 0 &&
      ((compression === BI_RGB && [1, 4, 8, 24, 32].includes(bpp)) ||
        ((bpp === 16 || bpp === 32) && (compression === BI_RGB || compression === BI_BITFIELDS)) ||
        (bpp === 4 && compression === BI_RLE4) ||
        (bpp === 8 && compression === BI_RLE8));
    if (!valid) throw unsupported(`${bpp}-bit with compression ${compression}`);
    if (bpp <= 8) {
      if (clrUsed < 0 || clrUsed > 256) throw new FormatFailure('corrupt', `it declares ${clrUsed} palette colours`);
      const entries = clrUsed === 0 ? 1 << bpp : clrUsed;
      const p = r.bytes(entries * 4);
      for (let i = 0; i < entries; i++) {
        palette[i * 3] = p[i * 4 + 2];
        palette[i * 3 + 1] = p[i * 4 + 1];
        palette[i * 3 + 2] = p[i * 4];
      }
    } else if (bpp === 16 && compression === BI_BITFIELDS) {
      // Read where a 40-byte header's masks are, even after a larger header (as OpenCV does).
      const red = r.i32();
      const green = r.i32();
      const blue = r.i32();
      if (blue === 0x1f && green === 0x3e0 && red === 0x7c00) bpp = 15;
      else if (!(blue === 0x1f && green === 0x7e0 && red === 0xf800)) throw unsupported('16-bit bit fields other than 5-5-5 and 5-6-5');
    } else if (bpp === 16) bpp = 15;
  } else if (size === 12) {
    width = r.u16();
    height = r.u16();
    bpp = r.i32() >> 16;
    if (!(width > 0 && height !== 0 && [1, 4, 8, 24, 32].includes(bpp))) throw unsupported(`OS/2 ${bpp}-bit`);
    if (bpp <= 8) {
      const entries = 1 << bpp;
      const p = r.bytes(entries * 3);
      for (let i = 0; i < entries; i++) {
        palette[i * 3] = p[i * 3 + 2];
        palette[i * 3 + 1] = p[i * 3 + 1];
        palette[i * 3 + 2] = p[i * 3];
      }
    }
  } else throw unsupported(`a ${size}-byte header`);
  if (offset < 0) throw new FormatFailure('corrupt', `its pixel data offset is ${offset >>> 0}`);
  return { width, height: Math.abs(height), bottomUp: height > 0, bpp, compression, offset, palette };
}

export const bmpSize = sizeFrom(readHeader);

export function decodeBmp(b: Uint8Array): RgbImage {
  const h = readHeader(b);
  const { width, height, palette } = h;
  if (height * width * 3 >= 2 ** 30) throw new FormatFailure('unsupported', 'OpenCV reads no BMP of 1 GB of pixels or more');
  const out = new Uint8Array(width * height * 3);
  const r = new ByteReader(b);
  r.pos = h.offset;
  const rowStart = (y: number): number => (h.bottomUp ? height - 1 - y : y) * width * 3;
  const pitch = (((width * (h.bpp === 15 ? 16 : h.bpp) + 7) >> 3) + 3) & ~3;
  const put = (o: number, index: number): void => {
    out[o] = palette[index * 3];
    out[o + 1] = palette[index * 3 + 1];
    out[o + 2] = palette[index * 3 + 2];
  };
  if (h.compression === BI_RLE8 || h.compression === BI_RLE4) {
    decodeRle(r, h, out, rowStart);
    return { data: out, width, height };
  }
  for (let y = 0; y < height; y++) {
    const src = r.bytes(pitch);
    let o = rowStart(y);
    switch (h.bpp) {
      case 1:
        for (let x = 0; x < width; x++, o += 3) put(o, (src[x >> 3] >> (7 - (x & 7))) & 1);
        break;
      case 4:
        for (let x = 0; x < width; x++, o += 3) put(o, x & 1 ? src[x >> 1] & 15 : src[x >> 1] >> 4);
        break;
      case 8:
        for (let x = 0; x < width; x++, o += 3) put(o, src[x]);
        break;
      case 15:
      case 16:
        for (let x = 0; x < width; x++, o += 3) {
          const v = src[2 * x] | (src[2 * x + 1] << 8);
          out[o + 2] = (v << 3) & 0xf8;
          if (h.bpp === 15) {
            out[o + 1] = (v >> 2) & 0xf8;
            out[o] = (v >> 7) & 0xf8;
          } else {
            out[o + 1] = (v >> 3) & 0xfc;
            out[o] = (v >> 8) & 0xf8;
          }
        }
        break;
      default: {
        const n = h.bpp >> 3; // 24 or 32: B, G, R first
        for (let x = 0, s = 0; x < width; x++, o += 3, s += n) {
          out[o] = src[s + 2];
          out[o + 1] = src[s + 1];
          out[o + 2] = src[s];
        }
      }
    }
  }
  return { data: out, width, height };
}

/**
 * RLE8 and RLE4 as OpenCV's decoder walks them: (x, y) is its write position, y counting decoded lines
 * from the first one in the file. Filling past a line's end wraps onto the next line.
 */
function decodeRle(r: ByteReader, h: BmpHeader, out: Uint8Array, rowStart: (y: number) => number): void {
  const { width, height, palette } = h;
  const rle8 = h.compression === BI_RLE8;
  let x = 0;
  let y = 0;
  const put = (index: number): void => {
    const o = rowStart(y) + x * 3;
    out[o] = palette[index * 3];
    out[o + 1] = palette[index * 3 + 1];
    out[o + 2] = palette[index * 3 + 2];
  };
  /** OpenCV's FillUniColor: `count` pixels of palette entry `index`, wrapping at line ends, until the last line. */
  const fill = (count: number, index: number): void => {
    do {
      const end = Math.min(x + count, width);
      count -= end - x;
      for (; x < end; x++) put(index);
      if (x >= width) {
        x = 0;
        if (++y >= height) break;
      }
    } while (count > 0);
  };
  const bad = (): FormatFailure => new FormatFailure('corrupt', `an RLE run crosses the end of line ${y}, which OpenCV refuses`);
  let lineEndFlag = 0;
  for (;;) {
    const word = r.u16();
    const len = word & 255;
    const code = word >> 8;
    if (len !== 0) {
      if (x + len > width) throw bad();
      if (rle8) {
        const prevY = y;
        fill(len, code);
        lineEndFlag = y - prevY;
        if (y >= height) break;
      } else {
        for (let i = 0; i < len; i++, x++) put(i & 1 ? code & 15 : code >> 4);
      }
    } else if (code > 2) {
      if (x + code > width) throw bad();
      const src = r.bytes(rle8 ? (code + 1) & ~1 : (((code + 1) >> 1) + 1) & ~1);
      for (let i = 0; i < code; i++, x++) put(rle8 ? src[i] : i & 1 ? src[i >> 1] & 15 : src[i >> 1] >> 4);
      lineEndFlag = 0;
    } else if (rle8) {
      // 0: end of line, 1: end of bitmap, 2: delta. An end of line right after a run that already
      // wrapped onto a new line is ignored.
      let xShift = width - x;
      let yShift = height - y;
      if (code !== 0 || lineEndFlag === 0 || xShift < width) {
        if (code === 2) {
          xShift = r.u8();
          yShift = r.u8();
        }
        if (code !== 0) xShift += yShift * width;
        if (y >= height) break;
        fill(xShift, 0);
        if (y >= height) break;
      }
      lineEndFlag = 0;
      if (y >= height) break;
    } else {
      // RLE4 as OpenCV reads it: end of bitmap only ends the line; a delta moves right only.
      let xShift = width - x;
      if (code === 2) {
        xShift = r.u8();
        r.u8();
      }
      fill(xShift, 0);
      if (y >= height) break;
    }
  }
}
