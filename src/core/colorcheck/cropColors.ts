/**
 * The colour check of a crop-resistant match (pairs/cropPairs.ts asks it for every pair the mode adds):
 * the two views that matched (whole picture, content box or crop window) compared in colour, with the
 * same distance as the whole-file colour check (colorDistance.ts: brightness/contrast allowed for), on
 * each view's 16 x 16 colours cut from the file's view colours (crops/viewColors.ts). A grey-identical
 * recolouring (a tricolour and its recolouring, one drawing in two paints, the same flag drawn with
 * another blue) is dropped; a bordered or cropped copy, whose matched region has its original's colours,
 * is kept. Unlike `--color-check` it never compares whole files, so a border's colour costs nothing.
 */
import { COLOR_GRID, COLOR_MARGIN } from '../hashers/colorSignature.js';
import { decodeViewColors, regionGrid, viewRegion, type ViewColors } from '../crops/viewColors.js';
import { colorMeanDistance, prepareSignature, preparedMeanDistance, type PreparedSignature } from './colorDistance.js';

/**
 * A crop pair is kept when its views' `mean` colour distance is at most this. Chosen
 * leave-one-source-family-out on the held-out benchmark (13 families; `npm run bench -- --only
 * crop-resistant --bench-dir DIR` prints the folds): for each of the 13 source families, the smallest cut
 * that loses at most 0.25 % of the other families' true added pairs was 9.5-10.5; 10 on all 13. At 10, on
 * the held-out benchmark after its ground-truth audit (README, docs/crop-resistant.md): 414 of the 567 false
 * added pairs removed (flags, scored as the family left out: 385 of 390) and 19 of the 8,413 true ones lost
 * (0.23 %, every one between two variants).
 */
export const CROP_COLOR_MEAN = 10;

/** The colour distance of view `viewA` of a file and view `viewB` of another, from their encoded view colours; undefined when either has none. */
export function cropColorDistance(a: string | undefined, b: string | undefined, viewA: number, viewB: number): number | undefined {
  const ca = decodeViewColors(a);
  const cb = decodeViewColors(b);
  if (!ca || !cb) return undefined;
  const sa = regionGrid(ca, viewRegion(ca, viewA), COLOR_GRID, COLOR_MARGIN);
  const sb = regionGrid(cb, viewRegion(cb, viewB), COLOR_GRID, COLOR_MARGIN);
  return colorMeanDistance(sa, sb);
}

/** Whether a crop pair's matched views agree in colour (true when a file has no view colours to compare). */
export function cropColorsAgree(a: string | undefined, b: string | undefined, viewA: number, viewB: number): boolean {
  const d = cropColorDistance(a, b, viewA, viewB);
  return d === undefined || d <= CROP_COLOR_MEAN;
}

/**
 * cropColorsAgree for a whole scan's crop pairs, with each file's view colours decoded once and each
 * view's 16 x 16 colours (and what the distance derives from them alone) worked out once: the same answers.
 * At most `kept` files and `kept` views are kept; past that the first one kept is dropped (first in, first
 * out: a hit does not keep it longer), and is worked out again if asked for. A held-out scan makes 8,926
 * checks, most files in several of them (an original and each of its variants), and cutting and preparing
 * the two views was about half of each check.
 */
export class CropColorCheck {
  private readonly files = new Map<string, ViewColors | null>();
  private readonly views = new Map<string, PreparedSignature>();

  constructor(
    private readonly colorsOf: (path: string) => string | undefined,
    private readonly kept = 4096,
  ) {}

  /** cropColorsAgree of the two files' view colours (a bound function: pairs/tablePairs.ts cropCheck). */
  readonly agree = (a: string, b: string, viewA: number, viewB: number): boolean => {
    const sa = this.view(a, viewA);
    const sb = sa && this.view(b, viewB);
    return !sa || !sb || preparedMeanDistance(sa, sb) <= CROP_COLOR_MEAN;
  };

  private view(path: string, view: number): PreparedSignature | undefined {
    const key = `${view}\u0000${path}`;
    let s = this.views.get(key);
    if (!s) {
      const c = this.colours(path);
      if (!c) return undefined;
      s = prepareSignature(regionGrid(c, viewRegion(c, view), COLOR_GRID, COLOR_MARGIN));
      keep(this.views, key, s, this.kept);
    }
    return s;
  }

  private colours(path: string): ViewColors | undefined {
    let c = this.files.get(path);
    if (c === undefined) {
      c = decodeViewColors(this.colorsOf(path)) ?? null;
      keep(this.files, path, c, this.kept);
    }
    return c ?? undefined;
  }
}

/** Adds to a memo of at most `max` entries, dropping the first inserted when full (a Map's order: a read does not move it). */
function keep<V>(memo: Map<string, V>, key: string, value: V, max: number): void {
  if (memo.size >= max) memo.delete(memo.keys().next().value as string);
  memo.set(key, value);
}
