/**
 * The fast decoding path: JPEG, PNG and WebP through the native addon (libjpeg-turbo, libpng, libwebp,
 * the libraries cv2.imread calls), giving the same pixels as the sharp recipe; TIFF and JPEG 2000
 * (libtiff, OpenJPEG) with cv2.imread's pixels, which sharp does not give (decodeCv2Only) (checked byte for byte on
 * every image of the benchmark and the perception reference set, decodeNative.test.ts). It
 * declines (returns undefined) whenever it is not certain to: no addon or no decoder for the format,
 * CMYK or 12-bit JPEG, 16-bit PNG, animated WebP, PNG/WebP with EXIF, a header it cannot follow, a
 * pixel count over the limit, or any decoder warning (truncated or corrupt data). sharp then decodes the
 * file and, on failure, classifies the error, so codes and messages do not depend on which decoder ran.
 */
import type { RgbImage } from '../cv/types.js';
import { transformGrid } from '../hashers/isometric.js';
import type { IsometricKey } from '../hashers/types.js';
import { nativeDecoder, type NativeDecoderAddon, type NativeFormat, type NativeResult } from './nativeDecoder.js';
import { pixelFactsRequest, type PixelFacts } from './keepStats.js';
import { readJpegHeader } from './jpegHeader.js';
import { releasePixels, takePixels } from './pixelPool.js';
import { FormatFailure } from './formats/byteReader.js';

/**
 * EXIF orientation -> the dihedral transform that displays the image upright, in the isometric module's
 * names (r90 = a quarter turn counter-clockwise, as numpy's rot90).
 */
const ORIENTATION: Readonly<Record<number, IsometricKey>> = { 2: 'fh', 3: 'r180', 4: 'fv', 5: 'r90fv', 6: 'r270', 7: 'r90fh', 8: 'r90' };

/**
 * Fast mode's default floor for the shorter side: the 64 px grid phash16 resizes to. Measured over the
 * 900 benchmark images (bench/fastDecodeAccuracy.ts, `npm run bench -- --only hashing --explore`): at
 * 64, 96, 128 or 256 px the recall of the target families is the parity hashes' own (98.52%, hash only)
 * and precision within 0.1 point, while 64 px decodes the most images at 1/2 to 1/8 scale (median 0 and
 * p95 12 of 256 bits from the parity hash).
 */
export const FAST_MIN_SIDE = 64;

export interface NativeDecodeRequest {
  readonly maxPixels: number;
  /**
   * Fast mode: a JPEG's shorter side (after orientation) is never shrunk below this; undefined decodes
   * at full resolution (parity).
   */
  readonly fastMinSide?: number;
  /** Also measure the keep policy's pixel facts on the pool thread (image/keepStats.ts PixelFacts). */
  readonly keepFacts?: boolean;
}

export interface NativeDecoded extends RgbImage {
  /** Size after EXIF orientation, before any shrink. */
  readonly originalWidth: number;
  readonly originalHeight: number;
  /** With keepFacts, when the addon measured them on these very pixels. */
  readonly facts?: PixelFacts;
}

export type FormatDecoder = (addon: NativeDecoderAddon, data: Buffer, format: NativeFormat, req: NativeDecodeRequest) => Promise<NativeDecoded | undefined>;

/** How each format the addon may have is decoded. A new format: a row here, in NATIVE_FORMATS, and in the FORMATS of native/decode/addon.c and scripts/build-native.mjs. */
const DECODERS: Readonly<Record<NativeFormat, FormatDecoder>> = {
  jpeg: decodeJpeg,
  png: decodePooled(pngSize),
  webp: decodePooled(webpSize),
  tiff: decodeCv2Only,
  jp2: decodeCv2Only,
};

/** `format` is the sniffed format (sniff.ts); anything the addon was not built with is declined at once. */
export async function decodeNative(data: Buffer, format: string, req: NativeDecodeRequest): Promise<NativeDecoded | undefined> {
  const addon = nativeDecoder();
  if (!addon || !(addon.formats as readonly string[]).includes(format)) return undefined;
  return DECODERS[format as NativeFormat](addon, data, format as NativeFormat, req);
}

/**
 * TIFF and JPEG 2000: the addon follows cv2.imread itself (orientation included), and sharp's libvips
 * reads them differently (TIFF) or not at all (JPEG 2000). A variant cv2.imread refuses is refused here
 * too (FormatFailure 'unsupported'); a damaged JPEG 2000 is reported as such (nothing else could read
 * it); a damaged TIFF goes to sharp, which decodes or classifies it.
 */
async function decodeCv2Only(addon: NativeDecoderAddon, data: Buffer, format: NativeFormat, req: NativeDecodeRequest): Promise<NativeDecoded | undefined> {
  const r = await addon.decode(data, format, req.maxPixels, 1, undefined, factsFor(format, req));
  const decoded = resultOf(r);
  if (decoded) return decoded;
  if (r.status === 'unsupported') throw new FormatFailure('unsupported', r.message ?? 'a variant cv2.imread does not read either');
  if (format === 'jp2' && r.status !== 'too_large') {
    const message = r.message ?? 'OpenJPEG could not decode it';
    throw new FormatFailure(/too short|end of|truncat|premature|not enough/i.test(message) ? 'truncated' : 'corrupt', message);
  }
  return undefined;
}

/** Formats whose decoder declines any file carrying an orientation (PNG, WebP): decoded at full size as stored. */
async function decodeUpright(addon: NativeDecoderAddon, data: Buffer, format: NativeFormat, req: NativeDecodeRequest): Promise<NativeDecoded | undefined> {
  return resultOf(await addon.decode(data, format, req.maxPixels, 1, undefined, factsFor(format, req)));
}

