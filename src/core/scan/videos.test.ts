// The scan's video stage: the tiny clips of test/fixtures/video beside images, end to end through scanFolder (ffmpeg
// needed; the tests skip with the reason when there is none). Also the manifest's video fields.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildManifest, serializeManifest, validateManifest } from '../manifest/index.js';
import { writeImage } from '../testing/images.js';
import { tempDir } from '../testing/tempDir.js';
import { noFfmpeg, VIDEO_DIR, writeVideoDataset } from '../testing/videos.js';
import type { ScanProgress } from '../types.js';
import { scanFolder } from './scanFolder.js';

const pairKeys = (pairs: readonly { a: string; b: string }[]): string[] => pairs.map((p) => `${p.a} ${p.b}`);

describe('scan with videos', async () => {
  const skip = await noFfmpeg('video scan test');

  it('finds video pairs beside image pairs, skips broken videos with VIDEO_UNREADABLE, and caches', { skip }, async () => {
    const { dir, cleanup } = tempDir();
    try {
      await writeVideoDataset(dir);
      const progress: ScanProgress[] = [];
      const r = await scanFolder(dir, {}, { onProgress: (p) => progress.push(p) });
      assert.equal(r.cancelled, false);
      const videoPairs = r.pairs.filter((p) => p.hasher.startsWith('video:'));
      assert.deepEqual(pairKeys(videoPairs), ['v/clip.gif v/clip.mp4', 'v/clip.gif v/clip_trim.mp4', 'v/clip.mp4 v/clip_trim.mp4']);
      // Videos never pair with images; the image pair is still there.
      assert.deepEqual(pairKeys(r.pairs.filter((p) => !p.hasher.startsWith('video:'))), ['img/a.jpg img/a_half.jpg']);
      const trim = videoPairs.find((p) => p.b === 'v/clip_trim.mp4' && p.a === 'v/clip.mp4')!;
      assert.ok(trim.frames && trim.frames.length > 3, 'matched frames come with the pair');
      assert.ok(Math.abs(trim.offsetSec! + 1.3) < 0.2, `the trim's cut: ${trim.offsetSec}`);
      for (const f of trim.frames!) assert.ok(f.distance < 0.2 && Math.abs(f.b - f.a - trim.offsetSec!) < 0.6);

      assert.deepEqual(
        r.skipped.map((s) => [s.path, s.code]),
        [
          ['v/not_a_video.mp4', 'VIDEO_UNREADABLE'],
          ['v/truncated.mp4', 'VIDEO_UNREADABLE'],
        ],
      );
      assert.match(r.skipped[1]!.message, /moov atom not found/, "ffmpeg's last stderr lines are in the message");

      const clip = r.files.find((f) => f.path === 'v/clip.mp4')!;
      assert.equal(clip.kind, 'video');
      assert.deepEqual([clip.width, clip.height, clip.durationSec], [160, 96, 4]);
      assert.equal(r.files.find((f) => f.path === 'v/clip.gif')!.kind, 'video', 'an animated GIF is a video');
      assert.equal(r.files.find((f) => f.path === 'img/a.jpg')!.kind, 'image');

      // Keep policy: highest resolution (the mp4 over the 80x48 GIF), then the longer video (not the trim).
      const cluster = r.clusters.find((c) => c.keep.startsWith('v/'))!;
      assert.equal(cluster.keep, 'v/clip.mp4');
      assert.deepEqual(
        cluster.members.map((m) => [m.path, m.decision]),
        [
          ['v/clip.gif', 'remove'],
          ['v/clip_trim.mp4', 'remove'],
        ],
      );

      // Progress counts images and videos in phases of their own, each ending complete.
      const total = r.files.length + r.skipped.length;
      const lastHash = progress.filter((p) => p.phase === 'hash').at(-1)!;
      const lastVideo = progress.filter((p) => p.phase === 'video').at(-1)!;
      assert.equal(lastHash.done, lastHash.total);
      assert.equal(lastVideo.done, lastVideo.total);
      assert.equal(lastHash.total + lastVideo.total, total);
      assert.ok(lastVideo.total >= 5, `videos counted apart from images (${lastVideo.total})`);

      // The manifest: valid, videos marked with their duration, the same clusters, deterministic.
      const m = buildManifest(r);
      assert.deepEqual(validateManifest(JSON.parse(serializeManifest(m))), []);
      const trimFile = r.files.find((f) => f.path === 'v/clip_trim.mp4')!;
      assert.deepEqual(
        m.files.find((f) => f.path === 'v/clip_trim.mp4'),
        { path: 'v/clip_trim.mp4', size: trimFile.size, sha256: trimFile.fingerprint, width: 160, height: 96, kind: 'video', durationSec: 2.7 },
      );
      assert.ok(m.remove.includes('v/clip_trim.mp4') && m.remove.includes('v/clip.gif') && !m.remove.includes('v/clip.mp4'));
      assert.equal(JSON.stringify(m).includes('"frames"'), false, 'matched frames are for review, not the manifest');

      // Second scan: every video from the cache, same result.
      const again = await scanFolder(dir, {});
      assert.equal(again.stats.cached, again.files.length);
      assert.deepEqual(again.pairs, r.pairs);
      assert.equal(serializeManifest(buildManifest(again)), serializeManifest(m));
    } finally {
      cleanup();
    }
  });

  it('isometric scans also match the mirrored copy (transform fh)', { skip }, async () => {
    const { dir, cleanup } = tempDir();
    try {
      mkdirSync(join(dir, 'v'));
      for (const f of ['clip.mp4', 'clip_flip.mp4']) copyFileSync(join(VIDEO_DIR, f), join(dir, 'v', f));
      const r = await scanFolder(dir, { isometric: true, useCache: false });
      assert.deepEqual(
        r.pairs.map((p) => [p.a, p.b, p.transform]),
        [['v/clip.mp4', 'v/clip_flip.mp4', 'fh']],
      );
    } finally {
      cleanup();
    }
  });

  it('a configured ffmpeg that does not exist: every video skipped with FFMPEG_MISSING, images still scanned', async () => {
    const { dir, cleanup } = tempDir();
    try {
      await writeVideoDataset(dir);
      const r = await scanFolder(dir, { useCache: false, ffmpegPath: join(dir, 'no-such-ffmpeg') });
      assert.equal(r.cancelled, false);
      const videos = r.skipped.filter((s) => s.path.startsWith('v/'));
      assert.equal(videos.length, 9);
      for (const s of videos) {
        assert.equal(s.code, 'FFMPEG_MISSING');
        assert.match(s.message, /configured ffmpeg/);
      }
      assert.deepEqual(
        r.files.map((f) => f.path),
        ['img/a.jpg', 'img/a_half.jpg', 'img/b.png'],
      );
      assert.deepEqual(pairKeys(r.pairs), ['img/a.jpg img/a_half.jpg']);
    } finally {
      cleanup();
    }
  });

  it('--no-videos leaves videos out; a single-image GIF is an image either way', async () => {
    const { dir, cleanup } = tempDir();
    try {
      await writeVideoDataset(dir);
      // A still GIF: one image, so it goes through the image pipeline even with videos on.
      const sharp = (await import('sharp')).default;
      await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 200, g: 10, b: 10 } } })
        .gif()
        .toFile(join(dir, 'img', 'still.gif'));
      writeFileSync(join(dir, 'v', 'notes.txt'), 'not media');
      const r = await scanFolder(dir, { useCache: false, videos: false });
      assert.deepEqual(
        r.files.map((f) => f.path).filter((p) => p.startsWith('v/')),
        ['v/clip.gif'],
        'without videos an animated GIF is an image, as before',
      );
      assert.equal(r.skipped.filter((s) => s.path.startsWith('v/')).length, 0);
      assert.equal(buildManifest(r).settings.videos, false);
      const withVideos = await scanFolder(dir, { useCache: false, ffmpegPath: join(dir, 'none') });
      assert.equal(withVideos.files.find((f) => f.path === 'img/still.gif')?.kind, 'image');
      assert.equal(buildManifest(withVideos).settings.videos, undefined);
    } finally {
      cleanup();
    }
  });

  it('cancelling stops before videos are hashed and says so', async () => {
    const { dir, cleanup } = tempDir();
    try {
      await writeVideoDataset(dir);
      const r = await scanFolder(dir, { useCache: false }, { signal: { cancelled: true } });
      assert.equal(r.cancelled, true);
      assert.equal(r.skipped.filter((s) => s.path.startsWith('v/')).length, 0, 'videos not reached are not "skipped"');
    } finally {
      cleanup();
    }
  });
});

