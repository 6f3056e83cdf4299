/**
 * The one place that loads the native addon (native/decode/, built at install time by
 * scripts/build-native.mjs against the system's libjpeg-turbo, libpng and libwebp): the image decoders,
 * and two hot loops (the colour signature's sums, phash's DCT block). It is optional: when it is missing,
 * fails to load, or is switched off with MEDIA_DEDUPE_DECODER=sharp, sharp decodes every image, the
 * loops run in JavaScript, and the hashes are the same, only slower.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type NativeFormat = 'jpeg' | 'png' | 'webp';
export type NativeStatus = 'ok' | 'unsupported' | 'too_large' | 'warning' | 'error';

export interface NativeResult {
  readonly status: NativeStatus;
  /** width * height * 3 bytes of RGB when status is ok. */
  readonly data?: Buffer;
  readonly width: number;
  readonly height: number;
  readonly message?: string;
}

export interface NativeDecoderAddon {
  /**
   * Decodes on the libuv pool. scaleDenom 1, 2, 4 or 8 lets libjpeg shrink inside the IDCT (JPEG only).
   * `out`, of exactly width * height * 3 bytes at that scale, is decoded into (and returned as data).
   */
  decode(data: Buffer, format: NativeFormat, maxPixels: number, scaleDenom: number, out?: Buffer): Promise<NativeResult>;
  decodeSync(data: Buffer, format: NativeFormat, maxPixels: number, scaleDenom: number, out?: Buffer): NativeResult;
  /** The colour signature's inner loop (hashers/colorSignature.ts cellSumsJs): adds into sums and counts. */
  cellSums(
    rgb: Uint8Array,
    width: number,
    height: number,
    x0: number,
    y0: number,
    cols: Int32Array,
    rows: Int32Array,
    grid: number,
    colStep: number,
    sums: Float64Array,
    counts: Float64Array,
  ): void;
  /** phash's DCT block (cv/dct.ts dct2BlockJs) into `out` (size * size doubles). */
  dct2Block(x: Uint8Array, n: number, off: number, size: number, cos: Float64Array, out: Float64Array): void;
  /**
   * INTER_AREA downscale (cv/resizeArea.ts) of one channel (channels 1) or RGB's grey (3) into out: integer
   * factors ix x iy, or (ix = iy = 0) the packed tables xtab/ytab.
   */
  areaResize(
    src: Uint8Array,
    sw: number,
    sh: number,
    channels: 1 | 3,
    wr: number,
    wg: number,
    wb: number,
    dw: number,
    dh: number,
    ix: number,
    iy: number,
    xtab: Int32Array,
    ytab: Int32Array,
    out: Uint8Array,
  ): void;
  /** The formats this build decodes (jpeg always; png and webp when their headers were installed). */
  readonly formats: readonly NativeFormat[];
  /** e.g. 2001005 for libjpeg-turbo 2.1.5. */
  readonly libjpegTurboVersion: number;
}

export interface NativeDecoderInfo {
  readonly available: boolean;
  readonly path?: string;
  readonly formats?: readonly NativeFormat[];
  /** libjpeg-turbo's version, e.g. "2.1.5". */
  readonly version?: string;
  /** Why it is not used, when it is not. */
  readonly reason?: string;
}

const FILE = 'image_decode.node';
let loaded: { addon?: NativeDecoderAddon; info: NativeDecoderInfo } | undefined;

/** The addon, or undefined when it is unavailable or switched off (nativeDecoderInfo() says why). */
export function nativeDecoder(): NativeDecoderAddon | undefined {
  loaded ??= load();
  return loaded.addon;
}

export function nativeDecoderInfo(): NativeDecoderInfo {
  loaded ??= load();
  return loaded.info;
}

/**
 * Where the addon may be: beside the bundle in a packaged extension (dist/native/), or where the build
 * script leaves it in a checkout (native/decode/build/). Searched upwards from this module, which is
 * dist/ when bundled and src/core/image/ under the test runner.
 */
function candidates(): string[] {
  const explicit = process.env.MEDIA_DEDUPE_NATIVE_DECODER;
  if (explicit) return [explicit];
  const out: string[] = [];
  let d = __dirname;
  for (let i = 0; i < 5; i++) {
    out.push(join(d, 'native', FILE), join(d, 'native', 'decode', 'build', FILE));
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  return out;
}

function load(): { addon?: NativeDecoderAddon; info: NativeDecoderInfo } {
  if (process.env.MEDIA_DEDUPE_DECODER === 'sharp') return { info: { available: false, reason: 'MEDIA_DEDUPE_DECODER=sharp' } };
  const path = candidates().find((p) => existsSync(p));
  if (!path) return { info: { available: false, reason: `${FILE} was not built (npm ci builds it when libjpeg-turbo's headers are installed)` } };
  try {
    // A plain require: esbuild leaves a computed path alone, and Node loads .node files with it.
    const addon = require(path) as NativeDecoderAddon;
    if (
      typeof addon.decode !== 'function' ||
      typeof addon.decodeSync !== 'function' ||
      typeof addon.cellSums !== 'function' ||
      typeof addon.dct2Block !== 'function' ||
      typeof addon.areaResize !== 'function' ||
      !Array.isArray(addon.formats)
    ) {
      throw new Error('it does not export decode, decodeSync, cellSums, dct2Block, areaResize and formats (an addon from an older build? run npm rebuild)');
    }
    const v = addon.libjpegTurboVersion;
    const version = `${Math.floor(v / 1e6)}.${Math.floor(v / 1e3) % 1e3}.${v % 1e3}`;
    return { addon, info: { available: true, path, formats: addon.formats, version } };
  } catch (e) {
    return { info: { available: false, path, reason: `${path} did not load: ${e instanceof Error ? e.message : String(e)}` } };
  }
}
