/**
 * All duplicate pairs among hashed videos. Every pair is compared exactly (the frame counts of a dataset's
 * videos are small next to its images); for very large collections pass `candidates`, e.g. the video pairs
 * that share at least one frame hash found by the image search index, and only those are verified.
 */
import { resolveVideoMatchOptions } from './options.js';
import { matchPrepared } from './match.js';
import { prepareVideo } from './prepared.js';
import type { VideoHashResult, VideoMatch, VideoMatchOptions } from './types.js';

export interface FindVideoPairsOptions extends VideoMatchOptions {
  /** Only these (index, index) pairs of `videos` are compared. */
  readonly candidates?: Iterable<readonly [number, number]>;
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: { readonly cancelled: boolean };
}

/** The match with a and b swapped (frames, offset), so that a < b as every Pair in the engine. */
export function orientMatch(m: VideoMatch): VideoMatch {
  if (m.a <= m.b) return m;
  return {
    ...m,
    a: m.b,
    b: m.a,
    offsetSec: -m.offsetSec,
    frames: m.frames.map((f) => ({ ...f, a: f.b, b: f.a })).sort((x, y) => x.a.timestampSec - y.a.timestampSec),
  };
}

/** Pairs sorted by (a, b). Videos hashed with different frame hashers are never compared. */
export function findVideoPairs(videos: readonly VideoHashResult[], opts: FindVideoPairsOptions = {}): VideoMatch[] {
  const prepared = videos.map(prepareVideo);
  const resolved = new Map<number, ReturnType<typeof resolveVideoMatchOptions>>();
  const optsFor = (i: number) => {
    const t = videos[i].hasher.defaultThreshold;
    let r = resolved.get(t);
    if (!r) resolved.set(t, (r = resolveVideoMatchOptions(opts, t)));
    return r;
  };
  const pairs: Array<readonly [number, number]> = [];
  if (opts.candidates) {
    const seen = new Set<string>();
    for (const [x, y] of opts.candidates) {
      const i = Math.min(x, y);
      const j = Math.max(x, y);
      if (i === j || i < 0 || j >= videos.length || seen.has(`${i},${j}`)) continue;
      seen.add(`${i},${j}`);
      pairs.push([i, j]);
    }
  } else {
    for (let i = 0; i < videos.length; i++) for (let j = i + 1; j < videos.length; j++) pairs.push([i, j]);
  }
  const out: VideoMatch[] = [];
  let done = 0;
  for (const [i, j] of pairs) {
    if (opts.signal?.cancelled) break;
    if (videos[i].hasher.key === videos[j].hasher.key) {
      const m = matchPrepared(prepared[i], prepared[j], optsFor(i));
      if (m) out.push(orientMatch(m));
    }
    if (++done % 256 === 0) opts.onProgress?.(done, pairs.length);
  }
  opts.onProgress?.(done, pairs.length);
  return out.sort((x, y) => (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0));
}
