/** A small scan result (five images, three pairs, one cluster, one skipped file) for the extension's unit tests. */
import { createHash } from 'node:crypto';
import type { ScanResult } from '../../core/types.js';

export function fixtureResult(root = '/data'): ScanResult {
  const file = (path: string, size = 1000, width = 100, height = 80) => ({
    path,
    kind: 'image' as const,
    size,
    mtimeMs: 1,
    width,
    height,
    fingerprint: createHash('sha256').update(path).digest('hex'),
  });
  return {
    root,
    options: {
      hashers: [{ name: 'phash', hashSize: 16, threshold: 0.2 }],
      isometric: false,
      groupBy: 'none',
      strict: false,
      protect: [],
      include: [],
      exclude: [],
      useCache: true,
    },
    files: [file('a.jpg'), file('b.jpg'), file('big.png', 5_000_000, 4000, 3000), file('lonely.jpg'), file('sub/c.tif')],
    skipped: [{ path: 'bad.jpg', code: 'CORRUPT_IMAGE', message: 'broken' }],
    pairs: [
      { a: 'a.jpg', b: 'b.jpg', distance: 0.01, hasher: 'phash16' },
      { a: 'a.jpg', b: 'big.png', distance: 0.05, hasher: 'phash16', transform: 'r90' },
      { a: 'b.jpg', b: 'sub/c.tif', distance: 0.1, hasher: 'phash16' },
    ],
    clusters: [
      {
        keep: 'big.png',
        members: [
          { path: 'a.jpg', distance: 0.05, decision: 'remove', by: 'auto' },
          { path: 'nowhere.jpg', distance: 0.1, decision: 'remove', by: 'auto' },
        ],
      },
    ],
    stats: { files: 5, hashed: 5, cached: 0, skipped: 1, pairs: 3, clusters: 1, seconds: 1 },
    cancelled: false,
  };
}
