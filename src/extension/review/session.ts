/**
 * One reviewed scan: the result, the manifest that holds the decisions, and the pair statuses the gallery
 * shows. Decisions are written as they are made, through the engine's one manifest writer (lock, re-read,
 * merge, atomic write), which applies them on top of whatever the file holds then; bursts of key presses
 * coalesce into one write at a time. Only a session opened on a fresh scan contributes that scan's pairs
 * (once); one revived from storage after a reload only adds its decisions, so it never rolls the manifest
 * back to its older scan. No `vscode` here: the manifest functions are passed in, so this is unit-tested
 * with fakes.
 */
import type { HistoryState } from '../../core/manifest/store.js';
import type { TrashCandidate } from '../../core/files/trashPlan.js';
import type { Cluster, ScanResult } from '../../core/types.js';
import type { DecideAction, PairStatus, StatusUpdate } from '../../shared/protocol.js';

export interface ReviewEdit {
  readonly a: string;
  readonly b: string;
  readonly action: DecideAction;
}

export interface ManifestOps<M> {
  /** The manifest on disk (hand edits merged in memory); undefined when there is none yet; throws when it is unreadable. */
  load(result: ScanResult): Promise<M | undefined>;
  /** What this scan alone gives, shown until the first write when there is no manifest yet. */
  preview(result: ScanResult): M;
  /** Writes: re-reads the disk under the lock, applies `edits` on top, and when `fresh` this scan's pairs too. */
  commit(result: ScanResult, edits: readonly ReviewEdit[], fresh: boolean): Promise<M>;
  /**
   * Undoes (or redoes) the last operation of the manifest's history journal (`.media-dedupe/history.jsonl`,
   * so also one made before a window reload or by another window), under the lock, on top of the disk.
   * `paths`: scan-relative files whose facts changed; `skipped`: facts changed since by someone else, left as they are.
   */
  step(result: ScanResult, type: 'undo' | 'redo'): Promise<HistoryStep<M>>;
  /** What undo and redo would do now (read from the journal). */
  history(): Promise<HistoryState>;
  status(manifest: M, a: string, b: string): PairStatus;
  removed(manifest: M): readonly string[];
  /** The removed files with the size, SHA-256 and protection the manifest records, for the trash's checks. */
  removedFiles(manifest: M): readonly TrashCandidate[];
  clusters(manifest: M): readonly Cluster[];
}

export interface HistoryStep<M> {
  readonly manifest: M;
  /** The operation undone or redone ("keep-a: a.jpg | b.jpg"); undefined when there was nothing to do. */
  readonly label?: string;
  readonly paths: readonly string[];
  readonly skipped: readonly string[];
  readonly history: HistoryState;
}

/** What the gallery shows after an undo or redo. */
export interface HistoryOutcome {
  readonly label?: string;
  /** Pairs whose status changed. */
  readonly updates: StatusUpdate[];
  readonly skipped: readonly string[];
  readonly history: HistoryState;
}

export class Session<M> {
  private manifest: M | undefined;
  private readonly statuses: PairStatus[];
  private readonly pairsOfFile = new Map<string, number[]>();
  private dirty = false;
  private inflight: Promise<void> | undefined;
  private pending: ReviewEdit[] = [];
  private written = false;
  /** Whether this scan's pairs still have to reach the file (a fresh scan, until its first write). */
  private scanPending: boolean;

  private constructor(
    readonly result: ScanResult,
    readonly manifestPath: string,
    private readonly ops: ManifestOps<M>,
    private readonly previous: M | undefined,
    fresh: boolean,
  ) {
    this.written = previous !== undefined;
    this.scanPending = fresh && !result.cancelled;
    // A pair's status is what was decided about that exact pair, so the manifest on disk answers it
    // without rebuilding the whole manifest first (that waits until something needs it).
    this.statuses = result.pairs.map((p) => (previous === undefined ? 'undecided' : ops.status(previous, p.a, p.b)));
    result.pairs.forEach((p, i) => {
      for (const f of [p.a, p.b]) {
        const list = this.pairsOfFile.get(f);
        if (list) list.push(i);
        else this.pairsOfFile.set(f, [i]);
      }
    });
  }

  /**
   * Opens a session on `result` with the decisions of the manifest already on disk, so reviews survive a
   * re-scan. `fresh`: the result is a scan that just ended (its pairs go into the manifest); otherwise it
   * is a stored copy (after a reload). Throws when the manifest exists but cannot be read: it is never
   * overwritten then.
   */
  static async open<M>(result: ScanResult, manifestPath: string, ops: ManifestOps<M>, fresh = false): Promise<Session<M>> {
    return new Session(result, manifestPath, ops, await ops.load(result), fresh);
  }

  /** The manifest as last read or written, or what this scan alone gives until there is one. */
  private current(): M {
    this.manifest ??= this.previous ?? this.ops.preview(this.result);
    return this.manifest;
  }

