/**
 * Netpbm (PBM/PGM/PPM, P1-P6) and PFM -> 8-bit RGB, exactly as cv2.imread(path) (IMREAD_COLOR) decodes
 * them with OpenCV 4.6's PxMDecoder and PFMDecoder (checked pixel for pixel against cv2,
 * test/golden/formats.test.ts). OpenCV's choices, which other readers do not share:
 * - Binary P5/P6 samples are taken as they are, not scaled to maxval (maxval 15 stays 0-15); ASCII
 *   P2/P3 samples are clipped to maxval and scaled by integer division (v * 255 / maxval).
 * - 16-bit samples (maxval > 255) keep their high byte (v >> 8), again without scaling to maxval.
 * - PBM: 1 is black. Every number of an ASCII file must be followed by a byte (a whitespace): a file
 *   whose last number ends it is refused, as cv2 refuses it.
 * - PAM (P7) as OpenCV 4.6 reads it: 3-channel samples land in its BGR image as stored (so R and B come
 *   out swapped), grey expands, MAXVAL 1 reads the sample bytes as packed bits, 16-bit needs a TUPLTYPE;
 *   2- and 4-channel files are refused: cv2 converts only part of each row and leaves the rest unset.
 * - PFM is read as floats, scaled by 1/|scale| and rounded to 0-255 without any *255, as cv2 does
 *   (a [0, 1] picture comes out 0 or 1: nearly black, but cv2's pixels, hence perception's hashes).
 */
import type { RgbImage } from '../../cv/types.js';
import { ByteReader, FormatFailure, sizeFrom } from './byteReader.js';

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
/** C's isspace: space, \t, \n, \v, \f, \r. */
const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/** OpenCV's ReadNumber: skips whitespace and # comments, reads digits, and always consumes the byte after them (unless maxDigits stops it). */
function readNumber(r: ByteReader, maxDigits = 0): number {
  let c = r.u8();
  while (!isDigit(c)) {
    if (c === 0x23) {
      do c = r.u8();
      while (c !== 0x0a && c !== 0x0d);
      c = r.u8();
    } else if (isSpace(c)) {
      while (isSpace(c)) c = r.u8();
    } else throw new FormatFailure('corrupt', `byte 0x${c.toString(16)} at ${r.pos - 1} where a number should be`);
  }
  let v = 0;
  let digits = 0;
  do {
    v = v * 10 + (c - 0x30);
    if (v > 0x7fffffff) throw new FormatFailure('corrupt', 'a number in its header is too large');
    digits++;
    if (maxDigits !== 0 && digits >= maxDigits) break;
    c = r.u8();
  } while (isDigit(c));
  return v;
}

interface PnmHeader {
  readonly kind: number; // 1-6
  readonly width: number;
  readonly height: number;
  readonly maxval: number;
  readonly offset: number;
}

function readHeader(b: Uint8Array): PnmHeader {
  const r = new ByteReader(b);
  if (r.u8() !== 0x50) throw new FormatFailure('corrupt', 'it does not start with P');
  const kind = r.u8() - 0x30;
  if (kind < 1 || kind > 6) throw new FormatFailure('unsupported', `P${String.fromCharCode(kind + 0x30)} is not a PBM, PGM or PPM`);
  const width = readNumber(r);
  const height = readNumber(r);
  const maxval = kind === 1 || kind === 4 ? 1 : readNumber(r);
  if (maxval > 65535) throw new FormatFailure('corrupt', `its maxval ${maxval} is above 65535`);
  if (!(width > 0 && height > 0 && maxval > 0)) throw new FormatFailure('corrupt', `it declares ${width} x ${height} pixels, maxval ${maxval}`);
  return { kind, width, height, maxval, offset: r.pos };
}

export const pnmSize = sizeFrom((b) => (b[1] === 0x37 ? readPamHeader(b) : readHeader(b)));

export function decodePnm(b: Uint8Array): RgbImage {
  if (b[1] === 0x37) return decodePam(b);
  const h = readHeader(b);
  const { kind, width, height, maxval } = h;
  const out = new Uint8Array(width * height * 3);
  const r = new ByteReader(b);
  r.pos = h.offset;
  const binary = kind >= 4;
  const channels = kind === 3 || kind === 6 ? 3 : 1;
  const wide = maxval > 255;
  if (kind === 1 || kind === 4) {
    for (let y = 0, o = 0; y < height; y++) {
      const row = binary ? r.bytes((width + 7) >> 3) : undefined;
      for (let x = 0; x < width; x++, o += 3) {
        const bit = row ? (row[x >> 3] >> (7 - (x & 7))) & 1 : readNumber(r, 1) !== 0 ? 1 : 0;
        out[o] = out[o + 1] = out[o + 2] = bit ? 0 : 255;
      }
    }
    return { data: out, width, height };
  }
  // The ASCII lookup of 8-bit files: v * 255 / maxval in integers.
  const scale = new Uint8Array(256);
  if (!wide) for (let i = 0; i <= maxval; i++) scale[i] = Math.floor((i * 255) / maxval);
  const samples = width * channels;
  if (binary && channels === 3 && !wide) {
    out.set(r.bytes(samples * height)); // P6 with 8-bit samples: the file's bytes are the RGB rows
    return { data: out, width, height };
  }
  for (let y = 0, o = 0; y < height; y++) {
    const row = binary ? r.bytes(samples * (wide ? 2 : 1)) : undefined;
    for (let x = 0; x < samples; x++) {
      let v: number;
      if (row) v = wide ? row[2 * x] : row[x];
      else {
        const code = Math.min(readNumber(r), maxval);
        v = wide ? code >> 8 : scale[code];
      }
      if (channels === 3) out[o++] = v;
      else {
        out[o++] = v;
        out[o++] = v;
        out[o++] = v;
      }
    }
  }
  return { data: out, width, height };
}

