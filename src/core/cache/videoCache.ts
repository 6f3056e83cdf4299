import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { VideoHashResult } from '../video/index.js';
import { CACHE_DIR_NAME, ensureCacheDir } from './cacheDir.js';
import { fileKey } from '../files/fileKey.js';
import { writeFileAtomic } from '../files/atomicWrite.js';
import { describeWriteError } from '../errors.js';

/** One hashed video as cached: the engine's result is plain JSON, kept as it is. */
export interface VideoCacheEntry {
  readonly path: string; // POSIX, relative to the scanned root
  readonly size: number;
  readonly mtimeMs: number;
  readonly fingerprint: string;
  readonly result: VideoHashResult;
}

export const VIDEO_CACHE_FORMAT = 'media-dedupe-video-cache';
export const VIDEO_CACHE_VERSION = 1;

/**
 * The per-folder cache of video hashes, separate from the image cache: a video result (hundreds of frame
 * hashes) does not fit the image cache's one-line-per-hash-set format, and videos are few, so one JSON
 * file rewritten atomically (temp + rename) at the end of a scan is enough. Failures are not cached:
 * whether a video decodes depends on the ffmpeg found, which may change between scans.
 * The settings key (frame hasher, sampling, letterbox, crop, isometric) names the file, so switching
 * options back and forth keeps both caches.
 */
export class VideoCache {
  private readonly entries = new Map<string, VideoCacheEntry>();
  private dirty = false;

  private constructor(
    private readonly file: string | undefined,
    private readonly key: string,
  ) {}

  static memory(key: string): VideoCache {
    return new VideoCache(undefined, key);
  }

  static async open(root: string, key: string, log: (m: string) => void): Promise<VideoCache> {
    const file = join(root, CACHE_DIR_NAME, `videos-${fileKey(key)}.json`);
    const cache = new VideoCache(file, key);
    let text: string;
    try {
      text = await fsp.readFile(file, 'utf8');
    } catch {
      return cache; // none yet
    }
    try {
      const doc = JSON.parse(text) as { format?: unknown; version?: unknown; key?: unknown; entries?: unknown };
      if (doc.format !== VIDEO_CACHE_FORMAT || doc.version !== VIDEO_CACHE_VERSION || doc.key !== key || !Array.isArray(doc.entries))
        throw new Error('foreign header');
      for (const e of doc.entries as VideoCacheEntry[]) {
        if (
          typeof e?.path === 'string' &&
          typeof e.size === 'number' &&
          typeof e.mtimeMs === 'number' &&
          typeof e.fingerprint === 'string' &&
          Array.isArray(e.result?.frames)
        ) {
          cache.entries.set(e.path, e);
        }
      }
    } catch {
      log(`cache: ${file} is damaged or from another version; videos will be hashed again`);
      cache.dirty = true;
    }
    return cache;
  }

  lookup(path: string, size: number, mtimeMs: number): VideoCacheEntry | undefined {
    const e = this.entries.get(path);
    return e && e.size === size && e.mtimeMs === mtimeMs ? e : undefined;
  }

  put(e: VideoCacheEntry): void {
    this.entries.set(e.path, e);
    this.dirty = true;
  }

  /** Writes the cache; with `live` (the videos of a completed walk) entries of vanished files are dropped. */
  async close(live: ReadonlySet<string> | undefined, log: (m: string) => void): Promise<void> {
    if (live) {
      for (const p of [...this.entries.keys()]) {
        if (!live.has(p)) {
          this.entries.delete(p);
          this.dirty = true;
        }
      }
    }
    if (!this.file || !this.dirty) return;
    const body = JSON.stringify({ format: VIDEO_CACHE_FORMAT, version: VIDEO_CACHE_VERSION, key: this.key, entries: [...this.entries.values()] });
    try {
      await ensureCacheDir(join(this.file, '..'));
      await writeFileAtomic(this.file, body);
      this.dirty = false;
    } catch (e) {
      log(`cache: cannot write ${this.file} (${describeWriteError(e)}); video hashes not saved`);
    }
  }
}
