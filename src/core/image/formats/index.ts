/**
 * The formats decoded in TypeScript, by sniffed id (sniff.ts): simple uncompressed or RLE formats that
 * neither sharp's prebuilt libvips nor a system library decodes the way cv2.imread does. Each row gives
 * the header's size (for the pixel limit, before any pixel is touched) and the decoder; both follow
 * OpenCV 4.6's reader of that format (see each file), checked against cv2 by test/golden/formats.test.ts.
 * A new row here needs a sniff rule in sniff.ts and golden fixtures in test/golden/formats/.
 */
import type { RgbImage } from '../../cv/types.js';
import { bmpSize, decodeBmp } from './bmp.js';
import { decodePfm, decodePnm, pfmSize, pnmSize } from './netpbm.js';
import { decodeRadiance, radianceSize } from './radiance.js';
import { decodeSunRaster, sunRasterSize } from './sunRaster.js';

export { FormatFailure } from './byteReader.js';

export interface ScriptFormat {
  /** Declared width and height, or undefined when the header cannot be read (the decoder then says why). */
  readonly size: (b: Uint8Array) => { width: number; height: number } | undefined;
  /** RGB pixels as cv2.imread gives them (after BGR -> RGB); throws FormatFailure. */
  readonly decode: (b: Uint8Array) => RgbImage;
}

export const SCRIPT_FORMATS: Readonly<Record<string, ScriptFormat>> = {
  bmp: { size: bmpSize, decode: decodeBmp },
  pnm: { size: pnmSize, decode: decodePnm },
  pfm: { size: pfmSize, decode: decodePfm },
  ras: { size: sunRasterSize, decode: decodeSunRaster },
  hdr: { size: radianceSize, decode: decodeRadiance },
};
