import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { FIXTURES_DIR } from '../../core/testing/dataDirs.js';
import { runCli } from '../testing/runInProcess.js';
import { readManifest } from '../../core/manifest/index.js';
import { PHASES } from '../../core/profile/phaseProfile.js';
import { writeImage } from '../../core/testing/images.js';
import { tempDir } from '../../core/testing/tempDir.js';
import { writeVideoDataset } from '../../core/testing/videos.js';

const FIXTURES = join(FIXTURES_DIR, 'images');

async function small(dir: string): Promise<void> {
  mkdirSync(join(dir, 'originals'));
  await writeImage(join(dir, 'originals', 'a.jpg'), 1);
  await writeImage(join(dir, 'a, "copy".jpg'), 1, { quality: 40 });
  await writeImage(join(dir, 'a_big.png'), 1, { kind: 'png', width: 256, height: 192 });
  await writeImage(join(dir, 'b.jpg'), 2);
}

test('scan: writes the manifest (and the pairs CSV), prints a JSON summary, keeps the cache in .media-dedupe', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await small(dir);
    const csv = join(dir, 'pairs.csv');
    // --protect keeps originals/ from removal; folder:originals/** makes them the kept files (protection alone does not rank).
    const r = await runCli(['scan', dir, '--json', '--pairs-csv', csv, '--protect', 'originals/**', '--keep-policy', 'folder:originals/**,resolution']);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(summary.files, 4);
    assert.equal(summary.hashed, 4);
    assert.equal(summary.pairs, 3);
    assert.equal(summary.clusters, 1);
    assert.equal(summary.remove, 2);
    assert.equal(summary.manifest, join(dir, 'dedupe-manifest.json'));
    const m = (await readManifest(join(dir, 'dedupe-manifest.json')))!;
    // originals/ is preferred by the keep policy, so it is kept even though a_big.png has more pixels.
    assert.deepEqual(m.remove, ['a, "copy".jpg', 'a_big.png']);
    assert.deepEqual(m.settings.protect, ['originals/**']);
    const rows = readFileSync(csv, 'utf8').trim().split('\n');
    assert.equal(rows[0], 'file1,file2,distance');
    assert.equal(rows.length, 4);
    assert.ok(
      rows.some((x) => x.startsWith('"a, ""copy"".jpg",a_big.png,')),
      rows.join('\n'),
    );
    assert.equal(readFileSync(join(dir, '.media-dedupe', '.gitignore'), 'utf8'), '*\n');

    // Unchanged data: everything from the cache, manifest bytes unchanged.
    const before = readFileSync(join(dir, 'dedupe-manifest.json'), 'utf8');
    const again = await runCli(['scan', dir, '--protect', 'originals/**']);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /4 files \(0 hashed, 4 from cache\), 0 skipped, 3 pairs, 1 clusters, 2 to remove/);
    assert.match(again.stdout, /\(unchanged\)/);
    assert.equal(readFileSync(join(dir, 'dedupe-manifest.json'), 'utf8'), before);
  } finally {
    cleanup();
  }
});

test('scan: --manifest elsewhere gets paths relative to its own folder; --strict, --group-by and --isometric reach the scan', async () => {
  const { dir, cleanup } = tempDir();
  try {
    mkdirSync(join(dir, 'data'));
    await small(join(dir, 'data'));
    const out = join(dir, 'out.json');
    const r = await runCli(['scan', 'data', '--manifest', out, '--strict', '--group-by', 'parent', '--isometric', '--no-cache'], dir);
    assert.equal(r.code, 0, r.stderr);
    const m = (await readManifest(out))!;
    assert.equal(m.root, 'data');
    assert.ok(m.remove.every((p) => p.startsWith('data/')));
    assert.deepEqual([m.settings.strict, m.settings.groupBy, m.settings.isometric], [true, 'parent', true]);
    // group-by parent: originals/a.jpg is in another folder than the root files, so it pairs with none of them
    assert.ok(m.pairs!.every((p) => !p.a.includes('originals') && !p.b.includes('originals')));
  } finally {
    cleanup();
  }
});

