/**
 * The engine's result types, shared by the CLI, the extension host and (through src/shared) the webview.
 * Paths are POSIX and relative to the scanned root.
 */
import type { ErrorCode } from './errors.js';

export type MediaKind = 'image' | 'video';

/** A hasher as the user configures it: perception's name, its hash size and the threshold below which two files match. */
export interface HasherConfig {
  readonly name: string; // phash, dhash, ahash, wavelet, blockmean, marrhildreth, colormoment, pdq, phashu8, phashf, pdqf
  readonly hashSize?: number;
  readonly threshold: number;
  readonly params?: Readonly<Record<string, number | boolean>>; // e.g. highfreqFactor, excludeFirstTerm, freqShift, boxFilter
}

export interface FileRecord {
  readonly path: string; // relative POSIX path
  readonly kind: MediaKind;
  readonly size: number; // bytes
  readonly mtimeMs: number;
  readonly width: number;
  readonly height: number;
  readonly fingerprint: string; // content fingerprint (e.g. sha256 prefix) so a reader can tell a stale manifest
  /** With ScanOptions.splits: the split the file belongs to. */
  readonly split?: string;
  readonly durationSec?: number; // videos
  /** What the keep policy reads (decisions/keepPolicy.ts), when the scan measured it: the real format (magic bytes), the JPEG quality estimated from its quantisation tables, whether a lossless file carries a JPEG's 8x8 block grid (a re-encode), and the picture's size without uniform borders. */
  readonly format?: string;
  readonly jpegQuality?: number;
  readonly reencoded?: boolean;
  readonly contentWidth?: number;
  readonly contentHeight?: number;
}

export interface SkippedRecord {
  readonly path: string;
  readonly code: ErrorCode;
  readonly message: string;
}

/**
 * How a pair was found when not by the whole files' hash distance: 'flat' (below); 'content-box' = the
 * hashes matched after trimming uniform borders (a padded or letterboxed copy); 'crop-window' = a window of
 * one file matched the other (a cropped copy). Both only with ScanOptions.cropResistant.
 */
export type PairVia = 'flat' | 'content-box' | 'crop-window';
export const PAIR_VIAS: readonly PairVia[] = ['flat', 'content-box', 'crop-window'];

/** Two files within threshold. a < b lexicographically. */
export interface Pair {
  readonly a: string;
  readonly b: string;
  readonly distance: number; // the smallest distance over the hashers (and isometric variants) that matched
  readonly hasher: string; // which hasher produced that distance
  readonly transform?: string; // isometric variant of b that matched (r0 when none)
  /**
   * How the pair was found when not by its hash distance: 'flat' = two near-flat images (fog, sky, a
   * blank scan, a noise patch) whose colour signatures agree, which the colour check pairs although
   * their hashes, noise on such images, are not within threshold (colorcheck/flatPairs.ts). `distance` is
   * still the real hash distance, so it may be above the threshold. 'content-box' and 'crop-window': see
   * PairVia; `distance` is then the distance of the trimmed or windowed hashes that matched.
   */
  readonly via?: PairVia;
  /** Video pairs only: the aligned frames that matched, so a reviewer can see (and seek to) the same moments. */
  readonly frames?: readonly PairFrame[];
  /** Video pairs only: b's time minus a's at which the frames align (the cut of a trimmed copy), seconds. */
  readonly offsetSec?: number;
}

/** One matched frame pair of two videos: timestamps in seconds and the frame hash distance. */
export interface PairFrame {
  readonly a: number;
  readonly b: number;
  readonly distance: number;
}

export type Decision = 'remove' | 'keep';
/** Who decided: the keep policy, a person, or a --protect glob (decisions/decide.ts). */
export type DecisionSource = 'auto' | 'review' | 'protect';

export interface ClusterMember {
  readonly path: string;
  /** To the kept file; null when not known (a member linked only through others). */
  readonly distance: number | null;
  readonly decision: Decision;
  readonly by: DecisionSource;
  /** Not itself within threshold of the kept file, only linked through other members (default clusters chain): never removed automatically. */
  readonly chained?: boolean;
}

export interface Cluster {
  readonly keep: string;
  readonly members: readonly ClusterMember[]; // the other files, sorted by path
}

/**
 * The stages of a scan, in order: list files, hash images, hash videos, find pairs, verify them (the
 * colour check), group into clusters. Each reports its own count (and, while
 * hashing, a rate and an ETA), so a progress display never sits on a finished stage.
 */
export type ScanPhase = 'walk' | 'hash' | 'video' | 'search' | 'verify' | 'cluster' | 'done';

export interface ScanProgress {
  readonly phase: ScanPhase;
  /** Items of this phase done so far (files found, files hashed, pairs verified...). */
  readonly done: number;
  /** Items this phase has in all; 0 when not known yet (the walk). */
  readonly total: number;
  /** Hashing phases: how many of `done` came from the cache (a resumed scan). */
  readonly cached?: number;
  readonly ratePerSec?: number;
  readonly etaSec?: number;
}

