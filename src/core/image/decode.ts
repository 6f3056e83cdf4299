import sharp from 'sharp';
import { MediaError } from '../errors.js';
import { decodeNative, FAST_MIN_SIDE, shrinkFactor } from './decodeNative.js';
import { FormatFailure, SCRIPT_FORMATS, type ScriptFormat } from './formats/index.js';
import { readJpegHeader } from './jpegHeader.js';
import { readFileBytes } from './readFile.js';
import { notAnImage, sniffFormat, type SniffResult } from './sniff.js';
import type { SizeLimits } from './sizeLimits.js';
import type { PixelFacts } from './keepStats.js';
import type { RgbImage } from '../cv/types.js';

/**
 * Default pixel limit (width x height declared in the header): 100 MP. A decompression bomb declares
 * absurd dimensions in a few bytes; 100 MP RGB is already 300 MB of raw pixels, and several images are
 * decoded at once. Real photos (a 61 MP full-frame camera, a 3840x2400 wallpaper) stay well below it.
 */
export const DEFAULT_MAX_PIXELS = 100_000_000;

export type DecodeMode = 'parity' | 'fast';

export interface DecodeOptions {
  /** Pixel limit (width x height) above which the image is refused as TOO_LARGE. */
  readonly maxPixels?: number;
  /** File size limit in bytes: per sniffed format (image/sizeLimits.ts), or one number for all. */
  readonly maxFileBytes?: SizeLimits | number;
  /**
   * parity (default): full-resolution pixels byte-identical to cv2.imread, so hashes match perception.
   * fast: lets libjpeg shrink while decoding when the image is much larger than `fastMinSide`;
   * hashes then differ slightly from perception's (the benchmark decides whether that is acceptable).
   */
  readonly mode?: DecodeMode;
  /** fast mode: the shorter side is never shrunk below this (default FAST_MIN_SIDE, the 64 px phash16 grid). */
  readonly fastMinSide?: number;
  /**
   * auto (default): JPEG, PNG and WebP go through libjpeg-turbo, libpng and libwebp directly when the
   * native addon is built (same pixels, 2-4x less CPU per image); other formats, and every file the
   * addon declines, through sharp.
   * sharp: sharp only (the benchmark's decode floor, and a way to rule the addon out).
   */
  readonly decoder?: 'auto' | 'sharp';
  /**
   * Also measure the keep policy's pixel facts (image/keepStats.ts) on the decoder's pool thread, from the
   * same pixels, when the native addon decodes the file (`facts` of the result); otherwise keepStatsOf
   * measures them on the calling thread, with the same kernels.
   */
  readonly keepFacts?: boolean;
}

export interface DecodedImage extends RgbImage {
  /** The file's real format from its magic bytes (jpeg, png, webp, ...), whatever its extension says. */
  readonly format: string;
  /** Size after EXIF orientation, before any fast-mode shrink. */
  readonly originalWidth: number;
  readonly originalHeight: number;
  /** File size in bytes and modification time, from the same open file (no second stat). */
  readonly size: number;
  readonly mtimeMs: number;
  /** With `keepFacts`, when the native decoder measured them. */
  readonly facts?: PixelFacts;
}

/** Formats this sharp build may decode from a buffer, by sniffed id (heic is HEIF too but needs HEVC, which the prebuilt libheif lacks). */
const SHARP_IDS: Record<string, string> = {
  jpeg: 'jpeg',
  png: 'png',
  gif: 'gif',
  webp: 'webp',
  tiff: 'tiff',
  avif: 'heif',
  heif: 'heif',
  heic: 'heif',
  svg: 'svg',
  jxl: 'jxl',
  jp2: 'jp2',
  pnm: 'ppm',
  exr: 'magick',
  hdr: 'rad',
  bmp: 'magick',
  ico: 'magick',
  psd: 'magick',
  pdf: 'pdf',
};

function sharpCanRead(format: string): boolean {
  const id = SHARP_IDS[format];
  const entry = id ? (sharp.format as unknown as Record<string, { input?: { buffer?: boolean } }>)[id] : undefined;
  return entry?.input?.buffer === true;
}

let configured = false;
function configureSharp(): void {
  if (configured) return;
  configured = true;
  sharp.cache(false); // every file is decoded once; the operation cache only holds memory
}

