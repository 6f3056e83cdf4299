import { pairKey } from '../../core/decisions/verdict.js';
import { dropOrderFor, formatLeakCounts, leakCounts } from '../../core/manifest/leaks.js';
import { manifestPathMapper, type Manifest } from '../../core/manifest/index.js';
import type { FileRecord, Pair, ScanResult, SplitRule } from '../../core/types.js';

/** Why a leak counts as unresolved: new since the manifest, in it but neither file left out, a file changed, or no manifest. */
export type LeakReason = 'new-leak' | 'not-dropped' | 'file-changed' | 'no-manifest';

export interface UnresolvedLeak extends Pair {
  readonly splitA: string;
  readonly splitB: string;
  /** The file the drop policy would leave out. */
  readonly drop: string;
  readonly reason: LeakReason;
}

/** The split order check uses: the manifest's --drop-from when it names one of the splits, else the default. */
export function checkDropOrder(splits: readonly SplitRule[], manifest: Manifest | null): string[] {
  return dropOrderFor(splits, manifest?.settings.dropFrom);
}

/**
 * The leaks (pairs across splits) of a fresh split scan that the manifest does not resolve. Pure. A leak
 * is resolved when both files are unchanged since the manifest and one of them is in its `remove`, or a
 * person answered the pair (keep both, not a duplicate). A leak the manifest lists but whose files both
 * stay (`--remove reviewed` with no review yet) is unresolved: the training set still holds it.
 */
export function unresolvedLeaks(result: ScanResult, manifest: Manifest | null, manifestDir: string, order: readonly string[]): UnresolvedLeak[] {
  const split = new Map<string, string | undefined>(result.files.map((f) => [f.path, f.split]));
  const files = new Map<string, FileRecord>(result.files.map((f) => [f.path, f]));
  const { map } = manifestPathMapper(result.root, manifestDir);
  const recorded = new Map((manifest?.files ?? []).filter((f) => !f.orphaned).map((f) => [f.path, f]));
  const removed = new Set(manifest?.remove ?? []);
  const listed = new Set((manifest?.leaks ?? []).map((l) => pairKey(l.a, l.b)));
  const answered = new Set<string>([
    ...(manifest?.notDuplicates ?? []).map(([a, b]) => pairKey(a, b)),
    ...(manifest?.reviews ?? []).filter((r) => r.decision === 'keep-both').map((r) => pairKey(r.a, r.b)),
  ]);
  /** Recorded by the manifest with other content (a file the manifest does not know is new, not changed). */
  const changed = (p: string): boolean => {
    const now = files.get(p);
    const then = recorded.get(map(p));
    return !!then && (!now || now.size !== then.size || now.fingerprint !== then.sha256);
  };
  const out: UnresolvedLeak[] = [];
  for (const p of result.pairs) {
    const splitA = split.get(p.a);
    const splitB = split.get(p.b);
    if (splitA === undefined || splitB === undefined || splitA === splitB) continue;
    const drop = order.indexOf(splitA) <= order.indexOf(splitB) ? p.a : p.b;
    const [a, b] = [map(p.a), map(p.b)];
    let reason: LeakReason | undefined;
    if (!manifest) reason = 'no-manifest';
    else if (changed(p.a) || changed(p.b)) reason = 'file-changed';
    else if (!removed.has(a) && !removed.has(b) && !answered.has(pairKey(a, b))) reason = listed.has(pairKey(a, b)) ? 'not-dropped' : 'new-leak';
    if (reason) out.push({ ...p, splitA, splitB, drop, reason });
  }
  return out;
}

/** The CI summary: "3 unresolved leaks: val↔train: 1, test↔train: 2" (the split kept longer first). */
export function leakSummaryLine(leaks: readonly UnresolvedLeak[], order: readonly string[]): string {
  return `${leaks.length} unresolved leaks: ${formatLeakCounts(leakCounts(leaks, order))}`;
}
