import type { ScanProgress } from '../types.js';

/**
 * Turns "n more files done" into ScanProgress with a rate and an ETA. The rate counts only files
 * actually hashed (cache hits are instant and would make the ETA absurdly optimistic), averaged since
 * hashing began, which is steadier than a short window on small, uneven files.
 */
export class ProgressTracker {
  private hashed = 0;
  private done: number;
  private readonly start = performance.now();

  constructor(
    private readonly total: number,
    alreadyDone: number,
    private readonly emit: ((p: ScanProgress) => void) | undefined,
  ) {
    this.done = alreadyDone;
  }

  fileHashed(): void {
    this.hashed++;
    this.done++;
    if (!this.emit) return;
    const secs = (performance.now() - this.start) / 1000;
    const rate = secs > 0.2 && this.hashed >= 3 ? this.hashed / secs : undefined;
    this.emit({
      phase: 'hash',
      done: this.done,
      total: this.total,
      ...(rate !== undefined ? { ratePerSec: Math.round(rate * 10) / 10, etaSec: Math.ceil((this.total - this.done) / rate) } : {}),
    });
  }

  /** Files found done without hashing (cache hits counted after the tracker was made, e.g. videos). */
  addDone(n: number): void {
    this.done += n;
  }

  get filesHashed(): number {
    return this.hashed;
  }
}
