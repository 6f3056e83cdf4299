/** The words of scan progress: one line per phase (its count, rate and time left or spent), and how a scan ended. Pure. */
import { PHASE_LABEL } from '../../core/scan/progress.js';
import type { ScanProgress, ScanResult, ScanStats } from '../../core/types.js';

const n = (x: number): string => x.toLocaleString('en-US');
const plural = (x: number, one: string, many = `${one}s`): string => `${n(x)} ${x === 1 ? one : many}`;

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

export function formatEta(sec: number): string {
  if (sec < 60) return `${Math.ceil(sec)} s`;
  const m = Math.floor(sec / 60);
  const s = Math.round(sec % 60);
  return s === 0 ? `${m} min` : `${m} min ${s} s`;
}

/** Shown from the moment Cancel is pressed until the worker has stopped and saved what it hashed. */
export const CANCELLING = 'Cancelling… saving the hashes computed so far';

/**
 * How a cancelled scan ended: the hashes the cache now holds for the files seen (hashed this time or
 * found there), which the next scan reuses.
 */
export function cancelledMessage(stats: Pick<ScanStats, 'hashed' | 'cached'>): string {
  const kept = stats.hashed + stats.cached;
  return kept > 0 ? `Cancelled: ${plural(kept, 'hash', 'hashes')} kept; scan again to resume` : 'Cancelled before any file was hashed; nothing to keep';
}

/** How a finished scan ended, for the gallery's status line and the log. */
/**
 * `copies`: files identical to another (identicalCopies): searched as one node, so in no listed pair,
 * yet in the manifest's clusters; said, so that "0 duplicate pairs" never hides thousands of copies.
 */
export function finishedMessage(stats: Pick<ScanStats, 'files' | 'hashed' | 'cached' | 'skipped' | 'pairs' | 'seconds'>, copies = 0): string {
  const from = stats.cached > 0 ? ` (${n(stats.cached)} from the cache)` : '';
  const skipped = stats.skipped > 0 ? `, ${n(stats.skipped)} skipped` : '';
  const found =
    copies > 0 ? `${plural(stats.pairs, 'duplicate pair')} and ${plural(copies, 'identical copy', 'identical copies')}` : plural(stats.pairs, 'duplicate pair');
  return `Scan finished in ${formatEta(Math.max(stats.seconds, 0.001))}: ${found} among ${plural(stats.files, 'file')}${from}${skipped}`;
}

/** Files identical to another one of their group (each group's size minus one): the pairs the groups imply, one per copy. */
export function identicalCopies(result: Pick<ScanResult, 'identical'>): number {
  let copies = 0;
  for (const g of result.identical ?? []) copies += g.length - 1;
  return copies;
}
