/** The tiny clips of test/fixtures/video (made with ffmpeg's lavfi sources, see the README there) and a folder made of them. */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { toolsFor } from '../video/hashVideo.js';
import { FIXTURES_DIR } from './dataDirs.js';
import { writeImage } from './images.js';

export const VIDEO_DIR = join(FIXTURES_DIR, 'video');

/** Why the tests that decode videos cannot run here (no ffmpeg anywhere), or false. */
export async function noFfmpeg(what: string): Promise<string | false> {
  try {
    await toolsFor({});
    return false;
  } catch (e) {
    return `no ffmpeg found (${e instanceof Error ? e.message : String(e)}); ${what} skipped`;
  }
}

/** v/: the fixture clips (copies, a trim, a letterbox, a GIF, a mirror, unrelated and broken files); img/: two copies of one image and another. */
export async function writeVideoDataset(dir: string): Promise<void> {
  mkdirSync(join(dir, 'v'));
  mkdirSync(join(dir, 'img'));
  for (const f of ['clip.mp4', 'clip_trim.mp4', 'clip.gif', 'clip_flip.mp4', 'other.mp4', 'scene_a.mp4', 'scene_b.mp4', 'truncated.mp4', 'not_a_video.mp4']) {
    copyFileSync(join(VIDEO_DIR, f), join(dir, 'v', f));
  }
  await writeImage(join(dir, 'img', 'a.jpg'), 1);
  await writeImage(join(dir, 'img', 'a_half.jpg'), 1, { scale: 0.5 });
  await writeImage(join(dir, 'img', 'b.png'), 2, { kind: 'png' });
}
