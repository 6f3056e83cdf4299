import { comparePairs, comparePaths } from '../files/paths.js';
import { PAIR_VIAS } from '../types.js';
import type { Manifest, ManifestCluster, ManifestFile, ManifestHasher, ManifestMember, ManifestPair, ManifestReview, ManifestSkipped } from './types.js';

/**
 * Rebuilds a manifest with every object's keys in one fixed order and every list sorted, whatever
 * order it was read or assembled in. Serialising the result is what makes unchanged data give a
 * byte-identical file (JSON.stringify follows insertion order).
 */
export function canonicalize(m: Manifest): Manifest {
  if (canonical.has(m)) return m;
  const out = canonicalOf(m);
  canonical.add(out);
  return out;
}

/**
 * Manifests canonicalize built (never changed after: Manifest is read-only throughout): canonicalising one
 * again gives it back, so writing the manifest a scan assembled canonicalises it once, not twice.
 */
const canonical = new WeakSet<Manifest>();

function canonicalOf(m: Manifest): Manifest {
  const s = m.settings;
  const u = m.summary;
  return {
    version: m.version,
    generator: { name: m.generator.name, version: m.generator.version },
    root: m.root,
    settings: {
      hashers: s.hashers.map(canonHasher),
      isometric: s.isometric,
      groupBy: s.groupBy,
      strict: s.strict,
      protect: [...s.protect],
      include: [...s.include],
      exclude: [...s.exclude],
      ...(s.videos === false ? { videos: false as const } : {}),
      ...(s.colorCheck !== undefined ? { colorCheck: s.colorCheck } : {}),
      ...(s.cropResistant === true ? { cropResistant: true as const } : {}),
      remove: s.remove,
      ...(s.keepPolicy ? { keepPolicy: [...s.keepPolicy] } : {}),
      ...(s.splits ? { splits: s.splits.map((r) => ({ name: r.name, glob: r.glob })) } : {}),
      ...(s.dropFrom !== undefined ? { dropFrom: s.dropFrom } : {}),
    },
    summary: {
      files: u.files,
      pairs: u.pairs,
      ...(u.pairsOmitted ? { pairsOmitted: true as const } : {}),
      clusters: u.clusters,
      remove: u.remove,
      removeReviewed: u.removeReviewed,
      removeAuto: u.removeAuto,
      doubtful: u.doubtful,
      conflicts: u.conflicts,
      orphaned: u.orphaned,
      skipped: u.skipped,
      ...(u.leaks !== undefined ? { leaks: u.leaks, leaksUnresolved: u.leaksUnresolved ?? 0 } : {}),
      scanHash: u.scanHash,
    },
    clusters: m.clusters.map(canonCluster).sort((x, y) => comparePaths(x.keep, y.keep)),
    notDuplicates: m.notDuplicates
      .map(([a, b]) => (comparePaths(a, b) <= 0 ? ([a, b] as const) : ([b, a] as const)))
      .sort((x, y) => comparePaths(x[0], y[0]) || comparePaths(x[1], y[1])),
    reviews: m.reviews.map((r): ManifestReview => ({ a: r.a, b: r.b, decision: r.decision })).sort(comparePairs),
    fileDecisions: m.fileDecisions.map((d) => ({ path: d.path, decision: d.decision })).sort((x, y) => comparePaths(x.path, y.path)),
    remove: [...m.remove].sort(comparePaths),
    orphaned: [...m.orphaned].sort(comparePaths),
    skipped: m.skipped
      .map((x): ManifestSkipped => ({ path: x.path, code: x.code, message: x.message }))
      .sort((x, y) => comparePaths(x.path, y.path) || comparePaths(x.code, y.code)),
    files: m.files.map(canonFile).sort((x, y) => comparePaths(x.path, y.path)),
    ...(m.identical && m.identical.length > 0
      ? { identical: m.identical.map((g) => [...g].sort(comparePaths)).sort((x, y) => comparePaths(x[0] ?? '', y[0] ?? '')) }
      : {}),
    ...(m.pairs ? { pairs: m.pairs.map(canonPair).sort(comparePairs) } : {}),
    ...(m.leaks
      ? {
          leaks: m.leaks
            .map((l) => ({ a: l.a, b: l.b, splitA: l.splitA, splitB: l.splitB, distance: l.distance, drop: l.drop, resolved: l.resolved }))
            .sort(comparePairs),
        }
      : {}),
    ...(m.outsideSplits ? { outsideSplits: [...m.outsideSplits].sort(comparePaths) } : {}),
  };
}

function canonHasher(h: ManifestHasher): ManifestHasher {
  let params: Record<string, number | boolean> | undefined;
  if (h.params && Object.keys(h.params).length > 0) {
    params = {};
    for (const k of Object.keys(h.params).sort(comparePaths)) params[k] = h.params[k];
  }
  return { name: h.name, ...(h.hashSize !== undefined ? { hashSize: h.hashSize } : {}), threshold: h.threshold, ...(params ? { params } : {}) };
}

function canonCluster(c: ManifestCluster): ManifestCluster {
  return {
    keep: c.keep,
    keepReason: c.keepReason,
    ...(c.keepBy ? { keepBy: c.keepBy } : {}),
    ...(c.doubtful && c.doubtful.length > 0 ? { doubtful: [...c.doubtful] } : {}),
    ...(c.conflicts && c.conflicts.length > 0 ? { conflicts: [...c.conflicts] } : {}),
    members: c.members.map(canonMember).sort((x, y) => comparePaths(x.path, y.path)),
  };
}

function canonMember(m: ManifestMember): ManifestMember {
  return {
    path: m.path,
    distance: m.distance,
    ...(m.chained
      ? { chained: true as const, ...(m.via !== undefined ? { via: m.via } : {}), ...(m.viaDistance !== undefined ? { viaDistance: m.viaDistance } : {}) }
      : {}),
    decision: m.decision,
    by: m.by,
    reason: m.reason,
    ...(m.suggested ? { suggested: m.suggested } : {}),
    ...(m.conflict ? { conflict: true as const } : {}),
  };
}

function canonFile(f: ManifestFile): ManifestFile {
  return {
    path: f.path,
    size: f.size,
    sha256: f.sha256,
    width: f.width,
    height: f.height,
    ...(f.kind === 'video' ? { kind: 'video' as const, ...(f.durationSec !== undefined ? { durationSec: f.durationSec } : {}) } : {}),
    ...(f.format !== undefined ? { format: f.format } : {}),
    ...(f.jpegQuality !== undefined ? { jpegQuality: f.jpegQuality } : {}),
    ...(f.reencoded ? { reencoded: true as const } : {}),
    ...(f.contentWidth !== undefined && f.contentHeight !== undefined ? { contentWidth: f.contentWidth, contentHeight: f.contentHeight } : {}),
    ...(f.mtimeMs !== undefined ? { mtimeMs: f.mtimeMs } : {}),
    ...(f.protected ? { protected: true as const } : {}),
    ...(f.split !== undefined ? { split: f.split } : {}),
    ...(f.orphaned ? { orphaned: true as const } : {}),
  };
}

function canonPair(p: ManifestPair): ManifestPair {
  return {
    a: p.a,
    b: p.b,
    distance: p.distance,
    hasher: p.hasher,
    ...(p.transform !== undefined ? { transform: p.transform } : {}),
    ...(p.via !== undefined && PAIR_VIAS.includes(p.via) ? { via: p.via } : {}),
  };
}

/** The exact bytes written to disk: 2-space JSON with a trailing newline. */
export function serializeManifest(m: Manifest): string {
  return JSON.stringify(canonicalize(m), null, 2) + '\n';
}
