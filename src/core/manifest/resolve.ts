import { buildClusters, pairKey, type ClusterEdge, type KeepInfo, type Override } from '../cluster/index.js';
import { comparePaths } from '../files/paths.js';
import type { Manifest, ManifestCluster, ManifestReview } from './types.js';

/**
 * Per-file decisions implied by pair reviews. When reviews disagree about a file (removed in favour of
 * one file, kept against another), keeping wins: the tool never removes a file a person chose to keep.
 */
export function overridesFromReviews(reviews: readonly ManifestReview[]): Map<string, Override> {
  const out = new Map<string, Override>();
  const set = (p: string, o: Override): void => {
    if (out.get(p) !== 'keep') out.set(p, o);
  };
  for (const r of reviews) {
    if (r.decision === 'keep-a') {
      set(r.a, 'keep');
      set(r.b, 'remove');
    } else if (r.decision === 'keep-b') {
      set(r.b, 'keep');
      set(r.a, 'remove');
    } else {
      set(r.a, 'keep');
      set(r.b, 'keep');
    }
  }
  return out;
}

/**
 * Recomputes what follows from a manifest's facts (pairs, files, reviews, notDuplicates, settings):
 * its clusters, its `remove` list and its summary. buildManifest and applyReview both end here, so a
 * decision made in the gallery and the same decision carried over by a re-scan give the same file.
 */
export function resolveManifest(m: Manifest): Manifest {
  const present = new Set(m.files.map((f) => f.path));
  const files = new Map<string, KeepInfo>(
    m.files.map((f) => [
      f.path,
      {
        width: f.width,
        height: f.height,
        size: f.size,
        ...(f.durationSec !== undefined ? { durationSec: f.durationSec } : {}),
        protected: f.protected === true,
      },
    ]),
  );
  const edges: ClusterEdge[] = m.pairs.map((p) => ({ a: p.a, b: p.b, distance: p.distance }));
  // A reviewed pair stays linked even when a re-scan (say, with a lower threshold) no longer finds it:
  // the person's "b is a copy of a" is the stronger evidence.
  const measured = new Set(m.pairs.map((p) => pairKey(p.a, p.b)));
  const reviews = m.reviews.filter((r) => present.has(r.a) && present.has(r.b));
  for (const r of reviews) if (!measured.has(pairKey(r.a, r.b))) edges.push({ a: r.a, b: r.b, distance: null });

  const built = buildClusters({
    files,
    edges,
    notDuplicates: new Set(m.notDuplicates.map(([a, b]) => pairKey(a, b))),
    overrides: overridesFromReviews(reviews),
    strict: m.settings.strict,
  });
  const clusters: ManifestCluster[] = built.map((c) => ({
    keep: c.keep,
    members: c.members.map((x) => ({ path: x.path, distance: x.distance, ...(x.chained ? { chained: true as const } : {}), decision: x.decision, by: x.by })),
  }));
  const remove = clusters.flatMap((c) => c.members.filter((x) => x.decision === 'remove').map((x) => x.path)).sort(comparePaths);
  return {
    ...m,
    clusters,
    remove,
    summary: { files: m.summary.files, pairs: m.pairs.length, clusters: clusters.length, remove: remove.length, skipped: m.skipped.length },
  };
}
