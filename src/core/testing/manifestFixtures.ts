/** A hand-made ScanResult for manifest tests: two clusters, a lone file and one skipped file. */
import { join } from 'node:path';
import { DEFAULT_SCAN_OPTIONS } from '../scan/options.js';
import { tempDir } from './tempDir.js';
import type { FileRecord, Pair, ScanOptions, ScanResult } from '../types.js';

export const sha = (c: string): string => c.repeat(64).slice(0, 64);

export function fakeResult(over: Partial<Omit<ScanResult, 'options'>> & { options?: Partial<ScanOptions> } = {}): ScanResult {
  const file = (path: string, w: number, size: number, c: string): FileRecord => ({
    path,
    kind: 'image',
    size,
    mtimeMs: 1,
    width: w,
    height: w,
    fingerprint: sha(c),
  });
  const files = over.files ?? [
    file('cats/a.jpg', 100, 500, 'a'),
    file('cats/a_copy.jpg', 100, 400, 'b'),
    file('cats/a_small.jpg', 50, 100, 'c'),
    file('dogs/d.jpg', 80, 300, 'd'),
    file('dogs/d2.jpg', 80, 300, 'e'),
    file('lone.jpg', 10, 10, 'f'),
  ];
  const pairs: readonly Pair[] = over.pairs ?? [
    { a: 'cats/a.jpg', b: 'cats/a_copy.jpg', distance: 0, hasher: 'phash16' },
    { a: 'cats/a.jpg', b: 'cats/a_small.jpg', distance: 0.05078125, hasher: 'phash16' },
    { a: 'dogs/d.jpg', b: 'dogs/d2.jpg', distance: 0.1, hasher: 'phash16', transform: 'fh' },
  ];
  return {
    root: over.root ?? '/data/set',
    options: { ...DEFAULT_SCAN_OPTIONS, ...over.options },
    files,
    skipped: over.skipped ?? [{ path: 'bad.jpg', code: 'CORRUPT_IMAGE', message: 'broken' }],
    pairs,
    clusters: [],
    stats: { files: files.length, hashed: files.length, cached: 0, skipped: 1, pairs: pairs.length, clusters: 0, seconds: 1 },
    cancelled: over.cancelled ?? false,
  };
}

/** Runs `fn` with the path of a dedupe-manifest.json (not yet written) in a fresh folder, removed afterwards. */
export async function withManifestDir(fn: (path: string, dir: string) => Promise<void>): Promise<void> {
  const { dir, cleanup } = tempDir();
  try {
    await fn(join(dir, 'dedupe-manifest.json'), dir);
  } finally {
    cleanup();
  }
}
