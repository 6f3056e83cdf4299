/**
 * One reviewed scan: the result, the manifest that holds the decisions, and what that manifest says of
 * each file, pair and cluster (the gallery shows exactly that; it never decides anything itself).
 * Decisions are written as they are made, through the engine's one manifest writer (lock, re-read,
 * merge, atomic write, history journal), which applies them on top of whatever the file holds then;
 * bursts of key presses coalesce into one write at a time, and undo/redo go through the same queue, in
 * order. Only a session opened on a fresh scan contributes that scan's pairs (once); one revived from
 * storage after a reload only adds its decisions, so it never rolls the manifest back to its older scan.
 * No `vscode` here: the manifest functions are passed in, so this is unit-tested with fakes.
 */
import { impliedPairs, type ClusterPlace } from '../../core/decisions/impliedPairs.js';
import type { TrashCandidate } from '../../core/files/trashPlan.js';
import type { Pair, ScanResult } from '../../core/types.js';
import type { ClusterAction, ClusterOf, DecideAction, DecidedBy, DecisionTotals, HistoryView, LeakCountsView, PairVerdict } from '../../shared/protocol.js';

/** A change a person asked for, in scan-relative paths. */
export type ReviewEdit =
  | { readonly kind: 'pair'; readonly a: string; readonly b: string; readonly action: DecideAction }
  | { readonly kind: 'cluster'; readonly cluster: number; readonly action: ClusterAction; readonly path?: string }
  | { readonly kind: 'accept'; readonly clusters: readonly number[] };

/** A cluster as the manifest has it, files named by scan-relative path. */
export type StateCluster = ClusterOf<string>;

/** What the manifest says, in scan-relative paths: the one source of every verdict the gallery shows. */
export interface ReviewState {
  /** SHA-256 of the manifest file as read or written; '' when nothing is on disk yet. */
  readonly contentHash: string;
  readonly removeMode: 'all' | 'reviewed';
  /** Sorted, scan-relative: exactly the manifest's `remove`. */
  readonly remove: readonly string[];
  /** The removed files with the size, SHA-256 and protection the manifest records, for the trash's checks. */
  readonly removedFiles: readonly TrashCandidate[];
  file(path: string): {
    readonly decision: 'keep' | 'remove';
    readonly by: DecidedBy;
    readonly reason?: string;
    readonly suggested?: true;
    readonly conflict?: true;
  };
  /** The pair's own verdict, a = left, b = right (pairVerdictFromManifest). */
  verdict(a: string, b: string): { readonly verdict: PairVerdict; readonly by: 'auto' | 'review' };
  readonly clusters: readonly StateCluster[];
  readonly totals: DecisionTotals;
  readonly history: HistoryView;
  /** With splits: the manifest's leaks, counted per split pair (the gallery and the log show these, never a recount). */
  readonly leaks?: LeakCountsView;
}

export interface ManifestOps {
  /** The manifest on disk (hand edits merged in memory); undefined when there is none yet; throws when it is unreadable. */
  load(result: ScanResult): Promise<ReviewState | undefined>;
  /** What this scan alone gives, shown until the first write when there is no manifest yet. */
  preview(result: ScanResult): ReviewState;
  /** Writes: re-reads the disk under the lock, applies `edits` on top (hand edits found there are merged), and when `fresh` this scan's pairs too. */
  commit(result: ScanResult, edits: readonly ReviewEdit[], fresh: boolean): Promise<ReviewState>;
  /** Undoes or redoes the last operation of the manifest's history (which survives reloads). */
  step(result: ScanResult, direction: 'undo' | 'redo'): Promise<ReviewState>;
}

type Job = { readonly kind: 'edit'; readonly edit: ReviewEdit } | { readonly kind: 'step'; readonly direction: 'undo' | 'redo' } | { readonly kind: 'sync' };

export class Session {
  private state: ReviewState | undefined;
  private inflight: Promise<void> | undefined;
  private queue: Job[] = [];
  private written: boolean;
  /** Whether this scan's pairs still have to reach the file (a fresh scan, until its first write). */
  private scanPending: boolean;
  private readonly listeners = new Set<(s: ReviewState) => void>();
  private listed: { readonly pairs: readonly Pair[]; readonly implied: number } | undefined;

