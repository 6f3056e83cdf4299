/**
 * Each file's colours, kept so that a crop-resistant match can be checked on the region that matched
 * (colorcheck/cropColors.ts). pHash sees grey only, so a tricolour and its recolouring (Bulgaria and
 * Hungary), or a drawing in two paints, match box to box or window to whole; their colours tell them
 * apart. The check must compare the matched views, not the whole files: a bordered or cropped copy's whole
 * picture has other colours than its original's (the border, the missing strip).
 *
 * One grid of mean colours over the whole decoded picture (VIEW_COLOR_CELLS a side), and the content box
 * as fractions of the picture, encoded together in one string that rides with the crop hashes in the
 * cache. A view's colours are then any rectangle of the grid resampled (regionGrid), with no second pass
 * over the pixels, at 1,736 bytes a file. With these 24 cells the check's figures are the README's (held-out
 * benchmark after its ground-truth audit: 414 of 567 false added pairs removed, 19 of 8,413 true lost). 24
 * rather than 32 was chosen on a run before that audit (the same false pairs removed, fewer true ones lost:
 * 8 against 12 of the 8,401 true pairs then); that comparison has not been repeated since.
 */
import { cropWindowFractions, type Box } from './cropWindows.js';

export const VIEW_COLOR_CELLS = 24;
const GRID_BYTES = VIEW_COLOR_CELLS * VIEW_COLOR_CELLS * 3;
/** The content box's four edges as 16-bit fractions of the sides (0 0 0 0: no box). */
const BOX_BYTES = 8;
const ENCODED_LENGTH = Math.ceil((GRID_BYTES + BOX_BYTES) / 3) * 4;

