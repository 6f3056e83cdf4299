/**
 * The sentences a scan's end shows a person, built from its result: an empty folder, a cancel, a finished
 * scan (while it runs, progressDisplay.ts says what it does). Pure, so each is tested as text.
 */
import { VIDEO_EXTENSIONS } from '../../core/video/extensions.js';
import type { ScanResult, ScanStats } from '../../core/types.js';
import { formatEta, n, plural } from './format.js';

/** At most this many extensions are named in a message; the rest are counted. */
const NAMED = 12;

/**
 * A scan that found no file to compare: where it looked and what it looks for (the scan's own include
 * list, videos when they are on), and what it skipped, instead of "0 duplicate pairs among 0 files".
 * Undefined when the scan found files (or was cancelled before it could tell).
 */
export function emptyFolderMessage(result: Pick<ScanResult, 'root' | 'files' | 'skipped' | 'cancelled' | 'options'>): string | undefined {
  if (result.files.length > 0 || result.cancelled) return undefined;
  const exts = [...result.options.include, ...(result.options.videos !== false ? VIDEO_EXTENSIONS : [])].map((e) =>
    /^\.?\w+$/.test(e) ? `.${e.replace(/^\./, '')}` : e,
  );
  const unique = [...new Set(exts)];
  const named = unique.slice(0, NAMED).join(', ') + (unique.length > NAMED ? ` and ${unique.length - NAMED} more` : '');
  const skipped = result.skipped.length > 0 ? ` ${plural(result.skipped.length, 'file was', 'files were')} skipped (see "Skipped").` : '';
  return `No images or videos found under ${result.root}; supported: ${named}.${skipped}`;
}

/** The Skipped picker's title: "1 file skipped by the scan of photos", "1,204 files skipped …". */
export function skippedTitle(skipped: number, rootName: string): string {
  return `${plural(skipped, 'file')} skipped by the scan of ${rootName} (Enter reveals the file in the Explorer)`;
}

/**
 * How a cancelled scan ended: the hashes the cache now holds for the files seen (hashed this time or
 * found there), which the next scan reuses.
 */
export function cancelledMessage(stats: Pick<ScanStats, 'hashed' | 'cached'>): string {
  const kept = stats.hashed + stats.cached;
  return kept > 0 ? `Cancelled: ${plural(kept, 'hash', 'hashes')} kept; scan again to resume` : 'Cancelled before any file was hashed; nothing to keep';
}

/**
 * How a finished scan ended, for the gallery's status line and the log. `copies`: files identical to
 * another (identicalCopies): searched as one node, so in no listed pair, yet in the manifest's clusters;
 * said, so that "0 duplicate pairs" never hides thousands of copies.
 */
export function finishedMessage(stats: Pick<ScanStats, 'files' | 'hashed' | 'cached' | 'skipped' | 'pairs' | 'seconds'>, copies = 0): string {
  const from = stats.cached > 0 ? ` (${n(stats.cached)} from the cache)` : '';
  const skipped = stats.skipped > 0 ? `, ${n(stats.skipped)} skipped` : '';
  return `Scan finished in ${formatEta(Math.max(stats.seconds, 0.001))}: ${foundText(stats.pairs, copies)} among ${plural(stats.files, 'file')}${from}${skipped}`;
}

/**
 * What a scan found, for the status bar's line after a cancel or when there are no duplicates: "7,056
 * duplicate pairs among 1,074 files." (it wrote the file count bare, "among 1074 files", beside "7,056").
 */
export function foundSummary(stats: Pick<ScanStats, 'files' | 'skipped' | 'pairs'>, copies: number): string {
  const skipped = stats.skipped > 0 ? `, ${n(stats.skipped)} skipped (see the log)` : '';
  return `${foundText(stats.pairs, copies)} among ${plural(stats.files, 'file')}${skipped}.`;
}

/** "3 duplicate pairs", "0 duplicate pairs and 2,204 identical copies": what a scan found, copies said whenever there are any. */
export function foundText(pairs: number, copies: number): string {
  const found = plural(pairs, 'duplicate pair');
  return copies > 0 ? `${found} and ${plural(copies, 'identical copy', 'identical copies')}` : found;
}

/** Files identical to another one of their group (each group's size minus one): the pairs the groups imply, one per copy. */
export function identicalCopies(result: Pick<ScanResult, 'identical'>): number {
  let copies = 0;
  for (const g of result.identical ?? []) copies += g.length - 1;
  return copies;
}