export async function decodeImage(path: string, opts: DecodeOptions = {}): Promise<DecodedImage> {
  const file = readFileBytes(path, opts.maxFileBytes);
  return decodeImageBuffer(file.data, path, opts, file.size, file.mtimeMs);
}

/** Decodes bytes already read; `path` only labels errors. */
export async function decodeImageBuffer(data: Buffer, path: string, opts: DecodeOptions = {}, size = data.length, mtimeMs = 0): Promise<DecodedImage> {
  configureSharp();
  const sniff = sniffFormat(data);
  if (sniff.kind !== 'image') throw notAnImage(sniff, path);
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  const fastMinSide = opts.mode === 'fast' ? (opts.fastMinSide ?? FAST_MIN_SIDE) : undefined;
  const script = SCRIPT_FORMATS[sniff.format];
  if (script) {
    const img = decodeScript(script, data, sniff, path, maxPixels);
    return { ...img, format: sniff.format, originalWidth: img.width, originalHeight: img.height, size, mtimeMs };
  }
  if (opts.decoder !== 'sharp') {
    let img;
    try {
      img = await decodeNative(data, sniff.format, { maxPixels, fastMinSide, keepFacts: opts.keepFacts === true });
    } catch (e) {
      throw e instanceof FormatFailure ? formatError(e, sniff, path) : e;
    }
    if (img) return { ...img, format: sniff.format, size, mtimeMs };
  }
  try {
    const shrink = fastMinSide !== undefined ? fastShrink(data, sniff, fastMinSide) : undefined;
    // The exact recipe the reference README gives for cv2.imread parity: no colour management, EXIF
    // orientation applied, alpha dropped (not composited), grey/palette/16-bit -> 8-bit RGB.
    // failOn 'error': a truncated JPEG/PNG fails instead of decoding with a grey or black tail ('none'
    // would decode it; libvips' default 'warning' would also refuse JPEGs with corrupt-data warnings, which
    // cv2.imread decodes, so perception hashes them and so do we).
    let pipeline = sharp(data, { ignoreIcc: true, limitInputPixels: maxPixels, failOn: 'error' }).rotate();
    if (shrink) pipeline = pipeline.resize(shrink.width, shrink.height, { fit: 'fill', kernel: 'nearest', fastShrinkOnLoad: true });
    const { data: px, info } = await pipeline.removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    const rgb = toRgb(px, info.channels);
    const originalWidth = shrink ? shrink.originalWidth : info.width;
    const originalHeight = shrink ? shrink.originalHeight : info.height;
    return { data: rgb, width: info.width, height: info.height, format: sniff.format, originalWidth, originalHeight, size, mtimeMs };
  } catch (e) {
    if (e instanceof MediaError) throw e;
    throw await classifyDecodeError(e, data, sniff, path, maxPixels);
  }
}

/**
 * BMP, Netpbm and PFM: decoded in TypeScript with cv2.imread's pixels (formats/). Neither the native addon
 * nor sharp is involved, so `decoder: 'sharp'` changes nothing for them; every failure gets its code here.
 */
function decodeScript(format: ScriptFormat, data: Buffer, sniff: SniffResult, path: string, maxPixels: number): RgbImage {
  const dims = format.size(data);
  if (dims && dims.width * dims.height > maxPixels) throw tooLarge(sniff, dims, maxPixels, path);
  try {
    return format.decode(data);
  } catch (e) {
    throw e instanceof FormatFailure ? formatError(e, sniff, path) : e;
  }
}

/** A decoder's own refusal (TypeScript decoders, or the addon for TIFF and JPEG 2000) as the error a person reads. */
function formatError(e: FormatFailure, sniff: SniffResult, path: string): MediaError {
  switch (e.kind) {
    case 'truncated':
      return new MediaError(
        'TRUNCATED_IMAGE',
        `This ${sniff.label} file ends before its image data does (an interrupted download or copy?): ${e.message}`,
        path,
      );
    case 'unsupported':
      return new MediaError('UNSUPPORTED_FORMAT', `This ${sniff.label} image cannot be decoded: ${e.message}; convert it to PNG to include it`, path);
    default:
      return new MediaError('CORRUPT_IMAGE', `This ${sniff.label} file is damaged and cannot be decoded: ${e.message}`, path);
  }
}

