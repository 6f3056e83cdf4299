import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, readdirSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeImage } from '../testing/images.js';
import { VIDEO_DIR } from '../testing/videos.js';
import { tempDir } from '../testing/tempDir.js';
import type { ScanOptions, ScanResult } from '../types.js';
import { scanFolder } from './scanFolder.js';

/** Three copies of one picture, one other picture and a broken file: pairs, a cluster and a skipped record to reuse. */
async function dataset(dir: string): Promise<void> {
  await writeImage(join(dir, 'a.jpg'), 1);
  await writeImage(join(dir, 'a_half.jpg'), 1, { scale: 0.5 });
  await writeImage(join(dir, 'a.png'), 1, { kind: 'png' });
  await writeImage(join(dir, 'b.jpg'), 2);
  writeFileSync(join(dir, 'broken.jpg'), 'not a jpeg');
}

/** Scans and says whether the saved result was reused (the scan logs it). */
async function scan(dir: string, options: Partial<ScanOptions> = {}): Promise<{ r: ScanResult; reused: boolean }> {
  const logs: string[] = [];
  const r = await scanFolder(dir, options, { log: (m) => logs.push(m) });
  return { r, reused: logs.some((m) => m.startsWith('re-scan:')) };
}

/** A result without its timings, which differ run to run. */
const timeless = (r: ScanResult): unknown => ({ ...r, stats: { ...r.stats, seconds: 0, phaseSeconds: {} } });
const snapshots = (dir: string): string[] => readdirSync(join(dir, '.media-dedupe')).filter((n) => n.startsWith('scan-'));

test('re-scan of unchanged files: the saved result is reused, identical to a full scan of the same files', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await dataset(dir);
    const first = await scan(dir);
    assert.equal(first.reused, false);
    assert.equal(first.r.stats.hashed, 5);
    assert.ok(first.r.pairs.length > 0 && first.r.clusters.length === 1 && first.r.skipped.length === 1);
    assert.match(first.r.inputs!, /^[0-9a-f]{64}$/);
    const full = await scan(dir); // all from the cache, computed: it finds the snapshot of the first scan
    assert.equal(full.reused, true);
    // The same scan computed the long way: no snapshot to reuse.
    for (const n of snapshots(dir)) unlinkSync(join(dir, '.media-dedupe', n));
    const computed = await scan(dir);
    assert.equal(computed.reused, false);
    assert.equal(computed.r.stats.hashed, 0);
    const reused = await scan(dir);
    assert.equal(reused.reused, true);
    assert.deepEqual(timeless(reused.r), timeless(computed.r));
    assert.deepEqual(timeless(full.r), timeless(computed.r));
    assert.equal(reused.r.stats.cached, 5);
  } finally {
    cleanup();
  }
});

test('re-scan: a changed, added or removed file, or another setting, takes the full path (and its result is what a first scan gives)', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await dataset(dir);
    await scan(dir);
    assert.equal((await scan(dir)).reused, true);

    // Changed: a new mtime (same bytes) and a rewritten file.
    const later = new Date(Date.now() + 5000);
    utimesSync(join(dir, 'b.jpg'), later, later);
    const touched = await scan(dir);
    assert.equal(touched.reused, false);
    assert.equal(touched.r.stats.hashed, 1);
    assert.equal((await scan(dir)).reused, true);
    await writeImage(join(dir, 'b.jpg'), 1, { quality: 40 });
    const rewritten = await scan(dir);
    assert.equal(rewritten.reused, false);
    assert.ok(
      rewritten.r.clusters[0].members.some((m) => m.path === 'b.jpg'),
      'the rewritten file is now a copy of a',
    );

    // Added and removed.
    await writeImage(join(dir, 'c.jpg'), 3);
    const added = await scan(dir);
    assert.equal(added.reused, false);
    assert.ok(added.r.files.some((f) => f.path === 'c.jpg'));
    unlinkSync(join(dir, 'c.jpg'));
    const removed = await scan(dir);
    assert.equal(removed.reused, false);
    assert.ok(!removed.r.files.some((f) => f.path === 'c.jpg'));
    assert.equal((await scan(dir)).reused, true);

    // Another threshold, keep rule (strict) or hasher: the full path, each with a snapshot of its own.
    const strict = await scan(dir, { strict: true });
    assert.equal(strict.reused, false);
    assert.equal((await scan(dir, { strict: true })).reused, true);
    assert.equal((await scan(dir, { hashers: [{ name: 'phash', hashSize: 16, threshold: 0.05 }] })).reused, false);
    assert.equal((await scan(dir, { hashers: [{ name: 'dhash', threshold: 0.07 }] })).reused, false);
    assert.equal((await scan(dir)).reused, true, 'switching back reuses the default scan');
    // --no-cache never reads or writes a snapshot.
    assert.equal((await scan(dir, { useCache: false })).reused, false);
  } finally {
    cleanup();
  }
});

