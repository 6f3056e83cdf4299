import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixtureResult } from '../testing/fixtureResult.js';
import { decisionsView, galleryFiles, galleryInit } from './galleryModel.js';
import { manifestOps } from '../review/manifestOps.js';
import { stampVersion } from './resourceVersion.js';

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
    // The first URIs carry the size and mtime the scan saw; the panel re-checks the disk after the first pair.
    assert.equal(gf.files[2]!.version, stampVersion({ size: 5_000_000, mtimeMs: 1 }));
    const init = galleryInit({
      baseUri: 'https://b/data',
      result: r,
      pairs: r.pairs,
      implied: 0,
      files: gf,
      rootName: 'data',
      manifestPath: '/data/m.json',
      scanEndedAt: 5,
    });
    assert.deepEqual(init.pairs[0], { a: 0, b: 1, distance: 0.01, hasher: 'phash16' });
    assert.equal(init.pairs[1]!.transform, 'r90');
    assert.equal(init.hasher, 'phash16');
    assert.equal(init.threshold, 0.2);
    assert.equal(init.skipped, 1);
  });

  it('sends what the manifest says by index: each file, each pair, each cluster member', () => {
    const r = fixtureResult();
    const gf = galleryFiles(r);
    const state = manifestOps('/data', '/data/dedupe-manifest.json').preview(r);
    const v = decisionsView(state, r.pairs, gf);
    assert.equal(v.manifestHash, '');
    assert.deepEqual(
      v.fileDecision,
      gf.files.map((f) => (state.remove.includes(f.path) ? 1 : 0)),
    );
    assert.equal(v.pairVerdict.length, r.pairs.length);
    assert.ok(
      v.pairBy.every((b) => b === 0),
      'nothing reviewed yet: every verdict is automatic',
    );
    assert.equal(v.clusters.length, state.clusters.length);
    const c = v.clusters[0]!;
    assert.equal(gf.files[c.keep]!.path, state.clusters[0]!.keep);
    assert.deepEqual(
      c.members.map((m) => [gf.files[m.file]!.path, m.decision]),
      state.clusters[0]!.members.map((m) => [m.file, m.decision]),
    );
    assert.equal(v.totals.remove, state.remove.length);
  });
});

describe('video pairs in the gallery (pure)', () => {
  it("carries a video pair's matched frames and offset from the scan to the webview", async () => {
    const { galleryFiles, galleryInit } = await import('./galleryModel.js');
    const { DEFAULT_SCAN_OPTIONS } = await import('../../core/scan/options.js');
    const file = (path: string, kind: 'image' | 'video') => ({
      path,
      kind,
      size: 10,
      mtimeMs: 0,
      width: 16,
      height: 9,
      fingerprint: 'f',
      ...(kind === 'video' ? { durationSec: 4 } : {}),
    });
    const result = {
      root: '/r',
      options: DEFAULT_SCAN_OPTIONS,
      files: [file('a.mp4', 'video'), file('b.webm', 'video')],
      skipped: [],
      pairs: [{ a: 'a.mp4', b: 'b.webm', distance: 0.03, hasher: 'video:phash', transform: 'fh', offsetSec: -1.2, frames: [{ a: 1.2, b: 0, distance: 0.02 }] }],
      clusters: [],
      stats: { files: 2, hashed: 2, cached: 0, skipped: 0, pairs: 1, clusters: 0, seconds: 0 },
      cancelled: false,
    };
    const files = galleryFiles(result);
    assert.deepEqual(
      files.files.map((f) => [f.kind, f.thumb, f.durationSec]),
      [
        ['video', true, 4],
        ['video', true, 4],
      ],
    );
    const init = galleryInit({ baseUri: 'b', result, pairs: result.pairs, implied: 0, files, rootName: 'r', manifestPath: '/r/m.json', scanEndedAt: 0 });
    assert.deepEqual(init.pairs[0], {
      a: 0,
      b: 1,
      distance: 0.03,
      hasher: 'video:phash',
      transform: 'fh',
      frames: [{ a: 1.2, b: 0, distance: 0.02 }],
      offsetSec: -1.2,
    });
  });
});
