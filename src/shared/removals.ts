/**
 * The one wording of "how many files go, and who decided": the gallery's header, the status bar and the
 * trash dialog all say it the same way, reviewed and automatic removals always apart.
 */
import type { DecisionTotals } from './protocol.js';
import { counted, formatCount as n } from './counted.js';

const files = (n: number): string => counted(n, 'file');

/** "12 to remove: 3 reviewed, 9 automatic" (and the proposals not applied, when only reviewed removals count). */
export function removalSummary(t: Pick<DecisionTotals, 'remove' | 'removeReviewed' | 'removeAuto' | 'suggested'>): string {
  const parts = [`${n(t.remove)} to remove: ${n(t.removeReviewed)} reviewed, ${n(t.removeAuto)} automatic`];
  if (t.suggested > 0) parts.push(`${n(t.suggested)} more proposed (only reviewed removals count)`);
  return parts.join(' · ');
}

/** The trash dialog's question. */
export function trashQuestion(t: Pick<DecisionTotals, 'remove' | 'removeReviewed' | 'removeAuto'>): string {
  return `Move ${files(t.remove)} marked "remove" to the trash? ${n(t.removeReviewed)} by review, ${n(t.removeAuto)} automatic (by the keep policy).`;
}
