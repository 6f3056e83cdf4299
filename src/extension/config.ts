/**
 * The typed view of the `mediaDedupe.*` settings. Takes a getter instead of the vscode API, so it is
 * unit-tested with plain objects. A bad value never stops a scan: it falls back to the default and
 * says so in `problems`, which the extension logs and shows once.
 */
import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import { keepPolicy } from '../core/decisions/keepPolicy.js';
import type { RemoveMode } from '../core/decisions/types.js';
import { parseSplitArg, splitsFromNames } from '../core/files/splits.js';
import type { GroupBy, HasherConfig, ScanOptions, SplitRule } from '../core/types.js';

export const HASHER_CHOICES = ['phash', 'dhash', 'ahash', 'wavelet', 'blockmean', 'marrhildreth', 'colormoment', 'pdq', 'phashu8', 'phashf', 'pdqf'] as const;
export type HasherChoice = (typeof HASHER_CHOICES)[number];
export const GROUP_BY_CHOICES: readonly GroupBy[] = ['none', 'folder', 'parent'];

export const DEFAULT_EXCLUDE = ['**/.git/**', '**/node_modules/**', '**/.media-dedupe/**'];
export const DEFAULT_MANIFEST = 'dedupe-manifest.json';

export interface MediaDedupeConfig {
  readonly hasher: HasherChoice;
  readonly hashSize: number;
  readonly threshold: number | null; // null: the hasher's recommended threshold
  readonly isometric: boolean;
  /** Also match content boxes and crop windows (ScanOptions.cropResistant). */
  readonly cropResistant: boolean;
  readonly groupBy: GroupBy;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly protect: readonly string[];
  readonly manifestPath: string;
  readonly ffmpegPath: string;
  /** Follow symbolic links that lead out of the scanned folder (off: they are listed as SYMLINK_OUTSIDE). */
  readonly followSymlinksOutside: boolean;
  /** Whether automatic removals enter `remove`; `ask`: not chosen yet (the extension asks once). */
  readonly remove: 'ask' | RemoveMode;
  /**
   * Dataset splits for the leakage search (`--splits` / `--split` of the CLI): top-level folder names
   * (`train`) or NAME=GLOB (`val=images/val/**`), two or more; empty: a plain scan.
   */
  readonly splits: readonly string[];
  /** Drop image pairs whose colours differ (ScanOptions.colorCheck; off gives perception's pairs). */
  readonly colorCheck: boolean;
  /** Also scan videos and animated GIFs (ScanOptions.videos). */
  readonly videos: boolean;
  /** Clusters without chaining: every member within the threshold of the kept file (ScanOptions.strict). */
  readonly strict: boolean;
  /**
   * Which file of a cluster is kept, criteria in order (`--keep-policy`); empty: the manifest's own (the
   * default order for a new one).
   */
  readonly keepPolicy: readonly string[];
}

export const DEFAULT_CONFIG: MediaDedupeConfig = {
  hasher: 'phash',
  hashSize: 16,
  threshold: null,
  isometric: false,
  cropResistant: false,
  groupBy: 'none',
  include: [],
  exclude: DEFAULT_EXCLUDE,
  protect: [],
  manifestPath: DEFAULT_MANIFEST,
  ffmpegPath: '',
  followSymlinksOutside: false,
  remove: 'ask',
  splits: [],
  colorCheck: false,
  videos: true,
  strict: false,
  keepPolicy: [],
};

/** Hashers whose size is fixed by their algorithm: hashSize does not apply. */
const FIXED_SIZE = new Set<string>(['blockmean', 'marrhildreth', 'colormoment', 'pdq', 'pdqf']);

export interface ConfigResult {
  readonly config: MediaDedupeConfig;
  readonly problems: readonly string[];
}

export function readConfig(get: (key: keyof MediaDedupeConfig) => unknown): ConfigResult {
  const problems: string[] = [];
  const bad = (key: string, expected: string, got: unknown, fallback: unknown): void => {
    problems.push(`mediaDedupe.${key}: expected ${expected} but got ${JSON.stringify(got)}; using ${JSON.stringify(fallback)}`);
  };
  const pick = <K extends keyof MediaDedupeConfig>(key: K, ok: (v: unknown) => boolean, expected: string): MediaDedupeConfig[K] => {
    const v = get(key);
    if (v === undefined) return DEFAULT_CONFIG[key];
    if (ok(v)) return v as MediaDedupeConfig[K];
    bad(key, expected, v, DEFAULT_CONFIG[key]);
    return DEFAULT_CONFIG[key];
  };
  const isStrings = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string' && x.trim() !== '');
  const config: MediaDedupeConfig = {
    hasher: pick('hasher', (v) => (HASHER_CHOICES as readonly unknown[]).includes(v), `one of ${HASHER_CHOICES.join(', ')}`),
    hashSize: pick('hashSize', (v) => typeof v === 'number' && Number.isInteger(v) && v >= 2 && v <= 64, 'an integer between 2 and 64'),
    threshold: pick(
      'threshold',
      (v) => v === null || (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1000),
      'null or a number between 0 and 1000',
    ),
    isometric: pick('isometric', (v) => typeof v === 'boolean', 'true or false'),
    cropResistant: pick('cropResistant', (v) => typeof v === 'boolean', 'true or false'),
    groupBy: pick('groupBy', (v) => (GROUP_BY_CHOICES as readonly unknown[]).includes(v), `one of ${GROUP_BY_CHOICES.join(', ')}`),
    include: pick('include', isStrings, 'a list of glob patterns'),
    exclude: pick('exclude', isStrings, 'a list of glob patterns'),
    protect: pick('protect', isStrings, 'a list of glob patterns'),
    manifestPath: pick('manifestPath', (v) => typeof v === 'string' && v.trim() !== '' && v.endsWith('.json'), 'a path ending in .json'),
    ffmpegPath: pick('ffmpegPath', (v) => typeof v === 'string', 'a path (or empty)'),
    followSymlinksOutside: pick('followSymlinksOutside', (v) => typeof v === 'boolean', 'true or false'),
    remove: pick('remove', (v) => v === 'ask' || v === 'all' || v === 'reviewed', 'ask, all or reviewed'),
    splits: pick('splits', isSplitList, 'none, or two or more split folder names or NAME=GLOB, each name once'),
    colorCheck: pick('colorCheck', (v) => typeof v === 'boolean', 'true or false'),
    videos: pick('videos', (v) => typeof v === 'boolean', 'true or false'),
    strict: pick('strict', (v) => typeof v === 'boolean', 'true or false'),
    keepPolicy: pick('keepPolicy', isKeepPolicy, 'a list of keep criteria (resolution, quality, oldest, folder:GLOB, …)'),
  };
  return { config, problems };
}

