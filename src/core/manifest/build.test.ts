import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildManifest, measureScan, assembleManifest, serializeManifest, validateManifest, PAIRS_LIMIT, type Manifest } from './index.js';
import { NO_FACTS } from '../decisions/types.js';
import { unsupportedKeywords, validateJsonSchema } from './jsonSchema.js';
import { fakeResult, sha } from '../testing/manifestFixtures.js';

test('manifest v2: remove list, clusters with reasons, files with size and sha256, settings, summary', () => {
  const m = buildManifest(fakeResult());
  assert.equal(m.version, 2);
  assert.equal(m.root, '.');
  assert.deepEqual(m.remove, ['cats/a_copy.jpg', 'cats/a_small.jpg', 'dogs/d2.jpg']);
  assert.deepEqual(m.clusters[0], {
    keep: 'cats/a.jpg',
    keepReason: 'kept: name without a copy marker',
    members: [
      { path: 'cats/a_copy.jpg', distance: 0, decision: 'remove', by: 'auto', reason: 'removed: copy of cats/a.jpg (distance 0)' },
      { path: 'cats/a_small.jpg', distance: 0.05078125, decision: 'remove', by: 'auto', reason: 'removed: copy of cats/a.jpg (distance 0.05078)' },
    ],
  });
  assert.deepEqual(
    m.files.map((f) => f.path),
    ['cats/a.jpg', 'cats/a_copy.jpg', 'cats/a_small.jpg', 'dogs/d.jpg', 'dogs/d2.jpg'],
  );
  assert.deepEqual(m.files[0], { path: 'cats/a.jpg', size: 500, sha256: sha('a'), width: 100, height: 100 });
  assert.deepEqual(m.pairs![2], { a: 'dogs/d.jpg', b: 'dogs/d2.jpg', distance: 0.1, hasher: 'phash16', transform: 'fh' });
  assert.deepEqual(m.settings.hashers, [{ name: 'phash', hashSize: 16, threshold: 0.2 }]);
  assert.equal(m.settings.remove, 'all');
  assert.equal(m.settings.keepPolicy, undefined, 'the default policy is not written');
  assert.match(m.summary.scanHash, /^[0-9a-f]{16}$/);
  assert.deepEqual(
    { ...m.summary, scanHash: '' },
    { files: 6, pairs: 3, clusters: 2, remove: 3, removeReviewed: 0, removeAuto: 3, doubtful: 0, conflicts: 0, orphaned: 0, skipped: 1, scanHash: '' },
  );
  assert.deepEqual([m.reviews, m.notDuplicates, m.fileDecisions, m.orphaned], [[], [], [], []]);
  assert.deepEqual(m.skipped, [{ path: 'bad.jpg', code: 'CORRUPT_IMAGE', message: 'broken' }]);
});

test('manifest: deterministic bytes whatever the input order; 2-space JSON with a trailing newline', () => {
  const r = fakeResult();
  const shuffled = fakeResult({ files: [...r.files].reverse(), pairs: [...r.pairs].reverse() });
  const a = serializeManifest(buildManifest(r));
  assert.equal(serializeManifest(buildManifest(shuffled)), a);
  assert.ok(a.endsWith('}\n'));
  assert.ok(a.startsWith('{\n  "version": 2,\n'));
  assert.equal(serializeManifest(JSON.parse(a) as Manifest), a, 'parse + serialize round-trips byte for byte');
});

test('manifest: paths are relative to the manifest folder when it is outside the scanned folder', () => {
  const m = buildManifest(fakeResult(), NO_FACTS, { manifestDir: '/data' });
  assert.equal(m.root, 'set');
  assert.deepEqual(m.remove, ['set/cats/a_copy.jpg', 'set/cats/a_small.jpg', 'set/dogs/d2.jpg']);
  assert.equal(m.skipped[0].path, 'set/bad.jpg');
  const above = buildManifest(fakeResult(), NO_FACTS, { manifestDir: '/data/set/sub' });
  assert.equal(above.root, '..');
  assert.equal(above.remove[0], '../cats/a_copy.jpg');
});

