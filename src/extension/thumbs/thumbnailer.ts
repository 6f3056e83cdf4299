/**
 * Cached thumbnails made with sharp, for large files and formats a browser cannot draw. Keyed by file,
 * size and mtime, so a changed file gets a new one; written atomically; at most a few made at once so
 * a scrolled list does not starve the extension host.
 */
import { createHash } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { replaceFile } from '../../core/files/atomicWrite.js';
import { THUMB_SIZE } from './needsThumb.js';

type SharpFactory = (
  input: string,
  options?: Record<string, unknown>,
) => {
  rotate(): ReturnType<SharpFactory>;
  resize(w: number, h: number, o: Record<string, unknown>): ReturnType<SharpFactory>;
  webp(o: Record<string, unknown>): ReturnType<SharpFactory>;
  toFile(path: string): Promise<unknown>;
};

export class Thumbnailer {
  private running = 0;
  private readonly queue: (() => void)[] = [];
  private readonly made = new Map<string, Promise<string>>();

  constructor(
    private readonly dir: string,
    private readonly loadSharp: () => SharpFactory,
    private readonly concurrency = 3,
    /** Grabs a video's poster frame (PNG) into a file, or its frame at `atSec`; without it videos get no thumbnail. */
    private readonly grabPoster?: (input: string, output: string, atSec?: number) => Promise<void>,
  ) {}

  /**
   * The thumbnail's path for `absPath`, made on first request. Keyed by the file's identity (device and
   * inode; the path where the file system has none), size and mtime: a changed file gets a new thumbnail,
   * and hard links to one file share one.
   */
  async thumbFor(absPath: string, kind: 'image' | 'video' = 'image', atSec?: number): Promise<string> {
    const st = await stat(absPath);
    const identity = st.ino ? `${st.dev}:${st.ino}` : absPath;
    // A video's frame at a moment (Flicker and Overlay on matched frames) is cached apart from its poster.
    const what = kind !== 'video' ? '' : atSec === undefined ? 'poster\0' : `frame@${atSec}\0`;
    const key = createHash('sha1').update(`${what}${identity}\0${st.size}\0${st.mtimeMs}\0${THUMB_SIZE}`).digest('hex');
    let p = this.made.get(key);
    if (!p) {
      p = kind === 'video' ? this.makePoster(absPath, key, atSec) : this.make(absPath, key);
      this.made.set(key, p);
      p.catch(() => this.made.delete(key));
    }
    return p;
  }

  private make(absPath: string, key: string): Promise<string> {
    return this.cached(key, 'webp', async (tmp) => {
      await this.loadSharp()(absPath, { limitInputPixels: 268_402_689, failOn: 'none' })
        .rotate()
        .resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 80 })
        .toFile(tmp);
    });
  }

  private makePoster(absPath: string, key: string, atSec?: number): Promise<string> {
    const grab = this.grabPoster;
    if (!grab) return Promise.reject(new Error('no poster frames without ffmpeg'));
    // ffmpeg picks the muxer from the option, not the name, so the temp name may end in .tmp.
    return this.cached(key, 'png', (tmp) => grab(absPath, tmp, atSec));
  }

  /** The cached file for `key`, or one made by `write` into a temp name (in a free slot) and renamed into place. */
  private async cached(key: string, ext: string, write: (tmp: string) => Promise<void>): Promise<string> {
    const out = join(this.dir, key.slice(0, 2), `${key}.${ext}`);
    try {
      await stat(out);
      return out;
    } catch {
      // not cached yet
    }
    await this.slot();
    try {
      await mkdir(join(this.dir, key.slice(0, 2)), { recursive: true });
      // A temp name of its own for each write: two requests for one thumbnail at once never share one.
      await replaceFile(out, write);
      return out;
    } finally {
      this.release();
    }
  }

  private slot(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(() => resolve()));
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.running--;
  }
}
