/**
 * Identifies a file's real format from its first bytes. The decoder's own errors ("unsupported image
 * format") cannot tell a text file named .jpg from a BMP or a HEIC photo; the magic bytes can, and that
 * difference decides whether the user should convert the file (unsupported) or look at what it is.
 */
import { MediaError } from '../errors.js';

export interface SniffResult {
  /** Short id: jpeg, png, gif, webp, tiff, avif, heic, heif, svg, jxl, bmp, ico, psd, jp2, pnm, ... */
  readonly format: string;
  /** What a person would call it, for messages. */
  readonly label: string;
  /** image: a picture format; video/document/archive/text: something else with an image extension. */
  readonly kind: 'image' | 'video' | 'document' | 'archive' | 'text' | 'unknown';
}

const ascii = (b: Uint8Array, start: number, end: number): string => String.fromCharCode(...b.subarray(start, end));

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0): boolean => {
  if (b.length < at + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (b[at + i] !== sig[i]) return false;
  return true;
};

const HEVC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs']);
const AVIF_BRANDS = new Set(['avif', 'avis']);
const VIDEO_BRANDS = /^(isom|iso[2-9]|mp4[12]|avc1|dash|M4V |M4A |f4v |3gp|3g2|qt {2}|mmp4|MSNV|NDAS|XAVC)/;

/** ISO-BMFF (HEIF/AVIF/MP4/MOV): the ftyp box lists a major brand and compatible brands. */
function sniffFtyp(b: Uint8Array): SniffResult | undefined {
  if (b.length < 12 || ascii(b, 4, 8) !== 'ftyp') return undefined;
  const boxSize = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  const end = Math.min(b.length, boxSize >= 16 ? boxSize : 16);
  const brands = [ascii(b, 8, 12)];
  for (let i = 16; i + 4 <= end; i += 4) brands.push(ascii(b, i, i + 4));
  if (brands.some((x) => AVIF_BRANDS.has(x))) return { format: 'avif', label: 'AVIF', kind: 'image' };
  if (brands.some((x) => HEVC_BRANDS.has(x))) return { format: 'heic', label: 'HEIC (HEVC-coded HEIF)', kind: 'image' };
  if (brands.some((x) => x === 'mif1' || x === 'msf1')) return { format: 'heif', label: 'HEIF', kind: 'image' };
  if (VIDEO_BRANDS.test(brands[0])) return { format: 'mp4', label: 'MP4/QuickTime video', kind: 'video' };
  return { format: 'isobmff', label: 'ISO media (MP4-family) file', kind: 'video' };
}

function looksLikeText(b: Uint8Array): boolean {
  const n = Math.min(b.length, 512);
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = b[i];
    if (c === 0) return false;
    if (c < 9 || (c > 13 && c < 32 && c !== 27)) return false;
  }
  return true;
}

