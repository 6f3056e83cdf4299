import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../testing/runInProcess.js';
import { tempDir } from '../../core/testing/tempDir.js';
import { writeImage } from '../../core/testing/images.js';

test('compare --against: new files searched against the dataset’s saved hashes, never its images; exit 1 on a match', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const dataset = join(dir, 'dataset');
    const incoming = join(dir, 'incoming');
    mkdirSync(join(dataset, 'cats'), { recursive: true });
    mkdirSync(incoming, { recursive: true });
    await writeImage(join(dataset, 'cats', 'a.jpg'), 1);
    await writeImage(join(dataset, 'cats', 'b.jpg'), 2);
    await writeImage(join(dataset, 'c.png'), 3, { kind: 'png' });
    const unscanned = await runCli(['compare', incoming, '--against', dataset]);
    assert.equal(unscanned.code, 2, 'a dataset never scanned has no saved hashes');
    assert.match(unscanned.stderr, /run "media-dedupe scan/);
    assert.equal((await runCli(['scan', dataset])).code, 0);

    await writeImage(join(incoming, 'a_resent.jpg'), 1, { quality: 60, scale: 0.75 });
    await writeImage(join(incoming, 'new.jpg'), 7);
    await writeImage(join(incoming, 'c.webp'), 3, { kind: 'webp' });
    // The dataset's images are gone: only its saved hashes can answer.
    rmSync(join(dataset, 'cats'), { recursive: true });
    rmSync(join(dataset, 'c.png'));

    const r = await runCli(['compare', incoming, '--against', dataset, '--json'], dir);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout) as {
      files: { path: string; matches: { path: string; distance: number }[] }[];
      datasetFilesOpened: number;
      searched: number;
      hashed: number;
    };
    assert.deepEqual(
      out.files.map((f) => [f.path, f.matches.map((m) => m.path)]),
      [
        ['incoming/a_resent.jpg', ['cats/a.jpg']],
        ['incoming/c.webp', ['c.png']],
        ['incoming/new.jpg', []],
      ],
    );
    assert.ok(out.files[0].matches[0].distance < 0.2);
    assert.equal(out.searched, 3);
    assert.equal(out.hashed, 3);
    assert.equal(out.datasetFilesOpened, 2, 'the manifest and the one hash cache');

    // Again: the new files come from their own cache; text output; --no-fail-on-match.
    const again = await runCli(['compare', join(incoming, 'new.jpg'), join(incoming, 'c.webp'), '--against', dataset, '--no-fail-on-match'], dir);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /^incoming\/c\.webp\tc\.png\t[0-9.]+\tphash16$/m);
    assert.match(again.stderr, /1 of 2 new files match the dataset .* 0 hashed, 2 from cache/);
    assert.ok(readdirSync(join(incoming, '.media-dedupe')).some((n) => n.startsWith('hashes-')));
    const clean = await runCli(['compare', join(incoming, 'new.jpg'), '--against', dataset]);
    assert.equal(clean.code, 0, 'no match: exit 0');
  } finally {
    cleanup();
  }
});

test('compare --crop-resistant: bordered and cropped copies either way round, marked how they matched; needs a dataset scanned so, and follows its manifest', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const dataset = join(dir, 'dataset');
    const incoming = join(dir, 'incoming');
    mkdirSync(dataset, { recursive: true });
    mkdirSync(incoming, { recursive: true });
    const size = { kind: 'png' as const, width: 192, height: 144 };
    await writeImage(join(dataset, 'a.png'), 11, size);
    await writeImage(join(dataset, 'b_border.png'), 12, { ...size, border: 0.1 });
    for (const s of [21, 22, 23]) await writeImage(join(dataset, `other${s}.png`), s, size);
    await writeImage(join(incoming, 'a_border.png'), 11, { ...size, border: 0.1 });
    await writeImage(join(incoming, 'a_crop.png'), 11, { ...size, crop: 0.08 });
    await writeImage(join(incoming, 'b.png'), 12, size);

    assert.equal((await runCli(['scan', dataset])).code, 0);
    const plain = await runCli(['compare', incoming, '--against', dataset, '--json']);
    assert.equal(plain.code, 0, 'a plain compare finds none of them');
    const refused = await runCli(['compare', incoming, '--against', dataset, '--crop-resistant']);
    assert.equal(refused.code, 2, 'a dataset scanned without crop hashes cannot answer');
    assert.match(refused.stderr, /scanned with --crop-resistant .*run "media-dedupe scan .* --crop-resistant" first/);

    assert.equal((await runCli(['scan', dataset, '--crop-resistant'])).code, 0);
    const r = await runCli(['compare', incoming, '--against', dataset, '--json'], dir);
    assert.equal(r.code, 1, `the manifest says crop-resistant, so compare is too: ${r.stderr}`);
    const out = JSON.parse(r.stdout) as { files: { path: string; matches: { path: string; via?: string }[] }[] };
    assert.deepEqual(
      out.files.map((f) => [f.path, f.matches.map((m) => `${m.path} ${m.via}`)]),
      [
        ['incoming/a_border.png', ['a.png content-box']],
        ['incoming/a_crop.png', ['a.png crop-window']],
        ['incoming/b.png', ['b_border.png content-box']],
      ],
    );
    const text = await runCli(['compare', join(incoming, 'a_crop.png'), '--against', dataset], dir);
    assert.match(text.stdout, /^incoming\/a_crop\.png\ta\.png\t[0-9.]+\tphash16\tcrop-window$/m);
    const off = await runCli(['compare', incoming, '--against', dataset, '--no-crop-resistant']);
    assert.equal(off.code, 0, '--no-crop-resistant compares whole files only');
  } finally {
    cleanup();
  }
});
