/** Synthetic video hash results (seeded random frame hashes): the matcher's, pairing's and decimation's tests need no ffmpeg. */
import { encodeHash } from '../hashers/format.js';
import type { VideoFrameHash, VideoHashResult } from '../video/types.js';
import { xorshift32 } from './plantedHashes.js';

/** Deterministic numbers in [0, 1) (xorshift32), so every run builds the same hashes. */
export function uniform01(seed: number): () => number {
  const next = xorshift32(seed);
  return () => next() / 4294967296;
}
export const randomBits = (r: () => number): Uint8Array => Uint8Array.from({ length: 256 }, () => (r() < 0.5 ? 1 : 0));
export function flipBits(v: Uint8Array, n: number, r: () => number): Uint8Array {
  const out = Uint8Array.from(v);
  for (let k = 0; k < n; k++) {
    const i = Math.floor(r() * 256);
    out[i] ^= 1;
  }
  return out;
}

export const VIDEO_HASHER = { key: 'phash:hashSize=16', dtype: 'bool', distanceMetric: 'hamming', hashLength: 256, defaultThreshold: 0.2 } as const;

export function video(path: string, frames: Array<{ t: number; v: Uint8Array; flip?: Uint8Array }>, fps = 4, durationSec?: number): VideoHashResult {
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
    hasher: VIDEO_HASHER,
    sampleFps: fps,
  };
}

/** A "recording": one distinct picture per sample (fast motion), 4 samples a second. */
export function recording(seed: number, seconds: number): Uint8Array[] {
  const r = uniform01(seed);
  return Array.from({ length: seconds * 4 }, () => randomBits(r));
}
