import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ScanResult } from '../../src/core/types.js';
import { clusterViews, galleryFiles, galleryInit } from '../../src/extension/gallery/galleryModel.js';
import { syntheticResult } from '../../src/extension/gallery/synthetic.js';
import { formatEta, progressMessage, ProgressTracker } from '../../src/extension/scan/progressText.js';
import { ResultStore } from '../../src/extension/store.js';
import { browserCanShow, needsThumb } from '../../src/extension/thumbs/needsThumb.js';

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

describe('gallery model', () => {
  it('sends only paired files, by index, with thumbnails where needed', () => {
    const r = fixtureResult();
    const gf = galleryFiles(r);
    assert.deepEqual(
      gf.files.map((f) => f.path),
      ['a.jpg', 'b.jpg', 'big.png', 'sub/c.tif'],
    );
    assert.deepEqual(
      gf.files.map((f) => f.thumb),
      [false, false, true, true],
    );
    assert.deepEqual(
      gf.files.map((f) => f.renderable),
      [true, true, true, false],
    );
    const init = galleryInit({
      baseUri: 'https://b/data',
      result: r,
      statuses: ['keep-a', 'undecided', 'undecided'],
      files: gf,
      rootName: 'data',
      manifestPath: '/data/m.json',
      scanEndedAt: 5,
    });
    assert.deepEqual(init.pairs[0], { a: 0, b: 1, distance: 0.01, hasher: 'phash16', status: 'keep-a' });
    assert.equal(init.pairs[1]!.transform, 'r90');
    assert.equal(init.hasher, 'phash16');
    assert.equal(init.threshold, 0.2);
    assert.equal(init.skipped, 1);
  });

  it('maps clusters to file indices and drops members it cannot show', () => {
    const gf = galleryFiles(fixtureResult());
    assert.deepEqual(clusterViews(fixtureResult().clusters, gf.indexOf), [{ keep: 2, members: [{ file: 0, distance: 0.05, decision: 'remove', by: 'auto' }] }]);
  });

  it('makes synthetic pairs that borrow real pixels', () => {
    const { result, sourceOf } = syntheticResult(fixtureResult(), 250);
    assert.equal(result.pairs.length, 250);
    assert.equal(new Set(result.pairs.flatMap((p) => [p.a, p.b])).size, 500);
    for (const p of result.pairs) assert.ok(p.a < p.b && p.distance < 0.2);
    const gf = galleryFiles(result, sourceOf);
    assert.ok(gf.files.every((f) => f.src && ['a.jpg', 'b.jpg', 'big.png', 'lonely.jpg', 'sub/c.tif'].includes(f.src)));
  });
});

describe('thumbnails', () => {
  it('are made for big files and formats a browser cannot draw', () => {
    assert.equal(needsThumb({ path: 'a.jpg', kind: 'image', size: 80_000, width: 640, height: 480 }), false);
    assert.equal(needsThumb({ path: 'a.jpg', kind: 'image', size: 3_000_000, width: 640, height: 480 }), true);
    assert.equal(needsThumb({ path: 'a.jpg', kind: 'image', size: 10_000, width: 4000, height: 10 }), true);
    assert.equal(needsThumb({ path: 'scan.TIFF', kind: 'image', size: 10, width: 1, height: 1 }), true);
    // A video always gets a poster frame (grabbed with ffmpeg): lists and clusters cannot show the video itself.
    assert.equal(needsThumb({ path: 'clip.mp4', kind: 'video', size: 10, width: 16, height: 16 }), true);
    assert.equal(needsThumb({ path: 'anim.gif', kind: 'video', size: 10, width: 16, height: 16 }), true);
    assert.equal(browserCanShow('x/y.WebP'), true);
    assert.equal(browserCanShow('noext'), false);
  });
});

