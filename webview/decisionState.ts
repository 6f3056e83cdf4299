/**
 * What the manifest says, as the page reads it: the host's DecisionsView (computed with the engine's
 * manifest reader) indexed for the list, the compare view and the clusters view. The page shows this and
 * nothing else; it never derives a verdict itself. Pure, so it is unit-tested on Node.
 */
import { DECIDED_BY, PAIR_VERDICTS, type DecidedBy, type DecisionsView, type PairVerdict, type PairView } from '../src/shared/protocol.js';

export interface FileShown {
  readonly decision: 'keep' | 'remove';
  readonly by: DecidedBy;
  /** Kept, but the keep policy proposes removing it (only reviewed removals count). */
  readonly suggested: boolean;
  readonly reason: string | undefined;
  /** Kept because reviews contradict each other (the host's per-file flag, DecisionsView.fileConflict). */
  readonly conflict: boolean;
}

export interface PairShown {
  readonly verdict: PairVerdict;
  readonly by: 'auto' | 'review';
  readonly left: FileShown;
  readonly right: FileShown;
  /** The file the pair's cluster keeps (undefined when the pair is in no cluster): named when both files go. */
  readonly keep?: number;
}

export class DecisionState {
  private readonly suggested: ReadonlySet<number>;
  private readonly conflicted: ReadonlySet<number>;
  private readonly clusterOf = new Map<number, number>();

  constructor(
    readonly view: DecisionsView,
    private readonly pairs: readonly PairView[],
  ) {
    this.suggested = new Set(view.fileSuggested);
    this.conflicted = new Set(view.fileConflict);
    view.clusters.forEach((c, i) => {
      this.clusterOf.set(c.keep, i);
      for (const m of c.members) this.clusterOf.set(m.file, i);
    });
  }

  file(i: number): FileShown {
    const v = this.view;
    return {
      decision: v.fileDecision[i] === 1 ? 'remove' : 'keep',
      by: DECIDED_BY[v.fileBy[i] ?? 0] ?? 'auto',
      suggested: this.suggested.has(i),
      reason: v.fileReason[i] ?? undefined,
      conflict: this.conflicted.has(i),
    };
  }

  pair(i: number): PairShown | undefined {
    const p = this.pairs[i];
    if (!p) return undefined;
    const c = this.clusterOf.get(p.a);
    return {
      verdict: PAIR_VERDICTS[this.view.pairVerdict[i] ?? 0] ?? 'undecided',
      by: this.view.pairBy[i] === 1 ? 'review' : 'auto',
      left: this.file(p.a),
      right: this.file(p.b),
      ...(c !== undefined && c === this.clusterOf.get(p.b) ? { keep: this.view.clusters[c]!.keep } : {}),
    };
  }

  reviewed(i: number): boolean {
    return this.view.pairBy[i] === 1;
  }

  /** The cluster a file is in (index into view.clusters). */
  cluster(file: number): number | undefined {
    return this.clusterOf.get(file);
  }

  /** Files in the pair's cluster; 0 when the pair's files are in none. */
  clusterSize(pair: number): number {
    const p = this.pairs[pair];
    const c = p === undefined ? undefined : this.clusterOf.get(p.a);
    return c === undefined ? 0 : this.view.clusters[c]!.members.length + 1;
  }

  /** Pairs a person has decided. */
  get reviewedCount(): number {
    let n = 0;
    for (const b of this.view.pairBy) if (b === 1) n++;
    return n;
  }
}
