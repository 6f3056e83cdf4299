import type { DecidedMember, FileDecisionFact, FileVerdict, PairReview, RemoveMode, ReviewDecision } from '../decisions/types.js';
import type { ErrorCode } from '../errors.js';
import type { GroupBy, PairVia, SplitRule } from '../types.js';

export type { ReviewDecision };

/**
 * dedupe-manifest.json, version 2. Its JSON Schema is schemas/dedupe-manifest.schema.json (which also
 * accepts version 1); docs/manifest.md explains every field. All paths are POSIX and relative to the
 * folder holding the manifest; a name that is not valid UTF-8 is written as docs/manifest.md says
 * (files/nameBytes.ts). Everything except the facts (reviews, notDuplicates, fileDecisions) is derived
 * by decisions/decide.ts from the scan's measurements and the facts, so the file is deterministic.
 */
export interface Manifest {
  readonly version: 2;
  readonly generator: { readonly name: string; readonly version: string };
  /** The scanned folder, relative to the manifest's folder ('.' when the manifest sits in it). */
  readonly root: string;
  readonly settings: ManifestSettings;
  readonly summary: ManifestSummary;
  /** Sorted by kept path. */
  readonly clusters: readonly ManifestCluster[];
  /** Pairs a person marked as not duplicates; each [a, b] with a < b, sorted. */
  readonly notDuplicates: readonly (readonly [string, string])[];
  /** Pair decisions made in review (keep-a, keep-b, keep-both), sorted by (a, b). */
  readonly reviews: readonly ManifestReview[];
  /** Absolute verdicts on single files (bulk actions, hand edits of `remove`), sorted by path. */
  readonly fileDecisions: readonly FileDecisionFact[];
  /** The one list a training script needs: files to leave out. Sorted. */
  readonly remove: readonly string[];
  /** Paths named by decisions but absent from the last scan (offline folder, deleted file), sorted; dropped by `media-dedupe prune`. */
  readonly orphaned: readonly string[];
  readonly skipped: readonly ManifestSkipped[];
  /** Every file in a cluster, named by a decision, or orphaned, sorted by path. */
  readonly files: readonly ManifestFile[];
  /** Groups of files whose hashes are equal for every hasher (the pairs inside a group are implied, not listed). */
  readonly identical?: readonly (readonly string[])[];
  /** Every duplicate pair the scan found (a < b), sorted; absent when there are more than PAIRS_LIMIT (summary.pairsOmitted) unless --all-pairs. */
  readonly pairs?: readonly ManifestPair[];
  /** With settings.splits: every pair across two splits (all the scan looks for), sorted by (a, b); never omitted. */
  readonly leaks?: readonly ManifestLeak[];
  /** With settings.splits: media files in no split, left out of the search (listed, never silently dropped), sorted. */
  readonly outsideSplits?: readonly string[];
}

/** A pair across two dataset splits (train/test leakage) and what the drop policy does with it. */
export interface ManifestLeak {
  readonly a: string;
  readonly b: string;
  readonly splitA: string;
  readonly splitB: string;
  readonly distance: number;
  /** The file the drop policy leaves out: the one in the split dropped first (settings.dropFrom, then the order of settings.splits). */
  readonly drop: string;
  /** One of the two files is in `remove`, or a person answered the pair (keep both, not a duplicate). */
  readonly resolved: boolean;
}

export interface ManifestHasher {
  readonly name: string;
  readonly hashSize?: number;
  readonly threshold: number;
  readonly params?: Readonly<Record<string, number | boolean>>;
}

/** Everything needed to repeat the scan (`media-dedupe check` re-runs it with these) and to repeat the decisions. */
export interface ManifestSettings {
  readonly hashers: readonly ManifestHasher[];
  readonly isometric: boolean;
  readonly groupBy: GroupBy;
  readonly strict: boolean;
  readonly protect: readonly string[];
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  /** Present (false) only when videos were left out; absent means videos were scanned too (the default). */
  readonly videos?: false;
  /**
   * Whether the colour check ran (true: `--color-check`; false: perception's exact pairs, the default). Always
   * written; absent only in manifests from versions where the check was on by default, so absent means on.
   */
  readonly colorCheck?: boolean;
  /** Present (true) only when the scan also matched content boxes and crop windows (`--crop-resistant`); absent means it did not. */
  readonly cropResistant?: true;
  /** Whether automatic removals enter `remove` (`all`) or only reviewed ones (`reviewed`). */
  readonly remove: RemoveMode;
  /** The keep policy's criteria, only when not the default (decisions/keepPolicy.ts). */
  readonly keepPolicy?: readonly string[];
  /** Dataset splits (--splits / --split): only pairs across splits were searched for. */
  readonly splits?: readonly SplitRule[];
  /** With splits: the split leaks are dropped from first (--drop-from; default the training split). */
  readonly dropFrom?: string;
}

