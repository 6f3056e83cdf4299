/** The status bar's words: which folder, how many pairs still wait for a person, what the manifest removes. Pure. */
import type { DecisionTotals } from '../shared/protocol.js';
import { counted, formatCount } from '../shared/counted.js';
import { removalSummary } from '../shared/removals.js';
import type { ReviewState } from './review/session.js';

/** Pairs no person has decided yet (the keep policy's automatic verdicts still count as to review). */
export function pairsToReview(state: Pick<ReviewState, 'verdict'>, pairs: readonly { readonly a: string; readonly b: string }[]): number {
  let n = 0;
  for (const p of pairs) if (state.verdict(p.a, p.b).by !== 'review') n++;
  return n;
}

export function statusText(folder: string, toReview: number, t: DecisionTotals): { text: string; tooltip: string } {
  return {
    text: `$(copy) ${folder}: ${formatCount(toReview)} to review`,
    tooltip: `Media Dedupe, ${folder}: ${counted(toReview, 'pair')} no one has decided yet; ${removalSummary(t)}; ${counted(t.clusters, 'cluster')}${t.conflicts ? `, ${counted(t.conflicts, 'file')} in conflict` : ''}. Click to open the gallery.`,
  };
}
