import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileStamp } from '../../core/files/fileStamp.js';
import { commitManifest, readManifest, reviewActionChanges } from '../../core/manifest/index.js';
import { runCli } from '../testing/runInProcess.js';
import { tempDir } from '../../core/testing/tempDir.js';
import { writeImage } from '../../core/testing/images.js';

/** train/ holds originals and one within-train copy; val/ and test/ hold near-copies of some; extra/ is in no split. */
async function splitDataset(dir: string, layout: (split: string) => string): Promise<void> {
  for (const s of ['train', 'val', 'test']) mkdirSync(join(dir, layout(s), 'cat'), { recursive: true });
  mkdirSync(join(dir, layout('train'), 'dog'), { recursive: true });
  mkdirSync(join(dir, 'extra'), { recursive: true });
  await writeImage(join(dir, layout('train'), 'cat/a.jpg'), 1);
  await writeImage(join(dir, layout('train'), 'cat/a_again.jpg'), 1, { quality: 60 }); // within train: never reported
  await writeImage(join(dir, layout('val'), 'cat/a.png'), 1, { kind: 'png', scale: 0.8 });
  await writeImage(join(dir, layout('train'), 'dog/b.jpg'), 2);
  await writeImage(join(dir, layout('test'), 'cat/b.webp'), 2, { kind: 'webp' }); // other class, same picture
  await writeImage(join(dir, layout('test'), 'cat/c.jpg'), 3);
  await writeImage(join(dir, 'extra/a.jpg'), 1);
}

test('scan --splits: only pairs across splits, drops from train, files in no split listed; check --splits exits 1 with the per-split summary', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await splitDataset(dir, (s) => s);
    const none = await runCli(['check', dir, '--splits', 'train,val,test']);
    assert.equal(none.code, 1, 'no manifest: every leak is unresolved');
    assert.match(none.stdout, /^leaks: val↔train: 2, test↔train: 1$/m);
    assert.match(none.stderr, /1 files are in no split and were left out/);
    assert.match(none.stderr, /^ {2}extra\/a\.jpg$/m);

    const scan = await runCli(['scan', dir, '--splits', 'train,val,test', '--json']);
    assert.equal(scan.code, 0, scan.stderr);
    const summary = JSON.parse(scan.stdout) as { leaks: Record<string, number>; outsideSplits: number };
    assert.deepEqual(summary.leaks, { 'val↔train': 2, 'test↔train': 1 });
    assert.equal(summary.outsideSplits, 1);
    const m = (await readManifest(join(dir, 'dedupe-manifest.json')))!;
    assert.deepEqual(m.settings.splits, [
      { name: 'train', glob: 'train/**' },
      { name: 'val', glob: 'val/**' },
      { name: 'test', glob: 'test/**' },
    ]);
    assert.equal(m.settings.dropFrom, 'train');
    assert.deepEqual(m.outsideSplits, ['extra/a.jpg']);
    assert.deepEqual(
      m.leaks!.map((l) => [l.a, l.b, l.splitA, l.splitB, l.drop, l.resolved]),
      [
        ['test/cat/b.webp', 'train/dog/b.jpg', 'test', 'train', 'train/dog/b.jpg', true],
        ['train/cat/a.jpg', 'val/cat/a.png', 'train', 'val', 'train/cat/a.jpg', true],
        ['train/cat/a_again.jpg', 'val/cat/a.png', 'train', 'val', 'train/cat/a_again.jpg', true],
      ],
    );
    for (const p of m.pairs!) assert.notEqual(p.a.split('/')[0], p.b.split('/')[0], `${p.a} ${p.b}: a pair within one split`);
    assert.deepEqual(m.remove, ['train/cat/a.jpg', 'train/cat/a_again.jpg', 'train/dog/b.jpg'], 'the leaks are dropped from train');
    assert.equal(m.files.find((f) => f.path === 'val/cat/a.png')?.split, 'val');

    const ok = await runCli(['check', dir]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /^leaks: none$/m);

    // A person keeps both files of one leak: resolved by the review, not by a drop.
    await runCli(['scan', dir, '--splits', 'train,val,test', '--remove', 'reviewed']);
    const pending = await runCli(['check', dir, '--splits', 'train,val,test']);
    assert.equal(pending.code, 1, '--remove reviewed: the drops are only suggested, so the leaks stay');
    assert.match(pending.stdout, /^test\/cat\/b\.webp\ttrain\/dog\/b\.jpg\t[0-9.]+\tnot-dropped\tdrop train\/dog\/b\.jpg$/m);
    await commitManifest(join(dir, 'dedupe-manifest.json'), { changes: reviewActionChanges('test/cat/b.webp', 'train/dog/b.jpg', 'keep-both') });
    const partly = await runCli(['check', dir]);
    assert.match(partly.stdout, /^leaks: val↔train: 2$/m);

    // A new near-copy lands in test: a new leak.
    await runCli(['scan', dir, '--splits', 'train,val,test', '--remove', 'all']);
    await writeImage(join(dir, 'test/cat/c_copy.png'), 3, { kind: 'png' });
    await writeImage(join(dir, 'train/cat/c.jpg'), 3, { quality: 70 });
    const fresh = await runCli(['check', dir, '--json']);
    assert.equal(fresh.code, 1);
    const report = JSON.parse(fresh.stdout) as {
      unresolvedBySplits: Record<string, number>;
      unresolved: { a: string; b: string; reason: string; drop: string }[];
    };
    assert.deepEqual(report.unresolvedBySplits, { 'test↔train': 2 });
    assert.ok(
      report.unresolved.every((u) => u.reason === 'new-leak' && u.drop === 'train/cat/c.jpg'),
      JSON.stringify(report.unresolved),
    );
  } finally {
    cleanup();
  }
});

