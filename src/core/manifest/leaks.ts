/**
 * The manifest's `leaks` section (train/test leakage, --splits): every measured pair across two splits,
 * with the file the drop policy leaves out and whether the decisions resolve it. Nothing is decided
 * here: `drop` is the split order's answer for the pair, and whether a file goes is decide's answer
 * (decide ranks files by the same order: DecideInput.dropOrder).
 */
import { pairKey } from '../decisions/verdict.js';
import type { DecideEdge, Decisions, Facts } from '../decisions/types.js';
import { comparePairs, comparePaths } from '../files/paths.js';
import type { SplitRule } from '../types.js';
import type { Manifest, ManifestLeak } from './types.js';

/** The default --drop-from: the training split (train, training), else the first split listed. */
export function defaultDropFrom(splits: readonly SplitRule[]): string {
  return splits.find((s) => /^train(ing)?$/i.test(s.name))?.name ?? splits[0].name;
}

/** Splits in the order leaks are dropped from: dropFrom first, then the others as listed (so val before test in train,val,test). */
export function dropOrderOf(splits: readonly SplitRule[], dropFrom: string): string[] {
  return [dropFrom, ...splits.map((s) => s.name).filter((n) => n !== dropFrom)];
}

/** --drop-from as set when it names one of the splits, else the default (a stale name from earlier splits falls back too). */
export function dropFromOf(splits: readonly SplitRule[], dropFrom: string | undefined): string {
  return dropFrom !== undefined && splits.some((s) => s.name === dropFrom) ? dropFrom : defaultDropFrom(splits);
}

/** The drop order a manifest, `check` and the gallery use for that --drop-from (dropFromOf, then dropOrderOf). */
export function dropOrderFor(splits: readonly SplitRule[], dropFrom: string | undefined): string[] {
  return dropOrderOf(splits, dropFromOf(splits, dropFrom));
}

/** "val↔train": the split kept longer first, the one dropped from second. */
export function splitPairLabel(x: string, y: string, order: readonly string[]): string {
  return order.indexOf(x) > order.indexOf(y) ? `${x}↔${y}` : `${y}↔${x}`;
}

/** Every edge across two splits, as leaks: both splits, distance, the file to drop, resolved or not. */
export function leaksOf(
  edges: readonly DecideEdge[],
  splitOf: (path: string) => string | undefined,
  order: readonly string[],
  decisions: Decisions,
  facts: Facts,
): ManifestLeak[] {
  const removed = new Set(decisions.remove);
  const answered = new Set<string>([
    ...facts.notDuplicates.map(([a, b]) => pairKey(a, b)),
    ...facts.reviews.filter((r) => r.decision === 'keep-both').map((r) => pairKey(r.a, r.b)),
  ]);
  const seen = new Map<string, ManifestLeak>();
  for (const e of edges) {
    const [a, b] = comparePaths(e.a, e.b) <= 0 ? [e.a, e.b] : [e.b, e.a];
    const splitA = splitOf(a);
    const splitB = splitOf(b);
    if (splitA === undefined || splitB === undefined || splitA === splitB) continue;
    const k = pairKey(a, b);
    const old = seen.get(k);
    if (old && old.distance <= e.distance) continue;
    const drop = order.indexOf(splitA) <= order.indexOf(splitB) ? a : b;
    seen.set(k, { a, b, splitA, splitB, distance: e.distance, drop, resolved: removed.has(a) || removed.has(b) || answered.has(k) });
  }
  return [...seen.values()].sort(comparePairs);
}

/** Leaks per split pair, in the order of the split pairs' labels: { "test↔train": 31, "val↔train": 12 }. */
export function leakCounts(leaks: readonly Pick<ManifestLeak, 'splitA' | 'splitB'>[], order: readonly string[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const l of leaks) {
    const label = splitPairLabel(l.splitA, l.splitB, order);
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  // Pairs with the split dropped from first come first, then by the other split's place in the order.
  const rankOf = (label: string): number => {
    const [kept, dropped] = label.split('↔');
    return order.indexOf(dropped) * order.length + order.indexOf(kept);
  };
  return Object.fromEntries([...counts.entries()].sort((x, y) => rankOf(x[0]) - rankOf(y[0])));
}

/** What a scan's summary says of a manifest's leaks; a commit result carries it (the commit memo too, so a reused commit knows it unparsed). */
export interface LeakSummary {
  /** The split leaks are dropped from first. */
  readonly dropFrom: string;
  /** Leaks per split pair (leakCounts), all of them and those the decisions leave unresolved. */
  readonly leaks: Readonly<Record<string, number>>;
  readonly leaksUnresolved: Readonly<Record<string, number>>;
  /** How many leaks are unresolved. */
  readonly unresolved: number;
  /** Media files in no split (left out of the search). */
  readonly outsideSplits: number;
}

/** The leak summary of a manifest written with splits; undefined without splits (no leaks section). */
export function leakSummaryOf(m: Manifest): LeakSummary | undefined {
  const { splits, dropFrom } = m.settings;
  if (!m.leaks || !splits || dropFrom === undefined) return undefined;
  const order = dropOrderOf(splits, dropFrom);
  const unresolved = m.leaks.filter((l) => !l.resolved);
  return {
    dropFrom,
    leaks: leakCounts(m.leaks, order),
    leaksUnresolved: leakCounts(unresolved, order),
    unresolved: unresolved.length,
    outsideSplits: m.outsideSplits?.length ?? 0,
  };
}

/** The CI summary line: "val↔train: 12, test↔train: 31" (or "none"). */
export function formatLeakCounts(counts: Readonly<Record<string, number>>): string {
  const parts = Object.entries(counts).map(([label, n]) => `${label}: ${n}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}
