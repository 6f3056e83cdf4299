import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readManifest } from '../../core/manifest/index.js';
import type { FileRecord, Pair, ScanResult } from '../../core/types.js';
import { fixtureResult } from '../testing/fixtureResult.js';
import { manifestOps, reviewState } from '../review/manifestOps.js';
import { decisionsView, galleryFiles } from '../gallery/galleryModel.js';
import { leakSummary } from './leakSummary.js';

const file = (path: string, split?: string): FileRecord =>
  ({
    path,
    kind: 'image',
    size: 1,
    mtimeMs: 0,
    width: 1,
    height: 1,
    fingerprint: createHash('sha256').update(path).digest('hex'),
    ...(split ? { split } : {}),
  }) as FileRecord;
const pair = (a: string, b: string): Pair => ({ a, b, distance: 0.01, hasher: 'phash16' });

/** A scan across train/val/test: two test files and one val file leak from train; extra/x.jpg is in no split. */
function splitScan(root: string): ScanResult {
  const base = fixtureResult(root);
  const files = [file('test/a.jpg', 'test'), file('test/b.jpg', 'test'), file('train/a.jpg', 'train'), file('train/b.jpg', 'train'), file('val/a.jpg', 'val')];
  return {
    ...base,
    options: { ...base.options, splits: ['train', 'val', 'test'].map((name) => ({ name, glob: `${name}/**` })) },
    files,
    pairs: [pair('test/a.jpg', 'train/a.jpg'), pair('test/b.jpg', 'train/b.jpg'), pair('train/a.jpg', 'val/a.jpg')],
    identical: [],
    clusters: [],
    skipped: [],
    outsideSplits: ['extra/x.jpg'],
  };
}

describe('leakSummary: the line logged after a scan across splits', () => {
  it("says what the manifest's leaks say, per split pair as check --splits counts them, and the files in no split", async () => {
    const root = mkdtempSync(join(tmpdir(), 'md-leaks-'));
    const path = join(root, 'dedupe-manifest.json');
    const state = await manifestOps(root, path).commit(splitScan(root), [], true);
    const m = (await readManifest(path))!;
    assert.equal(m.leaks?.length, 3);
    // The keep policy removes a file of each leak (remove mode `all`), which resolves all three.
    assert.equal(
      leakSummary(state.leaks),
      '3 leaks across splits (val↔train: 1, test↔train: 2; dropped from train), 0 unresolved; 1 file in no split left out',
    );
  });

  it("the gallery's Leaks header gets the manifest's leaks, not a recount of the scan", async () => {
    const root = mkdtempSync(join(tmpdir(), 'md-leaks-'));
    const path = join(root, 'dedupe-manifest.json');
    const result = splitScan(root);
    const state = await manifestOps(root, path).commit(result, [], true);
    const m = (await readManifest(path))!;
    const v = decisionsView(state, result.pairs, galleryFiles(result));
    assert.equal(v.leaks?.total, m.leaks!.length);
    assert.equal(
      Object.values(v.leaks!.counts).reduce((s, n) => s + n, 0),
      m.leaks!.length,
    );
    assert.equal(v.leaks?.unresolved, m.leaks!.filter((l) => !l.resolved).length);
    assert.equal(v.leaks?.dropFrom, m.settings.dropFrom);
    // A manifest that says otherwise (a hand edit dropped a leak) is what the gallery shows.
    const edited = { ...m, leaks: m.leaks!.slice(1) };
    const shown = reviewState(
      edited,
      'x',
      { canUndo: false, canRedo: false },
      (p) => p,
      (p) => p,
    );
    assert.equal(decisionsView(shown, result.pairs, galleryFiles(result)).leaks?.total, 2);
  });

  it('says nothing after a plain scan', () => {
    assert.equal(leakSummary(undefined), undefined);
    const r = fixtureResult();
    assert.equal(manifestOps('/data', '/data/dedupe-manifest.json').preview(r).leaks, undefined);
  });
});
