/**
 * What `decide` (decide.ts) and `decisionsOfClusters` (scanDecisions.ts) derive alike from decided clusters:
 * a member's file decision, every pair's verdict and the totals. One rule each, so a manifest written from a
 * scan's clusters has the very bytes of one that decided again (scanDecisions.test.ts compares them).
 */
import { comparePaths } from '../files/paths.js';
import type { DecidedCluster, DecidedMember, DecidedPair, DecisionTotals, FileDecision, ReviewDecision } from './types.js';
import { pairVerdictOf } from './verdict.js';

/** A cluster member's entry in `files` (the field order the manifest writes). */
export function memberDecision(m: DecidedMember, cluster: number): FileDecision {
  return {
    path: m.path,
    decision: m.decision,
    by: m.by,
    reason: m.reason,
    ...(m.suggested ? { suggested: m.suggested } : {}),
    ...(m.conflict ? { conflict: true as const } : {}),
    cluster,
  };
}

/** Reviews and not-duplicate marks by pair key (verdict.ts pairKey); none for a scan's own decisions. */
export interface PairFacts {
  review(key: string): ReviewDecision | undefined;
  notDuplicate(key: string): boolean;
}

/**
 * Every pair's verdict, sorted by path: `pairs` distinct, keyed by pairKey, each (a, b) in path order;
 * `decisionOf` a file's entry in `files`. A file removed, or proposed for removal, leaves its partner kept.
 */
export function pairVerdicts(
  pairs: Iterable<readonly [key: string, pair: { readonly a: string; readonly b: string }]>,
  decisionOf: (path: string) => FileDecision | undefined,
  facts?: PairFacts,
): DecidedPair[] {
  const removedOrProposed = (p: string): boolean => {
    const d = decisionOf(p);
    return d !== undefined && (d.decision === 'remove' || d.suggested === 'remove');
  };
  return [...pairs]
    .map(([k, { a, b }]): DecidedPair => {
      const ca = decisionOf(a)?.cluster;
      const v = pairVerdictOf({
        review: facts?.review(k),
        notDuplicate: facts?.notDuplicate(k) ?? false,
        leftRemoved: removedOrProposed(a),
        rightRemoved: removedOrProposed(b),
        sameCluster: ca !== undefined && ca === decisionOf(b)?.cluster,
      });
      return { a, b, ...v };
    })
    .sort((x, y) => comparePaths(x.a, y.a) || comparePaths(x.b, y.b));
}

/** The totals of `Decisions` from its counts (removeAuto and doubtful follow from them and the clusters). */
export function decisionTotals(
  files: number,
  clusters: readonly DecidedCluster[],
  n: { remove: number; removeReviewed: number; suggested: number; conflicts: number; orphaned: number },
): DecisionTotals {
  return {
    files,
    clusters: clusters.length,
    remove: n.remove,
    removeReviewed: n.removeReviewed,
    removeAuto: n.remove - n.removeReviewed,
    suggested: n.suggested,
    doubtful: clusters.filter((c) => c.doubtful.length > 0).length,
    conflicts: n.conflicts,
    orphaned: n.orphaned,
  };
}