/** Bytes up to the next whitespace as text (OpenCV's PFM read_number; bytes >= 128 fail it). */
function pfmToken(r: ByteReader): string {
  let s = '';
  for (let i = 0; i < 2048; i++) {
    const c = r.u8();
    if (c >= 128) throw new FormatFailure('corrupt', 'a non-ASCII byte in its header');
    if (isSpace(c)) break;
    s += String.fromCharCode(c);
  }
  return s;
}

/** C's atoi / atof on the token: the longest leading number, 0 when none. */
const atoi = (s: string): number => {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Math.max(-0x80000000, Math.min(0x7fffffff, parseInt(m[1], 10))) : 0;
};
const atof = (s: string): number => {
  const m = /^[ \t\n\v\f\r]*([+-]?(?:inf(?:inity)?|nan|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))/i.exec(s);
  if (!m) return 0;
  const t = m[1].toLowerCase();
  if (t.includes('nan')) return NaN;
  if (t.includes('inf')) return t.startsWith('-') ? -Infinity : Infinity;
  return parseFloat(m[1]);
};

interface PfmHeader {
  readonly channels: number;
  readonly width: number;
  readonly height: number;
  readonly scale: number;
  readonly offset: number;
}

function readPfmHeader(b: Uint8Array): PfmHeader {
  const r = new ByteReader(b);
  if (r.u8() !== 0x50) throw new FormatFailure('corrupt', 'it does not start with P');
  const t = r.u8();
  if (t !== 0x66 && t !== 0x46) throw new FormatFailure('corrupt', 'it is not Pf or PF');
  if (r.u8() !== 0x0a) throw new FormatFailure('corrupt', 'its first line does not end after PF');
  const width = atoi(pfmToken(r));
  const height = atoi(pfmToken(r));
  const scale = atof(pfmToken(r));
  if (width <= 0 || height <= 0) throw new FormatFailure('corrupt', `it declares ${width} x ${height} pixels`);
  if (!(Math.abs(scale) > 0)) throw new FormatFailure('corrupt', 'its scale is 0');
  return { channels: t === 0x46 ? 3 : 1, width, height, scale, offset: r.pos };
}

export const pfmSize = sizeFrom((b) => readPfmHeader(b));

/** saturate_cast<uchar>(float): round half to even; NaN and values beyond int32 become 0 (x86's cvtps2dq gives INT_MIN). */
function toByte(v: number): number {
  if (!(v > -2147483648.5 && v < 2147483647.5)) return 0;
  let n = Math.round(v);
  if (n - v === 0.5 && n % 2 !== 0) n -= 1; // Math.round rounds halves up; OpenCV to even
  return n < 0 ? 0 : n > 255 ? 255 : n;
}

export function decodePfm(b: Uint8Array): RgbImage {
  const h = readPfmHeader(b);
  const { width, height, channels } = h;
  const r = new ByteReader(b);
  r.pos = h.offset;
  const bigEndian = h.scale >= 0; // a positive scale means big-endian samples
  // buffer *= 1/|scale| on float32 samples; 1.0 leaves them untouched (OpenCV copies instead of scaling).
  const factor = Math.abs(h.scale) === 1 ? 1 : Math.fround(1 / Math.abs(h.scale));
  const out = new Uint8Array(width * height * 3);
  const rowBytes = width * channels * 4;
  for (let y = height - 1; y >= 0; y--) {
    const row = r.bytes(rowBytes);
    const view = new DataView(row.buffer, row.byteOffset, row.byteLength);
    let o = y * width * 3;
    for (let i = 0; i < width * channels; i++) {
      const f = view.getFloat32(i * 4, !bigEndian);
      const v = toByte(factor === 1 ? f : Math.fround(f * factor));
      if (channels === 3) out[o++] = v;
      else {
        out[o++] = v;
        out[o++] = v;
        out[o++] = v;
      }
    }
  }
  return { data: out, width, height };
}

const PAM_FIELDS = ['ENDHDR', 'HEIGHT', 'WIDTH', 'DEPTH', 'MAXVAL', 'TUPLTYPE'];
const PAM_TUPLTYPES = ['', 'BLACKANDWHITE', 'GRAYSCALE', 'GRAYSCALE_ALPHA', 'RGB', 'RGB_ALPHA'];

interface PamHeader {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly maxval: number;
  readonly offset: number;
}