test('scan: bad arguments exit 2 with "Expected X for Y but received Z"', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const cases: [string[], RegExp][] = [
      [['scan'], /Expected one folder .* for <dir> but received nothing/],
      [['scan', join(dir, 'nope')], /Expected an existing folder for <dir> but received/],
      [['scan', dir, '--hasher', 'phash@x'], /for --hasher but received "phash@x"/],
      [['scan', dir, '--hasher', 'nosuch'], /for hasher but received "nosuch"/],
      [['scan', dir, '--group-by', 'class'], /Expected one of none, folder, parent for --group-by but received "class"/],
      [['scan', dir, '--frobnicate'], /Unknown option --frobnicate/],
    ];
    for (const [argv, re] of cases) {
      const r = await runCli(argv);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
    }
    writeFileSync(join(dir, 'dedupe-manifest.json'), '{ not json');
    const broken = await runCli(['scan', dir]);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /dedupe-manifest.json is not valid JSON/);
    assert.equal(readFileSync(join(dir, 'dedupe-manifest.json'), 'utf8'), '{ not json', 'a broken manifest is never overwritten');
    const help = await runCli(['scan', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--pairs-csv FILE/);
  } finally {
    cleanup();
  }
});

test("CLI: --color-check drops recoloured pairs and is recorded for check; --json counts them; the default (--parity, --no-color-check) keeps perception's pairs", async () => {
  const { dir, cleanup } = tempDir();
  try {
    const src = readFileSync(join(FIXTURES, 'retina.jpg'));
    await sharp(src).toFile(join(dir, 'eye.jpg'));
    await sharp(src).jpeg({ quality: 40 }).toFile(join(dir, 'eye_q40.jpg'));
    await sharp(src)
      .recomb([
        [0, 0, 1],
        [0, 1, 0],
        [1, 0, 0],
      ])
      .jpeg({ quality: 90 })
      .toFile(join(dir, 'eye_blue.jpg'));
    const on = await runCli(['scan', dir, '--json', '--color-check']);
    assert.equal(on.code, 0, on.stderr);
    assert.deepEqual(((s) => [s.pairs, s.colorRejected])(JSON.parse(on.stdout) as Record<string, unknown>), [1, 2]);
    assert.match(on.stderr, /colour check: 2 of 3 image pairs dropped/);
    assert.equal((await readManifest(join(dir, 'dedupe-manifest.json')))!.settings.colorCheck, true);
    assert.equal((await runCli(['check', dir])).code, 0);

    const off = await runCli(['scan', dir, '--json', '--no-color-check']);
    assert.equal(off.code, 0, off.stderr);
    const summary = JSON.parse(off.stdout) as Record<string, unknown>;
    assert.equal(summary.pairs, 3);
    assert.equal('colorRejected' in summary, false);
    assert.equal((await readManifest(join(dir, 'dedupe-manifest.json')))!.settings.colorCheck, false);
    // check repeats the scan as the manifest says (colour check off): every pair is known.
    assert.equal((await runCli(['check', dir])).code, 0);

    // --parity is the same switch (perception's pairs); asking for the colour check too is a contradiction.
    const parity = await runCli(['scan', dir, '--json', '--parity']);
    assert.equal(parity.code, 0, parity.stderr);
    assert.equal((JSON.parse(parity.stdout) as Record<string, unknown>).pairs, 3);
    // ...and so is no option at all (the check is opt-in).
    const plain = await runCli(['scan', dir, '--json']);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal((JSON.parse(plain.stdout) as Record<string, unknown>).pairs, 3);
    assert.equal((await readManifest(join(dir, 'dedupe-manifest.json')))!.settings.colorCheck, false);
    const both = await runCli(['scan', dir, '--parity', '--color-check']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--parity/);
  } finally {
    cleanup();
  }
});

