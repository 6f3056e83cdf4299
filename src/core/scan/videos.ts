/**
 * The scan's video stage: which walked files are videos, hashing them with ffmpeg (cached), and their
 * duplicate pairs. Videos only ever pair with videos. Every video that cannot be used becomes a skipped
 * record with the engine's code and message (FFMPEG_MISSING, VIDEO_UNREADABLE with ffmpeg's last stderr
 * lines, ...); images are not affected by any of it.
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { availableParallelism } from 'node:os';
import { VideoCache } from '../cache/videoCache.js';
import { GENERATOR } from '../generator.js';
import type { CancelSignal, FileRecord, Pair, ScanOptions, SkippedRecord } from '../types.js';
import {
  findVideoPairs,
  hashVideos,
  isAnimatedGif,
  isVideoPath,
  resolveVideoHashOptions,
  type VideoHashOptions,
  type VideoHashResult,
} from '../video/index.js';
import { sha256File } from '../files/fingerprint.js';
import { comparePaths } from '../files/paths.js';
import { fsPath, hasEscapedBytes, nameToBytes } from '../files/nameBytes.js';
import type { WalkEntry } from '../files/walk.js';

/** Enough of a GIF to find its second image in all but GIFs with a huge first frame (those are hashed as images). */
const GIF_HEAD_BYTES = 512 * 1024;

/** Video hashing as the scan does it: the engine's defaults, isometric when the scan is. */
export function videoHashOptions(opts: ScanOptions): VideoHashOptions {
  return { isometric: opts.isometric, ...(opts.ffmpegPath ? { ffmpegPath: opts.ffmpegPath } : {}) };
}

/** Everything cached video hashes depend on (not ffmpegPath: two ffmpeg builds give the same frames, see docs/video.md). */
export function videoCacheKey(opts: ScanOptions): string {
  const { ffmpegPath: _ignored, ...o } = videoHashOptions(opts);
  return JSON.stringify({ v: 1, engine: GENERATOR.version, ...resolveVideoHashOptions(o) });
}

/** Splits walked files into images and videos: by extension, and a GIF by content (animated = video). */
export async function splitVideos(files: readonly WalkEntry[], videos: boolean): Promise<{ images: WalkEntry[]; videos: WalkEntry[] }> {
  const out = { images: [] as WalkEntry[], videos: [] as WalkEntry[] };
  if (!videos) return { images: [...files], videos: [] };
  for (const f of files) {
    if (isVideoPath(f.rel)) out.videos.push(f);
    else if (f.rel.toLowerCase().endsWith('.gif') && (await isAnimatedGifFile(f.abs))) out.videos.push(f);
    else out.images.push(f);
  }
  return out;
}

async function isAnimatedGifFile(abs: string): Promise<boolean> {
  try {
    const fh = await open(fsPath(abs), 'r');
    try {
      const buf = Buffer.alloc(GIF_HEAD_BYTES);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      return isAnimatedGif(buf.subarray(0, bytesRead));
    } finally {
      await fh.close();
    }
  } catch {
    return false; // the image stage reports why it cannot be read
  }
}

export interface VideoStageResult {
  readonly files: FileRecord[];
  readonly skipped: SkippedRecord[];
  readonly pairs: Pair[];
  readonly cached: number;
  readonly hashed: number;
  /** Videos the signal stopped before they were hashed. */
  readonly cancelled: boolean;
}

export interface VideoStageHooks {
  readonly signal?: CancelSignal;
  readonly log: (m: string) => void;
  /** Once per video hashed (or failed) in this run, for progress. */
  readonly onHashed: () => void;
  /** Called with the number of cache hits before hashing starts. */
  readonly onCached?: (n: number) => void;
}

