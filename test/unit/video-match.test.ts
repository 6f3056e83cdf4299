// The framewise hasher and the video matcher on synthetic hashes: no ffmpeg needed, runs in milliseconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeHash } from '../../src/core/hashers/format.js';
import type { Hasher, HashVector } from '../../src/core/hashers/types.js';
import { FramewiseHasher } from '../../src/core/video/framewise.js';
import { matchVideos } from '../../src/core/video/match.js';
import { findVideoPairs } from '../../src/core/video/pairs.js';
import { decimate, prepareVideo } from '../../src/core/video/prepared.js';
import type { VideoFrameHash, VideoHashResult } from '../../src/core/video/types.js';
import { xorshift32 } from '../../src/core/testing/plantedHashes.js';

/** Deterministic numbers in [0, 1) (xorshift32), so every run builds the same hashes. */
function rng(seed: number): () => number {
  const next = xorshift32(seed);
  return () => next() / 4294967296;
}
const randomBits = (r: () => number): Uint8Array => Uint8Array.from({ length: 256 }, () => (r() < 0.5 ? 1 : 0));
function flipBits(v: Uint8Array, n: number, r: () => number): Uint8Array {
  const out = Uint8Array.from(v);
  for (let k = 0; k < n; k++) {
    const i = Math.floor(r() * 256);
    out[i] ^= 1;
  }
  return out;
}

const HASHER = { key: 'phash:hashSize=16', dtype: 'bool', distanceMetric: 'hamming', hashLength: 256, defaultThreshold: 0.2 } as const;

function video(path: string, frames: Array<{ t: number; v: Uint8Array; flip?: Uint8Array }>, fps = 4, durationSec?: number): VideoHashResult {
  return {
    path,
    frames: frames.map(({ t, v, flip }, i): VideoFrameHash => ({
      index: i,
      timestampSec: t,
      hash: encodeHash(v, 'bool'),
      quality: 100,
      ...(flip ? { flipHash: encodeHash(flip, 'bool') } : {}),
    })),
    sampled: frames.length,
    durationSec: durationSec ?? (frames.length ? frames[frames.length - 1].t + 1 / fps : 0),
    fps: 25,
    width: 320,
    height: 180,
    codec: 'h264',
    hasher: HASHER,
    sampleFps: fps,
  };
}

/** A "recording": one distinct picture per sample (fast motion), 4 samples a second. */
function recording(seed: number, seconds: number): Uint8Array[] {
  const r = rng(seed);
  return Array.from({ length: seconds * 4 }, () => randomBits(r));
}

test('a re-encoded copy (a few bits of noise per frame) is a duplicate with near-identical frames', () => {
  const r = rng(1);
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
  const r = rng(3);
  const scene = randomBits(r);
  // Every frame is the scene plus 6-10 bits that depend on where the object is: all frames look alike.
  const half = (seed: number): Uint8Array[] => {
    const q = rng(seed);
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
  const r = rng(5);
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
  const r = rng(4);
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
  const r = rng(6);
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

test('findVideoPairs returns every pair once, a < b, sorted; different frame hashers are never compared', () => {
  const moments = recording(12, 4);
  const vids = ['c.mp4', 'a.mp4', 'b.mp4'].map((p) =>
    video(
      p,
      moments.map((v, i) => ({ t: i / 4, v })),
    ),
  );
  const pairs = findVideoPairs(vids);
  assert.deepEqual(
    pairs.map((m) => `${m.a}|${m.b}`),
    ['a.mp4|b.mp4', 'a.mp4|c.mp4', 'b.mp4|c.mp4'],
  );
  assert.deepEqual(
    findVideoPairs(vids, {
      candidates: [
        [0, 1],
        [1, 0],
      ],
    }).map((m) => `${m.a}|${m.b}`),
    ['a.mp4|c.mp4'],
  );
  const other = { ...vids[0], path: 'd.mp4', hasher: { ...HASHER, key: 'dhash:hashSize=16' } };
  assert.equal(findVideoPairs([vids[1], other]).length, 0);
  assert.throws(() => matchVideos(vids[1], other), /same frame hasher/);
});

/** A fake frame hasher: the frame's first byte picks one of the given vectors. */
function fakeHasher(vectors: Uint8Array[]): Hasher {
  return {
    name: 'fake',
    dtype: 'bool',
    distanceMetric: 'hamming',
    hashLength: 256,
    defaultThreshold: 0.2,
    compute: (img) => vectors[img.data[0]] as HashVector,
  };
}
const frameOf = (id: number, t: number) => ({
  image: { data: Uint8Array.from([id, ...Array.from({ length: 3 * 16 * 16 - 1 }, (_, i) => (i * 31) % 200)]), width: 16, height: 16 },
  timestampSec: t,
  index: t * 4,
});

test('framewise: perception never updates its reference frame; by default the last kept frame is the reference', () => {
  // A slow drift: each frame is 8 bits (0.031) from the previous one, so it takes 2 steps to pass 0.05.
  const r = rng(21);
  const drift: Uint8Array[] = [randomBits(r)];
  for (let k = 1; k < 9; k++) {
    const v = Uint8Array.from(drift[k - 1]);
    for (let i = 8 * (k - 1); i < 8 * k; i++) v[i] ^= 1;
    drift.push(v);
  }
  const run = (compareWith: 'first-kept' | 'last-kept'): number[] => {
    const fw = new FramewiseHasher(fakeHasher(drift), { interframeThreshold: 0.05, compareWith, letterbox: 'off', cropFraction: 0, isometric: false });
    drift.forEach((_, k) => fw.push(frameOf(k, k / 4)));
    return fw.frames.map((f) => f.index / 1);
  };
  // perception: frames 2.. are all more than 0.05 from frame 0, so every one of them is kept.
  assert.deepEqual(run('first-kept'), [0, 2, 3, 4, 5, 6, 7, 8]);
  // last kept: a frame is kept each time the picture has moved 0.05 on from the previous kept one.
  assert.deepEqual(run('last-kept'), [0, 2, 4, 6, 8]);
});

test('framewise: frames below the quality threshold are dropped before the inter-frame test', () => {
  const r = rng(22);
  const vs = [randomBits(r), randomBits(r)];
  const fw = new FramewiseHasher(fakeHasher(vs), {
    interframeThreshold: 0,
    qualityThreshold: 90,
    compareWith: 'last-kept',
    letterbox: 'off',
    cropFraction: 0,
    isometric: false,
  });
  const flat = { image: { data: new Uint8Array(3 * 64 * 64), width: 64, height: 64 }, timestampSec: 0, index: 0 }; // uniform: quality 0
  fw.push(flat);
  assert.equal(fw.frames.length, 0);
  assert.equal(fw.sampled, 1);
});

test('long videos: a trimmed copy of 42 minutes at 1 fps is found at its cut', () => {
  const r = rng(31);
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

test('decimate keeps every k-th frame and stretches segments over the gaps', () => {
  const moments = recording(40, 3);
  const p = prepareVideo(
    video(
      'd.mp4',
      moments.map((v, i) => ({ t: i / 4, v })),
    ),
  );
  const d = decimate(p, 3);
  assert.equal(d.n, 4);
  assert.deepEqual([...d.t], [0, 0.75, 1.5, 2.25]);
  assert.deepEqual([...d.segEnd], [0.75, 1.5, 2.25, p.segEnd[p.n - 1]]);
  assert.equal(d.interval, p.interval * 3);
  assert.deepEqual([...d.columns.full!.words!.subarray(8, 16)], [...p.columns.full!.words!.subarray(24, 32)]);
});
