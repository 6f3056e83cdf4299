// The framewise hasher on synthetic frames: no ffmpeg needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hasher, HashVector } from '../hashers/types.js';
import { FramewiseHasher } from './framewise.js';
import { randomBits, uniform01 } from '../testing/videoHashes.js';

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
  const r = uniform01(21);
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
  const r = uniform01(22);
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
