/**
 * The only module that touches fluent-ffmpeg. Its repository was archived in May 2025 and it only builds
 * argument lists and spawns processes, so everything it does for us is behind these two functions: if it
 * has to go, a plain child_process implementation of runFfmpeg/probeWithFfprobe replaces this file.
 */
import ffmpeg from 'fluent-ffmpeg';
import type { Readable } from 'node:stream';

export interface FfmpegRunOptions {
  readonly ffmpegPath: string;
  readonly input: string;
  /** Options placed before -i (decoder options such as -threads, -skip_frame). */
  readonly inputOptions: readonly string[];
  /** Options placed after -i (filters, pixel format, stream selection). */
  readonly outputOptions: readonly string[];
  /** Output container/format for stdout, e.g. 'rawvideo'. */
  readonly format: string;
  /** Every stderr line, as ffmpeg writes it. */
  readonly onStderrLine?: (line: string) => void;
}

export interface FfmpegRun {
  /** ffmpeg's stdout. Reading it slowly makes ffmpeg wait (pipe back-pressure), so memory stays bounded. */
  readonly stdout: Readable;
  /** Settles when ffmpeg exits: resolves on success, rejects with ffmpeg's message otherwise. */
  readonly done: Promise<void>;
  /** Stops ffmpeg (used when the caller has read enough or was cancelled); `done` then rejects, which callers ignore. */
  kill(): void;
}

export function runFfmpeg(o: FfmpegRunOptions): FfmpegRun {
  // stdoutLines bounds fluent's own stderr ring; callers keep the lines they need through onStderrLine.
  const cmd = ffmpeg({ source: o.input, stdoutLines: 30 })
    .setFfmpegPath(o.ffmpegPath)
    .inputOptions([...o.inputOptions])
    .outputOptions([...o.outputOptions])
    .format(o.format);
  if (o.onStderrLine) cmd.on('stderr', o.onStderrLine);
  const done = new Promise<void>((resolve, reject) => {
    cmd.on('end', () => resolve());
    cmd.on('error', (err: Error) => reject(err));
  });
  // An early kill rejects `done`; make sure that rejection never surfaces as "unhandled" when the caller has stopped listening.
  done.catch(() => undefined);
  const stdout = cmd.pipe() as Readable;
  return {
    stdout,
    done,
    kill: () => {
      try {
        cmd.kill('SIGKILL');
      } catch {
        // Already exited.
      }
    },
  };
}

/** ffprobe's view of a file, as fluent-ffmpeg parses `ffprobe -show_streams -show_format`. */
export interface RawProbe {
  readonly streams: ReadonlyArray<Record<string, unknown>>;
  readonly format: Record<string, unknown>;
}

export function probeWithFfprobe(ffprobePath: string, file: string): Promise<RawProbe> {
  return new Promise((resolve, reject) => {
    const cmd = ffmpeg().setFfprobePath(ffprobePath);
    // fluent's ffprobe runs "ffprobe -show_streams -show_format <file>" and parses the key=value blocks.
    cmd.input(file).ffprobe(['-hide_banner'], (err: Error | null, data: unknown) => {
      if (err) reject(err);
      else resolve(data as RawProbe);
    });
  });
}