/** A rectangle as fractions of the picture's sides, [x0, x1) x [y0, y1). */
export interface Region {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export interface ViewColors {
  /** Mean R, G, B of each cell, row-major. */
  readonly grid: Uint8Array;
  readonly box?: Region;
}

/** The view whose region is the whole picture (crop hashes number the content box 0 and the windows 1-9). */
export const WHOLE_VIEW = -1;

/** `grid` (VIEW_COLOR_CELLS² cells of the whole picture) and the content box of a width x height picture, as one base64 string. */
export function encodeViewColors(grid: Uint8Array, box: Box | undefined, width: number, height: number): string {
  if (grid.length !== GRID_BYTES) throw new RangeError(`encodeViewColors: expected ${GRID_BYTES} bytes of grid`);
  const out = Buffer.alloc(GRID_BYTES + BOX_BYTES);
  out.set(grid);
  if (box) {
    const edges = [box.x / width, box.y / height, (box.x + box.width) / width, (box.y + box.height) / height];
    edges.forEach((f, k) => out.writeUInt16LE(Math.round(f * 65535), GRID_BYTES + 2 * k));
  }
  return out.toString('base64');
}

/** The colours back from their string, or undefined when it is not one (a foreign or damaged cache line). */
export function decodeViewColors(s: unknown): ViewColors | undefined {
  if (typeof s !== 'string' || s.length !== ENCODED_LENGTH) return undefined;
  const b = Buffer.from(s, 'base64');
  if (b.length !== GRID_BYTES + BOX_BYTES) return undefined;
  const e = [0, 1, 2, 3].map((k) => b.readUInt16LE(GRID_BYTES + 2 * k) / 65535);
  const grid = new Uint8Array(b.subarray(0, GRID_BYTES));
  return e[2] > e[0] && e[3] > e[1] ? { grid, box: { x0: e[0], y0: e[1], x1: e[2], y1: e[3] } } : { grid };
}

/** Whether a string has the shape of encoded view colours (a cheap check for every cache line). */
export function isViewColorsString(s: unknown): s is string {
  return typeof s === 'string' && s.length === ENCODED_LENGTH && /^[A-Za-z0-9+/]*={0,2}$/.test(s);
}

const WHOLE_REGION: Region = Object.freeze({ x0: 0, y0: 0, x1: 1, y1: 1 });

/** The region of a view: WHOLE_VIEW, 0 the content box (the whole picture when it has none), 1-9 the windows of cropWindows. */
export function viewRegion(c: ViewColors, view: number): Region {
  if (view === WHOLE_VIEW || (view === 0 && !c.box)) return WHOLE_REGION;
  if (view === 0) return c.box!;
  return cropWindowFractions()[view - 1];
}

/**
 * The region, less `inset` of each side (thin borders and the edge a crop moves are left out, as the
 * whole-file colour signature leaves them out), resampled to cells x cells mean colours: each output cell
 * the mean of the grid over its share of the region, partial cells weighted by the part inside.
 */
export function regionGrid(c: ViewColors, r: Region, cells: number, inset: number): Uint8Array {
  const G = VIEW_COLOR_CELLS;
  const dx = (r.x1 - r.x0) * inset;
  const dy = (r.y1 - r.y0) * inset;
  const fixed = r === WHOLE_REGION || cropWindowFractions().includes(r);
  const xs = shares(r.x0 + dx, r.x1 - dx, cells, G, fixed);
  const ys = shares(r.y0 + dy, r.y1 - dy, cells, G, fixed);
  const grid = c.grid;
  const out = new Uint8Array(cells * cells * 3);
  for (let j = 0; j < cells; j++) {
    for (let i = 0; i < cells; i++) {
      let t = 0;
      let sr = 0;
      let sg = 0;
      let sb = 0;
      for (let p = ys.start[j]; p < ys.start[j + 1]; p++) {
        const cy = ys.cell[p];
        const wy = ys.weight[p];
        for (let q = xs.start[i]; q < xs.start[i + 1]; q++) {
          const w = wy * xs.weight[q];
          const k = (cy * G + xs.cell[q]) * 3;
          t += w;
          sr += grid[k] * w;
          sg += grid[k + 1] * w;
          sb += grid[k + 2] * w;
        }
      }
      const o = (j * cells + i) * 3;
      out[o] = Math.round(sr / t);
      out[o + 1] = Math.round(sg / t);
      out[o + 2] = Math.round(sb / t);
    }
  }
  return out;
}

/** Part k's cells and their lengths are cell[start[k] .. start[k + 1]) and weight[...]. */
interface Shares {
  readonly start: Int32Array;
  readonly cell: Int32Array;
  readonly weight: Float64Array;
}

/**
 * Shares already worked out, by their arguments: the windows' and the whole picture's regions are the same
 * fractions in every file, so a scan's colour checks of crop pairs (colorcheck/cropColors.ts) mostly ask for
 * the same few. Those are always kept (a few: the nine windows
 * share three pairs of edges a side); of the others (content boxes differ from file to
 * file) the first SHARES_KEPT are kept and later ones worked out each time, so a scan of many bordered files
 * neither evicts the windows' nor grows the memo without bound (it emptied the memo every 256 boxes).
 */
const sharesMemo = new Map<string, Shares>();
const SHARES_KEPT = 256;

/** For each of `parts` equal parts of [from, to) (fractions of a side of `cells` grid cells): its cells and the length of the part in each. */
function shares(from: number, to: number, parts: number, cells: number, keep: boolean): Shares {
  const key = `${from} ${to} ${parts} ${cells}`;
  const known = sharesMemo.get(key);
  if (known) return known;
  const start = new Int32Array(parts + 1);
  const cell: number[] = [];
  const weight: number[] = [];
  const step = ((to - from) * cells) / parts;
  for (let i = 0; i < parts; i++) {
    const a = from * cells + i * step;
    const b = a + step;
    start[i] = cell.length;
    for (let c = Math.max(0, Math.floor(a)); c < Math.min(cells, Math.ceil(b)); c++) {
      const w = Math.min(b, c + 1) - Math.max(a, c);
      if (w > 1e-9) {
        cell.push(c);
        weight.push(w);
      }
    }
    if (cell.length === start[i]) {
      cell.push(Math.min(cells - 1, Math.max(0, Math.floor(a))));
      weight.push(1);
    }
  }
  start[parts] = cell.length;
  const out = { start, cell: Int32Array.from(cell), weight: Float64Array.from(weight) };
  if (keep || sharesMemo.size < SHARES_KEPT) sharesMemo.set(key, out);
  return out;
}
