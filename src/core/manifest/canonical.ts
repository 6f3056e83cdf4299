import { comparePairs, comparePaths } from '../files/paths.js';
import type { Manifest, ManifestCluster, ManifestFile, ManifestHasher, ManifestMember, ManifestPair, ManifestReview, ManifestSkipped } from './types.js';

/**
 * Rebuilds a manifest with every object's keys in one fixed order and every list sorted, whatever
 * order it was read or assembled in. Serialising the result is what makes unchanged data give a
 * byte-identical file (JSON.stringify follows insertion order).
 */
export function canonicalize(m: Manifest): Manifest {
  return {
    version: m.version,
    generator: { name: m.generator.name, version: m.generator.version },
    root: m.root,
    settings: {
      hashers: m.settings.hashers.map(canonHasher),
      isometric: m.settings.isometric,
      groupBy: m.settings.groupBy,
      strict: m.settings.strict,
      protect: [...m.settings.protect],
      include: [...m.settings.include],
      exclude: [...m.settings.exclude],
      ...(m.settings.videos === false ? { videos: false as const } : {}),
      ...(m.settings.colorCheck === false ? { colorCheck: false as const } : {}),
    },
    summary: {
      files: m.summary.files,
      pairs: m.summary.pairs,
      clusters: m.summary.clusters,
      remove: m.summary.remove,
      skipped: m.summary.skipped,
    },
    clusters: m.clusters.map(canonCluster).sort((x, y) => comparePaths(x.keep, y.keep)),
    notDuplicates: m.notDuplicates
      .map(([a, b]) => (comparePaths(a, b) <= 0 ? ([a, b] as const) : ([b, a] as const)))
      .sort((x, y) => comparePaths(x[0], y[0]) || comparePaths(x[1], y[1])),
    reviews: m.reviews.map((r): ManifestReview => ({ a: r.a, b: r.b, decision: r.decision })).sort(comparePairs),
    remove: [...m.remove].sort(comparePaths),
    skipped: m.skipped
      .map((s): ManifestSkipped => ({ path: s.path, code: s.code, message: s.message }))
      .sort((x, y) => comparePaths(x.path, y.path) || comparePaths(x.code, y.code)),
    files: m.files.map(canonFile).sort((x, y) => comparePaths(x.path, y.path)),
    pairs: m.pairs.map(canonPair).sort(comparePairs),
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
  return { keep: c.keep, members: c.members.map(canonMember).sort((x, y) => comparePaths(x.path, y.path)) };
}

function canonMember(m: ManifestMember): ManifestMember {
  return { path: m.path, distance: m.distance, ...(m.chained ? { chained: true as const } : {}), decision: m.decision, by: m.by };
}

function canonFile(f: ManifestFile): ManifestFile {
  return {
    path: f.path,
    size: f.size,
    sha256: f.sha256,
    width: f.width,
    height: f.height,
    ...(f.kind === 'video' ? { kind: 'video' as const, ...(f.durationSec !== undefined ? { durationSec: f.durationSec } : {}) } : {}),
    ...(f.protected ? { protected: true as const } : {}),
  };
}

function canonPair(p: ManifestPair): ManifestPair {
  return {
    a: p.a,
    b: p.b,
    distance: p.distance,
    hasher: p.hasher,
    ...(p.transform !== undefined ? { transform: p.transform } : {}),
    ...(p.via === 'flat' ? { via: 'flat' as const } : {}),
  };
}

/** The exact bytes written to disk: 2-space JSON with a trailing newline. */
export function serializeManifest(m: Manifest): string {
  return JSON.stringify(canonicalize(m), null, 2) + '\n';
}
