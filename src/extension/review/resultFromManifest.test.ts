import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildManifest } from '../../core/manifest/index.js';
import { fixtureResult } from '../testing/fixtureResult.js';
import { syntheticResult } from '../testing/synthetic.js';
import { resultFromManifest } from './resultFromManifest.js';

describe('resultFromManifest: a review from the manifest alone', () => {
  it('gives back the files, pairs, clusters and skipped files of the scan that wrote the manifest', () => {
    const { result } = syntheticResult(fixtureResult('/data'), 40);
    const manifest = buildManifest(result);
    const back = resultFromManifest(manifest, '/data/dedupe-manifest.json');
    assert.equal(back.root, '/data');
    const described = new Set(manifest.files.map((f) => f.path));
    assert.deepEqual(
      back.files.map((f) => [f.path, f.size, f.width, f.height, f.fingerprint]),
      result.files.filter((f) => described.has(f.path)).map((f) => [f.path, f.size, f.width, f.height, f.fingerprint]),
    );
    assert.deepEqual(
      back.pairs.map((p) => [p.a, p.b, p.distance]),
      result.pairs.map((p) => [p.a, p.b, p.distance]),
    );
    assert.deepEqual(
      back.clusters.map((c) => [c.keep, c.members.map((m) => m.path)]),
      manifest.clusters.map((c) => [c.keep, c.members.map((m) => m.path)]),
    );
    assert.deepEqual(back.skipped, result.skipped);
    assert.equal(back.cancelled, false);
    assert.deepEqual(back.options.hashers, result.options.hashers);
  });

  it('maps manifest paths to the scanned folder when the manifest lives above it', () => {
    const result = fixtureResult('/data/set');
    const manifest = buildManifest(result, undefined, { manifestDir: '/data' });
    assert.equal(manifest.root, 'set');
    const back = resultFromManifest(manifest, '/data/dedupe-manifest.json');
    assert.equal(back.root, join('/data', 'set'));
    assert.ok(
      back.files.every((f) => !f.path.startsWith('set/')),
      'paths are relative to the scanned folder',
    );
    assert.deepEqual(
      back.pairs.map((p) => `${p.a}|${p.b}`),
      result.pairs.map((p) => `${p.a}|${p.b}`),
    );
  });

  it('without listed pairs (past the limit), each cluster member pairs with its kept file at its distance', () => {
    const result = fixtureResult('/data');
    const manifest = buildManifest(result, undefined, { pairsLimit: 0 });
    assert.equal(manifest.pairs, undefined);
    const back = resultFromManifest(manifest, '/data/dedupe-manifest.json');
    const expected = manifest.clusters.flatMap((c) =>
      c.members.filter((m) => m.distance !== null).map((m) => [[c.keep, m.path].sort().join('|'), m.distance] as const),
    );
    assert.ok(expected.length > 0);
    assert.deepEqual(
      back.pairs.map((p) => [`${p.a}|${p.b}`, p.distance] as const),
      expected.sort(),
    );
  });

  it('leaves out files the manifest marks orphaned, and their pairs', () => {
    const result = fixtureResult('/data');
    const manifest = buildManifest(result);
    const gone = manifest.files[0]!.path;
    const edited = { ...manifest, files: manifest.files.map((f) => (f.path === gone ? { ...f, orphaned: true as const } : f)) };
    const back = resultFromManifest(edited, '/data/dedupe-manifest.json');
    assert.ok(!back.files.some((f) => f.path === gone));
    assert.ok(!back.pairs.some((p) => p.a === gone || p.b === gone));
  });
});
