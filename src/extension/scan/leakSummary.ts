/**
 * After a scan across splits (mediaDedupe.splits): the line the extension logs about the leaks (pairs
 * across splits). It reads the manifest's leaks (ReviewState.leaks), the same numbers the gallery's
 * Leaks header shows and `media-dedupe check --splits` prints: one count, never a second one from the scan.
 * Plain Node (no vscode), unit-tested.
 */
import { formatLeakCounts } from '../../core/manifest/leaks.js';
import type { LeakCountsView } from '../../shared/protocol.js';

export function leakSummary(l: LeakCountsView | undefined): string | undefined {
  if (!l) return undefined;
  const outside = l.outsideSplits;
  return (
    `${l.total} leak${l.total === 1 ? '' : 's'} across splits (${formatLeakCounts(l.counts)}; dropped from ${l.dropFrom}), ${l.unresolved} unresolved` +
    (outside > 0 ? `; ${outside} file${outside === 1 ? '' : 's'} in no split left out` : '')
  );
}
