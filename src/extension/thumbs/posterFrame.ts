/**
 * A video's poster for the gallery: one frame grabbed by ffmpeg into the thumbnail cache, so lists and
 * the compare view show a still without loading the video. No `vscode` here. ffmpeg is found as the
 * scan finds it (setting, then PATH, then the bundled build when installed).
 */
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { locateFfmpeg } from '../../core/video/locate.js';
import { THUMB_SIZE } from './needsThumb.js';

/** Where in the video the poster is taken: 1 s in skips the black or fade-in opening frame most clips start with. */
const POSTER_AT_SEC = 1;

function run(bin: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { timeout: 30_000, maxBuffer: 1 << 20 }, (err, _out, stderr) => {
      if (err) reject(new Error(`${err.message}${stderr ? `: ${String(stderr).trim().split('\n').slice(-3).join(' | ')}` : ''}`));
      else resolve();
    });
  });
}

async function nonEmpty(path: string): Promise<boolean> {
  try {
    return (await stat(path)).size > 0;
  } catch {
    return false;
  }
}

/** ffmpeg arguments for one PNG frame at `atSec`, scaled to fit THUMB_SIZE (PNG: every ffmpeg build has the encoder). */
export function posterArgs(input: string, output: string, atSec: number): string[] {
  // Fit inside THUMB_SIZE without enlarging a small video (as the image thumbnails).
  const fit = `scale=w='min(${THUMB_SIZE},iw)':h='min(${THUMB_SIZE},ih)':force_original_aspect_ratio=decrease`;
  return ['-v', 'error', '-nostdin', '-y', '-ss', String(atSec), '-i', input, '-frames:v', '1', '-vf', fit, '-f', 'image2', '-c:v', 'png', output];
}

/**
 * Returns a grabber bound to the user's ffmpeg setting (read each time: the setting may change): the
 * poster, or with `atSec` the frame at that moment (a matched frame of a video pair).
 */
export function posterGrabber(ffmpegPath: () => string): (input: string, output: string, atSec?: number) => Promise<void> {
  return async (input, output, atSec) => {
    const setting = ffmpegPath();
    const tools = await locateFfmpeg(setting ? { ffmpegPath: setting } : {});
    await run(tools.ffmpeg, posterArgs(input, output, atSec ?? POSTER_AT_SEC));
    // A clip shorter than POSTER_AT_SEC gives no frame there: take its first one. A matched moment is in
    // the video (the scan hashed a frame there), so it gets no such stand-in.
    if (atSec === undefined && !(await nonEmpty(output))) await run(tools.ffmpeg, posterArgs(input, output, 0));
    if (!(await nonEmpty(output))) throw new Error(atSec === undefined ? 'ffmpeg produced no frame' : `ffmpeg produced no frame at ${atSec} s`);
  };
}
