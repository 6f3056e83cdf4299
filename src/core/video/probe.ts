/**
 * Duration, frame rate and decoded frame size of a file's first video stream. ffprobe when there is one;
 * otherwise the same facts are read from the stream summary `ffmpeg -i` prints, so a lone ffmpeg binary
 * (a user setting, some distributions) is enough.
 */
import { MediaError } from '../errors.js';
import { probeWithFfprobe, runFfmpeg, type RawProbe } from './fluent.js';
import type { FfmpegTools } from './locate.js';

export interface VideoProbe {
  /** Decoded frame size, after the rotation metadata ffmpeg applies (90/270 degrees swap the sides). */
  readonly width: number;
  readonly height: number;
  /** Average frame rate; 0 when the container does not know it. */
  readonly fps: number;
  /** The stream's nominal rate (r_frame_rate), which OpenCV reports as the rate; 0 when unknown. */
  readonly nominalFps: number;
  readonly durationSec: number;
  readonly codec: string;
  /** Rotation from the display matrix or the legacy rotate tag (degrees, as ffmpeg applies it). */
  readonly rotation: number;
}

const num = (v: unknown): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : NaN;
};

/** "30000/1001" -> 29.97; "0/0" or junk -> 0. */
export function parseRate(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) && v > 0 ? v : 0;
  if (typeof v !== 'string') return 0;
  const m = /^(\d+(?:\.\d+)?)(?:\/(\d+(?:\.\d+)?))?$/.exec(v.trim());
  if (!m) return 0;
  const n = Number(m[1]);
  const d = m[2] === undefined ? 1 : Number(m[2]);
  return n > 0 && d > 0 ? n / d : 0;
}

function swapsSides(rotation: number): boolean {
  return Math.abs(Math.round(rotation / 90)) % 2 === 1;
}

export function fromFfprobe(data: RawProbe, file: string): VideoProbe {
  const v = data.streams.find((s) => s.codec_type === 'video' && !(s['DISPOSITION:attached_pic'] === 1 || s['DISPOSITION:attached_pic'] === '1'));
  if (!v) throw new MediaError('VIDEO_UNREADABLE', 'ffprobe found no video stream in this file.', file);
  const w = num(v.width);
  const h = num(v.height);
  if (!(w > 0 && h > 0)) throw new MediaError('VIDEO_UNREADABLE', 'ffprobe could not tell the video size (the stream may be damaged).', file);
  const rotation = Number.isFinite(num(v.rotation)) ? num(v.rotation) : Number.isFinite(num(v['TAG:rotate'])) ? -num(v['TAG:rotate']) : 0;
  const fps = parseRate(v.avg_frame_rate) || parseRate(v.r_frame_rate);
  const sd = num(v.duration);
  const fd = num(data.format.duration);
  const durationSec = sd > 0 ? sd : fd > 0 ? fd : 0;
  const swap = swapsSides(rotation);
  return {
    width: swap ? h : w,
    height: swap ? w : h,
    fps,
    nominalFps: parseRate(v.r_frame_rate) || fps,
    durationSec,
    codec: String(v.codec_name ?? 'unknown'),
    rotation,
  };
}

/** Parses the "Duration:" and first "Stream #..: Video:" lines of `ffmpeg -i`. Exported for tests. */
export function fromFfmpegBanner(lines: readonly string[], file: string): VideoProbe {
  let durationSec = 0;
  let video: string | undefined;
  let rotation = 0;
  for (const line of lines) {
    const d = /Duration:\s*(\d+):(\d+):(\d+(?:\.\d+)?)/.exec(line);
    if (d && !durationSec) durationSec = Number(d[1]) * 3600 + Number(d[2]) * 60 + Number(d[3]);
    if (!video && /Stream #\d+:\d+.*: Video: /.test(line) && !/attached pic/.test(line)) video = line;
    const r = /rotation of (-?\d+(?:\.\d+)?) degrees/.exec(line);
    if (r && video && !rotation) rotation = Number(r[1]);
    if (/^Stream mapping:|^Output #/.test(line.trim())) break; // the output section repeats "Stream #" lines
  }
  if (!video) throw new MediaError('VIDEO_UNREADABLE', 'ffmpeg found no video stream in this file.', file);
  const size = /,\s*(\d{1,5})x(\d{1,5})[\s,[]/.exec(video + ' ');
  if (!size) throw new MediaError('VIDEO_UNREADABLE', 'ffmpeg could not tell the video size.', file);
  const codec = /Video:\s*([A-Za-z0-9_]+)/.exec(video)?.[1] ?? 'unknown';
  const fpsMatch = /([\d.]+)\s*fps/.exec(video);
  const tbrMatch = /([\d.]+)\s*tbr/.exec(video);
  const fps = fpsMatch ? Number(fpsMatch[1]) : tbrMatch ? Number(tbrMatch[1]) : 0;
  const nominal = tbrMatch ? Number(tbrMatch[1]) : fps;
  const w = Number(size[1]);
  const h = Number(size[2]);
  const swap = swapsSides(rotation);
  return {
    width: swap ? h : w,
    height: swap ? w : h,
    fps: Number.isFinite(fps) ? fps : 0,
    nominalFps: Number.isFinite(nominal) ? nominal : 0,
    durationSec,
    codec,
    rotation,
  };
}

async function probeWithFfmpeg(ffmpegPath: string, file: string): Promise<VideoProbe> {
  const lines: string[] = [];
  const run = runFfmpeg({
    ffmpegPath,
    input: file,
    inputOptions: ['-hide_banner', '-nostdin'],
    outputOptions: ['-map', '0:v:0?', '-frames:v', '1'],
    format: 'null',
    onStderrLine: (l) => {
      if (lines.length < 400) lines.push(l);
    },
  });
  run.stdout.resume();
  try {
    await run.done;
  } catch {
    // The banner is printed before any decoding error; parse what we have and let the parser judge.
  }
  return fromFfmpegBanner(lines, file);
}

export async function probeVideo(tools: FfmpegTools, file: string): Promise<VideoProbe> {
  if (!tools.ffprobe) return probeWithFfmpeg(tools.ffmpeg, file);
  let data: RawProbe;
  try {
    data = await probeWithFfprobe(tools.ffprobe, file);
  } catch (e) {
    throw new MediaError('VIDEO_UNREADABLE', `ffprobe cannot read this file: ${lastLines(e instanceof Error ? e.message : String(e))}`, file);
  }
  return fromFfprobe(data, file);
}

/** The end of an ffmpeg/ffprobe message: the useful part is the last lines, not the banner. */
export function lastLines(text: string, n = 4): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim().replace(/ @ 0x[0-9a-f]+\]/, ']'))
    // The version banner (ffprobe/ffmpeg without -hide_banner) says nothing about the file.
    .filter((l) => l.length > 0 && !/^(lib\w+\s+\d|ffprobe version|ffmpeg version|built with|configuration:|Copyright)/.test(l));
  return lines.slice(-n).join(' | ');
}