function tooLarge(sniff: SniffResult, dims: { width: number; height: number } | undefined, maxPixels: number, path: string): MediaError {
  const what = dims ? ` declares ${dims.width} x ${dims.height} pixels (${formatMp(dims.width * dims.height)}), which is` : '';
  return new MediaError(
    'TOO_LARGE',
    `This ${sniff.label} image${what} above the limit of ${formatMp(maxPixels)}: a decompression bomb or a huge scan; raise the pixel limit if it is genuine`,
    path,
  );
}

interface Shrink {
  readonly width: number;
  readonly height: number;
  readonly originalWidth: number;
  readonly originalHeight: number;
}

/**
 * Fast mode through sharp, for JPEGs the native decoder declined or when it is not built: libjpeg scales
 * by 1/2, 1/4 or 1/8 inside the IDCT, which skips most of the decoding work and leaves the hasher's
 * INTER_AREA far fewer pixels. Asking sharp for exactly ceil(size / factor) makes it pick that factor
 * and leaves no residual resize. Measured on the reference
 * photos (1000-3840 px): phash16 within 0-12 of 256 bits of the parity hash, and the JS hashing 5-40x
 * faster. Small images (short side < 2 x minSide) decode exactly as in parity mode.
 */
function fastShrink(data: Buffer, sniff: SniffResult, minSide: number): Shrink | undefined {
  if (sniff.format !== 'jpeg') return undefined;
  const h = readJpegHeader(data);
  if (!h) return undefined;
  const short = Math.min(h.width, h.height);
  if (short < 2 * minSide) return undefined;
  const f = shrinkFactor(short, minSide);
  const swap = h.orientation >= 5; // orientations 5-8 turn the image a quarter
  const ow = swap ? h.height : h.width;
  const oh = swap ? h.width : h.height;
  return { width: Math.ceil(ow / f), height: Math.ceil(oh / f), originalWidth: ow, originalHeight: oh };
}

/** toColourspace('srgb') gives 3 channels in every case measured; expand or drop defensively rather than mis-hash. */
function toRgb(px: Buffer, channels: number): Uint8Array {
  if (channels === 3) return px;
  const n = px.length / channels;
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const s = i * channels;
    out[i * 3] = px[s];
    out[i * 3 + 1] = px[channels >= 3 ? s + 1 : s];
    out[i * 3 + 2] = px[channels >= 3 ? s + 2 : s];
  }
  return out;
}

const TRUNCATION = /premature end|unexpected end|end of file|truncat|insufficient input|outside of file bounds|not enough data/i;

/**
 * Maps a libvips failure to a code. The file's own structure decides wherever it can, not the decoder's
 * words: libvips keeps one process-wide error buffer, and with several images decoding at once a failing
 * image may report another one's message or "Unknown error" (measured: 30 of 400 concurrent failures).
 */
export async function classifyDecodeError(e: unknown, data: Uint8Array, sniff: SniffResult, path: string, maxPixels: number): Promise<MediaError> {
  const raw = e instanceof Error ? e.message : String(e);
  // A HEIC photo fails in libheif's decoder lookup with a generic message; its ftyp brand says what it is.
  if (!sharpCanRead(sniff.format) || sniff.format === 'heic') {
    const why =
      sniff.format === 'heic'
        ? 'the bundled image library has no HEVC decoder'
        : sniff.format === 'jp2'
          ? 'it needs the native decoder built with OpenJPEG (Debian: apt-get install libopenjp2-7-dev, then npm rebuild)'
          : 'the bundled image library cannot decode this format';
    return new MediaError('UNSUPPORTED_FORMAT', `${sniff.label} images are not supported: ${why}; convert it to JPEG or PNG to include it`, path);
  }
  const dims = await declaredSize(data);
  if (dims ? dims.width * dims.height > maxPixels : /exceeds pixel limit/i.test(raw)) return tooLarge(sniff, dims, maxPixels, path);
  const structural = structurallyTruncated(data, sniff.format);
  let detail = decoderDetail(raw, sniff.format);
  if (structural === true || (structural === undefined && TRUNCATION.test(raw))) {
    return new MediaError(
      'TRUNCATED_IMAGE',
      `This ${sniff.label} file ends before its image data does (an interrupted download or copy?)${TRUNCATION.test(detail) ? `: ${detail}` : ''}`,
      path,
    );
  }
  // The file is whole, so a truncation message (or none) belonged to some other image decoding meanwhile.
  if (TRUNCATION.test(detail) || /^unknown error$/i.test(detail) || detail === '') detail = 'the decoder rejected its data';
  return new MediaError('CORRUPT_IMAGE', `This ${sniff.label} file is damaged and cannot be decoded: ${detail}`, path);
}

