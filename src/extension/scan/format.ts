/** How the scan's messages (progressDisplay.ts while it runs, messages.ts when it ends) write counts and durations. Pure. */
import { counted, formatCount } from '../../shared/counted.js';

/** "12,400" (shared/counted.ts formatCount). */
export const n = formatCount;

/** "1 file", "12,400 files", "1 identical copy", "2 identical copies" (shared/counted.ts). */
export const plural = counted;

/** "43 s", "2 min", "1 min 35 s". */
export function formatEta(sec: number): string {
  if (sec < 60) return `${Math.ceil(sec)} s`;
  const m = Math.floor(sec / 60);
  const s = Math.round(sec % 60);
  return s === 0 ? `${m} min` : `${m} min ${s} s`;
}