  private constructor(
    readonly result: ScanResult,
    readonly manifestPath: string,
    private readonly ops: ManifestOps,
    previous: ReviewState | undefined,
    fresh: boolean,
  ) {
    this.state = previous;
    this.written = previous !== undefined;
    this.scanPending = fresh && !result.cancelled;
  }

  /**
   * Opens a session on `result` with the decisions of the manifest already on disk, so reviews survive a
   * re-scan. `fresh`: the result is a scan that just ended (its pairs go into the manifest); otherwise it
   * is a stored copy (after a reload). Throws when the manifest exists but cannot be read: it is never
   * overwritten then.
   */
  static async open(result: ScanResult, manifestPath: string, ops: ManifestOps, fresh = false): Promise<Session> {
    return new Session(result, manifestPath, ops, await ops.load(result), fresh);
  }

  /** Called with the new state after every write, undo, redo or outside change. */
  onDidChange(listener: (s: ReviewState) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** What the manifest says now (or what this scan alone gives until there is one). */
  current(): ReviewState {
    this.state ??= this.ops.preview(this.result);
    return this.state;
  }

  /** The state if it is already known, without building the preview. */
  get known(): ReviewState | undefined {
    return this.state;
  }

  /**
   * Writes this fresh scan into the manifest (creating it, as the CLI's scan does, so what the gallery
   * shows is on disk from the start), unless the scan was cancelled (a partial result must not shrink
   * it) or this is a stored copy.
   */
  async refreshOnDisk(): Promise<boolean> {
    if (!this.scanPending) return false;
    await this.run({ kind: 'sync' });
    return true;
  }

  /**
   * The pairs the gallery lists, by index: the scan's pairs, then the pairs its identical-hash groups
   * imply (searched as one node, so listed nowhere), one per member against its cluster's kept file as
   * the manifest says (core/decisions/impliedPairs). Fixed when first asked, so an index always names the
   * same pair; a scan without such groups never builds the state for it.
   */
  get pairs(): readonly Pair[] {
    return this.reviewPairs().pairs;
  }

  /** How many of `pairs` (the last ones) are implied by identical copies. */
  get impliedCount(): number {
    return this.reviewPairs().implied;
  }

  get pairCount(): number {
    return this.pairs.length;
  }

  private reviewPairs(): { readonly pairs: readonly Pair[]; readonly implied: number } {
    if (this.listed) return this.listed;
    const groups = this.result.identical ?? [];
    if (groups.length === 0) return (this.listed = { pairs: this.result.pairs, implied: 0 });
    const place = new Map<string, ClusterPlace>();
    for (const c of this.current().clusters) {
      place.set(c.keep, { keep: c.keep, distance: 0 });
      for (const m of c.members) place.set(m.file, { keep: c.keep, distance: m.distance });
    }
    const hasher = this.result.options.hashers[0]?.name ?? 'hash';
    const implied = impliedPairs(groups, (p) => place.get(p), this.result.pairs).map((p): Pair => ({ ...p, hasher }));
    return (this.listed = { pairs: [...this.result.pairs, ...implied], implied: implied.length });
  }

  get manifestOnDisk(): boolean {
    return this.written;
  }

  removed(): readonly string[] {
    return this.current().remove;
  }

  removedFiles(): readonly TrashCandidate[] {
    return this.current().removedFiles;
  }

  /** Records a pair decision; settles when it is on disk (and listeners have the new state). */
  decide(index: number, action: DecideAction): Promise<void> {
    const pair = this.pairs[index];
    if (!pair) throw new RangeError(`no pair ${index} (there are ${this.pairs.length})`);
    return this.run({ kind: 'edit', edit: { kind: 'pair', a: pair.a, b: pair.b, action } });
  }

  /** One decision on many pairs (a multi-selection), written as one operation (one undo). */
  decideMany(indices: readonly number[], action: DecideAction): Promise<void> {
    const edits = indices.map((index): Job => {
      const pair = this.pairs[index];
      if (!pair) throw new RangeError(`no pair ${index} (there are ${this.pairs.length})`);
      return { kind: 'edit', edit: { kind: 'pair', a: pair.a, b: pair.b, action } };
    });
    return this.runAll(edits);
  }

  /**
   * One bulk action on several clusters of the current state, as one operation: the edits are queued
   * together, so they are computed against the same clusters (an index names the same cluster for each).
   */
  actMany(clusters: readonly number[], action: 'not-duplicates'): Promise<void> {
    const n = this.current().clusters.length;
    const bad = clusters.find((c) => c >= n);
    if (bad !== undefined) throw new RangeError(`no cluster ${bad} (there are ${n})`);
    return this.runAll(clusters.map((cluster): Job => ({ kind: 'edit', edit: { kind: 'cluster', cluster, action } })));
  }

  /** A bulk action on one cluster of the current state. */
  act(cluster: number, action: ClusterAction, path?: string): Promise<void> {
    const c = this.current().clusters[cluster];
    if (!c) throw new RangeError(`no cluster ${cluster} (there are ${this.current().clusters.length})`);
    if (path !== undefined && path !== c.keep && !c.members.some((m) => m.file === path)) throw new RangeError(`${path} is not in cluster ${cluster + 1}`);
    return this.run({ kind: 'edit', edit: { kind: 'cluster', cluster, action, ...(path !== undefined ? { path } : {}) } });
  }

  /** Accepts the automatic decisions of these clusters, as one operation. */
  acceptClusters(clusters: readonly number[]): Promise<void> {
    const n = this.current().clusters.length;
    const bad = clusters.find((c) => c >= n);
    if (bad !== undefined) throw new RangeError(`no cluster ${bad} (there are ${n})`);
    return this.run({ kind: 'edit', edit: { kind: 'accept', clusters } });
  }

  undo(): Promise<void> {
    return this.run({ kind: 'step', direction: 'undo' });
  }

  redo(): Promise<void> {
    return this.run({ kind: 'step', direction: 'redo' });
  }

  /**
   * The manifest file changed on disk (a hand edit, a CLI run): merge it. Hand edits become decisions
   * (written back by the engine, never overwritten); an edit the engine refuses makes this throw.
   */
  async outsideChange(contentHash: string | undefined): Promise<boolean> {
    if (contentHash !== undefined && contentHash === this.state?.contentHash) return false;
    if (!this.written) {
      const loaded = await this.ops.load(this.result);
      if (!loaded) return false;
      this.written = true;
    }
    await this.run({ kind: 'sync' });
    return true;
  }

  /** Writes the manifest now (Write Manifest), or joins the write already under way. */
  save(): Promise<void> {
    return this.run({ kind: 'sync' });
  }

  private run(job: Job): Promise<void> {
    return this.runAll([job]);
  }

  /** Queues jobs together: consecutive edits go in one write (flush), so a bulk action is one operation. */
  private runAll(jobs: readonly Job[]): Promise<void> {
    this.queue.push(...jobs);
    if (!this.inflight) {
      this.inflight = this.flush().finally(() => {
        this.inflight = undefined;
      });
    }
    return this.inflight;
  }

  private async flush(): Promise<void> {
    // Let the message that brought the decision return first, and let a burst of them gather.
    await new Promise((r) => setTimeout(r, 0));
    let failure: unknown;
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      // Consecutive edits (and syncs) go in one write; an undo or redo is its own operation, in order.
      const nextStep = this.queue.findIndex((j) => j.kind === 'step');
      const n = head.kind === 'step' ? 1 : nextStep < 0 ? this.queue.length : nextStep;
      const batch = this.queue.slice(0, n);
      this.queue = this.queue.slice(n);
      const fresh = this.scanPending;
      try {
        if (head.kind === 'step') this.state = await this.ops.step(this.result, head.direction);
        else
          this.state = await this.ops.commit(
            this.result,
            batch.flatMap((j) => (j.kind === 'edit' ? [j.edit] : [])),
            fresh,
          );
      } catch (e) {
        // Not on disk (the panel reports why, and the page goes on showing what the disk says). Not retried:
        // an edit the engine refuses would be refused again; the jobs queued after it still run.
        failure ??= e;
        continue;
      }
      if (head.kind !== 'step' && fresh) this.scanPending = false;
      this.written = true;
      for (const l of this.listeners) l(this.state);
    }
    if (failure !== undefined) throw failure;
  }
}
