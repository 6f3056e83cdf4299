/**
 * The largest file the engine reads whole, per format (as sniffed from its first bytes, not its name).
 * A file is opened, its first bytes are sniffed, and only then is it read whole, if its size is within
 * the limit for what it really is: a 1 GB video or disk image named .jpg costs one small read and a
 * TOO_LARGE record, not 1 GB of memory. The defaults sit far above the largest picture each format
 * holds within the 100-megapixel decode limit (a 100 MP JPEG at quality 100 is about 60 MB; an
 * uncompressed 16-bit RGBA TIFF or BMP of 100 MP is 800 MB) and can be changed per format or for all
 * (`--max-file-size [FORMAT=]SIZE`; docs/cli-scan.md lists them).
 */
import { invalidOption } from '../errors.js';

export type SizeLimits = Readonly<Record<string, number>>;

const MiB = 1 << 20;
const GiB = 1 << 30;

/** Bytes per sniffed format (image/sniff.ts ids); `*` for every other image format. */
export const DEFAULT_SIZE_LIMITS: SizeLimits = Object.freeze({
  jpeg: 256 * MiB,
  png: 512 * MiB,
  webp: 256 * MiB,
  gif: 256 * MiB,
  avif: 256 * MiB,
  heic: 256 * MiB,
  heif: 256 * MiB,
  jxl: 256 * MiB,
  jp2: 512 * MiB,
  svg: 64 * MiB,
  ico: 64 * MiB,
  tiff: GiB,
  bmp: GiB,
  pnm: GiB,
  psd: GiB,
  exr: GiB,
  hdr: GiB,
  '*': 256 * MiB,
});

/** The limit for a sniffed format: an explicit entry, else the `*` entry, else the default for the format. */
export function limitFor(limits: SizeLimits | number | undefined, format: string): number {
  if (typeof limits === 'number') return limits;
  return limits?.[format] ?? limits?.['*'] ?? DEFAULT_SIZE_LIMITS[format] ?? DEFAULT_SIZE_LIMITS['*'];
}

const UNITS: Readonly<Record<string, number>> = { '': 1, k: 1 << 10, m: MiB, g: GiB, t: GiB * 1024 };

/**
 * `2G`, `600M`, `png=600M`, `*=2G` (K, M, G, T: powers of 1024; a plain number is bytes). Without a
 * format the size applies to every format.
 */
export function parseSizeLimit(arg: string): [string, number] {
  const m = /^(?:([a-z0-9*]+)=)?(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(arg.trim());
  if (!m || Number(m[2]) <= 0) throw invalidOption('--max-file-size', 'a size such as 2G or FORMAT=SIZE such as png=600M', arg);
  return [(m[1] ?? '*').toLowerCase(), Math.round(Number(m[2]) * UNITS[m[3].toLowerCase()])];
}

/** Validates a limits object from options: positive integer byte counts keyed by format. */
export function normalizeSizeLimits(v: unknown): SizeLimits {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalidOption('maxFileBytes', 'an object of format: bytes', v);
  const out: Record<string, number> = {};
  for (const [k, n] of Object.entries(v)) {
    if (!/^[a-z0-9]+$|^\*$/.test(k) || typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0)
      throw invalidOption(`maxFileBytes.${k}`, 'a format id (jpeg, png, ... or *) with a positive whole number of bytes', n);
    out[k] = n;
  }
  return out;
}
