/**
 * A folder's last review from its manifest alone: the scan result the manifest describes (its files, pairs,
 * identical groups, clusters, skipped files and settings), so a folder scanned before (by the CLI, on
 * another machine, or before the extension's own copy of the result was lost) opens its gallery without
 * a scan. The review then only adds decisions to the manifest (Session `fresh` = false), as after a
 * window reload. Pure: the caller reads the file.
 */
import { dirname, resolve } from 'node:path';
import { comparePairs, comparePaths } from '../../core/files/paths.js';
import { hasherKey } from '../../core/hashers/registry.js';
import { scanOptionsOf, scanPathOf, type Manifest } from '../../core/manifest/index.js';
import type { Cluster, FileRecord, Pair, ScanOptions, ScanResult } from '../../core/types.js';

/**
 * The result `manifest` (found at `manifestPath`) describes, in paths relative to the scanned folder.
 * Files the manifest marks orphaned (gone at its last scan) are left out with their pairs; a manifest
 * that lists no pairs (more than its pair limit) gives each cluster member's pair with its kept file.
 */
export function resultFromManifest(manifest: Manifest, manifestPath: string): ScanResult {
  const rel = manifest.root;
  const root = resolve(dirname(manifestPath), rel);
  const scan = (p: string): string => scanPathOf(rel, p);
  const present = manifest.files.filter((f) => !f.orphaned);
  const known = new Set(present.map((f) => f.path));
  const files: FileRecord[] = present
    .map((f) => ({
      path: scan(f.path),
      kind: f.kind ?? ('image' as const),
      size: f.size,
      mtimeMs: f.mtimeMs ?? 0,
      width: f.width,
      height: f.height,
      fingerprint: f.sha256,
      ...(f.split !== undefined ? { split: f.split } : {}),
      ...(f.durationSec !== undefined ? { durationSec: f.durationSec } : {}),
      ...(f.format !== undefined ? { format: f.format } : {}),
      ...(f.jpegQuality !== undefined ? { jpegQuality: f.jpegQuality } : {}),
      ...(f.reencoded ? { reencoded: true } : {}),
      ...(f.contentWidth !== undefined ? { contentWidth: f.contentWidth } : {}),
      ...(f.contentHeight !== undefined ? { contentHeight: f.contentHeight } : {}),
    }))
    .sort((a, b) => comparePaths(a.path, b.path));
  const both = (a: string, b: string): boolean => known.has(a) && known.has(b);
  // A cluster member's distance is to the kept file by the first hasher (the manifest lists no pairs past its limit).
  const first = manifest.settings.hashers[0];
  const hasherName = first ? hasherKey(first) : '';
  const listed: Pair[] = manifest.pairs
    ? manifest.pairs
        .filter((p) => both(p.a, p.b))
        .map((p) => ({
          a: scan(p.a),
          b: scan(p.b),
          distance: p.distance,
          hasher: p.hasher,
          ...(p.transform ? { transform: p.transform } : {}),
          ...(p.via ? { via: p.via } : {}),
        }))
    : manifest.clusters.flatMap((c) =>
        c.members
          .filter((m) => m.distance !== null && both(c.keep, m.path))
          .map((m) => orderPair({ a: scan(c.keep), b: scan(m.path), distance: m.distance!, hasher: hasherName })),
      );
  const pairs = listed.sort(comparePairs);
  const clusters: Cluster[] = manifest.clusters.map((c) => ({
    keep: scan(c.keep),
    members: c.members.map((m) => ({
      path: scan(m.path),
      distance: m.distance,
      decision: m.decision,
      by: m.by,
      ...(m.chained ? { chained: true } : {}),
    })),
  }));
  const options: ScanOptions = { ...scanOptionsOf(manifest.settings), useCache: true };

  const identical = manifest.identical?.map((g) => g.filter((p) => known.has(p)).map(scan)).filter((g) => g.length > 1);
  return {
    root,
    options,
    files,
    skipped: manifest.skipped.map((k) => ({ path: scan(k.path), code: k.code, message: k.message })),
    pairs,
    ...(identical && identical.length > 0 ? { identical } : {}),
    clusters,
    ...(manifest.outsideSplits ? { outsideSplits: manifest.outsideSplits.map(scan) } : {}),
    stats: {
      files: manifest.summary.files,
      hashed: 0,
      cached: 0,
      skipped: manifest.skipped.length,
      pairs: pairs.length,
      clusters: clusters.length,
      seconds: 0,
    },
    cancelled: false,
  };
}

/** A pair names its files in path order (ScanResult's rule). */
function orderPair(p: Pair): Pair {
  return comparePaths(p.a, p.b) <= 0 ? p : { ...p, a: p.b, b: p.a };
}