describe('video stage when no video is left', async () => {
  const skip = await noFfmpeg('video scan test');

  it('an image-only folder gets no video cache; once the videos are gone the next scan empties theirs', { skip }, async () => {
    const { dir, cleanup } = tempDir();
    const videoCaches = (): string[] => readdirSync(join(dir, '.media-dedupe')).filter((n) => n.startsWith('videos-'));
    try {
      await writeImage(join(dir, 'a.jpg'), 1);
      await writeImage(join(dir, 'a_half.jpg'), 1, { scale: 0.5 });
      const images = await scanFolder(dir, {});
      assert.equal(images.pairs.length, 1);
      assert.deepEqual(videoCaches(), [], 'no video: no video cache written');

      copyFileSync(join(VIDEO_DIR, 'clip.mp4'), join(dir, 'clip.mp4'));
      const withVideo = await scanFolder(dir, {});
      assert.deepEqual(
        withVideo.files.map((f) => f.path),
        ['a.jpg', 'a_half.jpg', 'clip.mp4'],
      );
      const [cacheFile] = videoCaches();
      assert.ok(cacheFile, 'the video was cached');
      const entries = (): unknown[] => (JSON.parse(readFileSync(join(dir, '.media-dedupe', cacheFile), 'utf8')) as { entries: unknown[] }).entries;
      assert.equal(entries().length, 1);

      rmSync(join(dir, 'clip.mp4'));
      const again = await scanFolder(dir, {});
      assert.deepEqual(
        again.files.map((f) => f.path),
        ['a.jpg', 'a_half.jpg'],
      );
      assert.deepEqual(again.pairs, images.pairs);
      assert.equal(again.stats.cached, 2);
      assert.deepEqual(entries(), [], 'the vanished video left the video cache');
    } finally {
      cleanup();
    }
  });
});
