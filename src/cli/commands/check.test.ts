import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commitManifest, readManifest, reviewActionChanges } from '../../core/manifest/index.js';
import { runCli } from '../testing/runInProcess.js';
import { tempDir } from '../../core/testing/tempDir.js';
import { writeImage } from '../../core/testing/images.js';

test('check: 0 when the manifest resolves every pair; 1 listing new or changed pairs; the manifest is not touched', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await writeImage(join(dir, 'a.jpg'), 1);
    await writeImage(join(dir, 'a_copy.jpg'), 1, { quality: 50 });
    await writeImage(join(dir, 'b.jpg'), 2);

    const none = await runCli(['check', dir]);
    assert.equal(none.code, 1, 'no manifest yet: the pair is unresolved');
    assert.match(none.stderr, /no manifest at/);
    assert.match(none.stdout, /^a\.jpg\ta_copy\.jpg\t[0-9.]+\tno-manifest$/m);

    assert.equal((await runCli(['scan', dir, '--hasher', 'phash:16@0.25'])).code, 0);
    const manifestPath = join(dir, 'dedupe-manifest.json');
    const before = readFileSync(manifestPath, 'utf8');
    const ok = await runCli(['check', dir]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.equal(ok.stdout, '');
    assert.match(ok.stderr, /OK: all 1 duplicate pairs are resolved/);

    // A new duplicate arrives.
    await writeImage(join(dir, 'b_copy.png'), 2, { kind: 'png' });
    const found = await runCli(['check', dir, '--json']);
    assert.equal(found.code, 1);
    const report = JSON.parse(found.stdout) as { unresolved: { a: string; b: string; reason: string }[] };
    assert.deepEqual(
      report.unresolved.map((u) => [u.a, u.b, u.reason]),
      [['b.jpg', 'b_copy.png', 'new-pair']],
    );
    assert.equal(readFileSync(manifestPath, 'utf8'), before, 'check never writes the manifest');

    // A person says they are not duplicates: resolved. The settings (threshold 0.25) came from the manifest.
    const m = (await readManifest(manifestPath))!;
    await runCli(['scan', dir, '--hasher', 'phash:16@0.25']);
    await commitManifest(manifestPath, { changes: reviewActionChanges('b.jpg', 'b_copy.png', 'not-duplicate') });
    assert.equal((await runCli(['check', dir])).code, 0);
    assert.deepEqual(m.settings.hashers, [{ name: 'phash', hashSize: 16, threshold: 0.25 }]);

    // A file in a known pair changes content: the pair needs a look again.
    await writeImage(join(dir, 'a_copy.jpg'), 1, { quality: 35 });
    const changed = await runCli(['check', dir]);
    assert.equal(changed.code, 1);
    assert.match(changed.stdout, /^a\.jpg\ta_copy\.jpg\t[0-9.]+\tfile-changed$/m);
  } finally {
    cleanup();
  }
});

test('check: a broken manifest is exit 2 with the reason', async () => {
  const { dir, cleanup } = tempDir();
  try {
    writeFileSync(join(dir, 'dedupe-manifest.json'), JSON.stringify({ version: 1 }));
    const r = await runCli(['check', dir]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is not a valid dedupe manifest: \(root\): missing required field/);
  } finally {
    cleanup();
  }
});

test('check: reviews that contradict each other (a cycle) are reported as conflicts, exit 1, until one file is chosen', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await writeImage(join(dir, 'a.jpg'), 1);
    await writeImage(join(dir, 'b.jpg'), 1, { quality: 60 });
    await writeImage(join(dir, 'c.jpg'), 1, { quality: 40 });
    assert.equal((await runCli(['scan', dir, '--hasher', 'phash:16@0.25'])).code, 0);
    const manifestPath = join(dir, 'dedupe-manifest.json');
    assert.equal((await runCli(['check', dir])).code, 0);
    // keep a over b, b over c, c over a.
    await commitManifest(manifestPath, {
      changes: [
        ...reviewActionChanges('a.jpg', 'b.jpg', 'keep-a'),
        ...reviewActionChanges('b.jpg', 'c.jpg', 'keep-a'),
        ...reviewActionChanges('c.jpg', 'a.jpg', 'keep-a'),
      ],
    });
    const r = await runCli(['check', dir]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(r.stdout.split('\n').filter((l) => /^conflict\t.*reviews form a cycle/.test(l)).length, 3, r.stdout);
    assert.match(r.stderr, /3 conflicts: reviews contradict each other/);
    const json = JSON.parse((await runCli(['check', dir, '--json'])).stdout) as { conflicts: string[] };
    assert.equal(json.conflicts.length, 3);
    // The answer "keep a": c over a turns around; no conflict is left.
    await commitManifest(manifestPath, { changes: reviewActionChanges('a.jpg', 'c.jpg', 'keep-a') });
    const after = await runCli(['check', dir]);
    assert.equal(after.code, 0, after.stdout + after.stderr);
  } finally {
    cleanup();
  }
});