describe('progress text', () => {
  it('shows phase, counts, rate and time left', () => {
    assert.equal(
      progressMessage({ phase: 'hash', done: 1200, total: 9000, ratePerSec: 812.4, etaSec: 95 }),
      'Hashing · 1,200 / 9,000 · 812 files/s · about 1 min 35 s left',
    );
    assert.equal(progressMessage({ phase: 'walk', done: 0, total: 0 }), 'Listing files');
    assert.equal(formatEta(42.2), '43 s');
    assert.equal(formatEta(120), '2 min');
  });

  it('turns totals into increments, never going backwards', () => {
    const t = new ProgressTracker();
    assert.equal(t.increment({ phase: 'walk', done: 5, total: 0 }), undefined);
    assert.equal(t.increment({ phase: 'hash', done: 25, total: 100 }), 25);
    assert.equal(t.increment({ phase: 'hash', done: 25, total: 100 }), undefined);
    assert.equal(t.increment({ phase: 'hash', done: 100, total: 100 }), 75);
    assert.equal(t.increment({ phase: 'search', done: 1, total: 2 }), undefined);
  });
});

describe('result store', () => {
  it('keeps the last result per folder and ignores a corrupt file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-store-'));
    const store = new ResultStore(dir);
    assert.equal(await store.load('/data'), undefined);
    await store.save(fixtureResult('/data'));
    assert.deepEqual((await store.load('/data'))?.pairs, fixtureResult().pairs);
    assert.equal(await store.lastRoot(), '/data');
    assert.equal(await store.load('/other'), undefined);
    const { readdirSync } = await import('node:fs');
    const file = join(dir, 'scans', readdirSync(join(dir, 'scans'))[0]!);
    writeFileSync(file, '{"version":1,"result":');
    assert.equal(await store.load('/data'), undefined);
  });
});

describe('Find Similar Images helpers', () => {
  it('finds the scanned folder an image belongs to, deepest first', async () => {
    const { datasetFor } = await import('../../src/extension/datasetOf.js');
    const scanned = new Set(['/ws', '/ws/data']);
    assert.equal(
      datasetFor('/ws/data/cats/1.jpg', ['/ws', '/ws/data'], (d) => scanned.has(d), '/'),
      '/ws/data',
    );
    assert.equal(
      datasetFor('/ws/other/1.jpg', ['/ws/data', '/ws'], (d) => scanned.has(d), '/'),
      '/ws',
    );
    assert.equal(
      datasetFor('/wsx/1.jpg', ['/ws'], () => true, '/'),
      undefined,
      'a prefix of the name is not a parent folder',
    );
    assert.equal(
      datasetFor('/ws/1.jpg', ['/ws'], () => false, '/'),
      undefined,
    );
  });

  it('asks for the configured hasher: its size unless fixed, its threshold when set', async () => {
    const { similarHasher } = await import('../../src/extension/datasetOf.js');
    assert.deepEqual(similarHasher({ hasher: 'phash', hashSize: 16, threshold: null }), { name: 'phash', hashSize: 16 });
    assert.deepEqual(similarHasher({ hasher: 'dhash', hashSize: 8, threshold: 0.1 }), { name: 'dhash', hashSize: 8, threshold: 0.1 });
    assert.deepEqual(similarHasher({ hasher: 'pdq', hashSize: 16, threshold: null }), { name: 'pdq' });
  });
});

describe('video poster frames', () => {
  it('asks ffmpeg for one PNG frame at the given time, fitted inside the thumbnail size', async () => {
    const { posterArgs } = await import('../../src/extension/thumbs/posterFrame.js');
    const args = posterArgs('/d/a b.mp4', '/t/x.png.tmp', 1);
    assert.deepEqual(args.slice(args.indexOf('-ss'), args.indexOf('-ss') + 4), ['-ss', '1', '-i', '/d/a b.mp4']);
    assert.deepEqual(args.slice(-5), ['-f', 'image2', '-c:v', 'png', '/t/x.png.tmp']);
    assert.ok(args.includes('-frames:v') && args[args.indexOf('-frames:v') + 1] === '1');
    assert.match(args[args.indexOf('-vf') + 1]!, /min\(256,iw\).*force_original_aspect_ratio=decrease/);
  });
});