/** One header line as OpenCV's ReadPAMHeaderLine splits it: [field, value], or ['#'] for a comment. */
function pamLine(r: ByteReader): [string, string?] {
  const bad = (): FormatFailure => new FormatFailure('corrupt', `an unreadable PAM header line at byte ${r.pos}`);
  let c: number;
  do c = r.u8();
  while (isSpace(c));
  if (c === 0x23) {
    do c = r.u8();
    while (c !== 0x0a && c !== 0x0d);
    return ['#'];
  }
  let ident = '';
  for (; ident.length < 8 && !isSpace(c); c = r.u8()) ident += String.fromCharCode(c);
  if (!isSpace(c) || !PAM_FIELDS.includes(ident)) throw bad();
  if (c === 0x0a || c === 0x0d) return [ident, ''];
  do c = r.u8();
  while (isSpace(c));
  let value = '';
  for (; value.length < 255 && c !== 0x0a && c !== 0x0d; c = r.u8()) value += String.fromCharCode(c);
  if (c !== 0x0a && c !== 0x0d) throw bad();
  return [ident, value.replace(/[ \t\n\v\f\r]+$/, '')];
}

/** OpenCV's ParseInt: an optional minus, digits, nothing after them. */
function pamInt(v: string): number {
  const m = /^(-?)(\d*)/.exec(v)!;
  if ((m[1] && !m[2]) || m[0].length < v.length) throw new FormatFailure('corrupt', `"${v}" is not a number`);
  const n = m[2] ? parseInt(m[2], 10) : 0;
  if (n >= 0x7fffffff) throw new FormatFailure('corrupt', `${v} is too large`);
  return m[1] ? -n : n;
}

function readPamHeader(b: Uint8Array): PamHeader {
  const r = new ByteReader(b);
  if (r.u8() !== 0x50 || r.u8() !== 0x37) throw new FormatFailure('corrupt', 'it does not start with P7');
  const c = r.u8();
  if (c !== 0x0a && c !== 0x0d) throw new FormatFailure('corrupt', 'no line break after P7');
  const seen = new Map<string, number>();
  let tupltype = '';
  for (;;) {
    const [field, value] = pamLine(r);
    if (field === '#') continue;
    if (field === 'ENDHDR') break;
    if (field === 'TUPLTYPE') {
      if (!PAM_TUPLTYPES.includes(value!)) throw new FormatFailure('corrupt', `unknown TUPLTYPE ${value}`);
      tupltype = value!;
      continue;
    }
    if (seen.has(field)) throw new FormatFailure('corrupt', `${field} twice`);
    seen.set(field, pamInt(value!));
  }
  const [width, height, channels, maxval] = ['WIDTH', 'HEIGHT', 'DEPTH', 'MAXVAL'].map((f) => seen.get(f));
  if (width === undefined || height === undefined || channels === undefined || maxval === undefined)
    throw new FormatFailure('corrupt', 'its header lacks WIDTH, HEIGHT, DEPTH or MAXVAL');
  if (maxval > 65535) throw new FormatFailure('corrupt', `its MAXVAL ${maxval} is above 65535`);
  if (!tupltype && !((channels === 1 || channels === 3) && maxval < 256))
    throw new FormatFailure('unsupported', 'a PAM without TUPLTYPE that is neither 8-bit grey nor 8-bit RGB, which cv2.imread refuses');
  if (channels < 1 || channels > 4) throw new FormatFailure('unsupported', `${channels} channels`);
  if (width <= 0 || height <= 0) throw new FormatFailure('corrupt', `it declares ${width} x ${height} pixels`);
  return { width, height, channels, maxval, offset: r.pos };
}

function decodePam(b: Uint8Array): RgbImage {
  const { width, height, channels, maxval, offset } = readPamHeader(b);
  const bits = maxval === 1;
  if (!bits && (channels === 2 || channels === 4))
    throw new FormatFailure('unsupported', `a ${channels}-channel PAM: cv2.imread converts only part of each row of it and leaves the rest unset`);
  const r = new ByteReader(b);
  r.pos = offset;
  const wide = maxval > 255;
  const out = new Uint8Array(width * height * 3);
  const rowBytes = width * channels * (wide ? 2 : 1);
  for (let y = 0, o = 0; y < height; y++) {
    const row = r.bytes(rowBytes);
    for (let x = 0; x < width; x++, o += 3) {
      if (bits) {
        out[o] = out[o + 1] = out[o + 2] = (row[x >> 3] >> (7 - (x & 7))) & 1 ? 255 : 0; // sample bytes read as packed bits, as OpenCV does
      } else if (channels === 1) {
        out[o] = out[o + 1] = out[o + 2] = row[wide ? 2 * x : x];
      } else {
        // stored samples land in OpenCV's B, G, R slots: R and B swap places
        const s = wide ? 6 * x : 3 * x;
        const k = wide ? 2 : 1;
        out[o] = row[s + 2 * k];
        out[o + 1] = row[s + k];
        out[o + 2] = row[s];
      }
    }
  }
  return { data: out, width, height };
}
