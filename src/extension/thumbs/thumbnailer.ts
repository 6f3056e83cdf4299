/**
 * Cached thumbnails made with sharp, for large files and formats a browser cannot draw. Keyed by path,
 * size and mtime, so a changed file gets a new one; written atomically; at most a few made at once so
 * a scrolled list does not starve the extension host.
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
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
    /** Grabs a video's poster frame (PNG) into a file; without it videos get no thumbnail. */
    private readonly grabPoster?: (input: string, output: string) => Promise<void>,
  ) {}

  /** The thumbnail's path for `absPath`, made on first request. */
  thumbFor(absPath: string, kind: 'image' | 'video' = 'image'): Promise<string> {
    let p = this.made.get(absPath);
    if (!p) {
      p = kind === 'video' ? this.makePoster(absPath) : this.make(absPath);
      this.made.set(absPath, p);
      p.catch(() => this.made.delete(absPath));
    }
    return p;
  }

  private async make(absPath: string): Promise<string> {
    const st = await stat(absPath);
    const key = createHash('sha1').update(`${absPath}\0${st.size}\0${st.mtimeMs}\0${THUMB_SIZE}`).digest('hex');
    return this.cached(key, 'webp', async (tmp) => {
      await this.loadSharp()(absPath, { limitInputPixels: 268_402_689, failOn: 'none' })
        .rotate()
        .resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 80 })
        .toFile(tmp);
    });
  }

  private async makePoster(absPath: string): Promise<string> {
    const grab = this.grabPoster;
    if (!grab) throw new Error('no poster frames without ffmpeg');
    const st = await stat(absPath);
    const key = createHash('sha1').update(`poster\0${absPath}\0${st.size}\0${st.mtimeMs}\0${THUMB_SIZE}`).digest('hex');
    // ffmpeg picks the muxer from the option, not the name, so the temp name may end in .tmp.
    return this.cached(key, 'png', (tmp) => grab(absPath, tmp));
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
      const tmp = `${out}.${process.pid}.tmp`;
      await write(tmp);
      await rename(tmp, out);
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