test('CLI: --crop-resistant pairs a bordered copy (via content-box in the manifest), is kept for check, and contradicts --parity', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const size = { kind: 'png' as const, width: 192, height: 144 };
    await writeImage(join(dir, 'a.png'), 11, size);
    await writeImage(join(dir, 'a_border.png'), 11, { ...size, border: 0.1 });
    await writeImage(join(dir, 'b.png'), 12, size);
    const plain = await runCli(['scan', dir, '--json']);
    assert.equal((JSON.parse(plain.stdout) as Record<string, unknown>).pairs, 0, plain.stderr);
    const crop = await runCli(['scan', dir, '--json', '--crop-resistant']);
    assert.equal(crop.code, 0, crop.stderr);
    assert.equal((JSON.parse(crop.stdout) as Record<string, unknown>).pairs, 1);
    const m = (await readManifest(join(dir, 'dedupe-manifest.json')))!;
    assert.equal(m.settings.cropResistant, true);
    assert.deepEqual(
      m.pairs?.map((p) => [p.a, p.b, p.via]),
      [['a.png', 'a_border.png', 'content-box']],
    );
    // check repeats the scan as the manifest says (crop-resistant): the pair is known, nothing new.
    assert.equal((await runCli(['check', dir])).code, 0);
    const both = await runCli(['scan', dir, '--parity', '--crop-resistant']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--parity/);
    assert.match((await runCli(['scan', '--help'])).stdout, /--crop-resistant/);
  } finally {
    cleanup();
  }
});

test('scan: --remove reviewed proposes instead of removing, --keep-policy orders the keep choice; both stay in the manifest until changed', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await small(dir);
    const path = join(dir, 'dedupe-manifest.json');
    const r = await runCli(['scan', dir, '--remove', 'reviewed', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as Record<string, number>;
    assert.deepEqual([summary.remove, summary.suggested], [0, 2]);
    let m = (await readManifest(path))!;
    assert.equal(m.settings.remove, 'reviewed');
    assert.deepEqual(m.remove, []);
    assert.equal(m.clusters[0].keep, 'a_big.png', 'default policy: highest resolution');
    assert.ok(m.clusters[0].members.every((x) => x.decision === 'keep' && x.suggested === 'remove'));
    // A later scan without the flag keeps the choice written in the manifest.
    await runCli(['scan', dir]);
    m = (await readManifest(path))!;
    assert.equal(m.settings.remove, 'reviewed');
    const p = await runCli(['scan', dir, '--remove', 'all', '--keep-policy', 'folder:originals/**,resolution']);
    assert.equal(p.code, 0, p.stderr);
    m = (await readManifest(path))!;
    assert.equal(m.settings.remove, 'all');
    assert.deepEqual(m.settings.keepPolicy, ['folder:originals/**', 'resolution']);
    assert.equal(m.clusters[0].keep, 'originals/a.jpg');
    assert.equal(m.clusters[0].keepReason, 'kept: in originals/** (keep policy folder:originals/**)');
    assert.deepEqual(m.remove, ['a, "copy".jpg', 'a_big.png']);
    const bad = await runCli(['scan', dir, '--keep-policy', 'biggest']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Expected a comma-separated list of protected, not-reencoded, .* for --keep-policy but received "biggest"/);
  } finally {
    cleanup();
  }
});

test('scan: a hand edit of remove is merged by the next scan (a file decision); an invalid one exits 2 naming the line, file untouched', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await small(dir);
    const path = join(dir, 'dedupe-manifest.json');
    assert.equal((await runCli(['scan', dir, '--protect', 'originals/**', '--keep-policy', 'folder:originals/**,resolution'])).code, 0);
    const m = JSON.parse(readFileSync(path, 'utf8')) as { remove: string[] };
    assert.deepEqual(m.remove, ['a, "copy".jpg', 'a_big.png']);
    // The person keeps the big PNG after all: deleted from remove by hand.
    m.remove = ['a, "copy".jpg'];
    writeFileSync(path, JSON.stringify(m, null, 2) + '\n');
    const r = await runCli(['scan', dir, '--protect', 'originals/**']);
    assert.equal(r.code, 0, r.stderr);
    const after = (await readManifest(path))!;
    assert.deepEqual(after.remove, ['a, "copy".jpg']);
    assert.deepEqual(after.fileDecisions, [{ path: 'a_big.png', decision: 'keep' }]);
    // A protected file typed into remove is refused with its line; the scan does not run and nothing is written.
    const text = readFileSync(path, 'utf8');
    const bad = text.replace('"remove": [\n', '"remove": [\n    "originals/a.jpg",\n');
    writeFileSync(path, bad);
    const line = bad.split('\n').findIndex((l) => l.trim() === '"originals/a.jpg",') + 1;
    const refused = await runCli(['scan', dir, '--protect', 'originals/**']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, new RegExp(`dedupe-manifest\\.json:${line}: "originals/a\\.jpg" is protected`));
    assert.equal(readFileSync(path, 'utf8'), bad);
  } finally {
    cleanup();
  }
});

