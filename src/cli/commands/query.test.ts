import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { annoyAvailable } from '../../core/annoy/annoyAddon.js';
import { runCli } from '../testing/runInProcess.js';
import { tempDir } from '../../core/testing/tempDir.js';
import { writeImage } from '../../core/testing/images.js';

test('query: nearest dataset files with distances, from the hashes the last scan saved', async () => {
  const { dir, cleanup } = tempDir();
  try {
    mkdirSync(join(dir, 'data'));
    await writeImage(join(dir, 'data', 'a.jpg'), 1);
    await writeImage(join(dir, 'data', 'b.jpg'), 2);
    await writeImage(join(dir, 'data', 'c.jpg'), 3);
    await writeImage(join(dir, 'probe.png'), 2, { kind: 'png', scale: 0.5 });
    await writeImage(join(dir, 'probe_mirror.png'), 2, { kind: 'png', flip: true });

    const none = await runCli(['query', join(dir, 'probe.png'), '--dir', join(dir, 'data')]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /run "media-dedupe scan <dir>" first/);

    assert.equal((await runCli(['scan', join(dir, 'data')])).code, 0);
    const r = await runCli(['query', '../probe.png', '--k', '2', '--json'], join(dir, 'data')); // dataset found from the cwd
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { hasher: string; method: string; searched: number; results: { path: string; distance: number; duplicate: boolean }[] };
    assert.equal(out.hasher, 'phash16');
    assert.equal(out.searched, 3);
    assert.equal(out.results.length, 2);
    assert.equal(out.results[0].path, 'b.jpg');
    assert.equal(out.results[0].duplicate, true);
    assert.ok(out.results[1].distance >= out.results[0].distance);
    // The saved Annoy index answers when the addon is there; --exact compares every cached hash. Same answer here.
    assert.equal(out.method, annoyAvailable() ? 'index' : 'exact');
    const exact = JSON.parse(
      (await runCli(['query', join(dir, 'probe.png'), '--dir', join(dir, 'data'), '--k', '2', '--json', '--exact'])).stdout,
    ) as typeof out;
    assert.equal(exact.method, 'exact');
    assert.deepEqual(exact.results, out.results);

    const plain = await runCli(['query', join(dir, 'probe_mirror.png'), '--dir', join(dir, 'data'), '--k', '1']);
    const iso = await runCli(['query', join(dir, 'probe_mirror.png'), '--dir', join(dir, 'data'), '--k', '1', '--isometric']);
    assert.match(iso.stdout, /^0\.0[0-9]+\tb\.jpg\tdup$/m);
    assert.ok(Number(plain.stdout.split('\t')[0]) > Number(iso.stdout.split('\t')[0]));

    const bad = await runCli(['query', join(dir, 'probe.png'), '--dir', join(dir, 'data'), '--hasher', 'dhash']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /no saved dhash16 hashes there/);
  } finally {
    cleanup();
  }
});

test('query --crop-resistant: refused with a code, naming the command that finds bordered or cropped copies', async () => {
  const r = await runCli(['query', 'any.png', '--crop-resistant']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /query ranks whole images .* has no --crop-resistant; .*media-dedupe compare <image> --against <dir> --crop-resistant/);
  assert.match((await runCli(['query', '--help'])).stdout, /bordered or cropped copies/);
});
