/**
 * Streams sampled RGB frames from ffmpeg's stdout (rawvideo rgb24, no temporary files).
 *
 * Sampling is by presentation time: the first frame, then the first frame at or after each multiple of
 * 1/fps after it. For a constant-rate file that is exactly the frame perception's OpenCV reader picks
 * (frame ceil(k * rate / fps) at time k / fps), and the pixels are byte-identical to it because ffmpeg's
 * default yuv->rgb conversion is the one OpenCV calls. Selecting before the conversion keeps the cost of
 * everything but decoding proportional to the sampled frames only.
 */
import { MediaError } from '../errors.js';
import type { RgbImage } from '../cv/types.js';
import { runFfmpeg } from './fluent.js';
import type { FfmpegTools } from './locate.js';
import { lastLines, type VideoProbe } from './probe.js';

export interface SampledFrame {
  readonly image: RgbImage;
  /** Seconds since the first frame. */
  readonly timestampSec: number;
  /** Frame number estimated from the time and the stream's average rate (the sample count when the rate is unknown). */
  readonly index: number;
}

/** What went wrong after some frames were read: the caller keeps the frames and reports this. */
export interface ReadReport {
  warning?: string;
}

export interface FrameReaderOptions {
  readonly fps: number;
  /** 'time' (default): by timestamps. 'frames': by frame count at the nominal rate, as perception's OpenCV reader (differs on variable-rate files). */
  readonly sampleBy?: 'time' | 'frames';
  readonly keyframesOnly?: boolean;
  /** Downscale in ffmpeg so the longer side is at most this (0: keep the decoded size). */
  readonly maxSide?: number;
  readonly threads?: number;
  readonly maxDurationSec?: number;
  readonly signal?: { readonly cancelled: boolean };
  /** Filled in when ffmpeg failed after producing frames (a damaged tail). */
  readonly report?: ReadReport;
}

// Timestamps are rounded to microseconds by containers; a frame exactly on a sampling instant must count as "at or after".
const EPS = 1e-6;

/**
 * ffmpeg expression for `select`: variable 0 holds the next sampling instant, variable 1 the frame's time
 * since the first frame (frame number / rate when a frame has no timestamp).
 */
export function selectExpression(fps: number, streamFps: number): string {
  const rate = fmt(fps);
  const nTime = streamFps > 0 ? `n/${fmt(streamFps)}` : `n/${rate}`;
  return `st(1,if(isnan(t),${nTime},t-start_t)+${EPS})*0+if(gte(ld(1),ld(0)),st(0,(floor(ld(1)*${rate})+1)/${rate}),0)`;
}

/**
 * perception's OpenCV reader: it grabs frames ceil(k * step) for step = max(1, rate / fps), counting decoded
 * frames at the nominal rate. Frame n is one of them when floor(n / step) * step > n - 1.
 */
export function frameCountExpression(fps: number, nominalFps: number): string {
  const step = fmt(Math.max(1, (nominalFps > 0 ? nominalFps : 10) / fps)); // OpenCV guesses 10 fps when the file has no rate
  return `gt(floor(n/${step})*${step},n-1)`;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(12);
}

/** Output size: the decoded size, or scaled down (even sides, as ffmpeg's scaler prefers) to fit maxSide. */
export function outputSize(probe: Pick<VideoProbe, 'width' | 'height'>, maxSide = 0): { width: number; height: number } {
  const { width: w, height: h } = probe;
  if (!maxSide || Math.max(w, h) <= maxSide) return { width: w, height: h };
  const s = maxSide / Math.max(w, h);
  return { width: Math.max(2, Math.round((w * s) / 2) * 2), height: Math.max(2, Math.round((h * s) / 2) * 2) };
}

