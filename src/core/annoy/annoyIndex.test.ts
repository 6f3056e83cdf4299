import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaError } from '../errors.js';
import { wordHashes } from '../testing/pairFixtures.js';
import { annoyAvailable } from './annoyAddon.js';
import { AnnoyIndexError } from './annoyErrors.js';
import { AnnoyHashIndex, loadOrBuildAnnoyIndex, sidecarName, type IndexedHash } from './annoyIndex.js';

const noAnnoy = annoyAvailable() ? false : 'annoy-node is not built here (npm install builds it); Annoy tests skipped';

function items(n: number, seed = 21): IndexedHash[] {
  const h = wordHashes(n, 8, 12, seed);
  const bytes = new Uint8Array(h.buffer);
  return Array.from({ length: n }, (_, q) => ({ path: `dir/img${q}.jpg`, hash: bytes.slice(q * 32, q * 32 + 32) }));
}

function withDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'annoy-test-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function hamming(a: Uint8Array, b: Uint8Array): number {
  let d = 0;
  for (let q = 0; q < a.length; q++) for (let x = a[q] ^ b[q]; x; x &= x - 1) d++;
  return d;
}

test('Annoy index: build, save, load, query with exact distances', { skip: noAnnoy }, () => {
  const its = items(400);
  withDir((dir) => {
    const built = AnnoyHashIndex.build(its, { hasherKey: 'phash:16@0.2', trees: 8, threads: 1 });
    built.save(dir);
    built.close();
    const files = readdirSync(dir).sort();
    assert.equal(files.length, 3, files.join(', '));
    const index = AnnoyHashIndex.load(dir, { hasherKey: 'phash:16@0.2', bits: 256 });
    try {
      assert.equal(index.size, 400);
      const probe = its[399].hash;
      const hits = index.query(probe, 5, { searchNeighbours: 400 });
      assert.equal(hits.length, 5);
      assert.equal(hits[0].distance, 0);
      for (const h of hits) assert.equal(h.path, `dir/img${h.id}.jpg`);
      for (const h of hits) assert.equal(h.distance, hamming(its[h.id].hash, probe));
      for (let q = 1; q < hits.length; q++) assert.ok(hits[q - 1].distance <= hits[q].distance);
      // Asking Annoy for every item makes it exhaustive: the answer is then the exact k nearest.
      const all = its.map((it, id) => ({ id, d: hamming(it.hash, probe) })).sort((a, b) => a.d - b.d || a.id - b.id);
      assert.deepEqual(
        hits.map((h) => h.id),
        all.slice(0, 5).map((x) => x.id),
      );
      const near = index.queryItem(399, 3);
      assert.ok(near.every((h) => h.id !== 399));
      for (const h of near) assert.equal(h.distance, hamming(its[h.id].hash, its[399].hash));
      assert.throws(() => index.query(new Uint8Array(8), 3), /Expected 32 bytes for hash/);
    } finally {
      index.close();
    }
  });
});

test('Annoy index: missing, corrupt and mismatched indexes are reported, never used', { skip: noAnnoy }, () => {
  const its = items(120);
  withDir((dir) => {
    const expect = { hasherKey: 'dhash:16', bits: 256 };
    const miss = AnnoyHashIndex.tryLoad(dir, expect);
    assert.ok(!miss.ok && miss.error.problem === 'missing' && miss.error.rebuildable);

    const built = AnnoyHashIndex.build(its, { hasherKey: 'dhash:16', trees: 4, threads: 1 });
    built.save(dir);
    built.close();
    const sidecar = join(dir, sidecarName('dhash:16'));
    const meta = JSON.parse(readFileSync(sidecar, 'utf8')) as { annoy: { file: string }; hashes: { file: string }; hasherKey: string };
    const ann = join(dir, meta.annoy.file);
    const original = readFileSync(ann);
    const problem = (): string => {
      const r = AnnoyHashIndex.tryLoad(dir, expect);
      if (r.ok) {
        r.index.close();
        return 'ok';
      }
      assert.ok(r.error instanceof AnnoyIndexError && r.error instanceof MediaError);
      return r.error.problem;
    };
    assert.equal(problem(), 'ok');
    assert.equal(AnnoyHashIndex.tryLoad(dir, { hasherKey: 'dhash:16', bits: 64 }).ok, false, 'bits mismatch');

    // Same size, one byte changed: only the checksum can tell, and annoy-node itself would not.
    const flipped = Buffer.from(original);
    flipped[flipped.length >> 1] ^= 0x40;
    writeFileSync(ann, flipped);
    assert.equal(problem(), 'corrupt');
    writeFileSync(ann, original);
    truncateSync(ann, original.length - 100);
    assert.equal(problem(), 'corrupt');
    writeFileSync(ann, original);
    assert.equal(problem(), 'ok');

    writeFileSync(join(dir, meta.hashes.file), Buffer.alloc(120 * 32));
    assert.equal(problem(), 'corrupt');

    writeFileSync(sidecar, JSON.stringify({ ...meta, hasherKey: 'phash:16' }));
    assert.equal(problem(), 'mismatch');
    writeFileSync(sidecar, '{"format": "media-dedupe-annoy", "version": 1, "paths": [');
    assert.equal(problem(), 'corrupt');
    writeFileSync(sidecar, JSON.stringify({ ...meta, annoy: { file: '../../etc/passwd', bytes: 1, sha256: 'x' } }));
    assert.equal(problem(), 'corrupt');
  });
});

test('loadOrBuildAnnoyIndex reuses a sound index and rebuilds a corrupt or stale one', { skip: noAnnoy }, () => {
  const its = items(150);
  withDir((dir) => {
    const opts = { hasherKey: 'phash:16', trees: 4, threads: 1 };
    const first = loadOrBuildAnnoyIndex(dir, its, opts);
    assert.equal(first.rebuiltBecause?.problem, 'missing');
    first.index.close();
    const second = loadOrBuildAnnoyIndex(dir, its, opts);
    assert.equal(second.rebuiltBecause, undefined);
    second.index.close();

    const changed = its.map((it, q) => (q === 7 ? { ...it, path: 'dir/renamed.jpg' } : it));
    const third = loadOrBuildAnnoyIndex(dir, changed, opts);
    assert.equal(third.rebuiltBecause?.problem, 'mismatch');
    assert.equal(third.index.paths[7], 'dir/renamed.jpg');
    third.index.close();
    assert.equal(readdirSync(dir).length, 3, 'old index files are removed after a rebuild');

    writeFileSync(join(dir, sidecarName('phash:16')), 'not json');
    const fourth = loadOrBuildAnnoyIndex(dir, changed, opts);
    assert.equal(fourth.rebuiltBecause?.problem, 'corrupt');
    fourth.index.close();
  });
});
