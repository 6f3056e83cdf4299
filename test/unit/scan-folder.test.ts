import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildManifest, serializeManifest } from '../../src/core/manifest/index.js';
import { scanFolder, DEFAULT_SCAN_OPTIONS } from '../../src/core/scan/scanFolder.js';
import { ProgressTracker } from '../../src/core/scan/progress.js';
import type { ScanProgress } from '../../src/core/types.js';
import { tempDir, writeImage } from '../helpers/scan-fixtures.js';

/** cats/: an image, a half-size copy, a low-quality copy, a PNG copy and a mirror; dogs/: three distinct images and one cross-folder copy. */
async function dataset(dir: string): Promise<void> {
  mkdirSync(join(dir, 'cats'));
  mkdirSync(join(dir, 'dogs'));
  await writeImage(join(dir, 'cats', 'a.jpg'), 1);
  await writeImage(join(dir, 'cats', 'a_half.jpg'), 1, { scale: 0.5 });
  await writeImage(join(dir, 'cats', 'a_q30.jpg'), 1, { quality: 30 });
  await writeImage(join(dir, 'cats', 'a.png'), 1, { kind: 'png' });
  await writeImage(join(dir, 'cats', 'a_mirror.jpg'), 1, { flip: true });
  for (const s of [2, 3, 4]) await writeImage(join(dir, 'dogs', `d${s}.jpg`), s);
  await writeImage(join(dir, 'dogs', 'copy_of_a.webp'), 1, { kind: 'webp' });
}

test('scan: pairs, clusters with the keep policy, progress to the callback, stats', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await dataset(dir);
    const progress: ScanProgress[] = [];
    const r = await scanFolder(dir, { useCache: false }, { onProgress: (p) => progress.push(p) });
    assert.equal(r.cancelled, false);
    assert.equal(r.files.length, 9);
    assert.deepEqual(r.skipped, []);
    const inCluster = ['cats/a.jpg', 'cats/a.png', 'cats/a_half.jpg', 'cats/a_q30.jpg', 'dogs/copy_of_a.webp'];
    assert.equal(r.clusters.length, 1);
    assert.deepEqual([r.clusters[0].keep, ...r.clusters[0].members.map((m) => m.path)].sort(), inCluster.sort());
    // Full resolution and largest file: the PNG.
    assert.equal(r.clusters[0].keep, 'cats/a.png');
    for (const p of r.pairs) assert.ok(p.a < p.b && p.distance < 0.2 && p.hasher === 'phash16');
    assert.deepEqual(
      r.pairs,
      [...r.pairs].sort((x, y) => (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : 1)),
    );
    assert.equal(r.files.find((f) => f.path === 'cats/a_half.jpg')?.width, 64);
    assert.match(r.files[0].fingerprint, /^[0-9a-f]{64}$/);
    assert.equal(r.stats.hashed, 9);
    assert.ok(progress.some((p) => p.phase === 'walk'));
    const hash = progress.filter((p) => p.phase === 'hash');
    assert.equal(hash.at(-1)?.done, 9);
    assert.ok(hash.every((p) => p.total === 9));
    assert.equal(progress.at(-1)?.phase, 'done');
    assert.equal(existsSync(join(dir, '.media-dedupe')), false, '--no-cache writes nothing into the dataset');
  } finally {
    cleanup();
  }
});

test('scan --isometric finds the mirror image; --group-by folder keeps pairs within a folder', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await dataset(dir);
    const iso = await scanFolder(dir, { useCache: false, isometric: true });
    const mirror = iso.pairs.find((p) => p.a === 'cats/a.jpg' && p.b === 'cats/a_mirror.jpg');
    assert.ok(mirror);
    assert.equal(mirror.transform, 'fh');
    const grouped = await scanFolder(dir, { useCache: false, groupBy: 'folder' });
    assert.ok(grouped.pairs.every((p) => p.a.split('/')[0] === p.b.split('/')[0]));
    assert.ok(!grouped.pairs.some((p) => p.b === 'dogs/copy_of_a.webp'));
  } finally {
    cleanup();
  }
});