test('scan --splits: a re-scan that reuses the last commit prints the same leaks as the full path', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await splitDataset(dir, (s) => s);
    const args = ['scan', dir, '--splits', 'train,val,test', '--remove', 'reviewed'];
    assert.equal((await runCli(args)).code, 0);
    const cacheDir = join(dir, '.media-dedupe');
    const memo = (): string =>
      join(
        cacheDir,
        readdirSync(cacheDir).find((n) => n.startsWith('written-'))!,
      );
    const forget = (): void => {
      for (const n of readdirSync(cacheDir)) if (/^(scan|written)-/.test(n)) unlinkSync(join(cacheDir, n));
    };
    const text = (out: string): string => out.replace(/ \([0-9.]+ s\)$/m, '');
    const json = (out: string): unknown => ({ ...(JSON.parse(out) as Record<string, unknown>), seconds: 0, phases: undefined });

    const memoBefore = fileStamp(memo());
    const reusedText = await runCli(args);
    const reusedJson = await runCli([...args, '--json']);
    assert.equal(fileStamp(memo()), memoBefore, 'both re-scans reused the last commit (the full path writes the memo again)');
    forget();
    const fullText = await runCli(args);
    forget();
    const fullJson = await runCli([...args, '--json']);

    assert.match(reusedText.stdout, /^leaks \(pairs across splits; dropped from train\): val↔train: 2, test↔train: 1; 3 unresolved$/m);
    assert.equal(text(reusedText.stdout), text(fullText.stdout));
    const summary = json(reusedJson.stdout) as { leaks: unknown; leaksUnresolved: unknown; outsideSplits: number };
    assert.deepEqual(summary.leaksUnresolved, { 'val↔train': 2, 'test↔train': 1 });
    assert.equal(summary.outsideSplits, 1);
    assert.deepEqual(summary, json(fullJson.stdout));
  } finally {
    cleanup();
  }
});

test('--drop-from test, --group-by folder with splits, and --split NAME=GLOB for a YOLO layout', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await splitDataset(dir, (s) => `images/${s}`);
    const rules = ['--split', 'train=images/train/**', '--split', 'val=images/val/**', '--split', 'test=images/test/**'];
    assert.equal((await runCli(['scan', dir, ...rules, '--drop-from', 'test'])).code, 0);
    let m = (await readManifest(join(dir, 'dedupe-manifest.json')))!;
    assert.equal(m.settings.dropFrom, 'test');
    assert.deepEqual(
      m.leaks!.map((l) => l.drop),
      ['images/test/cat/b.webp', 'images/train/cat/a.jpg', 'images/train/cat/a_again.jpg'],
      'test first, then the split listed first (train before val)',
    );
    assert.ok(m.remove.includes('images/test/cat/b.webp') && !m.remove.includes('images/val/cat/a.png') && !m.remove.includes('images/train/dog/b.jpg'));

    // --group-by parent: same class folder, different split: the dog/cat leak is no longer a pair.
    assert.equal((await runCli(['scan', dir, ...rules, '--group-by', 'parent'])).code, 0);
    m = (await readManifest(join(dir, 'dedupe-manifest.json')))!;
    assert.deepEqual(
      m.leaks!.map((l) => [l.a, l.b]),
      [
        ['images/train/cat/a.jpg', 'images/val/cat/a.png'],
        ['images/train/cat/a_again.jpg', 'images/val/cat/a.png'],
      ],
    );
    assert.deepEqual(m.outsideSplits, ['extra/a.jpg']);

    const bad = await runCli(['scan', dir, '--splits', 'train,val', '--drop-from', 'holdout']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--drop-from/);
    assert.equal((await runCli(['scan', dir, '--splits', 'train'])).code, 2, 'one split cannot leak');
  } finally {
    cleanup();
  }
});
