/**
 * Cheap facts about one image that tell an original from its copies, computed while it is hashed (from
 * the bytes already read and the pixels already decoded) for the keep policy (decisions/keepPolicy.ts):
 * - the JPEG quality its quantisation tables were made with (a copy saved again is saved lower);
 * - whether a lossless file carries a JPEG's 8x8 block grid (a PNG made from a JPEG is a re-encode, not
 *   a better original, though it is larger in bytes);
 * - the size of the picture without uniform borders (a padded copy has more pixels, not more picture).
 * `npm run bench -- --only keep-policy` measures what they change.
 */
import type { RgbImage } from '../cv/types.js';
import { GRID_COS } from '../kernels/blockGrid.js';
import { kernel, KERNELS } from '../kernels/kernels.js';

export interface KeepStats {
  readonly jpegQuality?: number;
  /** Lossless files: blockGridScore, x1000 (an integer, so it caches and compares exactly). */
  readonly blockGrid?: number;
  readonly contentWidth?: number;
  readonly contentHeight?: number;
}

/**
 * At or above this block-grid score (x1000) a lossless file counts as a re-encoded JPEG. Lossless files
 * that never were JPEGs score 0 (152 downscaled benchmark photos, pixel art on 4/8/16 px cells, flat
 * clipart, screenshots); PNGs saved from JPEGs score 100-1000, the flat ones lowest (`npm run bench --
 * --only keep-policy`).
 */
export const REENCODED_GRID = 100;

// libjpeg's standard luminance table (Annex K), the base of IJG's quality scaling; order does not matter for a sum.
const STD_LUMA = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103,
  77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const STD_SUM = STD_LUMA.reduce((a, b) => a + b, 0);

/**
 * The IJG quality (1-100) whose scaling of the standard table gives the file's luminance table (table 0),
 * from the sum of its entries; undefined when the bytes are not a JPEG or have no such table.
 */
export function jpegQualityOf(bytes: Uint8Array): number | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) return undefined;
    const marker = bytes[i + 1];
    if (marker === 0xff) {
      i++;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return undefined; // image data before any DQT
    const len = (bytes[i + 2] << 8) | bytes[i + 3];
    if (marker === 0xdb) {
      let j = i + 4;
      const end = Math.min(i + 2 + len, bytes.length);
      while (j < end) {
        const precision = bytes[j] >> 4;
        const id = bytes[j] & 15;
        const n = precision ? 128 : 64;
        if (j + 1 + n > end) return undefined;
        if (id === 0) {
          let sum = 0;
          for (let k = 0; k < 64; k++) sum += precision ? (bytes[j + 1 + 2 * k] << 8) | bytes[j + 2 + 2 * k] : bytes[j + 1 + k];
          const scale = (sum * 100) / STD_SUM;
          const q = scale <= 100 ? (200 - scale) / 2 : 5000 / scale;
          return Math.max(1, Math.min(100, Math.round(q)));
        }
        j += 1 + n;
      }
    }
    i += 2 + len;
  }
  return undefined;
}

/**
 * Whether the pixels were decoded from a JPEG, as a score x1000. On the 8x8 luma blocks of JPEG's grid,
 * the DCT coefficients of each frequency cluster on the multiples of one step (the quantiser JPEG applied;
 * rounding to 8-bit pixels blurs them only a little): the score is the share of frequencies that do, on
 * the aligned grid minus on a grid shifted by 4 pixels. Content that repeats on its own (a gradient, a
 * flat drawing) clusters on both grids and scores near 0; a PNG saved from a JPEG, even at quality 95,
 * scores high. When the aligned grid alone scores below REENCODED_GRID the shifted one cannot change
 * the verdict, so it is not measured and the score is 0. At most 256 blocks are read per grid, in a
 * central window of at most 1024x1024 (aligned to the image's own 8x8 grid): lossless files only.
 * The work is the blockGrid kernel (kernels/blockGrid.ts, in C when the kernels addon is built).
 */
export function blockGridScore(img: RgbImage): number {
  return kernel(KERNELS.blockGrid)(img.data, img.width, img.height, REENCODED_GRID);
}

/** How far (per channel) a border pixel may be from its edge's corner colour. */
const CONTENT_TOLERANCE = 12;

/**
 * The picture without uniform borders: rows and columns at each edge whose every pixel is within
 * `tolerance` of that edge's corner colour (a padding, or letterboxing) are left out, up to half the
 * image each way. A uniform image keeps its full size.
 * Every scan runs it on every image, so it reads rows in memory order (a column is the shortest run of
 * near pixels over the rows: no strided walk down each column) and stops each run at the first pixel that
 * differs; the result is the one of checking whole rows and columns one by one. The work is the
 * contentSize kernel (kernels/contentSize.ts, in C when the kernels addon is built).
 */
export function contentSize(img: RgbImage, tolerance = CONTENT_TOLERANCE): { width: number; height: number } {
  const out = new Int32Array(2);
  kernel(KERNELS.contentSize)(img.data, img.width, img.height, tolerance, out);
  return { width: out[0], height: out[1] };
}

const LOSSLESS = new Set(['png', 'tiff', 'bmp', 'gif', 'pnm', 'ras', 'psd']);

/**
 * The pixel facts keepStatsOf needs, already measured by the decoder addon on its pool thread from the
 * same pixels (image/decodeNative.ts asks for them with pixelFactsRequest): the size without borders and,
 * for a lossless format, the block-grid score. In the decoded pixels' units, before any scaling back.
 */
export interface PixelFacts {
  readonly contentWidth: number;
  readonly contentHeight: number;
  readonly blockGrid?: number;
}

/** What the decoder addon is asked to measure for a file of this (sniffed) format: the arguments of contentSize and blockGridScore. */
export function pixelFactsRequest(format: string): { tolerance: number; gridMinScore?: number; gridCos?: Float64Array } {
  return LOSSLESS.has(format) ? { tolerance: CONTENT_TOLERANCE, gridMinScore: REENCODED_GRID, gridCos: GRID_COS } : { tolerance: CONTENT_TOLERANCE };
}

/**
 * The stats of one decoded image; `quality` is jpegQualityOf its bytes (read before decoding). Sizes are
 * scaled back to the file's own resolution when the decoder shrank it (fast decode). `facts`, when the
 * decoder measured them (same kernels, same pixels), spare this thread the walk over every pixel.
 */
export function keepStatsOf(
  img: RgbImage & { readonly format: string; readonly originalWidth: number; readonly originalHeight: number; readonly facts?: PixelFacts },
  quality: number | undefined,
): KeepStats {
  const f = img.facts;
  const grid = LOSSLESS.has(img.format) ? (f?.blockGrid ?? blockGridScore(img)) : undefined;
  const c = f ? { width: f.contentWidth, height: f.contentHeight } : contentSize(img);
  const sx = img.originalWidth / img.width;
  const sy = img.originalHeight / img.height;
  const cw = Math.round(c.width * sx);
  const ch = Math.round(c.height * sy);
  const trimmed = cw !== img.originalWidth || ch !== img.originalHeight;
  return {
    ...(quality !== undefined ? { jpegQuality: quality } : {}),
    ...(grid !== undefined ? { blockGrid: grid } : {}),
    ...(trimmed ? { contentWidth: cw, contentHeight: ch } : {}),
  };
}
