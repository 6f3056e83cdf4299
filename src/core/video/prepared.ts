/**
 * A video's kept frames in the form the matcher compares thousands of times: times as numbers and each hash
 * kind decoded once. Bit hashes become 32-bit words (Hamming = popcount of XOR); the bit order inside the
 * words does not matter for a distance, so the packed bytes are used as they are.
 */
import { decodeHash, hashStringToBytes, vectorDistance } from '../hashers/format.js';
import type { HashVector } from '../hashers/types.js';
import type { VideoHashResult } from './types.js';

export type HashKind = 'full' | 'crop' | 'flip' | 'flipCrop';

/** One kind of hash for every kept frame; `has[i]` is 0 where a frame lacks it. */
export interface HashColumn {
  readonly words?: Uint32Array; // bool hashes: frame i at [i * wordsPerHash, (i + 1) * wordsPerHash)
  readonly vectors?: (HashVector | null)[]; // uint8 / float32 hashes
  readonly has: Uint8Array;
}

export interface PreparedVideo {
  readonly path: string;
  readonly n: number;
  /** Frame times and the end of each frame's "segment" (the next kept frame, or one sampling interval after the last). */
  readonly t: Float64Array;
  readonly segEnd: Float64Array;
  /** Frame numbers in the file, for reporting. */
  readonly frameIndex: Int32Array;
  /** Sampling interval (seconds) the frames were taken at. */
  readonly interval: number;
  readonly durationSec: number;
  readonly bitHash: boolean;
  readonly hashLength: number;
  readonly wordsPerHash: number;
  readonly metric: 'hamming' | 'euclidean';
  readonly columns: Readonly<Record<HashKind, HashColumn | undefined>>;
}

const cache = new WeakMap<VideoHashResult, PreparedVideo>();

export function prepareVideo(r: VideoHashResult): PreparedVideo {
  const hit = cache.get(r);
  if (hit) return hit;
  const n = r.frames.length;
  const t = Float64Array.from(r.frames, (f) => f.timestampSec);
  const interval = r.sampleFps > 0 ? 1 / r.sampleFps : 1;
  const segEnd = new Float64Array(n);
  for (let i = 0; i < n; i++) segEnd[i] = i + 1 < n ? t[i + 1] : Math.max(t[i] + interval, r.durationSec);
  const bitHash = r.hasher.dtype === 'bool' && r.hasher.distanceMetric === 'hamming';
  const wordsPerHash = Math.ceil(r.hasher.hashLength / 32);
  const column = (pick: (i: number) => string | undefined): HashColumn | undefined => {
    const has = new Uint8Array(n);
    let any = false;
    if (bitHash) {
      const words = new Uint32Array(n * wordsPerHash);
      const bytes = new Uint8Array(wordsPerHash * 4);
      for (let i = 0; i < n; i++) {
        const s = pick(i);
        if (s === undefined) continue;
        bytes.fill(0);
        bytes.set(hashStringToBytes(s).subarray(0, bytes.length));
        const view = new DataView(bytes.buffer);
        for (let w = 0; w < wordsPerHash; w++) words[i * wordsPerHash + w] = view.getUint32(w * 4);
        has[i] = 1;
        any = true;
      }
      return any ? { words, has } : undefined;
    }
    const vectors: (HashVector | null)[] = new Array(n).fill(null);
    for (let i = 0; i < n; i++) {
      const s = pick(i);
      if (s === undefined) continue;
      vectors[i] = decodeHash(s, r.hasher.dtype, r.hasher.hashLength);
      has[i] = 1;
      any = true;
    }
    return any ? { vectors, has } : undefined;
  };
  const p: PreparedVideo = {
    path: r.path,
    n,
    t,
    segEnd,
    frameIndex: Int32Array.from(r.frames, (f) => f.index),
    interval,
    durationSec: r.durationSec,
    bitHash,
    hashLength: r.hasher.hashLength,
    wordsPerHash,
    metric: r.hasher.distanceMetric,
    columns: {
      full: column((i) => r.frames[i].hash),
      crop: column((i) => r.frames[i].cropHash),
      flip: column((i) => r.frames[i].flipHash),
      flipCrop: column((i) => r.frames[i].flipCropHash),
    },
  };
  cache.set(r, p);
  return p;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Distance between frame i of column a and frame j of column b (Infinity when either hash is missing). */
export function frameDistance(pa: PreparedVideo, ca: HashColumn, i: number, cb: HashColumn, j: number): number {
  if (!ca.has[i] || !cb.has[j]) return Infinity;
  if (ca.words && cb.words) {
    const w = pa.wordsPerHash;
    let d = 0;
    for (let k = 0, x = i * w, y = j * w; k < w; k++) d += popcount(ca.words[x + k] ^ cb.words[y + k]);
    return d / pa.hashLength;
  }
  return vectorDistance(ca.vectors![i]!, cb.vectors![j]!, pa.metric);
}

/**
 * Every k-th kept frame (segments stretched to the next one kept): bounds the matcher's frames x frames
 * table for very long videos, at the price of coarser alignment.
 */
export function decimate(p: PreparedVideo, k: number): PreparedVideo {
  if (k <= 1) return p;
  const keep: number[] = [];
  for (let i = 0; i < p.n; i += k) keep.push(i);
  const n = keep.length;
  const t = Float64Array.from(keep, (i) => p.t[i]);
  const segEnd = Float64Array.from(keep, (i, q) => (q + 1 < n ? p.t[keep[q + 1]] : p.segEnd[p.n - 1]));
  const pick = (c: HashColumn | undefined): HashColumn | undefined => {
    if (!c) return undefined;
    const has = Uint8Array.from(keep, (i) => c.has[i]);
    if (c.words) {
      const w = p.wordsPerHash;
      const words = new Uint32Array(n * w);
      keep.forEach((i, q) => words.set(c.words!.subarray(i * w, (i + 1) * w), q * w));
      return { words, has };
    }
    return { vectors: keep.map((i) => c.vectors![i]), has };
  };
  return {
    ...p,
    n,
    t,
    segEnd,
    frameIndex: Int32Array.from(keep, (i) => p.frameIndex[i]),
    interval: p.interval * k,
    columns: { full: pick(p.columns.full), crop: pick(p.columns.crop), flip: pick(p.columns.flip), flipCrop: pick(p.columns.flipCrop) },
  };
}
