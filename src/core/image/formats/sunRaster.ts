/**
 * Sun raster (.ras, .sr) -> 8-bit RGB, exactly as cv2.imread(path) (IMREAD_COLOR) decodes it with
 * OpenCV 4.6's SunRasterDecoder (checked pixel for pixel against cv2, test/golden/formats.test.ts).
 * OpenCV's choices, which other readers do not share:
 * - Only the standard and old encodings (types 0 and 1) are read: its header check compares the
 *   byte-encoded (RLE, type 2) and RGB (type 3) types with the image's pixel type instead of the file's
 *   encoding, so both are refused.
 * - 1- and 8-bit files without a colour map take a grey ramp (1-bit: 0 is black, 1 is white); a colour
 *   map may be shorter than 2^bpp entries, the missing ones are black.
 * - 24-bit pixels are stored B, G, R; 32-bit ones X, B, G, R (the first byte ignored).
 * - Rows are padded to 2 bytes; any row past the end of the file makes cv2.imread return nothing.
 */
import type { RgbImage } from '../../cv/types.js';
import { ByteReader, FormatFailure, sizeFrom } from './byteReader.js';

interface SunHeader {
  readonly width: number;
  readonly height: number;
  readonly bpp: number;
  /** RGB triples, 2^bpp entries (1- and 8-bit), empty for 24/32-bit. */
  readonly palette: Uint8Array;
  /** Where the pixels start: after the header and the colour map. */
  readonly offset: number;
}

/** Big-endian signed 32-bit, as OpenCV's RMByteStream::getDWord. */
function i32be(r: ByteReader): number {
  const b = r.bytes(4);
  return (b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
}

function readHeader(b: Uint8Array): SunHeader {
  const r = new ByteReader(b);
  r.skip(4); // the signature, already sniffed
  const width = i32be(r);
  const height = i32be(r);
  const bpp = i32be(r);
  r.skip(4); // length of the pixel data: not used
  const encoding = i32be(r);
  const maptype = i32be(r);
  const maplength = i32be(r);
  const palSize = bpp > 0 && bpp <= 8 ? 3 * (1 << bpp) : 0;
  if (width <= 0 || height <= 0) throw new FormatFailure('corrupt', `its size is ${width}x${height}`);
  if (bpp !== 1 && bpp !== 8 && bpp !== 24 && bpp !== 32) throw new FormatFailure('unsupported', `${bpp} bits per pixel (cv2.imread reads 1, 8, 24 and 32)`);
  if (encoding !== 0 && encoding !== 1)
    throw new FormatFailure('unsupported', `encoding type ${encoding} (cv2.imread reads only uncompressed files, types 0 and 1)`);
  const noMap = maptype === 0 && maplength === 0;
  const rgbMap = maptype === 1 && maplength > 0 && maplength <= palSize && bpp <= 8;
  if (!noMap && !rgbMap) throw new FormatFailure('unsupported', `colour map type ${maptype} of ${maplength} bytes with ${bpp} bits per pixel`);
  const entries = bpp <= 8 ? 1 << bpp : 0;
  const palette = new Uint8Array(entries * 3);
  if (rgbMap) {
    const map = r.bytes(maplength);
    const n = Math.floor(maplength / 3); // the map holds all reds, then all greens, then all blues
    for (let i = 0; i < n; i++) {
      palette[i * 3] = map[i];
      palette[i * 3 + 1] = map[i + n];
      palette[i * 3 + 2] = map[i + 2 * n];
    }
  } else {
    for (let i = 0; i < entries; i++) palette.fill(Math.floor((i * 255) / (entries - 1)), i * 3, i * 3 + 3);
  }
  return { width, height, bpp, palette, offset: r.pos };
}

export const sunRasterSize = sizeFrom(readHeader);

export function decodeSunRaster(b: Uint8Array): RgbImage {
  const h = readHeader(b);
  const { width, height, bpp, palette } = h;
  const bytes = Math.ceil((width * bpp) / 8);
  const pitch = bytes + (bytes & 1);
  const r = new ByteReader(b);
  r.pos = h.offset;
  // cv2 reads row by row and returns nothing when one is cut short: check the whole extent first.
  if (r.pos + pitch * height > b.length) throw new FormatFailure('truncated', `the file ends at byte ${b.length}, before its ${height} rows of pixels do`);
  const out = new Uint8Array(width * height * 3);
  for (let y = 0, o = 0; y < height; y++) {
    const src = r.bytes(pitch);
    if (bpp === 1 || bpp === 8) {
      for (let x = 0; x < width; x++, o += 3) {
        const p = (bpp === 1 ? (src[x >> 3] >> (7 - (x & 7))) & 1 : src[x]) * 3;
        out[o] = palette[p];
        out[o + 1] = palette[p + 1];
        out[o + 2] = palette[p + 2];
      }
    } else {
      const n = bpp >> 3; // 24: B, G, R; 32: X, B, G, R
      for (let x = 0, s = n - 3; x < width; x++, o += 3, s += n) {
        out[o] = src[s + 2];
        out[o + 1] = src[s + 1];
        out[o + 2] = src[s];
      }
    }
  }
  return { data: out, width, height };
}
