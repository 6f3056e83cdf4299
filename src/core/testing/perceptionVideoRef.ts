import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One frame as perception's readers gave it (reference/perception/video/video_results.json). */
export interface RefFrame {
  index: number;
  timestamp: number;
  rgb_md5: string;
  phash16: string;
  quality: number;
}

/** The parts of video_results.json that the golden test and the bench compare with. */
export interface PerceptionVideoRef {
  frames: Record<string, { opencv_fps1: RefFrame[]; ffmpeg_fps1: RefFrame[] }>;
  framewise: Record<string, Record<string, string[]>>;
  dedup: Record<string, string[][]>;
}

export function readPerceptionVideoRef(videoDir: string): PerceptionVideoRef {
  return JSON.parse(readFileSync(join(videoDir, 'video_results.json'), 'utf8')) as PerceptionVideoRef;
}

/**
 * perception's FramewiseHasher.process_frame over the reference's per-frame (phash16, quality): its
 * reference frame is the first kept one and is never updated (ours compares with the last kept frame).
 */
export function perceptionFramewise(frames: readonly RefFrame[], threshold: number, quality?: number): string[] {
  const kept: string[] = [];
  let previous: string | undefined;
  for (const f of frames) {
    if (quality !== undefined && f.quality < quality) continue;
    if (previous === undefined) {
      previous = f.phash16;
      kept.push(f.phash16);
    } else if (bitDistance(f.phash16, previous) / 256 > threshold) kept.push(f.phash16);
  }
  return kept;
}

/** Differing bits between two base64 bit hashes. */
export function bitDistance(a: string, b: string): number {
  const x = Buffer.from(a, 'base64');
  const y = Buffer.from(b, 'base64');
  let d = 0;
  for (let i = 0; i < Math.min(x.length, y.length); i++) for (let v = x[i] ^ y[i]; v; v >>= 1) d += v & 1;
  return d;
}
