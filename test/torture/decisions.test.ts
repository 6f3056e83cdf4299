import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR_NAME } from '../../src/core/cache/cacheDir.js';
import { commitManifest, reviewActionChanges } from '../../src/core/manifest/index.js';
import { scanFolder } from '../../src/core/scan/scanFolder.js';
import { pairedDataset } from '../../src/core/testing/hostileFolders.js';
import { makePng } from '../../src/core/testing/png.js';
import { tempDir } from '../../src/core/testing/tempDir.js';
import { cli, manifestPathOf, readManifestJson, scanOk, type ManifestJson } from './cli.js';

const hasReview = (m: ManifestJson, a: string, b: string, decision: string): boolean =>
  m.reviews.some((r) => r.a === a && r.b === b && r.decision === decision);
const hasNotDup = (m: ManifestJson, a: string, b: string): boolean => m.notDuplicates.some(([x, y]) => x === a && y === b);
/** What the gallery does for one decision: the engine's one writer (lock, re-read, merge, atomic write). */
const galleryDecides = (dir: string, a: string, b: string, action: 'keep-a' | 'keep-b' | 'not-duplicate') =>
  commitManifest(manifestPathOf(dir), { changes: reviewActionChanges(a, b, action), purpose: 'the gallery' });

test('torture: decisions saved while a scan runs survive its write', async () => {
  const { dir, cleanup } = tempDir('md-torture-');
  try {
    pairedDataset(dir, 1500);
    await scanOk(dir);
    const pairs = readManifestJson(dir).pairs!;
    assert.ok(pairs.length >= 2);
    const [p, q] = pairs;
    // The next scan hashes everything again, so there is time to decide while it runs.
    for (const f of readdirSync(join(dir, CACHE_DIR_NAME))) if (f.startsWith('hashes-')) renameSync(join(dir, CACHE_DIR_NAME, f), join(dir, `${f}.old`));
    const running = cli(['scan', dir, '--json']);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !readdirSync(join(dir, CACHE_DIR_NAME)).some((f) => f.startsWith('hashes-'))) await new Promise((r) => setTimeout(r, 20));
    await galleryDecides(dir, p.a, p.b, 'not-duplicate');
    await galleryDecides(dir, q.a, q.b, 'keep-b');
    const run = await running;
    assert.equal(run.exit, 0, run.stderr);
    const m = readManifestJson(dir);
    assert.ok(hasNotDup(m, p.a, p.b), 'the not-duplicate answer survived the scan');
    assert.ok(hasReview(m, q.a, q.b, 'keep-b'), 'the review survived the scan');
    assert.ok(m.remove.includes(q.a));
  } finally {
    cleanup();
  }
});

test('torture: a gallery revived from an older scan after a re-scan adds its decision and rolls nothing back', async () => {
  const { dir, cleanup } = tempDir('md-torture-');
  try {
    pairedDataset(dir, 60);
    const old = await scanFolder(dir); // what the gallery stored before the window reload
    await scanOk(dir);
    const first = readManifestJson(dir).pairs!;
    await galleryDecides(dir, first[0].a, first[0].b, 'not-duplicate');
    // New copies: the re-scan finds more pairs than the stored result knows.
    writeFileSync(join(dir, 'p0', 'img00001-copy.png'), makePng(1001));
    writeFileSync(join(dir, 'p0', 'img00002-copy.png'), makePng(1002));
    await scanOk(dir);
    const rescanned = readManifestJson(dir);
    // The revived gallery writes one decision, with its stale scan as the snapshot.
    await commitManifest(manifestPathOf(dir), {
      snapshot: old,
      changes: reviewActionChanges(first[1].a, first[1].b, 'keep-a'),
      purpose: 'the gallery',
    });
    const after = readManifestJson(dir);
    assert.equal(after.pairs!.length, rescanned.pairs!.length, 'pairs not rolled back to the stored scan');
    assert.ok(after.pairs!.length > first.length);
    assert.ok(hasNotDup(after, first[0].a, first[0].b), 'the earlier not-duplicate answer is kept');
    assert.ok(hasReview(after, first[1].a, first[1].b, 'keep-a'), "the revived gallery's decision is added");
  } finally {
    cleanup();
  }
});

test('torture: a folder offline for one scan keeps its decisions (orphaned), and they apply again when it is back', async () => {
  const { dir: base, cleanup } = tempDir('md-torture-');
  try {
    const dir = join(base, 'data');
    pairedDataset(dir, 200, 'b');
    writeFileSync(join(dir, 'a.png'), makePng(7));
    await scanOk(dir);
    const pairs = readManifestJson(dir).pairs!;
    await galleryDecides(dir, pairs[0].a, pairs[0].b, 'not-duplicate');
    await galleryDecides(dir, pairs[1].a, pairs[1].b, 'keep-a');
    renameSync(join(dir, 'b'), join(base, 'b-offline'));
    const away = await scanOk(dir);
    assert.equal(away.summary.files, 1);
    const m1 = readManifestJson(dir);
    assert.ok(hasNotDup(m1, pairs[0].a, pairs[0].b));
    assert.ok(hasReview(m1, pairs[1].a, pairs[1].b, 'keep-a'));
    assert.ok(m1.orphaned.includes(pairs[1].b), 'the absent files are listed as orphaned');
    assert.ok(m1.remove.includes(pairs[1].b), 'a reviewed removal stays in remove while the folder is away');
    renameSync(join(base, 'b-offline'), join(dir, 'b'));
    await scanOk(dir);
    const m2 = readManifestJson(dir);
    assert.ok(hasNotDup(m2, pairs[0].a, pairs[0].b));
    assert.ok(hasReview(m2, pairs[1].a, pairs[1].b, 'keep-a'));
    assert.deepEqual(m2.orphaned, []);
    assert.ok(existsSync(join(dir, pairs[1].b)));
  } finally {
    cleanup();
  }
});
