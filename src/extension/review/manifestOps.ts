/**
 * The one place the extension reaches into the engine's manifest module, so the panel and the session
 * only see `ManifestOps` with scan-relative paths. The manifest itself stores paths relative to its own
 * folder; this maps both ways.
 */
import { dirname, posix } from 'node:path';
import {
  applyReview,
  buildManifest,
  canonicalize,
  manifestPathMapper,
  pairStatus,
  readManifest,
  resolveManifest,
  writeManifest,
  type Manifest,
  type ReviewAction,
} from '../../core/manifest/index.js';
import type { Cluster } from '../../core/types.js';
import type { ManifestOps } from './session.js';

export type { Manifest };

export function manifestOps(root: string, manifestPath: string): ManifestOps<Manifest> {
  const manifestDir = dirname(manifestPath);
  const { root: rel, map } = manifestPathMapper(root, manifestDir);
  const unmap = rel === '.' ? (p: string) => p : (p: string) => posix.relative(rel, p);
  return {
    build: (result, previous) => buildManifest(result, previous ?? null, { manifestDir }),
    read: async (path) => (await readManifest(path)) ?? undefined,
    write: async (path, m) => {
      await writeManifest(path, m);
    },
    applyAll: (m, edits) =>
      applyAllReviews(
        m,
        edits.map((e) => ({ ...e, a: map(e.a), b: map(e.b) })),
      ),
    status: (m, a, b) => pairStatus(m, map(a), map(b)),
    removed: (m) => m.remove.map(unmap),
    clusters: (m): Cluster[] =>
      m.clusters.map((c) => ({
        keep: unmap(c.keep),
        members: c.members.map((x) => ({ path: unmap(x.path), distance: x.distance ?? Number.NaN, decision: x.decision, by: x.by })),
      })),
  };
}

/**
 * The same manifest as calling applyReview once per edit, re-resolved once: applyReview's own edit of
 * the decision lists runs on a copy without pairs or files (so it costs nothing), then the real manifest
 * takes those lists and is resolved and canonicalised a single time. A unit test checks the equivalence.
 */
export function applyAllReviews(m: Manifest, edits: readonly { a: string; b: string; action: ReviewAction }[]): Manifest {
  if (edits.length === 1) return applyReview(m, edits[0]!.a, edits[0]!.b, edits[0]!.action);
  let lists: Manifest = { ...m, pairs: [], clusters: [], files: [], remove: [] };
  for (const e of edits) lists = applyReview(lists, e.a, e.b, e.action);
  return canonicalize(resolveManifest({ ...m, reviews: lists.reviews, notDuplicates: lists.notDuplicates }));
}