  /** Builds the manifest now (it is otherwise built on first use). */
  prepare(): void {
    this.current();
  }

  /**
   * Brings a manifest that already exists up to date with this fresh scan, unless the scan was cancelled
   * (a partial result must not shrink it) or this is a stored copy. A new manifest is written with the
   * first decision instead.
   */
  async refreshOnDisk(): Promise<boolean> {
    if (this.previous === undefined || !this.scanPending) return false;
    await this.save();
    return true;
  }

  get pairCount(): number {
    return this.statuses.length;
  }

  status(index: number): PairStatus {
    return this.statuses[index] ?? 'undecided';
  }

  allStatuses(): readonly PairStatus[] {
    return this.statuses;
  }

  get undecided(): number {
    let n = 0;
    for (const s of this.statuses) if (s === 'undecided') n++;
    return n;
  }

  get manifestOnDisk(): boolean {
    return this.written;
  }

  removed(): readonly string[] {
    return this.ops.removed(this.current());
  }

  removedFiles(): readonly TrashCandidate[] {
    return this.ops.removedFiles(this.current());
  }

  clusters(): readonly Cluster[] {
    return this.ops.clusters(this.current());
  }

  /**
   * Records a decision and returns the status the pair now has. A pair's status is what was decided about
   * that exact pair, so it is known at once; the manifest (whose re-resolution costs hundreds of ms on
   * thousands of pairs) is updated and written just after, one batch for a burst of key presses, off the
   * path of the message. The returned promise settles when the decision is on disk.
   */
  decide(index: number, action: DecideAction): { updates: StatusUpdate[]; saved: Promise<void> } {
    const pair = this.result.pairs[index];
    if (!pair) throw new RangeError(`no pair ${index} (there are ${this.result.pairs.length})`);
    const status: PairStatus = action === 'undo' ? 'undecided' : action;
    this.statuses[index] = status;
    this.pending.push({ a: pair.a, b: pair.b, action });
    return { updates: [{ index, status }], saved: this.save() };
  }

  /** Statuses as the engine's manifest has them, for pairs sharing a file with `index` (normally equal to what decide said). */
  confirmedStatuses(index: number): StatusUpdate[] {
    const pair = this.result.pairs[index];
    if (!pair || !this.manifest) return [];
    const out: StatusUpdate[] = [];
    for (const i of new Set([index, ...(this.pairsOfFile.get(pair.a) ?? []), ...(this.pairsOfFile.get(pair.b) ?? [])])) {
      const p = this.result.pairs[i]!;
      const s = this.ops.status(this.manifest, p.a, p.b);
      if (s !== this.statuses[i]) {
        this.statuses[i] = s;
        out.push({ index: i, status: s });
      }
    }
    return out;
  }

  /**
   * Undo: every fact the last operation changed goes back to what it was before (the previous decision,
   * not "undecided"), whoever made it and whenever (the journal survives reloads). Decisions still being
   * written go to disk first, so the last key press is what is undone.
   */
  undo(): Promise<HistoryOutcome> {
    return this.step('undo');
  }

  /** Redo: the last undone operation again (until a new decision is made). */
  redo(): Promise<HistoryOutcome> {
    return this.step('redo');
  }

  /** Whether undo/redo are possible now, and the labels of what they would do. */
  history(): Promise<HistoryState> {
    return this.ops.history();
  }

  private async step(type: 'undo' | 'redo'): Promise<HistoryOutcome> {
    if (this.pending.length > 0 || this.inflight) await this.save();
    const r = await this.ops.step(this.result, type);
    this.manifest = r.manifest;
    this.written = true;
    const touched = new Set<number>();
    for (const p of r.paths) for (const i of this.pairsOfFile.get(p) ?? []) touched.add(i);
    const updates: StatusUpdate[] = [];
    for (const i of [...touched].sort((x, y) => x - y)) {
      const pair = this.result.pairs[i]!;
      const status = this.ops.status(r.manifest, pair.a, pair.b);
      if (status !== this.statuses[i]) {
        this.statuses[i] = status;
        updates.push({ index: i, status });
      }
    }
    return { ...(r.label !== undefined ? { label: r.label } : {}), updates, skipped: r.skipped, history: r.history };
  }

  /** Writes the manifest now (Write Manifest), or joins the write already under way. */
  save(): Promise<void> {
    this.dirty = true;
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
    while (this.dirty) {
      this.dirty = false;
      const edits = this.pending;
      this.pending = [];
      const fresh = this.scanPending;
      try {
        this.manifest = await this.ops.commit(this.result, edits, fresh);
      } catch (e) {
        // Not on disk: keep them for the next write (the panel reports the error).
        this.pending = [...edits, ...this.pending];
        throw e;
      }
      if (fresh) this.scanPending = false;
      this.written = true;
    }
  }
}