/** Opens the cache, hashes what it lacks, finds pairs. `complete`: the walk finished, so cache entries of vanished files can go. */
export async function runVideoStage(
  absRoot: string,
  entries: readonly WalkEntry[],
  opts: ScanOptions,
  complete: boolean,
  hooks: VideoStageHooks,
): Promise<VideoStageResult> {
  const key = videoCacheKey(opts);
  const cache = opts.useCache && complete ? await VideoCache.open(absRoot, key, hooks.log) : VideoCache.memory(key);
  const results = new Map<string, { result: VideoHashResult; record: FileRecord }>();
  const skipped: SkippedRecord[] = [];
  const toHash: WalkEntry[] = [];
  for (const f of entries) {
    const hit = cache.lookup(f.rel, f.size, f.mtimeMs);
    if (hit) results.set(f.rel, { result: hit.result, record: recordOf(f, hit.fingerprint, hit.result) });
    else toHash.push(f);
  }
  hooks.onCached?.(entries.length - toHash.length);
  let hashed = 0;
  const pending: Promise<void>[] = [];
  const aliases = new TextAliases();
  try {
    if (toHash.length > 0 && !hooks.signal?.cancelled) {
      await hashVideos(
        toHash.map((f) => aliases.of(f.abs)),
        {
          ...videoHashOptions(opts),
          concurrency: Math.max(1, availableParallelism()),
          signal: hooks.signal,
          onResult: (o, i) => {
            const f = toHash[i];
            // A video the signal interrupted is neither hashed nor broken: it is simply not done.
            if (!o.ok && hooks.signal?.cancelled && o.error.code === 'INTERNAL') return;
            hashed++;
            if (!o.ok) {
              skipped.push({ path: f.rel, code: o.error.code, message: o.error.message });
              hooks.onHashed();
              return;
            }
            const result: VideoHashResult = { ...o.result, path: f.rel };
            pending.push(
              sha256File(f.abs).then(
                (fingerprint) => {
                  cache.put({ path: f.rel, size: f.size, mtimeMs: f.mtimeMs, fingerprint, result });
                  results.set(f.rel, { result, record: recordOf(f, fingerprint, result) });
                  hooks.onHashed();
                },
                (e: unknown) => {
                  skipped.push({
                    path: f.rel,
                    code: 'UNREADABLE',
                    message: `The file changed or vanished while it was read: ${String((e as Error)?.message ?? e)}`,
                  });
                  hooks.onHashed();
                },
              ),
            );
          },
        },
      );
    }
    await Promise.all(pending);
  } finally {
    aliases.remove();
  }
  await cache.close(complete ? new Set(entries.map((f) => f.rel)) : undefined, hooks.log);

  const ok = [...results.values()].sort((x, y) => comparePaths(x.record.path, y.record.path));
  const matches = findVideoPairs(
    ok.map((r) => r.result),
    { isometric: opts.isometric, signal: hooks.signal },
  );
  const pairs: Pair[] = matches.map((m) => {
    const hasher = results.get(m.a)!.result.hasher.key;
    return {
      a: m.a,
      b: m.b,
      distance: m.distance,
      hasher: `video:${hasher}`,
      ...(m.flipped ? { transform: 'fh' } : {}),
      offsetSec: round3(m.offsetSec),
      frames: m.frames.map((fr) => ({ a: round3(fr.a.timestampSec), b: round3(fr.b.timestampSec), distance: fr.distance })),
    };
  });
  return { files: ok.map((r) => r.record), skipped, pairs, cached: entries.length - toHash.length, hashed, cancelled: hashed < toHash.length };
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

function recordOf(f: WalkEntry, fingerprint: string, r: VideoHashResult): FileRecord {
  return { path: f.rel, kind: 'video', size: f.size, mtimeMs: f.mtimeMs, width: r.width, height: r.height, fingerprint, durationSec: r.durationSec };
}

/**
 * ffmpeg takes its input path as a command-line string, which cannot carry a name that is not UTF-8 (node
 * would send U+FFFD in place of its bytes). Such a video is given to ffmpeg through a symbolic link with a
 * plain name in a temporary folder, pointing at the real bytes; the folder goes when the stage ends.
 */
class TextAliases {
  private dir: string | undefined;
  private count = 0;

  of(abs: string): string {
    if (!hasEscapedBytes(abs)) return abs;
    this.dir ??= mkdtempSync(join(tmpdir(), 'media-dedupe-names-'));
    const alias = join(this.dir, `v${this.count++}${extname(abs).replace(/[^.\w]/g, '')}`);
    symlinkSync(nameToBytes(abs), alias);
    return alias;
  }

  remove(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}
