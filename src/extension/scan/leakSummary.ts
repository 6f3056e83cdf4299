/**
 * After a scan across splits (mediaDedupe.splits), the one line the extension shows and logs: how many
 * leaks (pairs across splits) per split pair, as `media-dedupe check --splits` counts them, and how many
 * files were in no split. Plain Node (no vscode), unit-tested.
 */
import { defaultDropFrom, dropOrderOf, formatLeakCounts, leakCounts } from '../../core/manifest/leaks.js';
import type { ScanResult } from '../../core/types.js';

export function leakSummary(r: Pick<ScanResult, 'options' | 'files' | 'pairs' | 'outsideSplits'>): string | undefined {
  const splits = r.options.splits;
  if (!splits || splits.length === 0) return undefined;
  const splitOf = new Map(r.files.map((f) => [f.path, f.split]));
  const leaks = r.pairs.flatMap((p) => {
    const [splitA, splitB] = [splitOf.get(p.a), splitOf.get(p.b)];
    return splitA !== undefined && splitB !== undefined && splitA !== splitB ? [{ splitA, splitB }] : [];
  });
  const order = dropOrderOf(splits, defaultDropFrom(splits));
  const outside = r.outsideSplits?.length ?? 0;
  return (
    `${leaks.length} leak${leaks.length === 1 ? '' : 's'} across splits (${formatLeakCounts(leakCounts(leaks, order))}; dropped from ${order[0]})` +
    (outside > 0 ? `; ${outside} file${outside === 1 ? '' : 's'} in no split left out` : '')
  );
}
