/**
 * The decision model's data: the facts people decided (stored in the manifest, merged, never derived)
 * and what `decide` derives from them. Plain data only, so the CLI, the extension host, the webview and
 * the tests all read the same shapes. docs/decisions.md explains the rules to users.
 */
import type { PairVia } from '../types.js';

export type FileVerdict = 'keep' | 'remove';
/** Who decided a file: the keep policy, a person, or a --protect glob. */
export type DecidedBy = 'auto' | 'review' | 'protect';
/** A pair review, from a's side: keep-a removes b in favour of a; keep-both removes neither because of the other. */
export type ReviewDecision = 'keep-a' | 'keep-b' | 'keep-both';
/** What a reviewer sees on a pair row: left = a, right = b. */
export type PairVerdict = 'keep-left' | 'keep-right' | 'keep-both' | 'not-duplicate' | 'undecided';
/** `all`: automatic removals enter `remove` (the CLI's default); `reviewed`: only a person's removals do. */
export type RemoveMode = 'all' | 'reviewed';

export interface PairReview {
  readonly a: string;
  readonly b: string;
  readonly decision: ReviewDecision;
}

/** An absolute verdict on one file (bulk actions, and hand edits of the manifest's `remove` list). */
export interface FileDecisionFact {
  readonly path: string;
  readonly decision: FileVerdict;
}

/** Everything people decided. Pairs are stored with a < b (comparePaths). */
export interface Facts {
  readonly reviews: readonly PairReview[];
  readonly notDuplicates: readonly (readonly [string, string])[];
  readonly fileDecisions: readonly FileDecisionFact[];
}

export const NO_FACTS: Facts = { reviews: [], notDuplicates: [], fileDecisions: [] };

/** One file as the keep policy and the rules see it. */
export interface DecideFile {
  readonly path: string;
  readonly size: number;
  readonly width: number;
  readonly height: number;
  readonly mtimeMs?: number;
  readonly kind?: 'image' | 'video';
  readonly durationSec?: number;
  /** Real format from the file's first bytes or, failing that, its extension: jpeg, png, webp, tiff, ... */
  readonly format?: string;
  /** Estimated JPEG quality (1-100) from the file's quantisation tables; JPEG files only. */
  readonly jpegQuality?: number;
  /** A lossless file whose pixels carry a JPEG's 8x8 block grid: a re-encode of a JPEG, not an original. */
  readonly reencoded?: boolean;
  /** Width x height of the picture without uniform borders (a padded copy is not a larger original). */
  readonly contentWidth?: number;
  readonly contentHeight?: number;
  readonly sha256?: string;
  /** The --protect glob the file matched: never removed. */
  readonly protectedBy?: string;
  /** Files named by facts but absent from the scan (an offline folder, a deleted file): their decisions are kept. */
  readonly orphaned?: boolean;
  /** Files of different groups were compared separately (--group-by); a cluster across groups is doubtful. */
  readonly group?: string;
  /** The dataset split the file belongs to (--splits): with DecideInput.dropOrder, leaks drop by split. */
  readonly split?: string;
}

/** A pair the scan measured. Any measured pair is a duplicate (below threshold, or a near-flat colour match). */
export interface DecideEdge {
  readonly a: string;
  readonly b: string;
  readonly distance: number;
  readonly hasher?: string;
  readonly via?: PairVia;
}

/** Exact distance of two files from their hashes (min over hashers and isometric variants), and whether any hasher matched. */
export type DistanceFn = (a: string, b: string) => { readonly distance: number; readonly match: boolean } | null;

export interface DecideInput {
  readonly files: readonly DecideFile[];
  readonly edges: readonly DecideEdge[];
  /**
   * Groups of files whose hashes are equal for every hasher (distance 0): the pairs inside a group are
   * implied, not listed in `edges`, and an edge to one member stands for every member.
   */
  readonly identical?: readonly (readonly string[])[];
  readonly facts: Facts;
  /** Ordered keep criteria (keepPolicy.ts); default DEFAULT_KEEP_POLICY. */
  readonly policy?: readonly string[];
  /** Clusters without chaining: every member directly within threshold of the kept file. */
  readonly strict?: boolean;
  readonly removeMode?: RemoveMode;
  readonly distance?: DistanceFn;
  /**
   * Leakage (--splits, --drop-from): the splits in the order their files are dropped, first = the one
   * leaks are dropped from (the training split by default), last = the one kept longest. A file of an
   * earlier split loses to one of a later split before any keep criterion, and a file directly paired
   * with a file of a later split is removed even when it is only chained to the cluster's kept file.
   */
  readonly dropOrder?: readonly string[];
}

export interface FileDecision {
  readonly path: string;
  readonly decision: FileVerdict;
  readonly by: DecidedBy;
  /** One line a person understands: "removed: copy of cats/001.jpg (distance 0.012)". */
  readonly reason: string;
  /** removeMode `reviewed`: what the keep policy proposes but did not apply. */
  readonly suggested?: 'remove';
  readonly conflict?: true;
  readonly orphaned?: true;
  /** Index in Decisions.clusters, when the file is in one. */
  readonly cluster?: number;
}

export interface DecidedMember {
  readonly path: string;
  /** To the kept file; null when not known (linked only through other members, or only by a review). */
  readonly distance: number | null;
  /** Not directly a duplicate of the kept file: linked to it through `via` (the next file towards it, at `viaDistance`). */
  readonly chained?: true;
  readonly via?: string;
  readonly viaDistance?: number | null;
  readonly decision: FileVerdict;
  readonly by: DecidedBy;
  readonly reason: string;
  readonly suggested?: 'remove';
  readonly conflict?: true;
}

export interface DecidedCluster {
  readonly keep: string;
  readonly keepBy: DecidedBy;
  /** The first thing that set the kept file apart from the runner-up: "kept: highest resolution, 1280x853". */
  readonly keepReason: string;
  /** The other files, sorted by path. */
  readonly members: readonly DecidedMember[];
  /** Why a person should look: chains, not-duplicate answers inside, groups compared separately. */
  readonly doubtful: readonly string[];
  /** Decisions that contradict each other here; the files involved are kept until a person chooses. */
  readonly conflicts: readonly string[];
}

export interface DecidedPair {
  readonly a: string;
  readonly b: string;
  readonly verdict: PairVerdict;
  readonly by: 'auto' | 'review';
}

export interface DecisionTotals {
  readonly files: number;
  readonly clusters: number;
  readonly remove: number;
  readonly removeReviewed: number;
  readonly removeAuto: number;
  /** removeMode `reviewed`: automatic removals proposed but not applied. */
  readonly suggested: number;
  readonly doubtful: number;
  readonly conflicts: number;
  readonly orphaned: number;
}

export interface Decisions {
  /** Every file that is in a cluster, has a review verdict or is orphaned, sorted by path. Others are kept (not duplicates). */
  readonly files: readonly FileDecision[];
  readonly clusters: readonly DecidedCluster[];
  /** The verdict of every measured, reviewed or not-duplicate pair, sorted by (a, b). */
  readonly pairs: readonly DecidedPair[];
  /** Sorted; exactly the files whose decision is remove. */
  readonly remove: readonly string[];
  /** Paths named by facts but absent from the scan, sorted. */
  readonly orphaned: readonly string[];
  readonly totals: DecisionTotals;
}
