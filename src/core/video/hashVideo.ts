/**
 * One video file -> its kept frame hashes. Failures are MediaErrors (FFMPEG_MISSING, VIDEO_UNREADABLE,
 * NOT_FOUND) carrying ffmpeg's last stderr lines, so a scan can turn them into skipped records and go on.
 */
import { stat } from 'node:fs/promises';
import { MediaError, toMediaError } from '../errors.js';
import { createHasher, hasherKey } from '../hashers/registry.js';
import type { Hasher } from '../hashers/types.js';
import { readFrames } from './frameReader.js';
import { FramewiseHasher } from './framewise.js';
import { locateFfmpeg, type FfmpegTools } from './locate.js';
import { resolveVideoHashOptions, samplingRate } from './options.js';
import { probeVideo } from './probe.js';
import type { VideoHashOptions, VideoHashResult } from './types.js';

const toolsCache = new Map<string, Promise<FfmpegTools>>();

/** ffmpeg/ffprobe for these options, located once per distinct setting. A failed lookup is retried next time. */
export function toolsFor(o: Pick<VideoHashOptions, 'ffmpegPath' | 'ffprobePath'>): Promise<FfmpegTools> {
  const key = `${o.ffmpegPath ?? ''}\u0000${o.ffprobePath ?? ''}`;
  let p = toolsCache.get(key);
  if (!p) {
    p = locateFfmpeg({ ffmpegPath: o.ffmpegPath, ffprobePath: o.ffprobePath });
    p.catch(() => toolsCache.delete(key));
    toolsCache.set(key, p);
  }
  return p;
}

export async function hashVideo(path: string, opts: VideoHashOptions = {}): Promise<VideoHashResult> {
  const o = resolveVideoHashOptions(opts);
  const hasher: Hasher = createHasher(o.hasher.name, o.hasher.params);
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new MediaError('NOT_A_FILE', 'Not a regular file.', path);
    if (st.size === 0) throw new MediaError('EMPTY_FILE', 'The file is empty (0 bytes).', path);
  } catch (e) {
    if (e instanceof MediaError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new MediaError('NOT_FOUND', 'The file does not exist.', path);
    if (code === 'EACCES' || code === 'EPERM') throw new MediaError('UNREADABLE', 'Permission denied.', path);
    throw toMediaError(e, path);
  }
  const tools = await toolsFor(opts);
  const probe = await probeVideo(tools, path);
  const fps = samplingRate(o.framesPerSecond, o.minFrames, probe.durationSec, probe.fps);
  const fw = new FramewiseHasher(hasher, o);
  const report: { warning?: string } = {};
  let lastTime = 0;
  for await (const frame of readFrames(tools, path, probe, {
    report,
    fps,
    keyframesOnly: o.keyframesOnly,
    sampleBy: o.sampleBy,
    maxSide: o.maxSide,
    threads: o.threads,
    maxDurationSec: o.maxDurationSec,
    signal: opts.signal,
  })) {
    fw.push(frame);
    lastTime = frame.timestampSec;
  }
  if (opts.signal?.cancelled) throw new MediaError('INTERNAL', 'Cancelled.', path);
  const lb = fw.letterbox;
  // A truncated file often decodes "successfully" up to where its data ends: say so instead of hiding it.
  const expected = o.maxDurationSec > 0 ? Math.min(o.maxDurationSec, probe.durationSec) : probe.durationSec;
  const shortRead = expected > 2 && lastTime + Math.max(2, 2 / fps) < 0.9 * expected;
  const warning =
    report.warning ??
    (shortRead ? `only the first ${lastTime.toFixed(1)} s of ${expected.toFixed(1)} s could be decoded (damaged or truncated file?)` : undefined);
  return {
    path,
    frames: fw.frames,
    sampled: fw.sampled,
    durationSec: probe.durationSec,
    fps: probe.fps,
    width: probe.width,
    height: probe.height,
    codec: probe.codec,
    ...(lb ? { letterbox: { x: lb.x1, y: lb.y1, width: lb.x2 - lb.x1, height: lb.y2 - lb.y1 } } : {}),
    hasher: {
      key: hasherKey({ name: o.hasher.name, params: o.hasher.params }),
      dtype: hasher.dtype,
      distanceMetric: hasher.distanceMetric,
      hashLength: hasher.hashLength,
      defaultThreshold: hasher.defaultThreshold,
    },
    sampleFps: fps,
    ...(warning ? { warning } : {}),
  };
}

export type VideoHashOutcome =
  { readonly ok: true; readonly result: VideoHashResult } | { readonly ok: false; readonly path: string; readonly error: MediaError };

/** hashVideo that never throws: a failure becomes the error a skipped record is made from. */
export async function tryHashVideo(path: string, opts: VideoHashOptions = {}): Promise<VideoHashOutcome> {
  try {
    return { ok: true, result: await hashVideo(path, opts) };
  } catch (e) {
    return { ok: false, path, error: toMediaError(e, path) };
  }
}

/**
 * Hashes many videos, `concurrency` ffmpeg processes at a time (decoding is the cost; with one decoder
 * thread each, N processes keep N cores busy). Results come back in input order.
 */
export async function hashVideos(
  paths: readonly string[],
  opts: VideoHashOptions & { readonly concurrency?: number; readonly onResult?: (o: VideoHashOutcome, index: number) => void } = {},
): Promise<VideoHashOutcome[]> {
  const out: VideoHashOutcome[] = new Array(paths.length);
  let next = 0;
  const n = Math.max(1, Math.min(opts.concurrency ?? 2, paths.length));
  const worker = async (): Promise<void> => {
    while (next < paths.length && !opts.signal?.cancelled) {
      const i = next++;
      out[i] = await tryHashVideo(paths[i], opts);
      opts.onResult?.(out[i], i);
    }
  };
  await Promise.all(Array.from({ length: n }, worker));
  // Files never started because of cancellation still get an outcome, so indexes stay aligned with `paths`.
  for (let i = 0; i < paths.length; i++)
    out[i] ??= { ok: false, path: paths[i], error: new MediaError('INTERNAL', 'Cancelled before this video was hashed.', paths[i]) };
  return out;
}
