/**
 * What a manifest on disk says about each pair and file, computed from the manifest alone (its reviews,
 * notDuplicates, clusters and remove list): the mapping the gallery's data-* attributes and every check
 * of them use, so "what the gallery shows" and "what the file says" are one rule (decisions/verdict.ts).
 */
import { pairKey, pairVerdictOf, reviewFromSide } from '../decisions/verdict.js';
import type { FileVerdict, PairVerdict } from '../decisions/types.js';
import type { Manifest } from './types.js';

export interface ManifestReader {
  /** keep | remove: remove iff the path is in the manifest's `remove`. */
  decision(path: string): FileVerdict;
  /** The pair's own verdict, with a the left file and b the right one. */
  verdict(a: string, b: string): { verdict: PairVerdict; by: 'auto' | 'review' };
}

/** Indexes a manifest once, for many lookups. */
export function manifestReader(m: Pick<Manifest, 'remove' | 'reviews' | 'notDuplicates' | 'clusters'>): ManifestReader {
  const removed = new Set(m.remove);
  const suggested = new Set<string>();
  const clusterOf = new Map<string, number>();
  m.clusters.forEach((c, i) => {
    clusterOf.set(c.keep, i);
    for (const x of c.members) {
      clusterOf.set(x.path, i);
      if ((x as { suggested?: string }).suggested === 'remove') suggested.add(x.path);
    }
  });
  const reviews = new Map(m.reviews.map((r) => [pairKey(r.a, r.b), r]));
  const notDup = new Set(m.notDuplicates.map(([a, b]) => pairKey(a, b)));
  return {
    decision: (p) => (removed.has(p) ? 'remove' : 'keep'),
    verdict(a, b) {
      const k = pairKey(a, b);
      const r = reviews.get(k);
      const ca = clusterOf.get(a);
      return pairVerdictOf({
        ...(r ? { review: reviewFromSide(r.decision, r.a !== a) } : {}),
        notDuplicate: notDup.has(k),
        leftRemoved: removed.has(a) || suggested.has(a),
        rightRemoved: removed.has(b) || suggested.has(b),
        sameCluster: ca !== undefined && ca === clusterOf.get(b),
      });
    },
  };
}

/** The verdict of the pair (a = left, b = right) as the manifest says it. */
export function pairVerdictFromManifest(
  m: Pick<Manifest, 'remove' | 'reviews' | 'notDuplicates' | 'clusters'>,
  a: string,
  b: string,
): { verdict: PairVerdict; by: 'auto' | 'review' } {
  return manifestReader(m).verdict(a, b);
}
