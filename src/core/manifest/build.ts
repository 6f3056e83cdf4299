import { posix, relative, sep } from 'node:path';
import { pairKey } from '../cluster/index.js';
import { compileProtect } from '../files/filters.js';
import type { ScanResult } from '../types.js';
import { canonicalize } from './canonical.js';
import { GENERATOR } from '../generator.js';
import { resolveManifest } from './resolve.js';
import type { Manifest, ManifestFile, ManifestHasher, ManifestPair, ManifestReview, ManifestSkipped } from './types.js';

export interface BuildManifestOptions {
  /** Folder the manifest will be written to (absolute); paths are made relative to it. Default: the scanned folder. */
  readonly manifestDir?: string;
}

/** Turns scan-relative paths into manifest-relative ones (identity when the manifest sits in the scanned folder). */
export function manifestPathMapper(root: string, manifestDir: string | undefined): { root: string; map: (p: string) => string } {
  const rel = manifestDir === undefined ? '' : relative(manifestDir, root).split(sep).join('/');
  if (rel === '') return { root: '.', map: (p) => p };
  return { root: rel, map: (p) => posix.normalize(`${rel}/${p}`) };
}

/**
 * Builds the v1 manifest of a scan. With `previous` (the manifest already on disk), the decisions a
 * person made survive: notDuplicates and pair reviews are carried over for files that still exist, and
 * so are hand-edited `"by": "review"` decisions in its clusters. Everything else is recomputed, so the
 * same data and decisions always give the same manifest.
 */
export function buildManifest(result: ScanResult, previous?: Manifest | null, opts: BuildManifestOptions = {}): Manifest {
  const { root, map } = manifestPathMapper(result.root, opts.manifestDir);
  const isProtected = compileProtect(result.options.protect);

  const pairs: ManifestPair[] = result.pairs.map((p) => {
    const [a, b] = [map(p.a), map(p.b)].sort();
    const transform = p.transform && p.transform !== 'r0' ? p.transform : undefined;
    return { a, b, distance: p.distance, hasher: p.hasher, ...(transform ? { transform } : {}), ...(p.via === 'flat' ? { via: 'flat' as const } : {}) };
  });

  // Decisions are kept for files this scan saw (usable or skipped): a file deleted from the dataset takes
  // its decisions with it, a file that is merely unreadable today keeps them. A cancelled scan has not
  // seen everything, so it drops nothing.
  const seen = new Set<string>([...result.files.map((f) => map(f.path)), ...result.skipped.map((s) => map(s.path))]);
  const stillThere = (a: string, b: string): boolean => result.cancelled || (seen.has(a) && seen.has(b));
  const notDuplicates = (previous?.notDuplicates ?? [])
    .filter(([a, b]) => a !== b && stillThere(a, b))
    .map(([a, b]) => (a < b ? ([a, b] as const) : ([b, a] as const)));
  const reviews = carriedReviews(previous).filter((r) => stillThere(r.a, r.b));

  const named = new Set<string>();
  for (const p of pairs) named.add(p.a).add(p.b);
  for (const r of reviews) named.add(r.a).add(r.b);
  for (const [a, b] of notDuplicates) named.add(a).add(b);
  const files: ManifestFile[] = [];
  for (const f of result.files) {
    const path = map(f.path);
    if (!named.has(path)) continue;
    // Durations rounded to the millisecond: the manifest stays byte-identical across ffprobe builds' float noise.
    const video = f.kind === 'video' ? { kind: 'video' as const, durationSec: Math.round((f.durationSec ?? 0) * 1000) / 1000 } : {};
    files.push({
      path,
      size: f.size,
      sha256: f.fingerprint,
      width: f.width,
      height: f.height,
      ...video,
      ...(isProtected(f.path) ? { protected: true as const } : {}),
    });
  }

  const skipped: ManifestSkipped[] = result.skipped.map((s) => ({ path: map(s.path), code: s.code, message: portableMessage(s.message, result.root) }));
  const o = result.options;
  const hashers: ManifestHasher[] = o.hashers.map((h) => ({
    name: h.name,
    ...(h.hashSize !== undefined ? { hashSize: h.hashSize } : {}),
    threshold: h.threshold,
    ...(h.params && Object.keys(h.params).length > 0 ? { params: { ...h.params } } : {}),
  }));

  const draft: Manifest = {
    version: 1,
    generator: GENERATOR,
    root,
    settings: {
      hashers,
      isometric: o.isometric,
      groupBy: o.groupBy,
      strict: o.strict,
      protect: [...o.protect],
      include: [...o.include],
      exclude: [...o.exclude],
      ...(o.videos === false ? { videos: false as const } : {}),
      ...(o.colorCheck === false ? { colorCheck: false as const } : {}),
    },
    summary: { files: result.files.length, pairs: 0, clusters: 0, remove: 0, skipped: skipped.length },
    clusters: [],
    notDuplicates: dedupePairs(notDuplicates),
    reviews: dedupeReviews(reviews),
    remove: [],
    skipped,
    files,
    pairs,
  };
  return canonicalize(resolveManifest(draft));
}

/** Pair reviews of the previous manifest, plus decisions someone typed into its clusters by hand ("by": "review"). */
function carriedReviews(previous: Manifest | null | undefined): ManifestReview[] {
  if (!previous) return [];
  const out: ManifestReview[] = [...previous.reviews];
  const reviewed = new Set(out.map((r) => pairKey(r.a, r.b)));
  // A member marked "review" that some review already names got its decision from that review.
  const explained = new Set(out.flatMap((r) => [r.a, r.b]));
  for (const c of previous.clusters) {
    for (const m of c.members) {
      if (m.by !== 'review' || explained.has(m.path) || reviewed.has(pairKey(c.keep, m.path))) continue;
      const [a, b] = [c.keep, m.path].sort();
      const keepFirst = a === c.keep;
      out.push({ a, b, decision: m.decision === 'keep' ? 'keep-both' : keepFirst ? 'keep-a' : 'keep-b' });
      reviewed.add(pairKey(a, b));
    }
  }
  return out;
}

function dedupePairs(list: readonly (readonly [string, string])[]): (readonly [string, string])[] {
  const seen = new Set<string>();
  return list.filter(([a, b]) => {
    const k = pairKey(a, b);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function dedupeReviews(list: readonly ManifestReview[]): ManifestReview[] {
  // The first record of a pair wins: the previous manifest's own reviews come before the hand edits.
  const seen = new Set<string>();
  return list.filter((r) => {
    const k = pairKey(r.a, r.b);
    if (r.a === r.b || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Messages must not carry the absolute location of the dataset: the manifest is committed and read on other machines. */
function portableMessage(message: string, root: string): string {
  const prefixes = [root + sep, root + '/'];
  let out = message;
  for (const p of prefixes) out = out.split(p).join('');
  return out.split(root).join('.');
}