test('re-scan: a cache file that changed or is gone, and a damaged snapshot, take the full path', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await dataset(dir);
    const first = await scan(dir);
    const cacheFile = readdirSync(join(dir, '.media-dedupe')).find((n) => n.endsWith('.jsonl'))!;
    // The cache appended to (another scan wrote to it): not the cache the snapshot was saved beside.
    appendFileSync(join(dir, '.media-dedupe', cacheFile), '');
    utimesSync(join(dir, '.media-dedupe', cacheFile), new Date(), new Date(Date.now() + 3000));
    assert.equal((await scan(dir)).reused, false);
    assert.equal((await scan(dir)).reused, true);
    // The cache cleared: everything is hashed again.
    rmSync(join(dir, '.media-dedupe', cacheFile));
    const cleared = await scan(dir);
    assert.equal(cleared.reused, false);
    assert.equal(cleared.r.stats.hashed, 5);
    // A snapshot damaged in the middle fails its checksum.
    const snap = join(dir, '.media-dedupe', snapshots(dir)[0]);
    const text = readFileSync(snap, 'utf8');
    writeFileSync(snap, text.replace('"a.jpg"', '"z.jpg"'));
    const damaged = await scan(dir);
    assert.equal(damaged.reused, false);
    assert.deepEqual(
      damaged.r.files,
      first.r.files.map((f) => damaged.r.files.find((g) => g.path === f.path)),
    );
    assert.deepEqual(damaged.r.pairs, first.r.pairs);
    assert.deepEqual(damaged.r.clusters, first.r.clusters);
    assert.equal((await scan(dir)).reused, true);
  } finally {
    cleanup();
  }
});

test('re-scan: still GIFs are reused like other images; an animated GIF or a video takes the full path every time', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await dataset(dir);
    const sharp = (await import('sharp')).default;
    await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 200, g: 10, b: 10 } } })
      .gif()
      .toFile(join(dir, 'still.gif'));
    const first = await scan(dir);
    assert.ok(first.r.files.some((f) => f.path === 'still.gif' && f.kind === 'image'));
    const again = await scan(dir);
    assert.equal(again.reused, true);
    assert.deepEqual(timeless(again.r), timeless({ ...first.r, stats: { ...first.r.stats, hashed: 0, cached: 6 } }));
    // An animated GIF is a video: its stage has a cache of its own, so no snapshot is saved or read.
    copyFileSync(join(VIDEO_DIR, 'clip.gif'), join(dir, 'clip.gif'));
    assert.equal((await scan(dir)).reused, false);
    assert.equal((await scan(dir)).reused, false);
    rmSync(join(dir, 'clip.gif'));
    copyFileSync(join(VIDEO_DIR, 'clip.mp4'), join(dir, 'clip.mp4'));
    assert.equal((await scan(dir)).reused, false);
    assert.equal((await scan(dir)).reused, false);
    // Without it the files are again those of the saved result, but the video cache holds the video: the full
    // path prunes it (scan/videos.ts), then the next re-scan is reused, with the first result.
    rmSync(join(dir, 'clip.mp4'));
    assert.equal((await scan(dir)).reused, false);
    const back = await scan(dir);
    assert.equal(back.reused, true);
    // The same result; only the digest of its inputs differs (the video cache file is one of them).
    assert.notEqual(back.r.inputs, again.r.inputs);
    assert.deepEqual(timeless({ ...back.r, inputs: '' }), timeless({ ...again.r, inputs: '' }));
  } finally {
    cleanup();
  }
});