export function ffmpegArgs(probe: VideoProbe, o: FrameReaderOptions): { inputOptions: string[]; outputOptions: string[]; width: number; height: number } {
  const { width, height } = outputSize(probe, o.maxSide);
  const scaled = width !== probe.width || height !== probe.height;
  const inputOptions = ['-hide_banner', '-nostdin', '-threads', String(o.threads ?? 1)];
  if (o.keyframesOnly) inputOptions.push('-skip_frame', 'nokey');
  if (o.maxDurationSec && o.maxDurationSec > 0) inputOptions.push('-t', String(o.maxDurationSec));
  // The explicit scale pins the frame size we split stdout by, even if the stream changes size midway.
  // bicubic is ffmpeg's (and OpenCV's) default, so at the decoded size it is the plain rgb conversion.
  const select = o.sampleBy === 'frames' ? frameCountExpression(o.fps, probe.fps) : selectExpression(o.fps, probe.fps);
  const filters = [`select='${select}'`, 'showinfo', `scale=${width}:${height}:flags=${scaled ? 'area' : 'bicubic'}`, 'format=rgb24'];
  const outputOptions = ['-map', '0:v:0', '-an', '-sn', '-dn', '-vsync', '0', '-vf', filters.join(','), '-pix_fmt', 'rgb24'];
  return { inputOptions, outputOptions, width, height };
}

/** Timestamps come from showinfo's stderr lines, one per selected frame, in order. */
const SHOWINFO = /\bn:\s*\d+\s+pts:\s*\S+\s+pts_time:\s*(\S+)/;

export async function* readFrames(tools: FfmpegTools, file: string, probe: VideoProbe, o: FrameReaderOptions): AsyncGenerator<SampledFrame> {
  const { inputOptions, outputOptions, width, height } = ffmpegArgs(probe, o);
  const frameBytes = width * height * 3;
  const times: number[] = [];
  const tail: string[] = [];
  let wake: (() => void) | undefined;
  let exited = false;
  const run = runFfmpeg({
    ffmpegPath: tools.ffmpeg,
    input: file,
    inputOptions,
    outputOptions,
    format: 'rawvideo',
    onStderrLine: (line) => {
      const m = SHOWINFO.exec(line);
      if (m) {
        times.push(Number(m[1])); // NaN for NOPTS: that frame's time is then estimated from its position
        wake?.();
      } else if (!/showinfo|^\s*(frame=|Stream mapping|Press \[q\])/.test(line)) {
        tail.push(line);
        if (tail.length > 12) tail.shift();
      }
    },
  });
  let failure: unknown;
  run.done.then(
    () => {
      exited = true;
      wake?.();
    },
    (e: unknown) => {
      exited = true;
      failure = e;
      wake?.();
    },
  );
  // stderr and stdout are separate pipes: a frame's bytes can arrive before its showinfo line.
  const timeOf = async (k: number): Promise<number | undefined> => {
    while (times.length <= k && !exited) await new Promise<void>((r) => (wake = r));
    return times[k];
  };

  // Each frame is filled straight from the chunks (one copy per byte) and handed over as it is.
  let frame = new Uint8Array(frameBytes);
  let filled = 0;
  let count = 0;
  let t0: number | undefined;
  let stopped = false;
  try {
    for await (const chunk of run.stdout as AsyncIterable<Buffer>) {
      let at = 0;
      while (at < chunk.length) {
        const n = Math.min(frameBytes - filled, chunk.length - at);
        frame.set(chunk.subarray(at, at + n), filled);
        filled += n;
        at += n;
        if (filled < frameBytes) break;
        const data = frame;
        frame = new Uint8Array(frameBytes);
        filled = 0;
        const raw = await timeOf(count);
        const t = raw !== undefined && Number.isFinite(raw) ? raw : undefined;
        if (t0 === undefined) t0 = t ?? 0;
        const ts = t === undefined ? count / o.fps : Math.max(0, t - t0);
        const index = probe.fps > 0 ? Math.round(ts * probe.fps) : count;
        count++;
        yield { image: { data, width, height }, timestampSec: ts, index };
        if (o.signal?.cancelled) {
          stopped = true;
          return;
        }
      }
    }
    await run.done.catch(() => undefined);
    if (failure && !stopped) {
      const msg = failure instanceof Error ? failure.message : String(failure);
      const detail = lastLines(tail.join('\n')) || lastLines(msg);
      // Frames already read are good; a damaged tail is common (truncated downloads), so only fail when nothing came out.
      if (count === 0) throw new MediaError('VIDEO_UNREADABLE', `ffmpeg cannot decode this video: ${detail}`, file);
      if (o.report) o.report.warning = `ffmpeg stopped with an error after ${count} frames: ${detail}`;
    } else if (count === 0 && !stopped) {
      throw new MediaError('VIDEO_UNREADABLE', `ffmpeg decoded no frames from this video${tail.length ? `: ${lastLines(tail.join('\n'))}` : ''}.`, file);
    }
  } finally {
    if (!exited) run.kill();
  }
}
