/**
 * The keep policy: ordered criteria, like czkawka's and dupeGuru's, that choose which file of a cluster is
 * kept. The first criterion on which two files differ decides, and it is what the cluster's keepReason
 * names. Reviews rank above every criterion (decide.ts); --protect does not rank (a protected file is
 * never removed, but only the explicit `protected` criterion prefers it as the kept file); path order
 * breaks the last tie, so the choice never depends on input order.
 */
import { invalidOption } from '../errors.js';
import { compileProtect } from '../files/filters.js';
import { comparePaths } from '../files/paths.js';
import type { DecideFile } from './types.js';

export const KEEP_CRITERIA = [
  'protected',
  'not-reencoded',
  'resolution',
  'longest',
  'quality',
  'format',
  'no-copy-marker',
  'oldest',
  'largest',
  'smallest',
  'shortest-path',
] as const;

/**
 * The default keeps the source over its edited or re-encoded copies (measured: `npm run bench -- --only
 * keep-policy`). A re-encode of a JPEG into a lossless format is bigger in bytes and not better, so it
 * goes first; resolution counts the picture without uniform borders, so a padded copy is not "larger";
 * a copy saved at a lower JPEG quality, an edit re-saved by a tool and a "(1)" or "copy" name lose next;
 * file size, which made a brightened copy win before, comes late.
 */
export const DEFAULT_KEEP_POLICY: readonly string[] = ['not-reencoded', 'resolution', 'longest', 'quality', 'no-copy-marker', 'largest', 'shortest-path'];

/** The policy of manifest version 1 (resolution, longer video, larger file, shorter path), kept for comparison in the bench. */
export const LEGACY_KEEP_POLICY: readonly string[] = ['protected', 'resolution', 'longest', 'largest', 'shortest-path'];

interface Criterion {
  /** Negative when a is the better file to keep. */
  readonly compare: (a: DecideFile, b: DecideFile) => number;
  /** The kept file's value, for keepReason: "highest resolution, 1280x853". */
  readonly describe: (kept: DecideFile) => string;
}

const FORMAT_RANK = ['tiff', 'png', 'bmp', 'jpeg', 'webp', 'avif', 'heif', 'gif'];
const formatRank = (f: DecideFile): number => {
  const i = FORMAT_RANK.indexOf(formatOf(f));
  return i === -1 ? FORMAT_RANK.length : i;
};

const EXTENSION_FORMAT: Readonly<Record<string, string>> = { jpg: 'jpeg', jpeg: 'jpeg', jpe: 'jpeg', tif: 'tiff', tiff: 'tiff', heic: 'heif', heif: 'heif' };

