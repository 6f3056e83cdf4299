/**
 * The one place the extension reaches into the engine's manifest module, so the panel and the session
 * only see `ManifestOps` and `ReviewState` with scan-relative paths. The manifest itself stores paths
 * relative to its own folder; this maps both ways. Every write goes through the engine's commitManifest
 * (lock, re-read, merge, atomic write, history), the same path as the CLI's, and every verdict shown is
 * read from the manifest with the engine's manifestReader (pairVerdictFromManifest).
 */
import { dirname, posix } from 'node:path';
import {
  acceptClusterChanges,
  clusterNotDuplicatesChanges,
  keepThisChanges,
  resolveConflictChanges,
  splitOutChanges,
  type FactChange,
} from '../../core/decisions/facts.js';
import { NO_FACTS, type Decisions, type Facts, type RemoveMode } from '../../core/decisions/types.js';
import {
  assembleManifest,
  commitManifest,
  DEFAULT_DECISION_SETTINGS,
  loadDecisions,
  manifestPathMapper,
  manifestReader,
  measureScan,
  redoDecision,
  reviewActionChanges,
  undoDecision,
  type HistoryState,
  type Manifest,
  type ManifestCluster,
} from '../../core/manifest/index.js';
import { dropOrderFor, leakCounts } from '../../core/manifest/leaks.js';
import type { ClusterConflictOf, DecidedBy, LeakCountsView } from '../../shared/protocol.js';
import type { ManifestOps, ReviewEdit, ReviewState, StateCluster } from './session.js';
import { counted } from '../../shared/counted.js';

export type { Manifest };

/** The decision settings the extension sets; each one absent leaves the manifest's own (config.ts decisionSettings). */
export interface ExtensionDecisionSettings {
  readonly remove?: RemoveMode;
  readonly keepPolicy?: readonly string[];
}

/**
 * `settings`: the extension's remove mode and keep policy, read at each write (absent: not chosen, the
 * manifest's own setting stays, which is the CLI's default for a new one).
 */
export function manifestOps(root: string, manifestPath: string, settings: () => ExtensionDecisionSettings = () => ({})): ManifestOps {
  const manifestDir = dirname(manifestPath);
  const { root: rel, map } = manifestPathMapper(root, manifestDir);
  const unmap = rel === '.' ? (p: string) => p : (p: string) => posix.relative(rel, p);
  /** The decisions last shown: bulk actions name clusters by their index in it. */
  let last: Decisions | undefined;
  /** The facts last read (manifest paths): a conflict's answer turns around the reviews it names. */
  let lastFacts: Facts = NO_FACTS;
  const toState = (r: { manifest: Manifest; decisions: Decisions; contentHash: string; history: HistoryState }): ReviewState => {
    last = r.decisions;
    lastFacts = { reviews: r.manifest.reviews, notDuplicates: r.manifest.notDuplicates, fileDecisions: r.manifest.fileDecisions };
    return reviewState(r.manifest, r.contentHash, r.history, map, unmap);
  };
  const changesOf = (e: ReviewEdit): FactChange[] => {
    if (e.kind === 'pair') return reviewActionChanges(map(e.a), map(e.b), e.action);
    const d = last;
    if (!d) throw new Error('the clusters are not known yet');
    if (e.kind === 'accept') return e.clusters.flatMap((c) => acceptClusterChanges(d, c));
    switch (e.action) {
      case 'keep-this':
        return keepThisChanges(d, e.cluster, map(e.path ?? ''));
      case 'split-out':
        return splitOutChanges(d, e.cluster, map(e.path ?? ''));
      case 'accept':
        return acceptClusterChanges(d, e.cluster);
      case 'not-duplicates':
        return clusterNotDuplicatesChanges(d, e.cluster);
      case 'resolve':
        return resolveConflictChanges(lastFacts, map(e.path ?? ''));
    }
  };
  return {
    load: async (result) => {
      const l = await loadDecisions(manifestPath, result);
      return l ? toState(l) : undefined;
    },
    preview: (result) =>
      toState({
        ...assembleManifest(measureScan(result, manifestDir), NO_FACTS, { ...DEFAULT_DECISION_SETTINGS, ...settings() }),
        contentHash: '',
        history: { canUndo: false, canRedo: false },
      }),
    commit: async (result, edits, fresh) =>
      toState(
        await commitManifest(manifestPath, {
          ...(fresh ? { scan: result } : { snapshot: result }),
          changes: edits.flatMap(changesOf),
          label: editsLabel(edits),
          purpose: 'the gallery',
          settings: settings(),
        }),
      ),
    step: async (result, direction) =>
      toState(await (direction === 'undo' ? undoDecision : redoDecision)(manifestPath, { snapshot: result, purpose: 'the gallery' })),
  };
}