/** What the addon decoded as stored (no orientation, no shrink), as NativeDecoded; undefined when it declined. */
function resultOf(r: NativeResult): NativeDecoded | undefined {
  if (r.status !== 'ok' || !r.data) return undefined;
  return { data: r.data, width: r.width, height: r.height, originalWidth: r.width, originalHeight: r.height, ...factsOf(r) };
}

/**
 * PNG and WebP: as decodeUpright, into pooled pixels (pixelPool.ts) sized from the file's header; the addon
 * writes 8-bit RGB of exactly that size or declines (and the pixels go back). A header this cannot read
 * leaves the addon to allocate, and so does one whose size is not what the addon decodes (status out_size): that file is
 * decoded again without the pooled buffer, as before pooling, rather than left to sharp (whose pixels
 * may differ). Exported for its tests (a header size the addon disagrees with).
 */
export function decodePooled(sizeOf: (data: Buffer) => { width: number; height: number } | undefined): FormatDecoder {
  return async (addon, data, format, req) => {
    const size = sizeOf(data);
    if (!size || size.width === 0 || size.height === 0 || size.width * size.height > req.maxPixels) return decodeUpright(addon, data, format, req);
    const out = takePixels(size.width * size.height * 3);
    const r = await addon.decode(data, format, req.maxPixels, 1, out, factsFor(format, req));
    const decoded = resultOf(r);
    if (decoded) return decoded;
    releasePixels(out);
    if (r.status === 'out_size') return decodeUpright(addon, data, format, req);
    return undefined;
  };
}

/** A PNG's size, from its IHDR chunk (always the first). */
export function pngSize(data: Buffer): { width: number; height: number } | undefined {
  if (data.length < 24 || data.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

/** A WebP's size, from its first chunk: the canvas of VP8X, or the frame header of a lossless or lossy bitstream. */
export function webpSize(data: Buffer): { width: number; height: number } | undefined {
  if (data.length < 30 || data.toString('latin1', 0, 4) !== 'RIFF' || data.toString('latin1', 8, 12) !== 'WEBP') return undefined;
  switch (data.toString('latin1', 12, 16)) {
    case 'VP8X':
      return { width: 1 + data.readUIntLE(24, 3), height: 1 + data.readUIntLE(27, 3) };
    case 'VP8L': {
      if (data[20] !== 0x2f) return undefined;
      const bits = data.readUInt32LE(21);
      return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
    }
    case 'VP8 ':
      if (data[23] !== 0x9d || data[24] !== 0x01 || data[25] !== 0x2a) return undefined;
      return { width: data.readUInt16LE(26) & 0x3fff, height: data.readUInt16LE(28) & 0x3fff };
    default:
      return undefined;
  }
}

/** JPEG: into pooled pixels sized from its header (exported for its tests). */
export async function decodeJpeg(addon: NativeDecoderAddon, data: Buffer, _format: NativeFormat, req: NativeDecodeRequest): Promise<NativeDecoded | undefined> {
  const header = readJpegHeader(data);
  if (!header) return undefined;
  if (header.width * header.height > req.maxPixels) return undefined; // sharp reports TOO_LARGE
  const denom = req.fastMinSide === undefined ? 1 : shrinkFactor(Math.min(header.width, header.height), req.fastMinSide);
  const out = takePixels(Math.ceil(header.width / denom) * Math.ceil(header.height / denom) * 3);
  const key = ORIENTATION[header.orientation];
  // The facts are of the upright picture: a turned or flipped one is measured after its transform, by keepStats.
  const facts = key ? undefined : factsFor('jpeg', req);
  let r = await addon.decode(data, 'jpeg', req.maxPixels, denom, out, facts);
  let pooled = true;
  if (r.status !== 'ok' || !r.data) {
    releasePixels(out);
    // A header size the addon does not decode (out_size): decoded again without the pooled buffer, as
    // decodePooled does, rather than left to sharp.
    if (r.status !== 'out_size') return undefined;
    pooled = false;
    r = await addon.decode(data, 'jpeg', req.maxPixels, denom, undefined, facts);
    if (r.status !== 'ok' || !r.data) return undefined;
  }
  let px: RgbImage = { data: r.data, width: r.width, height: r.height };
  if (key) {
    px = transformGrid(px, 3, key);
    if (pooled) releasePixels(out);
  }
  const swap = header.orientation >= 5;
  return {
    ...px,
    originalWidth: swap ? header.height : header.width,
    originalHeight: swap ? header.width : header.height,
    ...factsOf(r),
  };
}

/** What to ask the addon to measure beside the decode, when the caller wants the keep policy's facts. */
function factsFor(format: NativeFormat, req: NativeDecodeRequest): ReturnType<typeof pixelFactsRequest> | undefined {
  return req.keepFacts ? pixelFactsRequest(format) : undefined;
}

/** The facts the addon measured, as NativeDecoded's `facts`, or nothing when it measured none. */
function factsOf(r: NativeResult): { facts?: PixelFacts } {
  if (r.contentWidth === undefined || r.contentHeight === undefined) return {};
  return { facts: { contentWidth: r.contentWidth, contentHeight: r.contentHeight, ...(r.blockGrid !== undefined ? { blockGrid: r.blockGrid } : {}) } };
}

/**
 * libjpeg scales by 1/2, 1/4 or 1/8 inside the IDCT (output ceil(size / f)). The largest factor that
 * keeps the shorter side at or above minSide; 1 when the image is smaller than twice minSide.
 */
export function shrinkFactor(shortSide: number, minSide: number): number {
  let f = 1;
  while (f < 8 && shortSide / (f * 2) >= minSide) f *= 2;
  return f;
}