test('manifest: --protect globs mark files protected; a protected file is kept, beside the file the keep policy keeps', () => {
  // Protecting means "never remove it", not "keep it instead of the original": version 1 and the first
  // version 2 made the protected a_small.jpg the kept file and removed its original, cats/a.jpg. Now a.jpg
  // stays kept (keep policy), a_small.jpg stays (protected), and only a_copy.jpg, a copy of a.jpg, goes.
  // (Preferring a split as the kept file is the keep policy's folder:GLOB, or --drop-from.)
  const m = buildManifest(fakeResult({ options: { protect: ['cats/a_small.jpg'] } }));
  assert.deepEqual(m.remove, ['cats/a_copy.jpg', 'dogs/d2.jpg']);
  assert.ok(m.files.find((f) => f.path === 'cats/a_small.jpg')?.protected);
  assert.equal(m.clusters[0].keep, 'cats/a.jpg');
  assert.equal(m.clusters[0].members.find((x) => x.path === 'cats/a_small.jpg')?.by, 'protect');
  const preferred = buildManifest(fakeResult({ options: { protect: ['cats/a_small.jpg'] } }), undefined, {
    decisionSettings: { remove: 'all', keepPolicy: ['folder:cats/a_small.jpg', 'resolution'] },
  });
  assert.equal(preferred.clusters[0].keep, 'cats/a_small.jpg');
  assert.ok(preferred.remove.includes('cats/a.jpg'));
  // Two protected files in one cluster: both kept.
  const both = buildManifest(fakeResult({ options: { protect: ['cats/a.jpg', 'cats/a_copy.jpg'] } }));
  assert.deepEqual(both.remove, ['cats/a_small.jpg', 'dogs/d2.jpg']);
  assert.deepEqual(
    both.clusters[0].members.find((x) => x.path === 'cats/a_copy.jpg'),
    {
      path: 'cats/a_copy.jpg',
      distance: 0,
      decision: 'keep',
      by: 'protect',
      reason: 'kept: protected by --protect cats/a_copy.jpg',
    },
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
  assert.match(broken((m) => (m.version = 3)).join(), /version: expected 2 but found 3/);
  assert.match(broken((m) => delete m.remove).join(), /missing required field "remove"/);
  assert.match(broken((m) => m.remove.push('/etc/passwd')).join(), /remove\[3\]: "\/etc\/passwd" does not match/);
  assert.match(broken((m) => m.remove.push('a\u0000b.jpg')).join(), /does not match/);
  assert.deepEqual(
    broken((m) => m.remove.push('a\\b.jpg')),
    [],
    'a backslash is an ordinary character of a POSIX name',
  );
  assert.match(broken((m) => (m.settings.remove = 'some')).join(), /settings\.remove: expected one of "all", "reviewed"/);
  assert.match(broken((m) => (m.settings.keepPolicy = ['biggest'])).join(), /settings\.keepPolicy\[0\]: "biggest" does not match/);
  assert.match(broken((m) => (m.clusters[0].members[0].by = 'robot')).join(), /by: expected one of "auto", "review", "protect"/);
  assert.match(broken((m) => (m.clusters[0].members[0].decision = 'delete')).join(), /clusters\[0\]\.members\[0\]\.decision: expected one of/);
  assert.match(broken((m) => (m.files[0].sha256 = 'xyz')).join(), /files\[0\]\.sha256/);
  assert.match(broken((m) => (m.extra = 1)).join(), /unexpected field "extra"/);
  assert.match(broken((m) => (m.pairs[0].a = 'not/listed.jpg')).join(), /pairs\[0\]\.a: "not\/listed.jpg" is not described in files/);
  assert.deepEqual(
    broken((m) => delete m.pairs),
    [],
    'pairs are optional in version 2',
  );
  assert.match(broken((m) => (m.summary.files = -1)).join(), /summary\.files: expected a value >= 0/);
  assert.match(broken((m) => (m.notDuplicates = [['a.jpg']])).join(), /notDuplicates\[0\]: expected at least 2 items/);
});

test('pairs: listed up to PAIRS_LIMIT (or with --all-pairs); above it, clusters carry the links and the summary says so', () => {
  const n = 301; // a star of copies around one original, above a limit of 300 standing in for PAIRS_LIMIT
  const files = [
    { path: 'orig.jpg', kind: 'image' as const, size: 9000, mtimeMs: 1, width: 400, height: 400, fingerprint: sha('0') },
    ...Array.from({ length: n }, (_, i) => ({
      path: `c/${String(i).padStart(3, '0')}.jpg`,
      kind: 'image' as const,
      size: 100,
      mtimeMs: 1,
      width: 100,
      height: 100,
      fingerprint: sha('1'),
    })),
  ];
  const pairs = files.slice(1).map((f, i) => ({ a: f.path, b: 'orig.jpg', distance: (i % 10) / 100, hasher: 'phash16' }));
  const meas = measureScan(fakeResult({ files, pairs, skipped: [] }));
  assert.equal(PAIRS_LIMIT, 20_000);
  assert.equal(assembleManifest(meas, NO_FACTS, { remove: 'all' }, { pairsLimit: n }).manifest.pairs!.length, n, 'at the limit: listed');
  const all = assembleManifest(meas, NO_FACTS, { remove: 'all' }, { allPairs: true, pairsLimit: n - 1 }).manifest;
  assert.equal(all.pairs!.length, n);
  const omitted = assembleManifest(meas, NO_FACTS, { remove: 'all' }, { pairsLimit: n - 1 }).manifest;
  assert.equal(omitted.pairs, undefined);
  assert.equal(omitted.summary.pairsOmitted, true);
  assert.equal(omitted.summary.pairs, n);
  assert.deepEqual(omitted.remove, all.remove, 'the decisions are the same without the pairs list');
  assert.deepEqual(omitted.clusters, all.clusters);
  assert.deepEqual(validateManifest(JSON.parse(serializeManifest(omitted))), []);
  assert.ok(serializeManifest(omitted).length < serializeManifest(all).length * 0.8);
});

test('every legal POSIX name round-trips through the manifest and validates: backslash, newline, tab, leading dash, non-UTF-8 bytes', async () => {
  const { nameFromBytes } = await import('../files/nameBytes.js');
  const names = [
    'back\\slash.jpg',
    'new\nline.jpg',
    'tab\there.jpg',
    '-leading-dash.jpg',
    '--help.jpg',
    nameFromBytes(Buffer.from([0x6c, 0x61, 0x74, 0x69, 0x6e, 0xe9, 0x2e, 0x6a, 0x70, 0x67])), // Latin-1 "latiné.jpg"
    `dir\\x/${nameFromBytes(Buffer.from([0xff, 0xfe, 0x2e, 0x6a, 0x70, 0x67]))}`,
    'quote"and\u0001control.jpg',
  ];
  const files = names.map((p, i) => ({ path: p, kind: 'image' as const, size: 10 + i, mtimeMs: 1, width: 10, height: 10, fingerprint: sha(String(i % 10)) }));
  const pairs = names.slice(1).map((p) => ({ a: names[0] < p ? names[0] : p, b: names[0] < p ? p : names[0], distance: 0.01, hasher: 'phash16' }));
  const m = buildManifest(fakeResult({ files, pairs, skipped: [{ path: names[5], code: 'CORRUPT_IMAGE', message: 'x' }] }));
  const text = serializeManifest(m);
  assert.ok(![...text].some((ch) => ch.charCodeAt(0) < 0x20 && ch !== '\n'), 'control characters are escaped');
  assert.match(text, /\\udce9\.jpg/, 'a byte that is not UTF-8 is written as \\udcXX');
  const back = JSON.parse(text) as Manifest;
  assert.deepEqual(validateManifest(back), []);
  assert.equal(serializeManifest(back), text);
  assert.deepEqual([...back.files.map((f) => f.path)].sort(), [...names].sort());
  assert.equal(back.clusters.length, 1);
});
