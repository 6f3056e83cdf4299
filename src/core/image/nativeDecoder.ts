/**
 * The decoder addon (native/decode/: JPEG, PNG, WebP, TIFF and JPEG 2000 through the system's
 * libjpeg-turbo, libpng, libwebp, libtiff and OpenJPEG), loaded by native/loader.ts, used by decodeNative.ts. MEDIA_DEDUPE_DECODER=sharp switches it
 * off (the kernels addon is another one, not affected); without it sharp decodes every image.
 */
import { loadAddon, type AddonInfo, type AddonSpec } from '../native/loader.js';

export type NativeFormat = 'jpeg' | 'png' | 'webp' | 'tiff' | 'jp2';
/** Every format the addon can be built with (FORMATS in native/decode/addon.c and scripts/build-native.mjs). */
export const NATIVE_FORMATS: readonly NativeFormat[] = ['jpeg', 'png', 'webp', 'tiff', 'jp2'];

export interface NativeResult {
  /** out_size: the `out` given is not the size of the pixels decoded (nothing was written to it). */
  readonly status: 'ok' | 'unsupported' | 'too_large' | 'warning' | 'error' | 'out_size';
  /** width * height * 3 bytes of RGB when status is ok. */
  readonly data?: Buffer;
  readonly width: number;
  readonly height: number;
  readonly message?: string;
  /** When facts were asked: the size without borders of the decoded pixels, and their block-grid score when its arguments were given. */
  readonly contentWidth?: number;
  readonly contentHeight?: number;
  readonly blockGrid?: number;
}

/** The keep policy's pixel facts to measure after decoding (image/keepStats.ts pixelFactsRequest). */
export interface NativeFactsRequest {
  readonly tolerance: number;
  readonly gridMinScore?: number;
  readonly gridCos?: Float64Array;
}

export interface NativeDecoderAddon {
  /**
   * Decodes on the libuv pool. scaleDenom 1, 2, 4 or 8 lets libjpeg shrink inside the IDCT (JPEG only).
   * `out`, of exactly width * height * 3 bytes at that scale, is decoded into (and returned as data).
   * `facts`: also measure them on the pool thread, from the decoded pixels.
   */
  decode(data: Buffer, format: NativeFormat, maxPixels: number, scaleDenom: number, out?: Buffer, facts?: NativeFactsRequest): Promise<NativeResult>;
  decodeSync(data: Buffer, format: NativeFormat, maxPixels: number, scaleDenom: number, out?: Buffer): NativeResult;
  /** The formats this build decodes (those whose library headers were installed when it was built). */
  readonly formats: readonly NativeFormat[];
  /** e.g. 2001005 for libjpeg-turbo 2.1.5. */
  readonly libjpegTurboVersion: number;
}

export interface NativeDecoderInfo extends AddonInfo {
  readonly formats?: readonly NativeFormat[];
  /** libjpeg-turbo's version, e.g. "2.1.5". */
  readonly version?: string;
}

const DECODER: AddonSpec = {
  dir: 'decode',
  file: 'image_decode.node',
  exports: ['decode', 'decodeSync'],
  pathEnv: 'MEDIA_DEDUPE_NATIVE_DECODER',
  off: () => (process.env.MEDIA_DEDUPE_DECODER === 'sharp' ? 'MEDIA_DEDUPE_DECODER=sharp' : undefined),
};

/** The addon, or undefined when it is unavailable or switched off (nativeDecoderInfo() says why). */
export const nativeDecoder = (): NativeDecoderAddon | undefined => loadAddon<NativeDecoderAddon>(DECODER).addon;

export function nativeDecoderInfo(): NativeDecoderInfo {
  const { addon, info } = loadAddon<NativeDecoderAddon>(DECODER);
  if (!addon) return info;
  const v = addon.libjpegTurboVersion;
  return { ...info, formats: addon.formats, version: `${Math.floor(v / 1e6)}.${Math.floor(v / 1e3) % 1e3}.${v % 1e3}` };
}
