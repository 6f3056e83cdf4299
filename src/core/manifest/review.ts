import { invalidOption } from '../errors.js';
import { canonicalize } from './canonical.js';
import { resolveManifest } from './resolve.js';
import type { Manifest, PairStatus, ReviewAction, ReviewDecision } from './types.js';

export const REVIEW_ACTIONS: readonly ReviewAction[] = ['keep-a', 'keep-b', 'keep-both', 'not-duplicate', 'undo'];

const flip = (d: ReviewDecision): ReviewDecision => (d === 'keep-a' ? 'keep-b' : d === 'keep-b' ? 'keep-a' : d);

/**
 * Records a person's decision on the pair (a, b) and returns the updated manifest (the input is not
 * changed). keep-a keeps a and removes b; keep-both keeps both; not-duplicate adds the pair to
 * notDuplicates, which unlinks it (b stays removed only if it duplicates another member); undo drops
 * whatever was decided on the pair, returning it to the automatic decision. Clusters, `remove` and
 * the summary are recomputed. Paths are the manifest's (relative to its folder).
 */
export function applyReview(manifest: Manifest, a: string, b: string, action: ReviewAction): Manifest {
  if (typeof a !== 'string' || a === '') throw invalidOption('a', 'a file path from the manifest', a);
  if (typeof b !== 'string' || b === '' || b === a) throw invalidOption('b', `a file path other than ${JSON.stringify(a)}`, b);
  if (!REVIEW_ACTIONS.includes(action)) throw invalidOption('action', `one of ${REVIEW_ACTIONS.join(', ')}`, action);
  const swapped = a > b;
  const [x, y] = swapped ? [b, a] : [a, b];
  const reviews = manifest.reviews.filter((r) => !(r.a === x && r.b === y));
  const notDuplicates = manifest.notDuplicates.filter(([p, q]) => !(p === x && q === y));
  if (action === 'not-duplicate') notDuplicates.push([x, y]);
  else if (action !== 'undo') reviews.push({ a: x, b: y, decision: swapped ? flip(action) : action });
  return canonicalize(resolveManifest({ ...manifest, reviews, notDuplicates }));
}

/** The decision currently recorded on (a, b), from a's side: 'keep-a' means a is kept and b removed. */
export function pairStatus(manifest: Manifest, a: string, b: string): PairStatus {
  const swapped = a > b;
  const [x, y] = swapped ? [b, a] : [a, b];
  if (manifest.notDuplicates.some(([p, q]) => p === x && q === y)) return 'not-duplicate';
  const r = manifest.reviews.find((r) => r.a === x && r.b === y);
  if (!r) return 'undecided';
  return swapped ? flip(r.decision) : r.decision;
}

/** The final decision on one file: 'remove' when it is in the manifest's remove list. */
export function fileDecision(manifest: Manifest, path: string): 'keep' | 'remove' {
  return manifest.remove.includes(path) ? 'remove' : 'keep';
}
