/**
 * The colour check: candidate pairs from the perceptual-hash search whose colours differ beyond what a
 * duplicate's edits explain are dropped before clustering. perception's hashers see grey only, so they
 * pair an emoji with its skin-tone variants, or a light wallpaper with its dark twin; this stage is what
 * separates them. Switched off (ScanOptions.colorCheck = false, `--no-color-check`), scan pairs are
 * exactly perception's.
 *
 * Thresholds (docs/color-check.md has the tables): on the public benchmark, the largest distances of true
 * pairs over every edit the check must keep (exact copies, resizes, JPEG 30-70, blur, brightness and
 * contrast, PNG/WebP, 1-3 % crops, watermarks, re-shares, flips, and any two of these combined) were
 * mean 4.4 and local 30.5. Each threshold sits above that with a margin (x1.35 and x1.18): choosing the
 * thresholds from a random half of the originals with a x1.2 margin lost 0.08 % of the true pairs of the
 * other half on average, while recoloured hard negatives sit at a median mean of 27 and local of 57.
 */
import { COLOR_GRID } from '../hashers/colorSignature.js';
import { transformGrid } from '../hashers/isometric.js';
import { ISOMETRIC_KEYS, type IsometricKey } from '../hashers/types.js';
import type { Pair } from '../types.js';
import { colorDistance } from './colorDistance.js';

export const COLOR_MEAN_THRESHOLD = 6;
export const COLOR_LOCAL_THRESHOLD = 36;

export interface VerifyResult {
  readonly kept: Pair[];
  /** Pairs dropped because their colours differ. */
  readonly rejected: number;
  /** Pairs kept unchecked because a file had no colour signature (not expected from a scan; defensive). */
  readonly unchecked: number;
}

/** Whether two signatures agree in colour; `transform` is the dihedral variant of b that matched a (Pair.transform). */
export function colorsAgree(a: Uint8Array, b: Uint8Array, transform?: string): boolean {
  const bb =
    transform && transform !== 'r0' && (ISOMETRIC_KEYS as readonly string[]).includes(transform)
      ? transformGrid({ data: b, width: COLOR_GRID, height: COLOR_GRID }, 3, transform as IsometricKey).data
      : b;
  const d = colorDistance(a, bb, COLOR_LOCAL_THRESHOLD);
  return d.mean <= COLOR_MEAN_THRESHOLD && d.local <= COLOR_LOCAL_THRESHOLD;
}

/** Keeps the pairs whose colours agree; order is preserved. `signatureOf` is called once per file. */
export function verifyPairs(pairs: readonly Pair[], signatureOf: (path: string) => Uint8Array | undefined): VerifyResult {
  const kept: Pair[] = [];
  let rejected = 0;
  let unchecked = 0;
  const known = new Map<string, Uint8Array | undefined>();
  const sig = (path: string): Uint8Array | undefined => {
    if (!known.has(path)) known.set(path, signatureOf(path));
    return known.get(path);
  };
  for (const p of pairs) {
    const a = sig(p.a);
    const b = sig(p.b);
    if (!a || !b) {
      unchecked++;
      kept.push(p);
    } else if (colorsAgree(a, b, p.transform)) kept.push(p);
    else rejected++;
  }
  return { kept, rejected, unchecked };
}