test('scan: the cache makes a re-scan stat-only; a changed file is hashed again; the manifest is byte-identical', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await dataset(dir);
    const first = await scanFolder(dir);
    assert.equal(first.stats.hashed, 9);
    assert.equal(readFileSync(join(dir, '.media-dedupe', '.gitignore'), 'utf8'), '*\n');
    const second = await scanFolder(dir);
    assert.equal(second.stats.hashed, 0);
    assert.equal(second.stats.cached, 9);
    assert.equal(serializeManifest(buildManifest(second)), serializeManifest(buildManifest(first)));
    const uncached = await scanFolder(dir, { useCache: false });
    assert.equal(serializeManifest(buildManifest(uncached)), serializeManifest(buildManifest(first)));

    const later = new Date(Date.now() + 5000);
    utimesSync(join(dir, 'dogs', 'd2.jpg'), later, later);
    const third = await scanFolder(dir);
    assert.equal(third.stats.hashed, 1);
    // A hasher change hashes again (into its own cache file); the first cache stays for switching back.
    const dhash = await scanFolder(dir, { hashers: [{ name: 'dhash', threshold: 0.07 }] });
    assert.equal(dhash.stats.hashed, 9);
    assert.equal(readdirSync(join(dir, '.media-dedupe')).filter((n) => n.endsWith('.jsonl')).length, 2);
    assert.equal((await scanFolder(dir)).stats.hashed, 0);
    // Isometric variants are not in the plain cache: hashed once more, then cached.
    assert.equal((await scanFolder(dir, { isometric: true })).stats.hashed, 9);
    assert.equal((await scanFolder(dir, { isometric: true })).stats.hashed, 0);
  } finally {
    cleanup();
  }
});

test('scan: a cancelled scan keeps what was hashed, and the next scan finishes the rest', async () => {
  const { dir, cleanup } = tempDir();
  try {
    for (let i = 0; i < 40; i++) await writeImage(join(dir, `img${String(i).padStart(2, '0')}.jpg`), 100 + i, { width: 64, height: 48 });
    const signal = { cancelled: false };
    const part = await scanFolder(
      dir,
      {},
      {
        signal,
        onProgress: (p) => {
          if (p.phase === 'hash' && p.done >= 10) signal.cancelled = true;
        },
      },
    );
    assert.equal(part.cancelled, true);
    assert.ok(part.stats.hashed >= 10 && part.stats.hashed < 40, `hashed ${part.stats.hashed}`);
    assert.equal(part.files.length, part.stats.hashed);
    const rest = await scanFolder(dir);
    assert.equal(rest.cancelled, false);
    assert.equal(rest.stats.cached, part.stats.hashed);
    assert.equal(rest.stats.hashed, 40 - part.stats.hashed);
    assert.equal(rest.files.length, 40);
  } finally {
    cleanup();
  }
});

test('scan: a scan killed part-way (SIGKILL) keeps what it hashed; the next scan hashes only the rest', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const n = 150;
    for (let i = 0; i < n; i++) await writeImage(join(dir, `img${String(i).padStart(3, '0')}.png`), 500 + i, { kind: 'png', width: 64, height: 48 });
    const entry = join(__dirname, '..', '..', 'src', 'core', 'scan', 'scanFolder.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', `require(${JSON.stringify(entry)}).scanFolder(${JSON.stringify(dir)})`], {
      stdio: 'ignore',
    });
    const cacheDir = join(dir, '.media-dedupe');
    const lines = (): number => {
      const f = existsSync(cacheDir) ? readdirSync(cacheDir).find((x) => x.endsWith('.jsonl')) : undefined;
      return f ? readFileSync(join(cacheDir, f), 'utf8').split('\n').length - 2 : 0;
    };
    const t0 = Date.now();
    while (lines() < 20 && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const kept = lines();
    assert.ok(kept >= 20 && kept < n, `${kept} entries on disk when killed`);
    const next = await scanFolder(dir);
    assert.equal(next.cancelled, false);
    assert.ok(next.stats.cached >= 20, `cached ${next.stats.cached}`);
    assert.equal(next.stats.cached + next.stats.hashed, n);
  } finally {
    cleanup();
  }
});

