/**
 * One reviewed scan: the result, the manifest that holds the decisions, and the pair statuses the gallery
 * shows. Decisions go into the manifest at once and are written (atomically, by the engine) as they are
 * made; bursts of key presses coalesce into one write at a time. No `vscode` here: the manifest functions
 * are passed in, so this is unit-tested with fakes.
 */
import type { Cluster, ScanResult } from '../../core/types.js';
import type { DecideAction, PairStatus, StatusUpdate } from '../../shared/protocol.js';

export interface ReviewEdit {
  readonly a: string;
  readonly b: string;
  readonly action: DecideAction;
}

export interface ManifestOps<M> {
  build(result: ScanResult, previous: M | undefined): M;
  /** undefined when there is no manifest yet; throws when one exists but is unreadable. */
  read(path: string): Promise<M | undefined>;
  write(path: string, manifest: M): Promise<void>;
  /** Applies decisions in order, as many `applyReview` calls would, but re-resolving the manifest once. */
  applyAll(manifest: M, edits: readonly ReviewEdit[]): M;
  status(manifest: M, a: string, b: string): PairStatus;
  removed(manifest: M): readonly string[];
  clusters(manifest: M): readonly Cluster[];
}

export class Session<M> {
  private manifest: M | undefined;
  private readonly statuses: PairStatus[];
  private readonly pairsOfFile = new Map<string, number[]>();
  private dirty = false;
  private inflight: Promise<void> | undefined;
  private pending: ReviewEdit[] = [];
  private written = false;

  private constructor(
    readonly result: ScanResult,
    readonly manifestPath: string,
    private readonly ops: ManifestOps<M>,
    private readonly previous: M | undefined,
  ) {
    this.written = previous !== undefined;
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
   * re-scan. Throws when that manifest exists but cannot be read: it is never overwritten then.
   */
  static async open<M>(result: ScanResult, manifestPath: string, ops: ManifestOps<M>): Promise<Session<M>> {
    return new Session(result, manifestPath, ops, await ops.read(manifestPath));
  }

  /** The manifest for this result, carrying over the previous decisions; built on first use. */
  private current(): M {
    this.manifest ??= this.ops.build(this.result, this.previous);
    return this.manifest;
  }

  /** Builds the manifest now (it is otherwise built on first use). */
  prepare(): void {
    this.current();
  }

  /**
   * Brings a manifest that already exists up to date with this scan, unless the scan was cancelled
   * (a partial result must not shrink it). A new manifest is written with the first decision instead.
   */
  async refreshOnDisk(): Promise<boolean> {
    if (this.previous === undefined || this.result.cancelled) return false;
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
      if (edits.length > 0) this.manifest = this.ops.applyAll(this.current(), edits);
      await this.ops.write(this.manifestPath, this.current());
      this.written = true;
    }
  }
}
