import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildManifest, serializeManifest, validateManifest, type Manifest } from './index.js';
import { unsupportedKeywords, validateJsonSchema } from './jsonSchema.js';
import { fakeResult, sha } from '../../../test/helpers/manifest-fixtures.js';

test('manifest v1: remove list, clusters, files with size and sha256, settings, summary', () => {
  const m = buildManifest(fakeResult());
  assert.equal(m.version, 1);
  assert.equal(m.root, '.');
  assert.deepEqual(m.remove, ['cats/a_copy.jpg', 'cats/a_small.jpg', 'dogs/d2.jpg']);
  assert.deepEqual(m.clusters[0], {
    keep: 'cats/a.jpg',
    members: [
      { path: 'cats/a_copy.jpg', distance: 0, decision: 'remove', by: 'auto' },
      { path: 'cats/a_small.jpg', distance: 0.05078125, decision: 'remove', by: 'auto' },
    ],
  });
  assert.deepEqual(
    m.files.map((f) => f.path),
    ['cats/a.jpg', 'cats/a_copy.jpg', 'cats/a_small.jpg', 'dogs/d.jpg', 'dogs/d2.jpg'],
  );
  assert.deepEqual(m.files[0], { path: 'cats/a.jpg', size: 500, sha256: sha('a'), width: 100, height: 100 });
  assert.deepEqual(m.pairs[2], { a: 'dogs/d.jpg', b: 'dogs/d2.jpg', distance: 0.1, hasher: 'phash16', transform: 'fh' });
  assert.deepEqual(m.settings.hashers, [{ name: 'phash', hashSize: 16, threshold: 0.2 }]);
  assert.deepEqual(m.summary, { files: 6, pairs: 3, clusters: 2, remove: 3, skipped: 1 });
  assert.deepEqual(m.skipped, [{ path: 'bad.jpg', code: 'CORRUPT_IMAGE', message: 'broken' }]);
});

test('manifest: deterministic bytes whatever the input order; 2-space JSON with a trailing newline', () => {
  const r = fakeResult();
  const shuffled = fakeResult({ files: [...r.files].reverse(), pairs: [...r.pairs].reverse() });
  const a = serializeManifest(buildManifest(r));
  assert.equal(serializeManifest(buildManifest(shuffled)), a);
  assert.ok(a.endsWith('}\n'));
  assert.ok(a.startsWith('{\n  "version": 1,\n'));
  assert.equal(serializeManifest(JSON.parse(a) as Manifest), a, 'parse + serialize round-trips byte for byte');
});

test('manifest: paths are relative to the manifest folder when it is outside the scanned folder', () => {
  const m = buildManifest(fakeResult(), null, { manifestDir: '/data' });
  assert.equal(m.root, 'set');
  assert.deepEqual(m.remove, ['set/cats/a_copy.jpg', 'set/cats/a_small.jpg', 'set/dogs/d2.jpg']);
  assert.equal(m.skipped[0].path, 'set/bad.jpg');
  const above = buildManifest(fakeResult(), null, { manifestDir: '/data/set/sub' });
  assert.equal(above.root, '..');
  assert.equal(above.remove[0], '../cats/a_copy.jpg');
});

test('manifest: --protect globs mark files protected; a protected file is kept and anchors its cluster', () => {
  // Protecting a split (say test/**) must remove its copies elsewhere, even larger ones: that is what stops leakage.
  const m = buildManifest(fakeResult({ options: { protect: ['cats/a_small.jpg'] } }));
  assert.deepEqual(m.remove, ['cats/a.jpg', 'cats/a_copy.jpg', 'dogs/d2.jpg']);
  assert.ok(m.files.find((f) => f.path === 'cats/a_small.jpg')?.protected);
  assert.equal(m.clusters[0].keep, 'cats/a_small.jpg');
  // Two protected files in one cluster: both kept.
  const both = buildManifest(fakeResult({ options: { protect: ['cats/a.jpg', 'cats/a_copy.jpg'] } }));
  assert.deepEqual(both.remove, ['cats/a_small.jpg', 'dogs/d2.jpg']);
  assert.deepEqual(
    both.clusters[0].members.find((x) => x.path === 'cats/a_copy.jpg'),
    { path: 'cats/a_copy.jpg', distance: 0, decision: 'keep', by: 'auto' },
  );
});

test('manifest: skipped messages never carry the absolute dataset path', () => {
  const m = buildManifest(fakeResult({ skipped: [{ path: 'x.jpg', code: 'UNREADABLE', message: 'cannot open /data/set/x.jpg in /data/set' }] }));
  assert.equal(m.skipped[0].message, 'cannot open x.jpg in .');
});

test('schema: the shipped schema uses only the keywords our validator implements, and accepts what we write', () => {
  const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'schemas', 'dedupe-manifest.schema.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  assert.deepEqual([...unsupportedKeywords(schema)], []);
  const m = JSON.parse(serializeManifest(buildManifest(fakeResult({ options: { protect: ['cats/**'] } })))) as unknown;
  assert.deepEqual(validateJsonSchema(m, schema), []);
  assert.deepEqual(validateManifest(m), []);
});

test('schema: what it rejects, with the JSON path that failed', () => {
  const good = JSON.parse(serializeManifest(buildManifest(fakeResult()))) as Record<string, unknown> & Manifest;
  const broken = (f: (m: Record<string, any>) => void): string[] => {
    const m = JSON.parse(JSON.stringify(good)) as Record<string, any>;
    f(m);
    return validateManifest(m);
  };
  assert.match(broken((m) => (m.version = 2)).join(), /version: expected 1/);
  assert.match(broken((m) => delete m.remove).join(), /missing required field "remove"/);
  assert.match(broken((m) => m.remove.push('/etc/passwd')).join(), /remove\[3\]: "\/etc\/passwd" does not match/);
  assert.match(broken((m) => m.remove.push('a\\b.jpg')).join(), /does not match/);
  assert.match(broken((m) => (m.clusters[0].members[0].decision = 'delete')).join(), /clusters\[0\]\.members\[0\]\.decision: expected one of/);
  assert.match(broken((m) => (m.files[0].sha256 = 'xyz')).join(), /files\[0\]\.sha256/);
  assert.match(broken((m) => (m.extra = 1)).join(), /unexpected field "extra"/);
  assert.match(broken((m) => (m.pairs[0].a = 'not/listed.jpg')).join(), /pairs\[0\]\.a: "not\/listed.jpg" is not described in files/);
  assert.match(broken((m) => (m.summary.files = -1)).join(), /summary\.files: expected a value >= 0/);
  assert.match(broken((m) => (m.notDuplicates = [['a.jpg']])).join(), /notDuplicates\[0\]: expected at least 2 items/);
});