test('scan: a corrupt cache is rebuilt, never trusted, and says so in the log', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await dataset(dir);
    const good = await scanFolder(dir);
    const cacheFile = readdirSync(join(dir, '.media-dedupe')).find((n) => n.endsWith('.jsonl'))!;
    const path = join(dir, '.media-dedupe', cacheFile);
    // Swap two hashes inside the file: valid JSON, wrong data. Checksums catch it.
    const text = readFileSync(path, 'utf8');
    const hashes = [...text.matchAll(/"phash:[^"]*":"([^"]+)"/g)].map((m) => m[1]);
    writeFileSync(path, text.replace(hashes[0], '__A__').replace(hashes[1], hashes[0]).replace('__A__', hashes[1]));
    const logs: string[] = [];
    const again = await scanFolder(dir, {}, { log: (m) => logs.push(m) });
    assert.ok(
      logs.some((l) => /2 corrupt lines/.test(l)),
      logs.join('\n'),
    );
    assert.equal(again.stats.hashed, 2);
    assert.deepEqual(again.pairs, good.pairs);

    writeFileSync(path, '\u0000\u0001garbage');
    const logs2: string[] = [];
    const rebuilt = await scanFolder(dir, {}, { log: (m) => logs2.push(m) });
    assert.ok(
      logs2.some((l) => /rebuilding/.test(l)),
      logs2.join('\n'),
    );
    assert.equal(rebuilt.stats.hashed, 9);
    assert.deepEqual(rebuilt.pairs, good.pairs);
  } finally {
    cleanup();
  }
});

test('scan: above --approximate-above files the LSH candidate search runs (verified exactly) and finds the same pairs here', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await dataset(dir);
    const exact = await scanFolder(dir, { useCache: false });
    const logs: string[] = [];
    const approx = await scanFolder(dir, { useCache: false, approximateAbove: 2 }, { log: (m) => logs.push(m) });
    assert.ok(
      logs.some((l) => /approximate candidates for 9 files/.test(l)),
      logs.join('\n'),
    );
    assert.deepEqual(approx.pairs, exact.pairs);
    await assert.rejects(scanFolder(dir, { approximateAbove: 1.5 }), /Expected an integer between 2 and .* for approximateAbove but received 1.5/);
  } finally {
    cleanup();
  }
});

test('scan: bad options fail at once with "Expected X for Y but received Z"', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await assert.rejects(scanFolder(dir, { hashers: [{ name: 'nope', threshold: 0.1 }] }), /Expected one of phash, .* for hasher but received "nope"/);
    await assert.rejects(scanFolder(dir, { hashers: [] }), /Expected a non-empty list of hashers for hashers/);
    await assert.rejects(
      scanFolder(dir, { hashers: [{ name: 'phash', hashSize: 16, threshold: 2 }] }),
      /Expected a number between 0 and 1 for threshold of phash but received 2/,
    );
    await assert.rejects(scanFolder(dir, { hashers: [{ name: 'pdq', hashSize: 16, threshold: 0.2 }] }), /for hash size of pdq/);
    await assert.rejects(scanFolder(dir, { groupBy: 'class' as never }), /Expected one of none, folder, parent for groupBy but received "class"/);
    await assert.rejects(scanFolder(dir, { protect: [''] }), /Expected a list of non-empty strings for protect/);
    await assert.rejects(scanFolder(join(dir, 'missing')), (e: Error & { code?: string }) => e.code === 'NOT_FOUND');
    assert.equal(DEFAULT_SCAN_OPTIONS.hashers[0].name, 'phash');
  } finally {
    cleanup();
  }
});

test('progress: files done/total, then a rate and an ETA once hashing has run a moment', async () => {
  const seen: ScanProgress[] = [];
  const t = new ProgressTracker(10, 4, (p) => seen.push(p));
  t.fileHashed();
  assert.deepEqual(seen[0], { phase: 'hash', done: 5, total: 10 });
  await new Promise((r) => setTimeout(r, 250));
  t.fileHashed();
  t.fileHashed();
  const last = seen.at(-1)!;
  assert.equal(last.done, 7);
  assert.ok(last.ratePerSec! > 0 && last.ratePerSec! < 20, String(last.ratePerSec));
  assert.ok(last.etaSec! >= 1);
  assert.equal(t.filesHashed, 3);
});
