/**
 * Size and EXIF orientation of a JPEG from its markers, in JavaScript: the fast decode mode needs them to
 * choose a shrink factor, and asking sharp for metadata first costs a second pass through libvips for
 * every file (which made fast mode slower than parity mode on small images).
 */
export interface JpegHeader {
  readonly width: number;
  readonly height: number;
  /** EXIF orientation 1-8 (1 when absent). */
  readonly orientation: number;
}

const u16 = (b: Uint8Array, i: number, le: boolean): number => (le ? b[i] | (b[i + 1] << 8) : (b[i] << 8) | b[i + 1]);
const u32 = (b: Uint8Array, i: number, le: boolean): number =>
  le ? (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0 : ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;

/**
 * Returns undefined when the markers cannot be followed (the decoder will then report what is wrong).
 * Orientation as OpenCV 4.6 finds it (grfmt_jpeg.cpp): libjpeg keeps every APP1 before the scan, and
 * OpenCV parses the FIRST one as EXIF after skipping 6 bytes, whatever they say. An XMP packet stored
 * before the EXIF block therefore hides the orientation from cv2.imread (so the image stays as stored),
 * and an APP1 after the frame header still counts.
 */
export function readJpegHeader(b: Uint8Array): JpegHeader | undefined {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return undefined;
  let orientation: number | undefined;
  let firstApp1 = true;
  let frame: { width: number; height: number } | undefined;
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) break;
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) break; // the scan: no marker after it is read for orientation
    const len = u16(b, i + 2, false);
    if (len < 2) break;
    const seg = i + 4;
    if (marker === 0xe1 && firstApp1) {
      firstApp1 = false;
      if (len - 2 > 6) orientation = exifOrientation(b, seg + 6, Math.min(b.length, i + 2 + len));
    }
    // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC).
    if (!frame && marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (seg + 5 > b.length) return undefined;
      const height = u16(b, seg + 1, false);
      const width = u16(b, seg + 3, false);
      if (width === 0 || height === 0) return undefined;
      frame = { width, height };
    }
    i += 2 + len;
  }
  return frame && { ...frame, orientation: orientation ?? 1 };
}

/**
 * Tag 0x0112 of IFD0 in the TIFF structure that starts at `t`, read as OpenCV's ExifReader does: byte
 * order mark and the 42 tag mark checked, the first orientation entry wins, values outside 1-8 ignored.
 */
function exifOrientation(b: Uint8Array, t: number, end: number): number | undefined {
  if (t + 8 > end) return undefined;
  const le = b[t] === 0x49 && b[t + 1] === 0x49;
  if (!le && !(b[t] === 0x4d && b[t + 1] === 0x4d)) return undefined;
  if (u16(b, t + 2, le) !== 42) return undefined;
  const ifd = t + u32(b, t + 4, le);
  if (ifd + 2 > end) return undefined;
  const n = u16(b, ifd, le);
  for (let k = 0; k < n; k++) {
    const e = ifd + 2 + k * 12;
    if (e + 12 > end) return undefined;
    if (u16(b, e, le) === 0x0112) {
      const v = u16(b, e + 8, le);
      return v >= 1 && v <= 8 ? v : undefined;
    }
  }
  return undefined;
}
