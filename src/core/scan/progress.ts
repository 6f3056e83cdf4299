import type { ScanPhase, ScanProgress } from '../types.js';

/** What each phase is called wherever progress is shown (the CLI's bar, the extension's notification and gallery). */
export const PHASE_LABEL: Readonly<Record<ScanPhase, string>> = {
  walk: 'Listing files',
  hash: 'Hashing images',
  video: 'Hashing videos',
  search: 'Finding pairs',
  verify: 'Checking colours',
  cluster: 'Grouping duplicates',
  done: 'Done',
};

/**
 * Turns "n more files done" into ScanProgress with a rate and an ETA, for one hashing phase (images or
 * videos: a video takes far longer than an image, so each phase has its own rate). The rate counts only
 * files actually hashed (cache hits are instant and would make the ETA absurdly optimistic), averaged
 * since the phase's first file, which is steadier than a short window on small, uneven files.
 */
export class ProgressTracker {
  private hashed = 0;
  private done: number;
  private cached: number;
  private start: number | undefined;

  constructor(
    private readonly total: number,
    alreadyDone: number,
    private readonly emit: ((p: ScanProgress) => void) | undefined,
    private readonly phase: 'hash' | 'video' = 'hash',
  ) {
    this.done = alreadyDone;
    this.cached = alreadyDone;
  }

  private counts(): ScanProgress {
    return { phase: this.phase, done: this.done, total: this.total, ...(this.cached > 0 ? { cached: this.cached } : {}) };
  }

  /** Reports the phase's start (with the cache hits already done), so it shows before its first file ends. */
  begin(): void {
    this.start ??= performance.now();
    this.emit?.(this.counts());
  }

  fileHashed(): void {
    this.start ??= performance.now();
    this.hashed++;
    this.done++;
    if (!this.emit) return;
    const secs = (performance.now() - this.start) / 1000;
    const rate = secs > 0.2 && this.hashed >= 3 ? this.hashed / secs : undefined;
    this.emit({
      ...this.counts(),
      ...(rate !== undefined ? { ratePerSec: Math.round(rate * 10) / 10, etaSec: Math.ceil((this.total - this.done) / rate) } : {}),
    });
  }

  /** Files found done without hashing (cache hits counted after the tracker was made, e.g. videos). */
  addDone(n: number): void {
    this.done += n;
    this.cached += n;
  }

  get filesHashed(): number {
    return this.hashed;
  }
}
