/**
 * The one place that loads the project's native addons. Both are optional, built at install time by
 * scripts/build-native.mjs, and found beside the bundle in a packaged extension (dist/native/) or where the
 * build leaves them in a checkout (native/<name>/build/):
 *  - the decoder (native/decode/): JPEG, PNG and WebP through the system's libjpeg-turbo, libpng and
 *    libwebp, for image/decodeNative.ts. MEDIA_DEDUPE_DECODER=sharp switches it off.
 *  - the kernels (native/kernels/): C versions of math kernels, for kernels/kernels.ts (which also decides
 *    whether to use them: MEDIA_DEDUPE_KERNELS).
 * When one is missing, fails to load or is switched off, sharp decodes (or JavaScript computes) instead:
 * the hashes are the same, only slower. The *Info functions say which is in use, or why not.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type NativeFormat = 'jpeg' | 'png' | 'webp';
/** Every format the decoder addon can be built with (the FORMATS of native/decode/addon.c and scripts/build-native.mjs). */
export const NATIVE_FORMATS: readonly NativeFormat[] = ['jpeg', 'png', 'webp'];
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
  /** The formats this build decodes (those whose library headers were installed when it was built). */
  readonly formats: readonly NativeFormat[];
  /** e.g. 2001005 for libjpeg-turbo 2.1.5. */
  readonly libjpegTurboVersion: number;
}

/** The C kernels, each with the signature of its JavaScript definition in src/core/kernels/ (which says what it computes). */
export interface NativeKernelsAddon {
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
  dct2Block(x: Uint8Array, n: number, off: number, size: number, cos: Float64Array, out: Float64Array): void;
  /** Integer factors ix x iy, or (ix = iy = 0) the tables xtab/ytab packed as kernels/area.ts packTab does. */
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
}

export interface NativeAddonInfo {
  readonly available: boolean;
  readonly path?: string;
  /** Why it is not used, when it is not. */
  readonly reason?: string;
}

export interface NativeDecoderInfo extends NativeAddonInfo {
  readonly formats?: readonly NativeFormat[];
  /** libjpeg-turbo's version, e.g. "2.1.5". */
  readonly version?: string;
}

interface AddonSpec {
  readonly dir: string; // under native/
  readonly file: string;
  readonly exports: readonly string[]; // functions it must have (an addon from an older build may not)
  readonly pathEnv: string; // an explicit path to load instead
  readonly off?: () => string | undefined; // why it is switched off
}

const DECODER: AddonSpec = {
  dir: 'decode',
  file: 'image_decode.node',
  exports: ['decode', 'decodeSync'],
  pathEnv: 'MEDIA_DEDUPE_NATIVE_DECODER',
  off: () => (process.env.MEDIA_DEDUPE_DECODER === 'sharp' ? 'MEDIA_DEDUPE_DECODER=sharp' : undefined),
};
const KERNELS: AddonSpec = { dir: 'kernels', file: 'kernels.node', exports: ['cellSums', 'dct2Block', 'areaResize'], pathEnv: 'MEDIA_DEDUPE_NATIVE_KERNELS' };

const loaded = new Map<AddonSpec, { addon?: unknown; info: NativeAddonInfo }>();

/** The decoder addon, or undefined when it is unavailable or switched off (nativeDecoderInfo() says why). */
export const nativeDecoder = (): NativeDecoderAddon | undefined => load(DECODER).addon as NativeDecoderAddon | undefined;
/** The kernels addon, or undefined when it is unavailable (nativeKernelsInfo() says why). */
export const nativeKernels = (): NativeKernelsAddon | undefined => load(KERNELS).addon as NativeKernelsAddon | undefined;
export const nativeKernelsInfo = (): NativeAddonInfo => load(KERNELS).info;

export function nativeDecoderInfo(): NativeDecoderInfo {
  const { info } = load(DECODER);
  const addon = nativeDecoder();
  if (!addon) return info;
  const v = addon.libjpegTurboVersion;
  return { ...info, formats: addon.formats, version: `${Math.floor(v / 1e6)}.${Math.floor(v / 1e3) % 1e3}.${v % 1e3}` };
}

function load(spec: AddonSpec): { addon?: unknown; info: NativeAddonInfo } {
  let l = loaded.get(spec);
  if (!l) loaded.set(spec, (l = tryLoad(spec)));
  return l;
}

function tryLoad(spec: AddonSpec): { addon?: unknown; info: NativeAddonInfo } {
  const off = spec.off?.();
  if (off) return { info: { available: false, reason: off } };
  const path = candidates(spec).find((p) => existsSync(p));
  if (!path)
    return { info: { available: false, reason: `${spec.file} was not built (npm ci builds it when a C compiler and the libraries' headers are installed)` } };
  try {
    // A plain require: esbuild leaves a computed path alone, and Node loads .node files with it.
    const addon = require(path) as Record<string, unknown>;
    const lacking = spec.exports.filter((e) => typeof addon[e] !== 'function');
    if (lacking.length) throw new Error(`it does not export ${lacking.join(', ')} (an addon from an older build? run npm rebuild)`);
    return { addon, info: { available: true, path } };
  } catch (e) {
    return { info: { available: false, path, reason: `${path} did not load: ${e instanceof Error ? e.message : String(e)}` } };
  }
}

/** Searched upwards from this module, which is dist/ when bundled and src/core/native/ under the test runner. */
function candidates(spec: AddonSpec): string[] {
  const explicit = process.env[spec.pathEnv];
  if (explicit) return [explicit];
  const out: string[] = [];
  let d = __dirname;
  for (let i = 0; i < 5; i++) {
    out.push(join(d, 'native', spec.file), join(d, 'native', spec.dir, 'build', spec.file));
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  return out;
}
