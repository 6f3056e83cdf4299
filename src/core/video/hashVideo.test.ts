// hashVideo end to end on the tiny clips in test/fixtures/video (made with ffmpeg's lavfi sources, see README there).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaError } from '../errors.js';
import { noFfmpeg, VIDEO_DIR } from '../testing/videos.js';
import { hashVideo, hashVideos, toolsFor } from './hashVideo.js';
import { locateFfmpeg } from './locate.js';
import { matchVideos } from './match.js';
import type { VideoHashResult } from './types.js';

const fx = (name: string): string => join(VIDEO_DIR, name);

const cache = new Map<string, Promise<VideoHashResult>>();
const hashed = (name: string): Promise<VideoHashResult> => {
  let p = cache.get(name);
  if (!p) cache.set(name, (p = hashVideo(fx(name), { isometric: true })));
  return p;
};

const isCode =
  (code: string, msg?: RegExp) =>
  (e: unknown): boolean =>
    e instanceof MediaError && e.code === code && (!msg || msg.test(e.message));

test('a clip: sampled at least 16 times on its own frame grid, frames in time order, hasher described', async (t) => {
  const skip = await noFfmpeg('video decoding test');
  if (skip) return t.skip(skip);
  const r = await hashed('clip.mp4');
  assert.equal(r.width, 160);
  assert.equal(r.height, 96);
  assert.equal(r.fps, 10);
  assert.equal(r.sampleFps, 5); // 4 s clip, 16 frames wanted: every 2nd of 10 fps
  assert.equal(r.sampled, 20);
  assert.ok(r.frames.length >= 16 && r.frames.length <= 20);
  assert.equal(r.frames[0].timestampSec, 0);
  for (let i = 1; i < r.frames.length; i++) assert.ok(r.frames[i].timestampSec > r.frames[i - 1].timestampSec);
  assert.equal(r.hasher.hashLength, 256);
  assert.equal(r.frames[0].hash.length, 44);
  assert.ok(r.frames[0].cropHash && r.frames[0].flipHash && r.frames[0].flipCropHash);
  assert.ok(r.frames.every((f) => f.quality >= 0 && f.quality <= 100));
});

test('trimmed, letterboxed, mirrored and GIF copies are found; a different video and the other half of a scene are not', async (t) => {
  const skip = await noFfmpeg('video decoding test');
  if (skip) return t.skip(skip);
  const clip = await hashed('clip.mp4');
  const trim = matchVideos(clip, await hashed('clip_trim.mp4'));
  assert.ok(trim, 'trimmed copy');
  assert.ok(Math.abs(trim.offsetSec + 1.3) <= 0.21, `offset ${trim.offsetSec}`);
  const lb = await hashed('clip_letterbox.mp4');
  assert.deepEqual(lb.letterbox, { x: 0, y: 16, width: 160, height: 96 });
  assert.ok(matchVideos(clip, lb), 'letterboxed copy');
  assert.ok(matchVideos(clip, await hashed('clip.gif')), 'GIF conversion');
  const flip = await hashed('clip_flip.mp4');
  assert.equal(matchVideos(clip, flip), null, 'a mirror image needs isometric matching');
  assert.equal(matchVideos(clip, flip, { isometric: true })?.flipped, true);
  assert.equal(matchVideos(clip, await hashed('other.mp4')), null);
  const a = await hashed('scene_a.mp4');
  const b = await hashed('scene_b.mp4');
  assert.equal(matchVideos(a, b), null, 'two halves of one static-camera recording');
  assert.ok(matchVideos(a, b, { temporalCheck: false }), "perception's share rule alone pairs the halves");
});

test('unreadable videos are VIDEO_UNREADABLE with what ffmpeg said; empty and missing files have their own codes', async (t) => {
  const skip = await noFfmpeg('video decoding test');
  if (skip) return t.skip(skip);
  await assert.rejects(hashVideo(fx('not_a_video.mp4')), isCode('VIDEO_UNREADABLE', /ffprobe cannot read this file: .*Invalid data/));
  await assert.rejects(hashVideo(fx('truncated.mp4')), isCode('VIDEO_UNREADABLE'));
  const tmp = mkdtempSync(join(tmpdir(), 'md-video-'));
  try {
    writeFileSync(join(tmp, 'empty.mp4'), '');
    await assert.rejects(hashVideo(join(tmp, 'empty.mp4')), isCode('EMPTY_FILE'));
    await assert.rejects(hashVideo(join(tmp, 'missing.mp4')), isCode('NOT_FOUND'));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const out = await hashVideos([fx('not_a_video.mp4'), fx('clip_trim.mp4')]);
  assert.equal(out[0].ok, false);
  assert.equal(out[1].ok, true, 'one bad file does not stop the others');
  assert.equal(!out[0].ok && out[0].error.path, fx('not_a_video.mp4'));
});

test('cancellation stops the read and rejects', async (t) => {
  const skip = await noFfmpeg('video decoding test');
  if (skip) return t.skip(skip);
  await assert.rejects(hashVideo(fx('clip.mp4'), { signal: { cancelled: true } }), /Cancelled/);
});

test('perception parity options: reference frame never updated, no bars removal, plain frames only', async (t) => {
  const skip = await noFfmpeg('video decoding test');
  if (skip) return t.skip(skip);
  const r = await hashVideo(fx('clip_letterbox.mp4'), { minFrames: 0, compareWith: 'first-kept', letterbox: 'off', cropFraction: 0, interframeThreshold: 0.2 });
  assert.equal(r.sampleFps, 1);
  assert.equal(r.letterbox, undefined);
  assert.ok(r.frames.every((f) => f.cropHash === undefined && f.flipHash === undefined));
});

test('the bundled 2018 ffmpeg and the system ffmpeg give the same frames', async (t) => {
  const skip = await noFfmpeg('video decoding test');
  if (skip) return t.skip(skip);
  let bundled: string | undefined;
  try {
    bundled = (await locateFfmpeg({ searchPath: '' })).ffmpeg;
  } catch {
    bundled = undefined;
  }
  const system = (await toolsFor({})).ffmpeg;
  if (!bundled || bundled === system) {
    t.skip('only one ffmpeg available');
    return;
  }
  const a = await hashVideo(fx('clip_trim.mp4'), { ffmpegPath: bundled });
  const b = await hashVideo(fx('clip_trim.mp4'), { ffmpegPath: system });
  assert.deepEqual(
    a.frames.map((f) => f.hash),
    b.frames.map((f) => f.hash),
  );
});