/** What a manifest says, in scan-relative paths (see ReviewState). Pure. */
export function reviewState(m: Manifest, contentHash: string, history: HistoryState, map: (p: string) => string, unmap: (p: string) => string): ReviewState {
  const removed = new Set(m.remove);
  const reader = manifestReader(m);
  const info = new Map<string, { by: DecidedBy; reason?: string; suggested?: true; conflict?: true }>();
  for (const f of m.files) if (f.protected) info.set(f.path, { by: 'protect', reason: 'kept: protected' });
  const clusters: StateCluster[] = m.clusters.map((c) => {
    // decide's reasons name files by the manifest's paths: said with the scan's, as the gallery names them.
    const said = scanPathsIn(c, unmap);
    info.set(c.keep, { by: c.keepBy ?? 'auto', reason: said(c.keepReason), ...(keepInConflict(c) ? { conflict: true as const } : {}) });
    for (const x of c.members)
      info.set(x.path, {
        by: x.by,
        reason: said(x.reason),
        ...(x.suggested ? { suggested: true as const } : {}),
        ...(x.conflict ? { conflict: true as const } : {}),
      });
    return {
      keep: unmap(c.keep),
      keepBy: c.keepBy ?? 'auto',
      keepReason: said(c.keepReason),
      doubtful: (c.doubtful ?? []).map(said),
      conflicts: conflictGroups(c, unmap, said),
      members: c.members.map((x) => ({
        file: unmap(x.path),
        distance: x.distance,
        decision: removed.has(x.path) ? ('remove' as const) : ('keep' as const),
        by: x.by,
        reason: said(x.reason),
        ...(x.suggested ? { suggested: true as const } : {}),
        ...(x.chained ? { chained: true as const } : {}),
        ...(x.conflict ? { conflict: true as const } : {}),
      })),
    };
  });
  const s = m.summary;
  const records = new Map(m.files.map((f) => [f.path, f]));
  return {
    contentHash,
    removeMode: m.settings.remove,
    remove: m.remove.map(unmap),
    removedFiles: m.remove.map((p) => {
      const f = records.get(p);
      return { path: unmap(p), ...(f ? { size: f.size, sha256: f.sha256 } : {}), ...(f?.protected ? { protected: true } : {}) };
    }),
    file(path) {
      const p = map(path);
      const i = info.get(p);
      const decision = removed.has(p) ? 'remove' : 'keep';
      // A removal outside any cluster (an orphaned file's review, a hand edit) was made by a person.
      return {
        decision,
        by: i?.by ?? (decision === 'remove' ? 'review' : 'auto'),
        ...(i?.reason ? { reason: i.reason } : {}),
        ...(i?.suggested ? { suggested: true } : {}),
        ...(i?.conflict ? { conflict: true } : {}),
      };
    },
    verdict: (a, b) => reader.verdict(map(a), map(b)),
    clusters,
    totals: {
      remove: s.remove,
      removeReviewed: s.removeReviewed,
      removeAuto: s.removeAuto,
      suggested: clusters.reduce((n, c) => n + c.members.filter((x) => x.suggested).length, 0),
      clusters: s.clusters,
      doubtful: s.doubtful,
      conflicts: s.conflicts,
      orphaned: s.orphaned,
    },
    history,
    ...(m.leaks ? { leaks: leakCountsOf(m) } : {}),
  };
}

