/** How the scan's messages (progressDisplay.ts while it runs, messages.ts when it ends) write counts and durations. Pure. */
import { counted } from '../../shared/counted.js';

/** "12,400". */
export const n = (x: number): string => x.toLocaleString('en-US');

/** "1 file", "3 files", "1 identical copy", "2 identical copies". */
export const plural = (x: number, one: string, many = `${one}s`): string => counted(x, one, many, n(x));

/** "43 s", "2 min", "1 min 35 s". */
export function formatEta(sec: number): string {
  if (sec < 60) return `${Math.ceil(sec)} s`;
  const m = Math.floor(sec / 60);
  const s = Math.round(sec % 60);
  return s === 0 ? `${m} min` : `${m} min ${s} s`;
}
