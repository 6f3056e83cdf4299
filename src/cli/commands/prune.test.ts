import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../testing/runInProcess.js';
import { commitManifest, readManifest, reviewActionChanges } from '../../core/manifest/index.js';
import { writeImage } from '../../core/testing/images.js';
import { tempDir } from '../../core/testing/tempDir.js';

test('prune: an offline folder keeps its decisions through scans (orphaned) until prune drops them, and only for files really gone', async () => {
  const { dir, cleanup } = tempDir();
  try {
    mkdirSync(join(dir, 'b'));
    await writeImage(join(dir, 'a.jpg'), 1);
    await writeImage(join(dir, 'b', 'a_copy.jpg'), 1, { quality: 40 });
    await writeImage(join(dir, 'b', 'c.jpg'), 2);
    await writeImage(join(dir, 'c2.jpg'), 2, { quality: 40 });
    const path = join(dir, 'dedupe-manifest.json');
    assert.equal((await runCli(['scan', dir])).code, 0);
    await commitManifest(path, { changes: reviewActionChanges('b/c.jpg', 'c2.jpg', 'keep-b') });
    assert.ok((await readManifest(path))!.remove.includes('b/c.jpg'));

    renameSync(join(dir, 'b'), join(dir, 'offline')); // the folder goes offline
    const r = await runCli(['scan', dir, '--exclude', 'offline']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /1 orphaned \(media-dedupe prune drops them\)/);
    let m = (await readManifest(path))!;
    assert.deepEqual(m.orphaned, ['b/c.jpg']);
    assert.deepEqual(m.reviews, [{ a: 'b/c.jpg', b: 'c2.jpg', decision: 'keep-b' }]);
    assert.ok(m.remove.includes('b/c.jpg'), 'its reviewed removal stays');

    const dry = await runCli(['prune', dir, '--dry-run']);
    assert.equal(dry.code, 0);
    assert.equal(dry.stdout, 'b/c.jpg\n');
    assert.match(dry.stderr, /would drop the decisions about 1 orphaned files/);
    assert.deepEqual((await readManifest(path))!.reviews.length, 1, 'dry run writes nothing');

    renameSync(join(dir, 'offline'), join(dir, 'b')); // back, but not scanned yet: prune keeps it
    const kept = await runCli(['prune', dir, '--json']);
    assert.deepEqual((JSON.parse(kept.stdout) as { pruned: string[]; backOnDisk: string[] }).backOnDisk, ['b/c.jpg']);
    assert.equal((await readManifest(path))!.reviews.length, 1);

    renameSync(join(dir, 'b'), join(dir, 'offline'));
    const done = await runCli(['prune', dir]);
    assert.equal(done.code, 0);
    assert.equal(done.stdout, 'b/c.jpg\n');
    m = (await readManifest(path))!;
    assert.deepEqual([m.reviews, m.orphaned], [[], []]);
    assert.ok(!m.remove.includes('b/c.jpg'));
  } finally {
    cleanup();
  }
});
