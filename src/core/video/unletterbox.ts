/**
 * Black-bar removal. `unletterboxBounds` is perception's tools.unletterbox (only_remove_black=True): keep
 * the rows and columns where more than `minFraction` of the pixels have a channel mean above 2.
 *
 * On its own that also "crops" dark content (a night sky with a few bright objects loses everything but
 * the objects, and differently in every frame), so `barBounds` accepts the crop only when it looks like
 * bars added around a picture: what is removed is (nearly) pure black across its whole length, and the
 * bars on opposite sides have about the same size, as letterboxing and pillarboxing produce.
 */
import type { RgbImage } from '../cv/types.js';

/** Half-open pixel bounds of the picture: x in [x1, x2), y in [y1, y2). */
export interface Bounds {
  readonly x1: number;
  readonly x2: number;
  readonly y1: number;
  readonly y2: number;
}

/**
 * Per row and per column: how many pixels have a channel mean above 2 (sum > 6, as (r+g+b)/3 > 2).
 * With step 2 only every other row and column is looked at and the counts are doubled: 4x cheaper, and
 * bars (tens of lines of pure black) are just as visible. Only perception's own bounds need step 1.
 */
function meaningfulCounts(img: RgbImage, step = 1): { rows: Uint32Array; cols: Uint32Array } {
  const { data, width: w, height: h } = img;
  const rows = new Uint32Array(h);
  const cols = new Uint32Array(w);
  for (let y = 0; y < h; y += step) {
    let r = 0;
    for (let x = 0, i = y * w * 3; x < w; x += step, i += 3 * step) {
      if (data[i] + data[i + 1] + data[i + 2] > 6) {
        r++;
        cols[x]++;
      }
    }
    rows[y] = r * step;
  }
  if (step > 1) {
    // Unvisited lines take their neighbour's count, so every line has a value on the full-resolution scale.
    for (let x = 0; x < w; x++) cols[x] *= step;
    for (let y = 1; y < h; y += step) rows[y] = rows[y - 1];
    for (let x = 1; x < w; x += step) cols[x] = cols[x - 1];
  }
  return { rows, cols };
}

/**
 * perception's unletterbox: null when no row or no column has enough meaningful pixels. perception returns
 * (0, w + 1), (0, h + 1) for an image with no dark pixel at all; here that is simply the whole image.
 */
export function unletterboxBounds(img: RgbImage, minFraction = 0.1): Bounds | null {
  return boundsFromCounts(meaningfulCounts(img), img.width, img.height, minFraction);
}

function boundsFromCounts({ rows, cols }: { rows: Uint32Array; cols: Uint32Array }, w: number, h: number, minFraction: number): Bounds | null {
  let all = true;
  for (let y = 0; y < h && all; y++) if (rows[y] !== w) all = false;
  if (all) return { x1: 0, x2: w, y1: 0, y2: h };
  const first = (c: Uint32Array, min: number): number => {
    for (let i = 0; i < c.length; i++) if (c[i] > min) return i;
    return -1;
  };
  const last = (c: Uint32Array, min: number): number => {
    for (let i = c.length - 1; i >= 0; i--) if (c[i] > min) return i;
    return -1;
  };
  const y1 = first(rows, minFraction * w);
  const x1 = first(cols, minFraction * h);
  if (y1 < 0 || x1 < 0) return null;
  return { x1, x2: last(cols, minFraction * h) + 1, y1, y2: last(rows, minFraction * w) + 1 };
}

export interface BarOptions {
  /** Removed rows/columns may hold at most this share of non-black pixels (noise, a logo corner). Default 0.05. */
  readonly maxBarNoise?: number;
  /** Opposite bars may differ by this share of the side (plus 2 px for encoder rounding). Default 0.02. */
  readonly symmetry?: number;
  /** Ignore bars thinner than this share of the side (compression fringe at the border). Default 0.01. */
  readonly minBar?: number;
}

/**
 * Bounds of the picture inside letterbox/pillarbox bars, or null when the frame has none (or the dark
 * border is part of the picture). Both axes are judged independently: a video can have only one kind.
 */
export function barBounds(img: RgbImage, o: BarOptions = {}): Bounds | null {
  const noise = o.maxBarNoise ?? 0.05;
  const sym = o.symmetry ?? 0.02;
  const minBar = o.minBar ?? 0.01;
  const counts = meaningfulCounts(img, 2);
  const { rows, cols } = counts;
  const { width: w, height: h } = img;
  const b = boundsFromCounts(counts, w, h, 0.1);
  if (!b) return null;
  const axis = (lo: number, hi: number, n: number, counts: Uint32Array, len: number): [number, number] => {
    const before = lo;
    const after = n - hi;
    if (before < minBar * n && after < minBar * n) return [0, n];
    if (Math.abs(before - after) > sym * n + 2) return [0, n];
    // The lines next to the picture carry the encoder's ringing from the edge; judge the bars beyond them.
    const fringe = Math.max(4, Math.round(0.02 * n));
    for (let i = 0; i < lo - fringe; i++) if (counts[i] > noise * len) return [0, n];
    for (let i = hi + fringe; i < n; i++) if (counts[i] > noise * len) return [0, n];
    return [lo, hi];
  };
  const [y1, y2] = axis(b.y1, b.y2, h, rows, w);
  const [x1, x2] = axis(b.x1, b.x2, w, cols, h);
  if (x1 === 0 && x2 === w && y1 === 0 && y2 === h) return null;
  // A "picture" thinner than a fifth of the frame is more likely a dark frame with a bright band than bars.
  if (x2 - x1 < 0.2 * w || y2 - y1 < 0.2 * h) return null;
  return { x1, x2, y1, y2 };
}

export function cropRgb(img: RgbImage, b: Bounds): RgbImage {
  const w = b.x2 - b.x1;
  const h = b.y2 - b.y1;
  if (w === img.width && h === img.height) return img;
  const out = new Uint8Array(w * h * 3);
  const rowBytes = w * 3;
  for (let y = 0; y < h; y++) {
    const src = ((b.y1 + y) * img.width + b.x1) * 3;
    out.set(img.data.subarray(src, src + rowBytes), y * rowBytes);
  }
  return { data: out, width: w, height: h };
}

/** The central part keeping `fraction` of each side (at least 1 px). */
export function centerCrop(img: RgbImage, fraction: number): RgbImage {
  const w = Math.max(1, Math.round(img.width * fraction));
  const h = Math.max(1, Math.round(img.height * fraction));
  const x1 = (img.width - w) >> 1;
  const y1 = (img.height - h) >> 1;
  return cropRgb(img, { x1, x2: x1 + w, y1, y2: y1 + h });
}
