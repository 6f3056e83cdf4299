import type { DecidedBy, PairVerdict } from '../src/shared/protocol.js';

export const VERDICT_LABEL: Record<PairVerdict, string> = {
  undecided: 'undecided',
  'keep-left': 'kept left',
  'keep-right': 'kept right',
  'keep-both': 'kept both',
  'not-duplicate': 'not a duplicate',
};

/** A pair's badge: a person's verdict as it is, the keep policy's marked "auto:" (and styled apart). */
export function verdictLabel(verdict: PairVerdict, by: 'auto' | 'review'): string {
  if (by === 'review') return VERDICT_LABEL[verdict];
  switch (verdict) {
    case 'keep-left':
      return 'auto: remove right';
    case 'keep-right':
      return 'auto: remove left';
    case 'keep-both':
      return 'auto: keep both';
    default:
      return 'auto: undecided';
  }
}

/** One file's verdict as a short label: "remove · auto", "keep · protected". */
export function fileLabel(decision: 'keep' | 'remove', by: DecidedBy, suggested = false): string {
  const who = by === 'protect' ? 'protected' : by === 'review' ? 'reviewed' : 'auto';
  return suggested ? `keep · auto proposes remove` : `${decision} · ${who}`;
}
