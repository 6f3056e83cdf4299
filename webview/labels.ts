import type { ClusterConflictOf, DecidedBy, PairVerdict } from '../src/shared/protocol.js';
import type { PairShown } from './decisionState.js';
import { counted, formatCount } from '../src/shared/counted.js';

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

/**
 * A pair's badge from what the manifest says of it. A pair both of whose files go (copies of a third file
 * the cluster keeps) has no verdict of its own ("undecided" in data-verdict), but "undecided" would hide
 * that the manifest removes both: the badge says so and names the kept file.
 */
export function pairLabel(shown: PairShown, nameOf: (file: number) => string): string {
  // The host's per-file flag (as Clusters reads it), not the wording of decide's reason.
  const conflict = shown.left.conflict || shown.right.conflict;
  const label = ownLabel(shown, nameOf);
  return conflict ? `${label} · conflict: choose in Clusters` : label;
}

function ownLabel(shown: PairShown, nameOf: (file: number) => string): string {
  const goes = (f: PairShown['left']): boolean => f.decision === 'remove' || f.suggested;
  if (shown.verdict === 'undecided' && goes(shown.left) && goes(shown.right)) {
    const keep = shown.keep === undefined ? '' : ` (keep ${nameOf(shown.keep)})`;
    if (shown.left.decision === 'keep' || shown.right.decision === 'keep') return `auto: proposes removing both${keep}`;
    const reviewed = shown.left.by === 'review' && shown.right.by === 'review';
    return `${reviewed ? '' : 'auto: '}remove both${keep}`;
  }
  return verdictLabel(shown.verdict, shown.by);
}

/**
 * The badge of a narrow row (below 1200 px its column holds some ten characters), in a word or two: the
 * long label was cut to "auto: rem…", which no longer said which file goes. It names what goes ("✕ right")
 * or what a person said; who decided is the badge's style (dashed and italic: the keep policy), and its
 * tooltip has the long label.
 */
export function shortPairLabel(shown: PairShown): string {
  if (shown.left.conflict || shown.right.conflict) return 'conflict';
  const goes = (f: PairShown['left']): boolean => f.decision === 'remove' || f.suggested;
  // "✕ both?" where the keep policy only proposes it (removeMode reviewed: both files stay in the manifest).
  if (shown.verdict === 'undecided' && goes(shown.left) && goes(shown.right))
    return shown.left.decision === 'keep' || shown.right.decision === 'keep' ? '✕ both?' : '✕ both';
  switch (shown.verdict) {
    case 'keep-left':
      return '✕ right';
    case 'keep-right':
      return '✕ left';
    case 'keep-both':
      return shown.by === 'review' ? 'kept both' : 'keep both';
    case 'not-duplicate':
      return 'not dup.';
    default:
      return 'undecided';
  }
}

/** One file's verdict as a short label: "remove · auto", "keep · protected". */
export function fileLabel(decision: 'keep' | 'remove', by: DecidedBy, suggested = false): string {
  const who = by === 'protect' ? 'protected' : by === 'review' ? 'reviewed' : 'auto';
  return suggested ? `keep · auto proposes remove` : `${decision} · ${who}`;
}

/**
 * The header's first phrase: "bulk: 120 pairs (incl. 40 implied by identical copies)". Pairs implied by
 * identical copies (files the scan searched as one node, each listed against its cluster's kept file) are
 * counted in; when every pair is one of them, it says so plainly instead of "N pairs (incl. N …)".
 */
export function pairCountText(rootName: string, pairs: number, implied: number, cancelled: boolean): string {
  const found = `${rootName}: ${counted(pairs, 'pair')}${cancelled ? ' found before the scan was cancelled' : ''}`;
  if (implied <= 0) return found;
  if (implied >= pairs) return `${found}, ${pairs === 1 ? 'implied' : 'all implied'} by identical copies`;
  return `${found} (incl. ${formatCount(implied)} implied by identical copies)`;
}

/** The header's progress: "3 of 12 pairs reviewed", "0 of 1 pair reviewed" (the noun follows the total). */
export function reviewedText(reviewed: number, pairs: number): string {
  return `${formatCount(reviewed)} of ${counted(pairs, 'pair')} reviewed`;
}

/**
 * A cluster's conflict notes, one per contradiction, naming the files it keeps (the host groups them:
 * the page showed one per file, each line repeating the whole cycle). `pathOf` names a file.
 */
export function conflictNotes(conflicts: readonly ClusterConflictOf<number>[], pathOf: (file: number) => string): string[] {
  return conflicts.map((g) => `Conflict${g.files.length > 0 ? ` (${g.files.map(pathOf).join(', ')})` : ''}: ${g.reason}`);
}
