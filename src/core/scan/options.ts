import { expectBoolean, expectInt, invalidOption } from '../errors.js';
import { normalizeSizeLimits } from '../image/sizeLimits.js';
import { normalizeHasher } from '../hashers/configure.js';
import type { GroupBy, ScanOptions } from '../types.js';
import { DEFAULT_APPROXIMATE_ABOVE } from '../pairs/lshParams.js';
import { normalizeSplits } from '../files/splits.js';
import { compileExclude, compileInclude, compileProtect, DEFAULT_EXCLUDE, DEFAULT_INCLUDE } from '../files/filters.js';

/**
 * Exact all-pairs search stays the default up to DEFAULT_APPROXIMATE_ABOVE files (measured, see
 * index/lshParams.ts; `media-dedupe pairs` uses the same cutoff). An option, because the right cutoff
 * depends on the machine and the number of hashers.
 */
export const DEFAULT_SCAN_OPTIONS: ScanOptions = Object.freeze({
  hashers: Object.freeze([Object.freeze({ name: 'phash', hashSize: 16, threshold: 0.2 })]),
  isometric: false,
  groupBy: 'none' as GroupBy,
  strict: false,
  protect: Object.freeze([]) as readonly string[],
  include: DEFAULT_INCLUDE,
  exclude: DEFAULT_EXCLUDE,
  useCache: true,
  approximateAbove: DEFAULT_APPROXIMATE_ABOVE,
  videos: true,
  // Off: on data it was not tuned for the check lost up to 9 % of a mild family (docs/color-check.md), so it is opt-in.
  colorCheck: false,
});

const GROUP_BY: readonly GroupBy[] = ['none', 'folder', 'parent'];

/**
 * Fills defaults and validates every option before any file is touched, so a bad option fails at once
 * with "Expected X for Y but received Z". Each hasher goes through normalizeHasher (hashers/configure.ts).
 */
export function normalizeScanOptions(partial: Partial<ScanOptions> = {}): ScanOptions {
  if (typeof partial !== 'object' || partial === null) throw invalidOption('options', 'an object', partial);
  const o = { ...DEFAULT_SCAN_OPTIONS, ...stripUndefined(partial) };
  if (!Array.isArray(o.hashers) || o.hashers.length === 0) throw invalidOption('hashers', 'a non-empty list of hashers', o.hashers);
  const hashers = o.hashers.map(normalizeHasher);
  if (!GROUP_BY.includes(o.groupBy)) throw invalidOption('groupBy', `one of ${GROUP_BY.join(', ')}`, o.groupBy);
  // Compile once here only to validate; the walk compiles its own.
  compileInclude(o.include);
  compileExclude(o.exclude);
  compileProtect(o.protect);
  return {
    hashers,
    isometric: expectBoolean('isometric', o.isometric),
    groupBy: o.groupBy,
    strict: expectBoolean('strict', o.strict),
    protect: [...o.protect],
    include: [...o.include],
    exclude: [...o.exclude],
    useCache: expectBoolean('useCache', o.useCache),
    approximateAbove: expectInt('approximateAbove', o.approximateAbove ?? DEFAULT_APPROXIMATE_ABOVE, 2, Number.MAX_SAFE_INTEGER),
    videos: expectBoolean('videos', o.videos ?? true),
    colorCheck: expectBoolean('colorCheck', o.colorCheck ?? false),
    // Absent unless on, like followOutside: a default scan's options and manifest stay as they were.
    ...(o.cropResistant !== undefined && expectBoolean('cropResistant', o.cropResistant) ? { cropResistant: true } : {}),
    ...(o.everyPair !== undefined && expectBoolean('everyPair', o.everyPair) ? { everyPair: true } : {}),
    ...(o.splits !== undefined && o.splits.length > 0 ? { splits: normalizeSplits(o.splits) } : {}),
    // Absent unless on, so a default scan's options (and the manifest written from them) stay as they were.
    ...(o.followOutside !== undefined && expectBoolean('followOutside', o.followOutside) ? { followOutside: true } : {}),
    ...(o.maxFileBytes !== undefined ? { maxFileBytes: normalizeSizeLimits(o.maxFileBytes) } : {}),
    // Empty means "not set" (the extension's setting is a string that defaults to empty).
    ...(o.ffmpegPath !== undefined && o.ffmpegPath !== '' ? { ffmpegPath: expectPath(o.ffmpegPath) } : {}),
  };
}

function expectPath(v: unknown): string {
  if (typeof v !== 'string') throw invalidOption('ffmpegPath', 'a path to ffmpeg', v);
  return v;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