/** The file's format: the sniffed one when known, else from its extension. */
export function formatOf(f: DecideFile): string {
  if (f.format) return f.format;
  const base = f.path.slice(f.path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  const ext = dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
  return EXTENSION_FORMAT[ext] ?? ext;
}

// Names people and tools give copies: "x copy.jpg", "x (1).jpg", "x_edited.jpg", "x-resized.jpg", "thumb_x.jpg".
const COPY_MARKER = /(?:^|[\s._-])(?:copy|kopie|copie|duplicate|edited|edit|resized|scaled|thumb|thumbnail|preview)(?:$|[\s._()\d-])|\(\d+\)\s*$/i;

export function hasCopyMarker(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return COPY_MARKER.test(dot > 0 ? base.slice(0, dot) : base);
}

// Trimming a border a JPEG encoder smeared leaves up to a block of its ringing on each side (measured:
// 2-14 px per dimension on the benchmark's padded copies), so "about the same" allows two blocks.
const near = (x: number, y: number): boolean => Math.abs(x - y) <= Math.max(16, 0.03 * Math.max(x, y));
/** p is o with uniform borders added: a larger frame whose picture without the borders is about o's whole frame. */
const paddedCopyOf = (p: DecideFile, o: DecideFile): boolean =>
  p.contentWidth !== undefined &&
  p.contentHeight !== undefined &&
  p.width >= o.width &&
  p.height >= o.height &&
  p.width * p.height > o.width * o.height &&
  near(p.contentWidth, o.width) &&
  near(p.contentHeight, o.height);
/**
 * More pixels first; but two frames that differ only by about a uniform border are the same picture, and
 * resolution does not decide between them (quality, name and size do). By sizes alone a padded copy
 * (its trimmed picture is the original's frame) cannot be told from an original with a thin border of
 * its own and its 2 % crop, so neither wins here; both copies are re-saves, which `quality` sees.
 * Otherwise whole frames compare exactly: the size without borders is too noisy for more.
 */
function compareResolution(a: DecideFile, b: DecideFile): number {
  if (paddedCopyOf(a, b) || paddedCopyOf(b, a)) return 0;
  // Both with borders and about the same picture inside: a pad in the colour of the original's own ground.
  if (
    a.contentWidth !== undefined &&
    b.contentWidth !== undefined &&
    near(a.contentWidth, b.contentWidth) &&
    near(a.contentHeight ?? a.height, b.contentHeight ?? b.height)
  )
    return 0;
  return b.width * b.height - a.width * a.height;
}
// Whole seconds: re-encodes of one video differ by a few milliseconds, which must not decide.
const secs = (f: DecideFile): number => Math.round(f.durationSec ?? 0);
const bool = (x: boolean): number => (x ? 1 : 0);
const bytes = (n: number): string => n.toLocaleString('en-US');
const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

const CRITERIA: Readonly<Record<(typeof KEEP_CRITERIA)[number], Criterion>> = {
  protected: { compare: (a, b) => bool(!a.protectedBy) - bool(!b.protectedBy), describe: (k) => `protected by --protect ${k.protectedBy}` },
  'not-reencoded': {
    compare: (a, b) => bool(a.reencoded === true) - bool(b.reencoded === true),
    describe: () => 'not a re-encode (the other is a lossless copy of a JPEG)',
  },
  resolution: {
    compare: compareResolution,
    describe: (k) => `highest resolution, ${k.width}x${k.height}`,
  },
  longest: { compare: (a, b) => secs(b) - secs(a), describe: (k) => `longest, ${secs(k)} s` },
  quality: {
    // Only two JPEGs with a known quality compare: a copy saved again is almost always saved lower.
    compare: (a, b) => (a.jpegQuality !== undefined && b.jpegQuality !== undefined ? b.jpegQuality - a.jpegQuality : 0),
    describe: (k) => `highest JPEG quality, ${k.jpegQuality}`,
  },
  format: { compare: (a, b) => formatRank(a) - formatRank(b), describe: (k) => `preferred format, ${formatOf(k).toUpperCase()}` },
  'no-copy-marker': { compare: (a, b) => bool(hasCopyMarker(a.path)) - bool(hasCopyMarker(b.path)), describe: () => 'name without a copy marker' },
  oldest: {
    // Within 2 s is a tie: copies made by one command, and FAT's 2 s mtime resolution.
    compare: (a, b) => {
      if (a.mtimeMs === undefined || b.mtimeMs === undefined || Math.abs(a.mtimeMs - b.mtimeMs) < 2000) return 0;
      return a.mtimeMs - b.mtimeMs;
    },
    describe: (k) => `oldest, modified ${k.mtimeMs === undefined ? 'unknown' : day(k.mtimeMs)}`,
  },
  largest: { compare: (a, b) => b.size - a.size, describe: (k) => `largest file, ${bytes(k.size)} bytes` },
  smallest: { compare: (a, b) => a.size - b.size, describe: (k) => `smallest file, ${bytes(k.size)} bytes` },
  'shortest-path': { compare: (a, b) => a.path.length - b.path.length, describe: () => 'shortest path' },
};

export interface KeepPolicy {
  readonly criteria: readonly string[];
  /** Total order, best file to keep first; ties broken by path order. */
  compare(a: DecideFile, b: DecideFile): number;
  /** The first criterion that separates `kept` from `other`, as a reason ("highest resolution, 1280x853"). */
  reason(kept: DecideFile, other: DecideFile): string;
}

/** Checks and compiles a policy: names from KEEP_CRITERIA, or folder:GLOB (prefer files under it). */
export function keepPolicy(criteria: readonly string[] = DEFAULT_KEEP_POLICY): KeepPolicy {
  const list: Criterion[] = criteria.map((name) => {
    if (name.startsWith('folder:')) {
      const glob = name.slice('folder:'.length);
      if (glob === '') throw invalidOption('--keep-policy', 'folder:GLOB with a glob such as folder:originals/**', name);
      const inside = compileProtect([glob]);
      return { compare: (a, b) => bool(!inside(a.path)) - bool(!inside(b.path)), describe: () => `in ${glob} (keep policy folder:${glob})` };
    }
    const c = CRITERIA[name as (typeof KEEP_CRITERIA)[number]];
    if (!c) throw invalidOption('--keep-policy', `a comma-separated list of ${KEEP_CRITERIA.join(', ')}, folder:GLOB`, name);
    return c;
  });
  return {
    criteria: [...criteria],
    compare(a, b) {
      for (const c of list) {
        const d = c.compare(a, b);
        if (d !== 0) return d;
      }
      return comparePaths(a.path, b.path);
    },
    reason(kept, other) {
      for (const c of list) if (c.compare(kept, other) !== 0) return c.describe(kept);
      return 'first in path order';
    },
  };
}

/** Parses --keep-policy a,b,c (and the setting's list); an empty string gives the default. */
export function parseKeepPolicy(text: string): string[] {
  const list = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (list.length === 0) return [...DEFAULT_KEEP_POLICY];
  keepPolicy(list); // validates
  return list;
}

export const isDefaultPolicy = (criteria: readonly string[]): boolean =>
  criteria.length === DEFAULT_KEEP_POLICY.length && criteria.every((c, i) => c === DEFAULT_KEEP_POLICY[i]);