test('scan: a decision saved while the scan hashes survives the scan’s write', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await small(dir);
    for (let i = 0; i < 24; i++) await writeImage(join(dir, `filler${i}.png`), 100 + i, { kind: 'png', width: 512, height: 384 });
    const path = join(dir, 'dedupe-manifest.json');
    assert.equal((await runCli(['scan', dir, '--no-cache'])).code, 0);
    const { commitManifest, reviewActionChanges } = await import('../../core/manifest/index.js');
    const { statSync } = await import('node:fs');
    const scanning = runCli(['scan', dir, '--no-cache']);
    await new Promise((r) => setTimeout(r, 30)); // the scan has read the manifest and is hashing
    await commitManifest(path, { changes: reviewActionChanges('a_big.png', 'originals/a.jpg', 'keep-b') });
    const savedAt = statSync(path).mtimeMs;
    const r = await scanning;
    assert.equal(r.code, 0, r.stderr);
    assert.ok(statSync(path).mtimeMs >= savedAt, 'the scan wrote after the decision was saved');
    const m = (await readManifest(path))!;
    assert.deepEqual(m.reviews, [{ a: 'a_big.png', b: 'originals/a.jpg', decision: 'keep-b' }]);
    assert.ok(m.remove.includes('a_big.png'));
  } finally {
    cleanup();
  }
});

test('scan: a re-scan of unchanged files reuses the last one (same summary, manifest untouched); decisions and settings made since are kept', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await small(dir);
    const path = join(dir, 'dedupe-manifest.json');
    type Summary = Record<string, unknown>;
    const scan = async (...extra: string[]): Promise<{ s: Summary; reused: boolean }> => {
      const r = await runCli(['scan', dir, '--json', ...extra]);
      assert.equal(r.code, 0, r.stderr);
      const s = JSON.parse(r.stdout) as Summary;
      for (const k of ['seconds', 'phases']) delete s[k];
      return { s, reused: /re-scan: \d+ files unchanged/.test(r.stderr) };
    };
    const first = await scan();
    const bytes = readFileSync(path, 'utf8');
    const again = await scan();
    assert.equal(again.reused, true);
    assert.equal(again.s.manifestChanged, false);
    assert.deepEqual({ ...again.s, hashed: 0, cached: 0 }, { ...first.s, hashed: 0, cached: 0, manifestChanged: false });
    assert.equal(readFileSync(path, 'utf8'), bytes);

    // A decision from the gallery: the next re-scan reuses the scan, not the manifest write, and keeps it.
    const { commitManifest, reviewActionChanges } = await import('../../core/manifest/index.js');
    await commitManifest(path, { changes: reviewActionChanges('a_big.png', 'originals/a.jpg', 'keep-b') });
    const decided = await scan();
    assert.equal(decided.reused, true);
    assert.equal(decided.s.removeReviewed, 1);
    assert.deepEqual((await readManifest(path))!.reviews, [{ a: 'a_big.png', b: 'originals/a.jpg', decision: 'keep-b' }]);
    const after = await scan();
    assert.equal(after.s.manifestChanged, false);
    assert.equal(after.s.removeReviewed, 1);

    // Another decision setting is written, and the decision stays.
    const reviewed = await scan('--remove', 'reviewed');
    assert.equal(reviewed.s.manifestChanged, true);
    const m = (await readManifest(path))!;
    assert.equal(m.settings.remove, 'reviewed');
    assert.deepEqual(m.reviews, [{ a: 'a_big.png', b: 'originals/a.jpg', decision: 'keep-b' }]);
    assert.equal((await scan()).s.manifestChanged, false);
  } finally {
    cleanup();
  }
});

