/**
 * A large made-up scan result, for measuring the gallery (the e2e test's 5k-pair case) without hashing
 * thousands of files. Each synthetic file borrows the pixels of a real file: `linkSynthetic` makes it a
 * link to that file in a folder of its own, so the gallery shows it like any scanned folder.
 */
import { link, mkdir, symlink } from 'node:fs/promises';
import * as path from 'node:path';
import type { Cluster, FileRecord, Pair, ScanResult } from '../../core/types.js';
import { scanFilePath } from '../files/scanFile.js';

export interface Synthetic {
  readonly result: ScanResult;
  /** The real file (relative path) whose pixels a synthetic path shows. */
  readonly sourceOf: ReadonlyMap<string, string>;
}

/**
 * `pairCount` pairs in clusters of `clusterSize` files, every pair of a cluster listed (2: disjoint pairs;
 * 330: one cluster of 54,285 pairs, 330 copies of one picture). `root` is the folder the synthetic files
 * will be in (`linkSynthetic`); by default the base's own.
 */
export function syntheticResult(base: ScanResult, pairCount: number, root: string = base.root, clusterSize = 2): Synthetic {
  const real = base.files.filter((f) => f.kind === 'image');
  if (real.length === 0) throw new Error('the scanned folder has no images to borrow pixels from');
  const files: FileRecord[] = [];
  const pairs: Pair[] = [];
  const clusters: Cluster[] = [];
  const sourceOf = new Map<string, string>();
  const threshold = base.options.hashers[0]?.threshold ?? 0.2;
  const k = Math.max(2, Math.floor(clusterSize));
  const clusterCount = Math.ceil(pairCount / ((k * (k - 1)) / 2));
  const width = String(clusterCount * k).length;
  let n = 0;
  for (let c = 0; c < clusterCount && pairs.length < pairCount; c++) {
    const members = Array.from({ length: k }, () => {
      const src = real[n % real.length]!;
      const folder = `synthetic/group${String(Math.floor((c * k) / 200)).padStart(3, '0')}`;
      const path = `${folder}/${String(n++).padStart(width, '0')}_${src.path.split('/').pop()}`;
      sourceOf.set(path, src.path);
      files.push({ ...src, path });
      return path;
    });
    const first = pairs.length;
    for (let i = 0; i < k && pairs.length < pairCount; i++)
      for (let j = i + 1; j < k && pairs.length < pairCount; j++) {
        // Deterministic spread of distances below the threshold, so the histogram has a shape.
        const distance = Math.round((((pairs.length * 7919) % 1000) / 1000) * threshold * 1e4) / 1e4;
        pairs.push({ a: members[i]!, b: members[j]!, distance, hasher: base.options.hashers[0]?.name ?? 'phash' });
      }
    const toKeep = pairs.slice(first).filter((p) => p.a === members[0]);
    clusters.push({ keep: members[0]!, members: toKeep.map((p) => ({ path: p.b, distance: p.distance, decision: 'remove', by: 'auto' })) });
  }
  files.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  return {
    result: {
      ...base,
      root,
      files,
      pairs,
      clusters,
      skipped: [],
      stats: { ...base.stats, files: files.length, pairs: pairs.length, clusters: clusters.length },
      cancelled: false,
    },
    sourceOf,
  };
}

/**
 * Makes each synthetic file under `result.root` a hard link to the real file under `baseRoot` whose pixels
 * it borrows (a symbolic link where hard links are refused, as across file systems). The links share the
 * real files' size and mtime, which the records already carry.
 */
export async function linkSynthetic(s: Synthetic, baseRoot: string): Promise<void> {
  const dirs = new Set([...s.sourceOf.keys()].map((p) => path.posix.dirname(p)));
  for (const d of dirs) await mkdir(scanFilePath(s.result.root, d), { recursive: true });
  await Promise.all(
    [...s.sourceOf].map(async ([shown, real]) => {
      const from = scanFilePath(baseRoot, real);
      const to = scanFilePath(s.result.root, shown);
      await link(from, to).catch(() => symlink(from, to));
    }),
  );
}