/** Cancellation without depending on vscode: the extension adapts its CancellationToken to this. */
export interface CancelSignal {
  readonly cancelled: boolean;
}

export type GroupBy = 'none' | 'folder' | 'parent';

/** A dataset split for the leakage search: its name and the glob of its files (files/splits.ts). */
export interface SplitRule {
  readonly name: string;
  readonly glob: string;
}

export interface ScanOptions {
  readonly hashers: readonly HasherConfig[]; // default [{name:'phash', hashSize:16, threshold:0.2}]
  readonly isometric: boolean;
  readonly groupBy: GroupBy;
  readonly strict: boolean; // clusters without chaining: every member within threshold of the kept file
  readonly protect: readonly string[]; // globs never marked for removal
  readonly include: readonly string[]; // extensions or globs of media to scan
  readonly exclude: readonly string[]; // ignore globs (.git, node_modules, .media-dedupe by default)
  readonly useCache: boolean;
  /** Above this many files, pairs come from the approximate candidate generator (every candidate verified exactly) instead of exact all-pairs search. Default DEFAULT_APPROXIMATE_ABOVE in scan/options. */
  readonly approximateAbove?: number;
  /** Also scan videos (and animated GIFs, which count as videos). Default true. */
  readonly videos?: boolean;
  /** ffmpeg to decode videos with; otherwise ffmpeg on PATH, then the bundled one. Machine-specific: never written to a manifest. */
  readonly ffmpegPath?: string;
  /**
   * Drop image pairs whose colours differ (an emoji and its skin tones, light/dark wallpapers), which
   * perception's grey hashes cannot tell apart. Default true; false gives exactly perception's pairs.
   */
  readonly colorCheck?: boolean;
  /**
   * Also find copies with borders added or trimmed and copies cropped by up to ~10 % per side: each image
   * is hashed again on its content box (uniform borders trimmed) and on nine overlapping windows, and
   * those are matched against whole images (pairs/cropPairs.ts; docs/crop-resistant.md). Default false
   * (off: it adds false pairs perception's hashes would not, and hashes each image ten more times).
   */
  readonly cropResistant?: boolean;
  /**
   * List every pair, as perception does (`--parity`, `--all-pairs`): no identical-hash nodes and no
   * near-identical nodes, whose inner pairs are otherwise implied by their cluster (pairs/findPairs.ts,
   * pairs/closeNodes.ts), so 20,000 copies stay linear. Default false (absent).
   */
  readonly everyPair?: boolean;
  /**
   * Dataset splits: only pairs between files of different splits are searched for (train/test leakage),
   * with groupBy also within one group. Files in no split are listed in `outsideSplits` and left out.
   */
  readonly splits?: readonly SplitRule[];
  /**
   * Follow symbolic links that lead out of the scanned folder (default false): otherwise they are listed
   * as SYMLINK_OUTSIDE and nothing outside is hashed, named in the manifest or offered to the trash.
   */
  readonly followOutside?: boolean;
  /** Largest file read per sniffed format, bytes (image/sizeLimits.ts); a bigger file is skipped as TOO_LARGE. */
  readonly maxFileBytes?: Readonly<Record<string, number>>;
}

export interface ScanStats {
  readonly files: number;
  readonly hashed: number; // hashed in this run (the rest came from the cache)
  readonly cached: number;
  readonly skipped: number;
  readonly pairs: number;
  /** Image pairs the colour check dropped (ScanOptions.colorCheck); absent when it was off. */
  readonly colorRejected?: number;
  readonly clusters: number;
  readonly seconds: number;
  /** Where the time went (walk, cache, hash, search, color, index, cluster), in seconds. */
  readonly phaseSeconds?: Readonly<Record<string, number>>;
}

export interface ScanResult {
  readonly root: string; // absolute path of the scanned folder
  readonly options: ScanOptions;
  readonly files: readonly FileRecord[]; // sorted by path
  readonly skipped: readonly SkippedRecord[]; // sorted by path
  readonly pairs: readonly Pair[]; // sorted by (a, b)
  /**
   * Groups of files whose hashes are equal for every hasher, each sorted, sorted by first path: the pairs
   * inside a group are implied (distance 0) and not listed in `pairs`, and a pair naming one member
   * stands for every member. Absent when the search enumerated every pair.
   */
  readonly identical?: readonly (readonly string[])[];
  readonly clusters: readonly Cluster[]; // sorted by keep
  /** With ScanOptions.splits: media files that match no split, left out of the search (sorted). */
  readonly outsideSplits?: readonly string[];
  readonly stats: ScanStats;
  /**
   * A digest of everything the result was computed from (engine, folder, options, every file's stat, the
   * cache file; scan/rescanSnapshot.ts): equal digests, equal results. Absent when not known (--no-cache,
   * videos, a cancelled scan); the manifest store uses it to skip rewriting an unchanged manifest.
   */
  readonly inputs?: string;
  readonly cancelled: boolean;
}
