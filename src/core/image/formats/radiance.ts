/**
 * Radiance HDR (RGBE, .hdr/.pic) -> 8-bit RGB, exactly as cv2.imread(path) (IMREAD_COLOR) decodes it
 * with OpenCV 4.6's HdrDecoder and its copy of Bruce Walter's rgbe.c (checked pixel for pixel against
 * cv2, test/golden/formats.test.ts):
 * - The header is read line by line as fgets with a 128-byte buffer does; it must hold the exact line
 *   `FORMAT=32-bit_rle_rgbe`, end with an empty line, and be followed by `-Y <height> +X <width>` (the
 *   only orientation read).
 * - Each value is mantissa * 2^(exponent - 136) (no +0.5, unlike Ward's original), then times 255,
 *   rounded half to even and clipped to 0-255: no tone mapping, so anything above 1.0 is white.
 * - Scanlines 8 to 32767 pixels wide may be run-length encoded; the first scanline that is not makes
 *   the rest of the file be read as flat RGBE pixels. Any read past the end: cv2.imread returns nothing.
 */
import type { RgbImage } from '../../cv/types.js';
import { ByteReader, FormatFailure, sizeFrom } from './byteReader.js';

/** One line as C's fgets(buf, 128, fp) returns it: up to 127 bytes, through the newline; undefined at the end of the file. */
function fgets(r: ByteReader): string | undefined {
  if (r.pos >= r.b.length) return undefined;
  let s = '';
  while (s.length < 127 && r.pos < r.b.length) {
    const c = r.b[r.pos++];
    s += String.fromCharCode(c);
    if (c === 0x0a) break;
  }
  return s.includes('\0') ? s.slice(0, s.indexOf('\0')) : s; // C string functions stop at a NUL
}

interface HdrHeader {
  readonly width: number;
  readonly height: number;
  readonly offset: number;
}

function readHeader(b: Uint8Array): HdrHeader {
  const r = new ByteReader(b);
  const line = (): string => {
    const s = fgets(r);
    if (s === undefined) throw new FormatFailure('truncated', 'the file ends inside its header');
    return s;
  };
  line(); // "#?RADIANCE" or "#?RGBE", already sniffed
  let hasFormat = false;
  for (;;) {
    const s = line();
    if (s.startsWith('\n')) break;
    if (s === 'FORMAT=32-bit_rle_rgbe\n') hasFormat = true;
  }
  if (!hasFormat) throw new FormatFailure('unsupported', 'its header has no FORMAT=32-bit_rle_rgbe line (cv2.imread reads only RGBE)');
  // sscanf(buf, "-Y %d +X %d"): literal "-Y", an integer, any whitespace, literal "+X", an integer.
  const m = /^-Y[ \t\n\v\f\r]*([+-]?\d+)[ \t\n\v\f\r]*\+X[ \t\n\v\f\r]*([+-]?\d+)/.exec(line());
  if (!m) throw new FormatFailure('unsupported', 'its resolution line is not "-Y height +X width" (the only orientation cv2.imread reads)');
  const height = Number(m[1]);
  const width = Number(m[2]);
  if (!(width > 0 && height > 0 && width < 2 ** 31 && height < 2 ** 31)) throw new FormatFailure('corrupt', `its size is ${m[2]}x${m[1]}`);
  return { width, height, offset: r.pos };
}

export const radianceSize = sizeFrom(readHeader);

/** A byte value (mantissa * 2^(e-136)) * 255 as OpenCV's convertTo to 8 bits rounds it (exact in doubles: both factors are short). */
function toByte(mantissa: number, scale: number): number {
  const v = mantissa * scale * 255;
  if (v >= 255) return 255;
  const f = Math.floor(v);
  const d = v - f;
  return d > 0.5 || (d === 0.5 && (f & 1) === 1) ? f + 1 : f;
}

export function decodeRadiance(b: Uint8Array): RgbImage {
  const { width, height, offset } = readHeader(b);
  const out = new Uint8Array(width * height * 3);
  const r = new ByteReader(b);
  r.pos = offset;
  const scales = new Float64Array(256);
  for (let e = 1; e < 256; e++) scales[e] = 2 ** (e - 136);
  const put = (o: number, red: number, green: number, blue: number, e: number): void => {
    const f = scales[e]; // exponent 0: black
    out[o] = toByte(red, f);
    out[o + 1] = toByte(green, f);
    out[o + 2] = toByte(blue, f);
  };
  const flat = (from: number): void => {
    for (let o = from; o < out.length; o += 3) {
      const p = r.bytes(4);
      put(o, p[0], p[1], p[2], p[3]);
    }
  };
  if (width < 8 || width > 0x7fff) {
    flat(0);
    return { data: out, width, height };
  }
  const line = new Uint8Array(width * 4);
  for (let y = 0; y < height; y++) {
    const head = r.bytes(4);
    if (head[0] !== 2 || head[1] !== 2 || head[2] & 0x80) {
      // not run-length encoded: this pixel, then the rest of the file as flat pixels
      put(y * width * 3, head[0], head[1], head[2], head[3]);
      flat(y * width * 3 + 3);
      break;
    }
    if (((head[2] << 8) | head[3]) !== width) throw new FormatFailure('corrupt', `scanline ${y} declares width ${(head[2] << 8) | head[3]}, not ${width}`);
    for (let c = 0, p = 0; c < 4; c++) {
      const end = (c + 1) * width; // red, green, blue, exponent: each channel encoded on its own
      while (p < end) {
        const [code, value] = r.bytes(2);
        const count = code > 128 ? code - 128 : code;
        if (count === 0 || count > end - p) throw new FormatFailure('corrupt', `bad run in scanline ${y}`);
        if (code > 128) line.fill(value, p, p + count);
        else {
          line[p] = value;
          line.set(r.bytes(count - 1), p + 1);
        }
        p += count;
      }
    }
    for (let x = 0, o = y * width * 3; x < width; x++, o += 3) put(o, line[x], line[x + width], line[x + 2 * width], line[x + 3 * width]);
  }
  return { data: out, width, height };
}
