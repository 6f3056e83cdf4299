/**
 * A large made-up scan result, for measuring the gallery (the e2e test's 5k-pair case) without hashing
 * thousands of files. Each synthetic file borrows the pixels of a real file, so thumbnails still load.
 */
import type { FileRecord, Pair, ScanResult } from '../../core/types.js';

export interface Synthetic {
  readonly result: ScanResult;
  /** The real file (relative path) whose pixels a synthetic path shows. */
  readonly sourceOf: ReadonlyMap<string, string>;
}

export function syntheticResult(base: ScanResult, pairCount: number): Synthetic {
  const real = base.files.filter((f) => f.kind === 'image');
  if (real.length === 0) throw new Error('the scanned folder has no images to borrow pixels from');
  const files: FileRecord[] = [];
  const pairs: Pair[] = [];
  const sourceOf = new Map<string, string>();
  const threshold = base.options.hashers[0]?.threshold ?? 0.2;
  const width = String(pairCount * 2).length;
  for (let i = 0; i < pairCount; i++) {
    const [a, b] = [2 * i, 2 * i + 1].map((n) => {
      const src = real[n % real.length]!;
      const folder = `synthetic/group${String(Math.floor(i / 100)).padStart(3, '0')}`;
      const path = `${folder}/${String(n).padStart(width, '0')}_${src.path.split('/').pop()}`;
      sourceOf.set(path, src.path);
      files.push({ ...src, path });
      return path;
    }) as [string, string];
    // Deterministic spread of distances below the threshold, so the histogram has a shape.
    const distance = Math.round((((i * 7919) % 1000) / 1000) * threshold * 1e4) / 1e4;
    pairs.push({ a, b, distance, hasher: base.options.hashers[0]?.name ?? 'phash' });
  }
  files.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  return {
    result: {
      ...base,
      files,
      pairs,
      clusters: pairs.map((p) => ({ keep: p.a, members: [{ path: p.b, distance: p.distance, decision: 'remove', by: 'auto' }] })),
      skipped: [],
      stats: { ...base.stats, files: files.length, pairs: pairs.length, clusters: pairs.length },
      cancelled: false,
    },
    sourceOf,
  };
}