export interface ManifestSummary {
  readonly files: number; // files hashed (usable)
  readonly pairs: number;
  /** The scan found more pairs than PAIRS_LIMIT: `pairs` is left out, clusters carry each member's distance to the kept file. */
  readonly pairsOmitted?: true;
  readonly clusters: number;
  readonly remove: number;
  readonly removeReviewed: number;
  readonly removeAuto: number;
  readonly doubtful: number;
  readonly conflicts: number;
  readonly orphaned: number;
  readonly skipped: number;
  /** With splits: pairs across splits, and those the decisions do not resolve. */
  readonly leaks?: number;
  readonly leaksUnresolved?: number;
  /** Hash of what the scan measured (settings, files, pairs): a gallery holding a copy of that scan may use its pairs. */
  readonly scanHash: string;
}

/** A cluster member: what decide says of it (distance to the kept file, chain link, decision, who, reason). */
export type ManifestMember = DecidedMember;

export interface ManifestCluster {
  readonly keep: string;
  readonly keepReason: string;
  /** Only when not the keep policy: review or protect. */
  readonly keepBy?: 'review' | 'protect';
  readonly doubtful?: readonly string[];
  readonly conflicts?: readonly string[];
  readonly members: readonly ManifestMember[];
}

export interface ManifestFile {
  readonly path: string;
  readonly size: number;
  /** SHA-256 of the file's bytes, lowercase hex: a reader compares it (or just size) to tell a stale manifest. */
  readonly sha256: string;
  readonly width: number;
  readonly height: number;
  /** Videos only (absent for images): the keep policy prefers the longer of two equal-resolution videos. */
  readonly kind?: 'video';
  readonly durationSec?: number;
  /** What the keep policy reads (absent when unknown): the real format, JPEG quality, re-encode flag, size without borders, mtime (only with `oldest`). */
  readonly format?: string;
  readonly jpegQuality?: number;
  readonly reencoded?: true;
  readonly contentWidth?: number;
  readonly contentHeight?: number;
  readonly mtimeMs?: number;
  /** Matched a --protect glob: never removed. */
  readonly protected?: true;
  /** With splits: the file's split. */
  readonly split?: string;
  /** Absent from the last scan; this is its last known record. */
  readonly orphaned?: true;
}

export interface ManifestPair {
  readonly a: string;
  readonly b: string;
  readonly distance: number;
  readonly hasher: string;
  /** Isometric variant of b that matched, when not the identity. */
  readonly transform?: string;
  /** 'flat': two near-flat images paired by the colour check because their colours agree, although their hashes (noise on such images) are not within threshold; `distance` is the real hash distance. 'content-box': matched after trimming uniform borders; 'crop-window': a crop window of one file matched the other (both `--crop-resistant`; `distance` is that match's). */
  readonly via?: PairVia;
}

export type ManifestReview = PairReview;

export interface ManifestSkipped {
  readonly path: string;
  readonly code: ErrorCode;
  readonly message: string;
}

/** Version 1 as written by media-dedupe 0.1 (read and upgraded, never written). */
export interface ManifestV1 {
  readonly version: 1;
  readonly generator: { readonly name: string; readonly version: string };
  readonly root: string;
  readonly settings: Omit<ManifestSettings, 'remove' | 'keepPolicy' | 'splits' | 'dropFrom'>;
  readonly summary: { readonly files: number; readonly pairs: number; readonly clusters: number; readonly remove: number; readonly skipped: number };
  readonly clusters: readonly {
    readonly keep: string;
    readonly members: readonly {
      readonly path: string;
      readonly distance: number | null;
      readonly chained?: true;
      readonly decision: FileVerdict;
      readonly by: 'auto' | 'review';
    }[];
  }[];
  readonly notDuplicates: readonly (readonly [string, string])[];
  readonly reviews: readonly ManifestReview[];
  readonly remove: readonly string[];
  readonly skipped: readonly ManifestSkipped[];
  readonly files: readonly Omit<ManifestFile, 'orphaned' | 'format' | 'jpegQuality' | 'reencoded' | 'contentWidth' | 'contentHeight' | 'mtimeMs' | 'split'>[];
  readonly pairs: readonly ManifestPair[];
}

/** What a person can do to a pair in the gallery; `undo` returns it to the automatic decision. */
export type ReviewAction = 'keep-a' | 'keep-b' | 'keep-both' | 'not-duplicate' | 'undo';

/** The current decision on a pair, from a's point of view (same strings as the webview protocol). */
export type PairStatus = 'undecided' | 'keep-a' | 'keep-b' | 'keep-both' | 'not-duplicate';

export const MANIFEST_FILE_NAME = 'dedupe-manifest.json';
export const MANIFEST_VERSION = 2;
/** Above this many pairs the manifest lists clusters only (with each member's distance to the kept file), unless --all-pairs. */
export const PAIRS_LIMIT = 20_000;