const SPLIT_ENTRY = /^[A-Za-z0-9][A-Za-z0-9._-]*(=.+)?$/;

/** An empty list, or two or more entries `name` or `name=glob` with distinct names. */
function isSplitList(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  if (v.length === 0) return true;
  if (v.length < 2 || !v.every((x) => typeof x === 'string' && SPLIT_ENTRY.test(x.trim()))) return false;
  const names = (v as string[]).map((x) => x.split('=')[0]!.trim());
  return new Set(names).size === names.length;
}

/** A list the engine's keep policy accepts (it is the one that knows the criteria), or an empty one. */
function isKeepPolicy(v: unknown): boolean {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x.trim() !== '')) return false;
  try {
    keepPolicy((v as string[]).map((x) => x.trim()));
    return true;
  } catch {
    return false;
  }
}

/** The setting's entries as the engine's split rules: a name is its top-level folder, as `--splits` takes it. */
export function splitRules(entries: readonly string[]): SplitRule[] {
  return entries.map((e) => (e.includes('=') ? parseSplitArg(e) : splitsFromNames(e)[0]!));
}

/** The configured hasher's name and size (hashers with a fixed size take none). */
export function hasherSpec(c: Pick<MediaDedupeConfig, 'hasher' | 'hashSize'>): { name: string; hashSize?: number } {
  return FIXED_SIZE.has(c.hasher) ? { name: c.hasher } : { name: c.hasher, hashSize: c.hashSize };
}

/**
 * Scan options for the engine. `defaultThreshold` comes from the engine's hasher registry, so the
 * recommended thresholds live in one place.
 */
export function toScanOptions(c: MediaDedupeConfig, defaultThreshold: (h: { name: string; hashSize?: number }) => number): Partial<ScanOptions> {
  const spec = hasherSpec(c);
  const hasher: HasherConfig = { ...spec, threshold: c.threshold ?? defaultThreshold(spec) };
  const out: { -readonly [K in keyof ScanOptions]?: ScanOptions[K] } = {
    hashers: [hasher],
    isometric: c.isometric,
    groupBy: c.groupBy,
    protect: c.protect,
    exclude: c.exclude,
    strict: c.strict,
    colorCheck: c.colorCheck,
    videos: c.videos,
  };
  if (c.followSymlinksOutside) out.followOutside = true;
  if (c.cropResistant) out.cropResistant = true;
  if (c.splits.length > 0) out.splits = splitRules(c.splits);
  // An empty include list means "the engine's media types", not "nothing".
  if (c.include.length > 0) out.include = c.include;
  return out;
}

/**
 * The decision settings the extension writes with every manifest change: the remove mode once chosen
 * (`ask`: the manifest's own stays) and the keep policy when set (empty: the manifest's own stays).
 */
export function decisionSettings(c: Pick<MediaDedupeConfig, 'remove' | 'keepPolicy'>): { remove?: RemoveMode; keepPolicy?: readonly string[] } {
  return {
    ...(c.remove === 'ask' ? {} : { remove: c.remove }),
    ...(c.keepPolicy.length > 0 ? { keepPolicy: c.keepPolicy.map((x) => x.trim()) } : {}),
  };
}

/** Where a folder's decisions are saved: the manifest setting, relative to the scanned folder. */
export function manifestPathFor(root: string, c: Pick<MediaDedupeConfig, 'manifestPath'>): string {
  return path.resolve(root, c.manifestPath);
}

/**
 * Whether a manifest path lies outside every one of `folders` (the workspace folders, or the scanned
 * folder without a workspace). Compared on real paths (of the nearest folder that exists), so neither a
 * `..` in the setting nor a symbolic link inside the workspace reaches out unnoticed. A shared settings
 * file must not be able to make the extension write decisions anywhere on the machine without asking.
 */
export function manifestOutside(manifestPath: string, folders: readonly string[]): boolean {
  const real = realNearest(path.resolve(manifestPath));
  return !folders.some((f) => {
    const rel = path.relative(realNearest(path.resolve(f)), real);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  });
}

/** The real path of `p`, resolving the nearest ancestor that exists (the manifest itself may not yet). */
function realNearest(p: string): string {
  const rest: string[] = [];
  for (let d = p; ; d = path.dirname(d)) {
    try {
      return path.join(realpathSync(d), ...rest.reverse());
    } catch {
      if (path.dirname(d) === d) return p;
      rest.push(path.basename(d));
    }
  }
}
