/**
 * The sentences a scan's end shows a person, built from its result. Pure, so each is tested as text.
 */
import { VIDEO_EXTENSIONS } from '../../core/video/extensions.js';
import type { ScanResult } from '../../core/types.js';

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
  const skipped = result.skipped.length > 0 ? ` ${result.skipped.length} file${result.skipped.length === 1 ? ' was' : 's were'} skipped (see "Skipped").` : '';
  return `No images or videos found under ${result.root}; supported: ${named}.${skipped}`;
}
