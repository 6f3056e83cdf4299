/**
 * A pair decision applied to a manifest in memory (no file is touched): the facts change, everything
 * else is derived again. Writing goes through store.ts (commitManifest with pairActionChanges).
 */
import { applyFactChanges, pairActionChanges, type PairAction } from '../decisions/facts.js';
import { pairKey, reviewFromSide } from '../decisions/verdict.js';
import { invalidOption } from '../errors.js';
import { assembleManifest, decisionSettingsOf, factsOf, measurementOf } from './build.js';
import type { Manifest, PairStatus, ReviewAction } from './types.js';

export const REVIEW_ACTIONS: readonly ReviewAction[] = ['keep-a', 'keep-b', 'keep-both', 'not-duplicate', 'undo'];

/** The gallery's actions as fact changes: `undo` of a pair returns it to the automatic decision. */
export function reviewActionChanges(a: string, b: string, action: ReviewAction): ReturnType<typeof pairActionChanges> {
  if (typeof a !== 'string' || a === '') throw invalidOption('a', 'a file path from the manifest', a);
  if (typeof b !== 'string' || b === '' || b === a) throw invalidOption('b', `a file path other than ${JSON.stringify(a)}`, b);
  if (!REVIEW_ACTIONS.includes(action)) throw invalidOption('action', `one of ${REVIEW_ACTIONS.join(', ')}`, action);
  return pairActionChanges(a, b, (action === 'undo' ? 'clear' : action) as PairAction);
}

/**
 * Records a person's decision on the pair (a, b) and returns the updated manifest (the input is not
 * changed). keep-a keeps a and removes b; keep-both keeps both; not-duplicate adds the pair to
 * notDuplicates, which unlinks it; undo drops whatever was decided on the pair. Paths are the manifest's.
 */
export function applyReview(manifest: Manifest, a: string, b: string, action: ReviewAction): Manifest {
  const changes = reviewActionChanges(a, b, action);
  return assembleManifest(measurementOf(manifest), applyFactChanges(factsOf(manifest), changes), decisionSettingsOf(manifest), {
    previousFiles: manifest.files,
  }).manifest;
}

/** The decision currently recorded on (a, b), from a's side: 'keep-a' means a is kept and b removed. */
export function pairStatus(manifest: Pick<Manifest, 'reviews' | 'notDuplicates'>, a: string, b: string): PairStatus {
  const k = pairKey(a, b);
  if (manifest.notDuplicates.some(([p, q]) => pairKey(p, q) === k)) return 'not-duplicate';
  const r = manifest.reviews.find((x) => pairKey(x.a, x.b) === k);
  return r ? reviewFromSide(r.decision, r.a !== a) : 'undecided';
}

/** The final decision on one file: 'remove' when it is in the manifest's remove list. */
export function fileDecision(manifest: Pick<Manifest, 'remove'>, path: string): 'keep' | 'remove' {
  return manifest.remove.includes(path) ? 'remove' : 'keep';
}
