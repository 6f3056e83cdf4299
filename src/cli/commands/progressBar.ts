import { PHASE_LABEL } from '../../core/scan/progress.js';
import type { ScanProgress } from '../../core/types.js';
import type { CliIo } from '../io.js';

function formatEta(s: number): string {
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.ceil(s)}s`;
}

/**
 * A one-line progress bar redrawn in place on stderr, only when stderr is a terminal (a CI log or a
 * pipe gets no carriage-return noise), at most ~10 times a second.
 */
export function progressBar(io: CliIo): { update: (p: ScanProgress) => void; clear: () => void } {
  const err = io.stderr;
  if (!err.isTTY) return { update: () => {}, clear: () => {} };
  let last = 0;
  let lastPhase = '';
  let drawn = false;
  const update = (p: ScanProgress): void => {
    const now = Date.now();
    // A new phase and the last file always show; in between, at most one redraw per 100 ms.
    if (now - last < 100 && p.phase === lastPhase && p.done < p.total) return;
    last = now;
    lastPhase = p.phase;
    const width = Math.max(20, Math.min(40, (err.columns ?? 80) - 50));
    let line: string;
    if ((p.phase === 'hash' || p.phase === 'video') && p.total > 0) {
      const frac = p.done / p.total;
      const fill = Math.round(frac * width);
      const rate = p.ratePerSec !== undefined ? ` ${Math.round(p.ratePerSec)} files/s` : '';
      const eta = p.etaSec !== undefined && p.done < p.total ? ` ETA ${formatEta(p.etaSec)}` : '';
      const what = p.phase === 'video' ? 'videos ' : '';
      line = `[${'#'.repeat(fill)}${'-'.repeat(width - fill)}] ${what}${p.done}/${p.total} ${Math.floor(frac * 100)}%${rate}${eta}`;
    } else if (p.phase === 'walk') line = `${PHASE_LABEL.walk.toLowerCase()}... ${p.done} found`;
    else line = `${PHASE_LABEL[p.phase].toLowerCase()}...`;
    err.write(`\r\x1b[2K${line}`);
    drawn = true;
  };
  const clear = (): void => {
    if (drawn) err.write('\r\x1b[2K');
    drawn = false;
  };
  return { update, clear };
}