export function sniffFormat(b: Uint8Array): SniffResult {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return { format: 'jpeg', label: 'JPEG', kind: 'image' };
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { format: 'png', label: 'PNG', kind: 'image' };
  if (b.length >= 6 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) return { format: 'gif', label: 'GIF', kind: 'image' };
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF') {
    const sub = ascii(b, 8, 12);
    if (sub === 'WEBP') return { format: 'webp', label: 'WebP', kind: 'image' };
    if (sub === 'AVI ') return { format: 'avi', label: 'AVI video', kind: 'video' };
    return { format: 'riff', label: `RIFF (${sub.trim()}) file`, kind: 'unknown' };
  }
  if (
    startsWith(b, [0x49, 0x49, 0x2a, 0x00]) ||
    startsWith(b, [0x4d, 0x4d, 0x00, 0x2a]) ||
    startsWith(b, [0x49, 0x49, 0x2b, 0x00]) ||
    startsWith(b, [0x4d, 0x4d, 0x00, 0x2b])
  )
    return { format: 'tiff', label: 'TIFF', kind: 'image' };
  const ftyp = sniffFtyp(b);
  if (ftyp) return ftyp;
  if (startsWith(b, [0xff, 0x0a]) || startsWith(b, [0, 0, 0, 0x0c, 0x4a, 0x58, 0x4c, 0x20, 0x0d, 0x0a, 0x87, 0x0a]))
    return { format: 'jxl', label: 'JPEG XL', kind: 'image' };
  if (startsWith(b, [0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a]) || startsWith(b, [0xff, 0x4f, 0xff, 0x51]))
    return { format: 'jp2', label: 'JPEG 2000', kind: 'image' };
  if (startsWith(b, [0x42, 0x4d]) && b.length >= 26) return { format: 'bmp', label: 'BMP', kind: 'image' };
  if (startsWith(b, [0, 0, 1, 0]) || startsWith(b, [0, 0, 2, 0])) return { format: 'ico', label: 'ICO/CUR icon', kind: 'image' };
  if (startsWith(b, [0x38, 0x42, 0x50, 0x53])) return { format: 'psd', label: 'Photoshop PSD', kind: 'image' };
  // Netpbm and PFM as OpenCV recognises them: P1-P7 or Pf/PF, then any C whitespace (\t \n \v \f \r, space).
  if (b.length >= 3 && b[0] === 0x50 && (b[2] === 0x20 || (b[2] >= 0x09 && b[2] <= 0x0d))) {
    if (b[1] >= 0x31 && b[1] <= 0x37) return { format: 'pnm', label: b[1] === 0x37 ? 'Netpbm PAM' : 'Netpbm (PBM/PGM/PPM)', kind: 'image' };
    if (b[1] === 0x66 || b[1] === 0x46) return { format: 'pfm', label: 'PFM (portable float map)', kind: 'image' };
  }
  if (startsWith(b, [0x76, 0x2f, 0x31, 0x01])) return { format: 'exr', label: 'OpenEXR', kind: 'image' };
  // Radiance HDR under either of the two signatures OpenCV accepts.
  if ((b.length >= 10 && ascii(b, 0, 10) === '#?RADIANCE') || (b.length >= 6 && ascii(b, 0, 6) === '#?RGBE'))
    return { format: 'hdr', label: 'Radiance HDR', kind: 'image' };
  if (startsWith(b, [0x59, 0xa6, 0x6a, 0x95])) return { format: 'ras', label: 'Sun raster', kind: 'image' };
  if (startsWith(b, [0x25, 0x50, 0x44, 0x46])) return { format: 'pdf', label: 'PDF document', kind: 'document' };
  if (startsWith(b, [0x1a, 0x45, 0xdf, 0xa3])) return { format: 'mkv', label: 'Matroska/WebM video', kind: 'video' };
  if (startsWith(b, [0, 0, 1, 0xba]) || startsWith(b, [0, 0, 1, 0xb3])) return { format: 'mpeg', label: 'MPEG video', kind: 'video' };
  if (startsWith(b, [0x4f, 0x67, 0x67, 0x53])) return { format: 'ogg', label: 'Ogg media', kind: 'video' };
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04])) return { format: 'zip', label: 'ZIP archive', kind: 'archive' };
  if (startsWith(b, [0x1f, 0x8b])) return { format: 'gzip', label: 'gzip archive', kind: 'archive' };
  if (looksLikeText(b)) {
    const head = Buffer.from(b.subarray(0, Math.min(b.length, 4096)))
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart();
    if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(head) || (head.startsWith('<?xml') && /<svg[\s>]/i.test(head)))
      return { format: 'svg', label: 'SVG', kind: 'image' };
    if (/^<(!doctype html|html)/i.test(head)) return { format: 'html', label: 'HTML page', kind: 'text' };
    return { format: 'text', label: 'text file', kind: 'text' };
  }
  return { format: 'unknown', label: 'file of unknown type', kind: 'unknown' };
}

/** The error for a file whose first bytes say it is something else than an image (a video, a document, text). */
export function notAnImage(sniff: SniffResult, path: string): MediaError {
  const what = sniff.kind === 'video' ? `a video (${sniff.label})` : sniff.kind === 'unknown' ? 'not a recognised image format' : `a ${sniff.label}`;
  const hint = sniff.kind === 'video' ? ', hash it as a video' : ' (its extension suggests otherwise: a renamed or mislabelled file?)';
  return new MediaError('NOT_AN_IMAGE', `This file is ${what}, not an image${hint}`, path);
}
