import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planTrash } from '../../src/core/files/trashPlan.js';
import { validateManifest } from '../../src/core/manifest/index.js';
import { scanFolder } from '../../src/core/scan/scanFolder.js';
import { awkwardNames, forgeCacheLine, sparseFakeJpeg } from '../../src/core/testing/hostileFolders.js';
import { makePng } from '../../src/core/testing/png.js';
import { tempDir } from '../../src/core/testing/tempDir.js';
import { manifestOps } from '../../src/extension/review/manifestOps.js';
import { assertCleanFailure, cli, manifestPathOf, readManifestJson, scanOk } from './cli.js';

test('torture: a hostile manifest cannot make the trash reach outside the folder', async () => {
  const { dir: base, cleanup } = tempDir('md-torture-');
  try {
    const dir = join(base, 'data');
    const outside = join(base, 'outside');
    mkdirSync(dir);
    mkdirSync(outside);
    writeFileSync(join(dir, 'a.png'), makePng(1));
    writeFileSync(join(dir, 'a-copy.png'), makePng(1));
    writeFileSync(join(outside, 'secret.png'), makePng(1));
    symlinkSync(outside, join(dir, 'external'));
    await scanOk(dir);
    // A crafted commit: reviews that remove a file through the link and one out of the folder by "..".
    const path = manifestPathOf(dir);
    const original = readFileSync(path, 'utf8');
    const m = JSON.parse(original) as { reviews: { a: string; b: string; decision: string }[]; remove: string[] };
    m.reviews.push({ a: '../outside/secret.png', b: 'a.png', decision: 'keep-b' }, { a: 'a.png', b: 'external/secret.png', decision: 'keep-a' });
    writeFileSync(path, JSON.stringify(m, null, 2));

    const result = await scanFolder(dir);
    const ops = manifestOps(dir, path);
    const loaded = await ops.load(result);
    assert.ok(loaded);
    const candidates = loaded.removedFiles;
    assert.ok(
      candidates.some((c) => c.path.includes('secret')),
      'the crafted reviews do reach the remove list',
    );
    const plan = await planTrash(dir, candidates);
    for (const mv of plan.move) assert.ok(mv.real.startsWith(plan.rootReal + '/'), `${mv.real} is inside`);
    assert.ok(!plan.move.some((mv) => mv.real.includes('outside')), JSON.stringify(plan.move));
    assert.ok(plan.refused.filter((r) => r.path.includes('secret')).every((r) => r.reason === 'outside'));
    assert.ok(existsSync(join(outside, 'secret.png')));

    // An absolute path is refused by the manifest's schema before anything is planned.
    m.remove.push(join(outside, 'secret.png'));
    writeFileSync(path, JSON.stringify(m, null, 2));
    await assert.rejects(ops.load(result), /not a valid dedupe manifest/);
  } finally {
    cleanup();
  }
});

test('torture: awkward names (backslash, newline, leading dash, non-UTF-8) round-trip: valid manifest, re-scan and check pass', async () => {
  const { dir, cleanup } = tempDir('md-torture-');
  try {
    awkwardNames(dir);
    const first = await scanOk(dir);
    assert.equal(first.summary.files, 5);
    assert.equal(first.summary.skipped, 0, 'nothing is NOT_FOUND');
    const m = JSON.parse(readFileSync(manifestPathOf(dir), 'utf8')) as unknown;
    assert.deepEqual(validateManifest(m), []);
    const paths = readManifestJson(dir).files.map((f) => f.path);
    assert.ok(paths.includes('back\\slash.png'));
    assert.ok(paths.includes('caf\udce9.png'));
    const again = await scanOk(dir);
    assert.equal(again.summary.cached, 5);
    const check = await cli(['check', dir]);
    assert.equal(check.exit, 0, check.stderr + check.stdout);
  } finally {
    cleanup();
  }
});

test('torture: a forged cache line (valid checksum, 3-byte hash) is a miss: the file is hashed again', async () => {
  const { dir, cleanup } = tempDir('md-torture-');
  try {
    for (let i = 0; i < 20; i++) writeFileSync(join(dir, `f${i}.png`), makePng(100 + (i % 10)));
    const first = await scanOk(dir);
    assert.ok(forgeCacheLine(dir, 'f3.png'));
    const again = await scanOk(dir);
    assert.equal(again.summary.hashed, 1);
    assert.equal(again.summary.pairs, first.summary.pairs);
  } finally {
    cleanup();
  }
});

test('torture: a folder at the manifest path is one message and exit 2, after the hashes are cached', async () => {
  const { dir, cleanup } = tempDir('md-torture-');
  try {
    writeFileSync(join(dir, 'a.png'), makePng(1));
    writeFileSync(join(dir, 'b.png'), makePng(1));
    mkdirSync(manifestPathOf(dir));
    assertCleanFailure(await cli(['scan', dir]), /is a folder/);
  } finally {
    cleanup();
  }
});

test('torture: six 1 GiB files named .jpg are TOO_LARGE without being read', async () => {
  const { dir, cleanup } = tempDir('md-torture-');
  try {
    writeFileSync(join(dir, 'real.png'), makePng(8));
    for (let i = 0; i < 6; i++) sparseFakeJpeg(join(dir, `big${i}.jpg`), 2 ** 30);
    const { summary, run } = await scanOk(dir);
    assert.equal(summary.skipped, 6);
    assert.ok(run.rssMb < 400, `${run.rssMb} MB`);
    assert.ok(run.wallSec < 30, `${run.wallSec} s`);
    const m = readManifestJson(dir);
    assert.ok(m.skipped.every((s) => s.code === 'TOO_LARGE'));
  } finally {
    cleanup();
  }
});
