import type { PairVerdict, ReviewDecision } from './types.js';

/** Canonical key of an unordered pair. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

/** A review as seen from `a`'s side when (a, b) is given in either order. */
export function reviewFromSide(decision: ReviewDecision, swapped: boolean): ReviewDecision {
  if (!swapped || decision === 'keep-both') return decision;
  return decision === 'keep-a' ? 'keep-b' : 'keep-a';
}

export interface PairState {
  /** The review of this exact pair, from the left file's side. */
  readonly review?: ReviewDecision;
  readonly notDuplicate: boolean;
  /** Whether each file is removed, or proposed for removal (removeMode reviewed). */
  readonly leftRemoved: boolean;
  readonly rightRemoved: boolean;
  readonly sameCluster: boolean;
}

/**
 * A pair's own verdict, the one rule behind the gallery's pair rows and the manifest reader
 * (pairVerdictFromManifest): a reviewed pair shows its review; an unreviewed pair shows what the
 * automatic proposal does to its two files — one removed and the other kept is keep-left/keep-right,
 * both kept in one cluster is keep-both, anything else (both removed as copies of a third file, or in
 * different clusters) is undecided.
 */
export function pairVerdictOf(s: PairState): { verdict: PairVerdict; by: 'auto' | 'review' } {
  if (s.notDuplicate) return { verdict: 'not-duplicate', by: 'review' };
  if (s.review) return { verdict: s.review === 'keep-a' ? 'keep-left' : s.review === 'keep-b' ? 'keep-right' : 'keep-both', by: 'review' };
  if (s.rightRemoved && !s.leftRemoved) return { verdict: 'keep-left', by: 'auto' };
  if (s.leftRemoved && !s.rightRemoved) return { verdict: 'keep-right', by: 'auto' };
  if (!s.leftRemoved && s.sameCluster) return { verdict: 'keep-both', by: 'auto' };
  return { verdict: 'undecided', by: 'auto' };
}