/** Width and height from the header alone (no pixel limit), or undefined when even the header is unreadable. */
async function declaredSize(data: Uint8Array): Promise<{ width: number; height: number } | undefined> {
  try {
    const m = await sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), { limitInputPixels: false }).metadata();
    return m.width && m.height ? { width: m.width, height: m.height } : undefined;
  } catch {
    return undefined;
  }
}

const JPEG_SOS = Buffer.from([0xff, 0xda]);
const JPEG_EOI = Buffer.from([0xff, 0xd9]);

/**
 * Whether the file stops before its image data ends, from its structure: true, false, or undefined when
 * this format has no cheap check. Markers cannot occur inside JPEG entropy-coded data (0xFF is stuffed),
 * so a complete JPEG has an EOI after its last SOS.
 */
function structurallyTruncated(b: Uint8Array, format: string): boolean | undefined {
  const n = b.length;
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  switch (format) {
    case 'jpeg': {
      const sos = buf.lastIndexOf(JPEG_SOS);
      return sos < 0 || buf.indexOf(JPEG_EOI, sos + 2) < 0;
    }
    case 'png': {
      // A complete PNG ends with the IEND chunk: length 0, "IEND", CRC AE 42 60 82.
      if (n < 12) return true;
      const tail = [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];
      for (let i = 0; i < 8; i++) if (b[n - 8 + i] !== tail[i]) return !hasIendAnywhere(b);
      return false;
    }
    case 'webp': {
      if (n < 12) return true;
      const riffSize = (b[4] | (b[5] << 8) | (b[6] << 16) | (b[7] << 24)) >>> 0;
      return riffSize + 8 > n;
    }
    case 'gif': {
      // The trailer byte 0x3B closes every complete GIF (some writers pad after it with zeros or newlines).
      let end = n;
      while (end > 0 && (b[end - 1] === 0 || b[end - 1] === 0x0a || b[end - 1] === 0x0d)) end--;
      return end < 14 || b[end - 1] !== 0x3b;
    }
    default:
      return undefined;
  }
}

/** Some writers append data after IEND; only a file with no IEND at all is truncated. */
function hasIendAnywhere(b: Uint8Array): boolean {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).lastIndexOf('IEND', undefined, 'latin1') > 0;
}

/** Which format each libvips loader prefix speaks for. */
const LOADER_FORMATS: ReadonlyArray<readonly [RegExp, readonly string[]]> = [
  [/^VipsJpeg:\s*/i, ['jpeg']],
  [/^vipspng:\s*/i, ['png']],
  [/^gifload(_buffer)?:\s*/i, ['gif']],
  [/^webp:\s*/i, ['webp']],
  [/^heif:\s*/i, ['avif', 'heif', 'heic']],
  [/^tiff2vips:\s*/i, ['tiff']],
];

/**
 * libvips repeats its messages and prefixes them with loader names; keep the first meaningful line, and
 * drop lines another format's loader wrote (left in the shared error buffer by another image).
 */
function decoderDetail(raw: string, format: string): string {
  const lines: string[] = [];
  for (let l of raw.split('\n')) {
    l = l.replace(/^Input (buffer|file) (has corrupt header|contains)\s*:?\s*/i, '').trim();
    if (!l || /bad seek to/.test(l)) continue;
    const loader = LOADER_FORMATS.find(([re]) => re.test(l));
    if (loader) {
      if (!loader[1].includes(format)) continue;
      l = l.replace(loader[0], '').trim();
    } else l = l.replace(/^source:\s*/i, '');
    if (l) lines.push(l);
  }
  const first = lines.length ? lines[0] : '';
  // The magic bytes were recognised, so "unsupported format" here means a header libvips could not parse.
  return /unsupported image format/i.test(first) ? 'its header is damaged or incomplete' : first;
}

function formatMp(px: number): string {
  const mp = px / 1e6;
  return `${mp >= 100 ? Math.round(mp).toLocaleString('en-US') : mp.toFixed(mp >= 10 ? 0 : 1)} megapixels`;
}
