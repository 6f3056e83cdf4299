import type { ErrorCode } from '../errors.js';
import type { Decision, DecisionSource, GroupBy } from '../types.js';

/**
 * dedupe-manifest.json, version 1. Its JSON Schema is schemas/dedupe-manifest.schema.json; docs/manifest.md
 * explains every field. All paths are POSIX and relative to the folder holding the manifest.
 */
export interface Manifest {
  readonly version: 1;
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
  /** The one list a training script needs: files to leave out. Sorted. */
  readonly remove: readonly string[];
  readonly skipped: readonly ManifestSkipped[];
  /** Size, content hash and resolution of every file named in pairs, reviews or notDuplicates. Sorted by path. */
  readonly files: readonly ManifestFile[];
  /** Every duplicate pair the scan found (a < b), sorted. Clusters are derived from these. */
  readonly pairs: readonly ManifestPair[];
}

export interface ManifestHasher {
  readonly name: string;
  readonly hashSize?: number;
  readonly threshold: number;
  readonly params?: Readonly<Record<string, number | boolean>>;
}

/** Everything needed to repeat the scan (`media-dedupe check` re-runs it with these). */
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
  /** Present (false) only when the colour check was off (perception's exact pairs); absent: it was on (the default). */
  readonly colorCheck?: false;
}

export interface ManifestSummary {
  readonly files: number; // files hashed (usable)
  readonly pairs: number;
  readonly clusters: number;
  readonly remove: number;
  readonly skipped: number;
}

export interface ManifestMember {
  readonly path: string;
  /** To the kept file; null when only a review links them. */
  readonly distance: number | null;
  /** Linked to the kept file only through other members; distance is the largest step of the chain. */
  readonly chained?: true;
  readonly decision: Decision;
  readonly by: DecisionSource;
}

export interface ManifestCluster {
  readonly keep: string;
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
  /** Matched a --protect glob: never removed automatically. */
  readonly protected?: true;
}

export interface ManifestPair {
  readonly a: string;
  readonly b: string;
  readonly distance: number;
  readonly hasher: string;
  /** Isometric variant of b that matched, when not the identity. */
  readonly transform?: string;
  /** 'flat': two near-flat images paired by the colour check because their colours agree, although their hashes (noise on such images) are not within threshold; `distance` is the real hash distance. */
  readonly via?: 'flat';
}

export type ReviewDecision = 'keep-a' | 'keep-b' | 'keep-both';

export interface ManifestReview {
  readonly a: string;
  readonly b: string;
  readonly decision: ReviewDecision;
}

export interface ManifestSkipped {
  readonly path: string;
  readonly code: ErrorCode;
  readonly message: string;
}

/** What a person can do to a pair in the gallery; `undo` returns it to the automatic decision. */
export type ReviewAction = 'keep-a' | 'keep-b' | 'keep-both' | 'not-duplicate' | 'undo';

/** The current decision on a pair, from a's point of view (same strings as the webview protocol). */
export type PairStatus = 'undecided' | 'keep-a' | 'keep-b' | 'keep-both' | 'not-duplicate';

export const MANIFEST_FILE_NAME = 'dedupe-manifest.json';
export const MANIFEST_VERSION = 1;
