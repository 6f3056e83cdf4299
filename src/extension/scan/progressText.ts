/** The progress notification's text: phase, counts and rate. Pure. */
import type { ScanProgress } from '../../core/types.js';

const PHASE: Record<ScanProgress['phase'], string> = {
  walk: 'Listing files',
  hash: 'Hashing',
  search: 'Comparing hashes',
  cluster: 'Grouping duplicates',
  done: 'Done',
};

export function progressMessage(p: ScanProgress): string {
  const parts = [PHASE[p.phase] ?? p.phase];
  if (p.total > 0) parts.push(`${p.done.toLocaleString('en-US')} / ${p.total.toLocaleString('en-US')}`);
  else if (p.done > 0) parts.push(p.done.toLocaleString('en-US'));
  if (p.ratePerSec !== undefined && p.ratePerSec > 0)
    parts.push(`${Math.round(p.ratePerSec).toLocaleString('en-US')} ${p.phase === 'hash' ? 'files' : 'items'}/s`);
  if (p.etaSec !== undefined && p.etaSec > 0 && Number.isFinite(p.etaSec)) parts.push(`about ${formatEta(p.etaSec)} left`);
  return parts.join(' · ');
}

export function formatEta(sec: number): string {
  if (sec < 60) return `${Math.ceil(sec)} s`;
  const m = Math.floor(sec / 60);
  const s = Math.round(sec % 60);
  return s === 0 ? `${m} min` : `${m} min ${s} s`;
}

/**
 * withProgress takes increments, the engine reports totals: this turns one into the other, per phase,
 * so the bar fills once for the hashing phase (the long one) and is not reset by the others.
 */
export class ProgressTracker {
  private reported = 0;
  increment(p: ScanProgress): number | undefined {
    if (p.phase !== 'hash' || p.total <= 0) return undefined;
    const pct = Math.min(100, (p.done / p.total) * 100);
    const inc = pct - this.reported;
    if (inc <= 0) return undefined;
    this.reported = pct;
    return inc;
  }
}
