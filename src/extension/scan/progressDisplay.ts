/**
 * What a running scan shows, between the engine's progress events and the screen (the notification and the
 * gallery's header). Pure: the clock is passed in, and the host calls tick() about twice a second.
 *
 * Why it is more than "print the last event": the engine reports a phase when it starts and, for hashing,
 * per file; between events the text would freeze. So the time left counts down between events and, once
 * the estimate has run out, the line says how long the phase has run instead of promising "1 s left"; a
 * phase shorter than 300 ms is never shown (it would only flicker); the bar gives each phase its share, so
 * a finished hashing phase is not a full bar while pairs are still being found; and once Cancel is pressed
 * the text stays on "Cancelling…" until the worker has stopped. The words of each phase's line are here too
 * (progressMessage): one owner of what a running scan says.
 */
import { PHASE_LABEL } from '../../core/scan/progress.js';
import type { ScanPhase, ScanProgress } from '../../core/types.js';
import { formatEta, n, plural } from './format.js';

export interface ProgressView {
  readonly phase: ScanPhase | 'cancelling';
  readonly message: string;
  /** How far the current phase is (0..1), when it counts items; undefined while it cannot tell. */
  readonly fraction?: number;
  /** How much the notification's bar moves (percent of the whole scan), when it moves. */
  readonly increment?: number;
}

/** A phase shorter than this is never shown. */
export const MIN_PHASE_MS = 300;

/** Each phase's share of the whole bar (percent). Hashing is most of a first scan; the others are short but never nothing. */
const SHARE: Readonly<Record<ScanPhase, number>> = { walk: 4, hash: 60, video: 20, search: 7, verify: 3, cluster: 6, done: 0 };
const ORDER: readonly ScanPhase[] = ['walk', 'hash', 'video', 'search', 'verify', 'cluster', 'done'];

export class ProgressDisplay {
  private latest: ScanProgress | undefined;
  private phaseStart = 0;
  private shownPhase: ScanPhase | undefined;
  private etaAt = 0;
  private etaSec: number | undefined;
  private reported = 0;
  private cancelled = false;

  constructor(
    private readonly show: (v: ProgressView) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  update(p: ScanProgress): void {
    if (this.cancelled) return;
    const t = this.now();
    if (p.phase !== this.latest?.phase) {
      this.phaseStart = t;
      this.etaSec = undefined;
    }
    if (p.etaSec !== undefined) {
      this.etaSec = p.etaSec;
      this.etaAt = t;
    }
    this.latest = p;
    this.render(t);
  }

  /** Re-draws the time left or spent, and shows a phase once it has lasted MIN_PHASE_MS. */
  tick(): void {
    if (!this.cancelled && this.latest) this.render(this.now());
  }

  /** Cancel was pressed: the text stays on "Cancelling…" until the scan's result arrives. */
  cancelling(): void {
    this.cancelled = true;
    this.show({ phase: 'cancelling', message: CANCELLING });
  }

  private render(t: number): void {
    const p = this.latest!;
    const ran = t - this.phaseStart;
    if (ran < MIN_PHASE_MS && p.phase !== this.shownPhase) return;
    this.shownPhase = p.phase;
    const left = this.etaSec === undefined ? undefined : this.etaSec - (t - this.etaAt) / 1000;
    const counted = (p.phase === 'hash' || p.phase === 'video') && p.total > 0;
    const fraction = counted ? Math.min(1, p.done / p.total) : undefined;
    const message = progressMessage(p, left !== undefined && left >= 0.5 ? { etaSec: left } : { elapsedSec: ran / 1000 });
    const overall = ORDER.slice(0, ORDER.indexOf(p.phase)).reduce((s, ph) => s + SHARE[ph], 0) + SHARE[p.phase] * (fraction ?? 0);
    const increment = overall > this.reported ? overall - this.reported : undefined;
    if (increment !== undefined) this.reported = overall;
    this.show({ phase: p.phase, message, ...(fraction !== undefined ? { fraction } : {}), ...(increment !== undefined ? { increment } : {}) });
  }
}

/** Shown from the moment Cancel is pressed until the worker has stopped and saved what it hashed. */
export const CANCELLING = 'Cancelling… saving the hashes computed so far';

/**
 * One phase's line. `etaSec` is the time left as of now (the caller counts it down, and drops it once the
 * estimate has run out rather than keep promising "1 s left"); `elapsedSec`, for phases that cannot
 * estimate, says how long the phase has run.
 */
export function progressMessage(p: ScanProgress, now: { etaSec?: number; elapsedSec?: number } = {}): string {
  const parts = [PHASE_LABEL[p.phase] ?? p.phase];
  switch (p.phase) {
    case 'walk':
      if (p.done > 0) parts.push(`${n(p.done)} found`);
      break;
    case 'hash':
    case 'video':
      if (p.total > 0) parts.push(`${n(p.done)} / ${n(p.total)}${p.cached ? ` (${n(p.cached)} from the cache)` : ''}`);
      if (p.ratePerSec !== undefined && p.ratePerSec > 0)
        parts.push(p.phase === 'video' && p.ratePerSec < 1 ? `${(60 * p.ratePerSec).toFixed(1)} videos/min` : `${n(Math.round(p.ratePerSec))} files/s`);
      break;
    case 'search':
      parts[0] = `${parts[0]} among ${plural(p.total, 'file')}`;
      break;
    case 'verify':
      parts[0] = `${parts[0]} of ${plural(p.total, 'pair')}`;
      break;
    case 'cluster':
      parts[0] = `Grouping ${plural(p.total, 'pair')} into clusters`;
      break;
    case 'done':
      break;
  }
  if (now.etaSec !== undefined && now.etaSec > 0 && Number.isFinite(now.etaSec)) parts.push(`about ${formatEta(now.etaSec)} left`);
  else if (now.elapsedSec !== undefined && now.elapsedSec >= 1) parts.push(`${formatEta(now.elapsedSec)} so far`);
  return parts.join(' · ');
}