/**
 * A cluster's contradictions, each once with the files it keeps (scan-relative), from the cluster's own
 * records: a member decide marked `conflict`, and the kept file when its reason is one of the cluster's
 * conflict lines. decide writes one "path: reason" line per file, with the manifest's paths; taking
 * those apart by the scan's paths fails as soon as the manifest is not in the scanned folder. A line
 * neither record accounts for is kept as it is, with no files.
 */
export function conflictGroups(c: ManifestCluster, unmap: (p: string) => string, said = scanPathsIn(c, unmap)): ClusterConflictOf<string>[] {
  const lines = new Set(c.conflicts ?? []);
  const named = [...(keepInConflict(c) ? [{ path: c.keep, reason: c.keepReason }] : []), ...c.members.filter((m) => m.conflict)];
  const byReason = new Map<string, string[]>();
  for (const m of named) {
    lines.delete(`${m.path}: ${m.reason}`);
    const reason = said(m.reason.replace(/^conflict: /, ''));
    byReason.set(reason, [...(byReason.get(reason) ?? []), unmap(m.path)]);
  }
  // A line no record accounts for (an older manifest, a hand edit) is still shown, as it is written: the
  // header counts it, so Clusters must not drop it.
  return [...[...byReason].map(([reason, files]) => ({ reason, files })), ...[...lines].map((reason) => ({ reason: said(reason), files: [] }))];
}

/** Whether the cluster's kept file is one of its conflicts: decide then writes its "path: reason" line. */
function keepInConflict(c: Pick<ManifestCluster, 'keep' | 'keepReason' | 'conflicts'>): boolean {
  return (c.conflicts ?? []).includes(`${c.keep}: ${c.keepReason}`);
}

/**
 * A text decide wrote about cluster `c` ("conflict: reviews form a cycle (keep photos/a.jpg over …)"),
 * with each of the cluster's files named by the scan's path instead of the manifest's (they differ when
 * the manifest is not in the scanned folder: "a.jpg"). A path is replaced only where it stands alone
 * (between the text's start or end, spaces, brackets, commas, semicolons or colons), longest first, so
 * "a.jpg" inside "aa.jpg" or "x/a.jpg" is left as it is.
 */
export function scanPathsIn(c: Pick<ManifestCluster, 'keep' | 'members'>, unmap: (p: string) => string): (text: string) => string {
  const paths = [c.keep, ...c.members.map((m) => m.path)].filter((p) => unmap(p) !== p).sort((a, b) => b.length - a.length);
  if (paths.length === 0) return (text) => text;
  const escaped = paths.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const re = new RegExp(`(?<=^|[\\s(,;:])(?:${escaped.join('|')})(?=$|[\\s),;:])`, 'g');
  return (text) => text.replace(re, (p) => unmap(p));
}

/** The manifest's leaks per split pair, in its drop order (the split pairs labelled as `check --splits` labels them). */
function leakCountsOf(m: Manifest): LeakCountsView {
  const leaks = m.leaks ?? [];
  const splits = m.settings.splits ?? [];
  const order = splits.length > 0 ? dropOrderFor(splits, m.settings.dropFrom) : [];
  return {
    counts: leakCounts(leaks, order),
    total: leaks.length,
    unresolved: leaks.filter((l) => !l.resolved).length,
    dropFrom: order[0] ?? '',
    outsideSplits: m.outsideSplits?.length ?? 0,
  };
}

/** The history's name for a batch of gallery decisions: "keep-a: a.jpg | b.jpg" (and how many more). */
function editsLabel(edits: readonly ReviewEdit[]): string {
  if (edits.length === 0) return 'decision';
  const e = edits[edits.length - 1]!;
  const one =
    e.kind === 'pair'
      ? `${e.action}: ${e.a} | ${e.b}`
      : e.kind === 'accept'
        ? `accept the automatic decisions of ${counted(e.clusters.length, 'cluster')}`
        : `${e.action} (cluster ${e.cluster + 1})${e.path ? `: ${e.path}` : ''}`;
  return `${one}${edits.length > 1 ? ` (and ${edits.length - 1} more)` : ''}`;
}
