// The video matcher on synthetic hashes: no ffmpeg needed, runs in milliseconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchVideos } from './match.js';
import { flipBits, randomBits, recording, uniform01, video } from '../testing/videoHashes.js';

test('a re-encoded copy (a few bits of noise per frame) is a duplicate with near-identical frames', () => {
  const r = uniform01(1);
  const moments = recording(7, 6);
  const a = video(
    'a.mp4',
    moments.map((v, i) => ({ t: i / 4, v })),
  );
  const b = video(
    'b.mp4',
    moments.map((v, i) => ({ t: i / 4, v: flipBits(v, 4, r) })),
  );
  const m = matchVideos(a, b);
  assert.ok(m);
  assert.equal(m.reason, 'near-identical');
  assert.equal(m.share, 1);
  assert.equal(m.offsetSec, 0);
  assert.equal(m.frames.length, 24);
  assert.ok(m.distance <= 4 / 256);
});

test('a trimmed copy aligns at the cut; a clip from inside a longer video too, in either argument order', () => {
  const moments = recording(8, 8);
  const full = video(
    'full.mp4',
    moments.map((v, i) => ({ t: i / 4, v })),
  );
  const trimmed = video(
    'trim.mp4',
    moments.slice(6).map((v, i) => ({ t: i / 4, v })),
  );
  const m = matchVideos(full, trimmed);
  assert.ok(m);
  assert.equal(m.a, 'full.mp4');
  assert.equal(m.offsetSec, -1.5); // b's time = a's time - 1.5 s
  assert.equal(m.frames[0].a.timestampSec, 1.5);
  assert.equal(m.frames[0].b.timestampSec, 0);
  const back = matchVideos(trimmed, full);
  assert.ok(back);
  assert.equal(back.offsetSec, 1.5);
  const clip = video(
    'clip.mp4',
    moments.slice(10, 18).map((v, i) => ({ t: i / 4, v })),
  );
  assert.equal(matchVideos(full, clip)?.offsetSec, -2.5);
});

test('two recordings of one static scene (same picture, a small object at different places) are not duplicates', () => {
  const r = uniform01(3);
  const scene = randomBits(r);
  // Every frame is the scene plus 6-10 bits that depend on where the object is: all frames look alike.
  const half = (seed: number): Uint8Array[] => {
    const q = uniform01(seed);
    return Array.from({ length: 24 }, () => flipBits(scene, 6 + Math.floor(q() * 5), q));
  };
  const a = video(
    'first-half.mp4',
    half(11).map((v, i) => ({ t: i / 4, v })),
  );
  const b = video(
    'second-half.mp4',
    half(12).map((v, i) => ({ t: i / 4, v })),
  );
  assert.equal(matchVideos(a, b), null);
  // perception's rule alone pairs them: every frame has a match below 0.2.
  const p = matchVideos(a, b, { temporalCheck: false });
  assert.ok(p);
  assert.equal(p.reason, 'share');
  assert.equal(p.share, 1);
});

test('same moments with an overlay: farther than a re-encode, yet clearly closer than other moments', () => {
  const r = uniform01(5);
  const moments = recording(9, 6);
  const overlay = (v: Uint8Array): Uint8Array => {
    const out = flipBits(v, 3, r);
    for (let i = 200; i < 218; i++) out[i] ^= 1; // the same 18 bits changed in every frame
    return out;
  };
  const a = video(
    'a.mp4',
    moments.map((v, i) => ({ t: i / 4, v })),
  );
  const b = video(
    'b.mp4',
    moments.map((v, i) => ({ t: i / 4 + 0.01, v: overlay(v) })),
  );
  const m = matchVideos(a, b);
  assert.ok(m);
  assert.equal(m.reason, 'contrast');
  assert.ok(m.evidence.contrast > 3 && m.evidence.wins === 1);
});

test('a clip too short to have other moments is decided by the share; unrelated videos never match', () => {
  const r = uniform01(4);
  const still = randomBits(r);
  const a = video('still-a.mp4', [{ t: 0, v: still }], 4, 0.6);
  const b = video('still-b.gif', [{ t: 0, v: flipBits(still, 30, r) }], 4, 0.6);
  const m = matchVideos(a, b);
  assert.ok(m);
  assert.equal(m.reason, 'no-other-moments');
  const other = video(
    'other.mp4',
    recording(99, 3).map((v, i) => ({ t: i / 4, v })),
  );
  assert.equal(matchVideos(a, other), null);
  assert.equal(matchVideos(video('empty.mp4', []), a), null);
});

test('mirrored copies match only with isometric matching', () => {
  const r = uniform01(6);
  const moments = recording(10, 5);
  const mirror = moments.map(() => randomBits(r)); // what the mirrored picture hashes to
  const a = video(
    'a.mp4',
    moments.map((v, i) => ({ t: i / 4, v, flip: mirror[i] })),
  );
  const b = video(
    'b.mp4',
    mirror.map((v, i) => ({ t: i / 4, v: flipBits(v, 3, r) })),
  );
  assert.equal(matchVideos(a, b), null);
  const m = matchVideos(a, b, { isometric: true });
  assert.ok(m);
  assert.equal(m.flipped, true);
  assert.match(m.frames[0].via, /^flip/);
});

test('long videos: a trimmed copy of 42 minutes at 1 fps is found at its cut', () => {
  const r = uniform01(31);
  const moments = Array.from({ length: 2500 }, () => randomBits(r)); // 42 minutes at 1 fps, every frame distinct
  const full = video(
    'long.mp4',
    moments.map((v, i) => ({ t: i, v })),
    1,
  );
  const trimmed = video(
    'long_trim.mp4',
    moments.slice(400).map((v, i) => ({ t: i, v: flipBits(v, 3, r) })),
    1,
  );
  const m = matchVideos(full, trimmed);
  assert.ok(m);
  assert.equal(m.offsetSec, -400);
  assert.ok(m.share > 0.9);
});
