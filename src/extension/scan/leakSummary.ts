/**
 * After a scan across splits (mediaDedupe.splits): the line the extension logs about the leaks (pairs
 * across splits). It reads the manifest's leaks (ReviewState.leaks), the same numbers the gallery's
 * Leaks header shows and `media-dedupe check --splits` prints: one count, never a second one from the scan.
 * Plain Node (no vscode), unit-tested.
 */
import { formatLeakCounts } from '../../core/manifest/leaks.js';
import type { LeakCountsView } from '../../shared/protocol.js';
import { counted } from '../../shared/counted.js';

export function leakSummary(l: LeakCountsView | undefined): string | undefined {
  if (!l) return undefined;
  const outside = l.outsideSplits;
  return (
    `${counted(l.total, 'leak')} across splits (${formatLeakCounts(l.counts)}; dropped from ${l.dropFrom}), ${l.unresolved} unresolved` +
    (outside > 0 ? `; ${counted(outside, 'file')} in no split left out` : '')
  );
}