test('scan: names with a backslash, a newline, a tab or a leading dash give a valid manifest that the next scan and check read', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await writeImage(join(dir, 'plain.jpg'), 1);
    for (const name of ['back\\slash.jpg', 'new\nline.jpg', 'tab\tname.jpg', '-dash.jpg']) await writeImage(join(dir, name), 1, { quality: 50 });
    const first = await runCli(['scan', dir]);
    assert.equal(first.code, 0, first.stderr);
    const m = (await readManifest(join(dir, 'dedupe-manifest.json')))!;
    assert.deepEqual([...m.remove].sort(), ['-dash.jpg', 'back\\slash.jpg', 'new\nline.jpg', 'tab\tname.jpg'].sort());
    assert.equal((await runCli(['scan', dir])).code, 0);
    const check = await runCli(['check', dir]);
    assert.equal(check.code, 0, check.stdout + check.stderr);
    // check prints such names quoted, so each pair stays on one line.
    await writeImage(join(dir, 'new\nline.jpg'), 1, { quality: 30 });
    const changed = await runCli(['check', dir]);
    assert.equal(changed.code, 1);
    assert.match(changed.stdout, /"new\\nline\.jpg"\tplain\.jpg\t[0-9.]+\tfile-changed|plain\.jpg\t"new\\nline\.jpg"/);
  } finally {
    cleanup();
  }
});

test('scan --profile: the time of every phase of a first scan, on stderr and in the JSON summary', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await small(dir);
    // With the colour check, which alone takes colour signatures.
    const r = await runCli(['scan', dir, '--json', '--profile', '--color-check']);
    assert.equal(r.code, 0, r.stderr);
    const profile = (JSON.parse(r.stdout) as { profile: { files: number; hashed: number; phases: { phase: string; thread: string; ms: number }[] } }).profile;
    assert.equal(profile.files, 4);
    assert.equal(profile.hashed, 4);
    const phases = profile.phases.map((p) => p.phase);
    // Every phase but those a first scan of four small files need not reach: a cache to read, idle waits, the query index (built by the first query), crop hashes and the crop pass (--crop-resistant only).
    for (const p of PHASES.filter((q) => !['cache read', 'waiting', 'index build', 'crop hashes', 'crop pass'].includes(q)))
      assert.ok(phases.includes(p), `${p} missing from ${phases.join(', ')}`);
    assert.ok(profile.phases.every((p) => p.ms >= 0));
    assert.ok(
      profile.phases.some((p) => p.phase === 'decode' && p.thread === 'pool'),
      'decodes timed on the pool',
    );
    assert.match(r.stderr, /profile: 4 files, 4 hashed; wall [\d.]+ s since the process started, CPU [\d.]+ s/);
    assert.match(r.stderr, /manifest write\s+main\s+[\d.]+/);
    // Without the flag: no profile.
    const plain = await runCli(['scan', dir, '--json']);
    assert.equal((JSON.parse(plain.stdout) as { profile?: unknown }).profile, undefined);
    assert.doesNotMatch(plain.stderr, /profile:/);
  } finally {
    cleanup();
  }
});

describe('CLI: --ffmpeg and --no-videos', () => {
  it('a bad --ffmpeg skips the videos with the reason; --no-videos leaves them out; help lists both', async () => {
    const { dir, cleanup } = tempDir();
    try {
      await writeVideoDataset(dir);
      const bad = await runCli(['scan', dir, '--json', '--no-cache', '--ffmpeg', join(dir, 'nope')]);
      assert.equal(bad.code, 0, bad.stderr);
      const summary = JSON.parse(bad.stdout) as { files: number; skippedByCode: Record<string, number> };
      assert.deepEqual([summary.files, summary.skippedByCode['FFMPEG_MISSING']], [3, 9]);
      const none = await runCli(['scan', dir, '--json', '--no-cache', '--no-videos']);
      assert.deepEqual((JSON.parse(none.stdout) as { skipped: number }).skipped, 0);
      const help = await runCli(['scan', '--help']);
      assert.match(help.stdout, /--no-videos/);
      assert.match(help.stdout, /--ffmpeg PATH/);
    } finally {
      cleanup();
    }
  });
});
