/**
 * The one place the extension reaches into the engine's manifest module, so the panel and the session
 * only see `ManifestOps` with scan-relative paths. The manifest itself stores paths relative to its own
 * folder; this maps both ways. Every write goes through the engine's commitManifest (lock, re-read,
 * merge, atomic write), the same path as the CLI's.
 */
import { dirname, posix } from 'node:path';
import { NO_FACTS } from '../../core/decisions/types.js';
import {
  buildManifest,
  commitManifest,
  historyState,
  loadDecisions,
  manifestPathMapper,
  pairStatus,
  redoDecision,
  reviewActionChanges,
  undoDecision,
  type Manifest,
} from '../../core/manifest/index.js';
import type { Cluster } from '../../core/types.js';
import type { ManifestOps, ReviewEdit } from './session.js';

export type { Manifest };

export function manifestOps(root: string, manifestPath: string): ManifestOps<Manifest> {
  const manifestDir = dirname(manifestPath);
  const { root: rel, map } = manifestPathMapper(root, manifestDir);
  const unmap = rel === '.' ? (p: string) => p : (p: string) => posix.relative(rel, p);
  return {
    load: async (result) => (await loadDecisions(manifestPath, result))?.manifest,
    preview: (result) => buildManifest(result, NO_FACTS, { manifestDir }),
    commit: async (result, edits, fresh) =>
      (
        await commitManifest(manifestPath, {
          ...(fresh ? { scan: result } : { snapshot: result }),
          changes: edits.flatMap((e) => reviewActionChanges(map(e.a), map(e.b), e.action)),
          label: editsLabel(edits),
          purpose: 'the gallery',
        })
      ).manifest,
    step: async (result, type) => {
      const req = { snapshot: result, purpose: 'the gallery' };
      const r = type === 'undo' ? await undoDecision(manifestPath, req) : await redoDecision(manifestPath, req);
      const label = 'undone' in r ? r.undone : 'redone' in r ? r.redone : undefined;
      const paths = new Set<string>();
      for (const c of r.applied) for (const p of c.key.kind === 'file' ? [c.key.path] : [c.key.a, c.key.b]) paths.add(unmap(p));
      return { manifest: r.manifest, ...(label !== undefined ? { label } : {}), paths: [...paths], skipped: r.skipped, history: r.history };
    },
    history: () => historyState(manifestDir),
    status: (m, a, b) => pairStatus(m, map(a), map(b)),
    removed: (m) => m.remove.map(unmap),
    removedFiles: (m) => {
      const records = new Map(m.files.map((f) => [f.path, f]));
      return m.remove.map((p) => {
        const f = records.get(p);
        return { path: unmap(p), ...(f ? { size: f.size, sha256: f.sha256 } : {}), ...(f?.protected ? { protected: true } : {}) };
      });
    },
    clusters: (m): Cluster[] =>
      m.clusters.map((c) => ({
        keep: unmap(c.keep),
        members: c.members.map((x) => ({ path: unmap(x.path), distance: x.distance, decision: x.decision, by: x.by })),
      })),
  };
}

/** The history's name for a batch of gallery decisions: "keep-a: a.jpg | b.jpg" (and how many more). */
function editsLabel(edits: readonly ReviewEdit[]): string {
  if (edits.length === 0) return 'decision';
  const e = edits[edits.length - 1]!;
  return `${e.action}: ${e.a} | ${e.b}${edits.length > 1 ? ` (and ${edits.length - 1} more)` : ''}`;
}
