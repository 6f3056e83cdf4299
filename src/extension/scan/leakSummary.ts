/**
 * After a scan across splits (mediaDedupe.splits): the leaks (pairs across splits) per split pair, as
 * `media-dedupe check --splits` counts them, for the line the extension shows and logs and for the
 * gallery's header. Plain Node (no vscode), unit-tested.
 */
import { defaultDropFrom, dropOrderOf, formatLeakCounts, leakCounts } from '../../core/manifest/leaks.js';
import type { ScanResult } from '../../core/types.js';

export interface ScanLeaks {
  /** Splits in drop order: the split leaks are dropped from first. */
  readonly order: readonly string[];
  readonly counts: Readonly<Record<string, number>>;
  readonly total: number;
}

export function scanLeaks(r: Pick<ScanResult, 'options' | 'files' | 'pairs'>): ScanLeaks | undefined {
  const splits = r.options.splits;
  if (!splits || splits.length === 0) return undefined;
  const splitOf = new Map(r.files.map((f) => [f.path, f.split]));
  const leaks = r.pairs.flatMap((p) => {
    const [splitA, splitB] = [splitOf.get(p.a), splitOf.get(p.b)];
    return splitA !== undefined && splitB !== undefined && splitA !== splitB ? [{ splitA, splitB }] : [];
  });
  const order = dropOrderOf(splits, defaultDropFrom(splits));
  return { order, counts: leakCounts(leaks, order), total: leaks.length };
}

export function leakSummary(r: Pick<ScanResult, 'options' | 'files' | 'pairs' | 'outsideSplits'>): string | undefined {
  const l = scanLeaks(r);
  if (!l) return undefined;
  const outside = r.outsideSplits?.length ?? 0;
  return (
    `${l.total} leak${l.total === 1 ? '' : 's'} across splits (${formatLeakCounts(l.counts)}; dropped from ${l.order[0]})` +
    (outside > 0 ? `; ${outside} file${outside === 1 ? '' : 's'} in no split left out` : '')
  );
}
