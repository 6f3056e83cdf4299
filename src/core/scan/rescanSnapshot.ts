/**
 * A re-scan of unchanged files reuses the last scan's result instead of searching, colour-checking and
 * clustering again. After a complete scan that wrote the folder's cache, the result (files, skipped,
 * pairs, identical groups, clusters) is saved in <root>/.media-dedupe/scan-<key>.json under a digest of
 * everything it was computed from: the engine version, the folder, the normalised options, the hasher
 * settings, every walked file's path, size, mtime and inode, what the walk skipped, and the cache file's
 * own fileStamp (size, inode, mtime, ctime). The next scan walks the folder (the stat pass it needs anyway), computes the
 * same digest, and when it matches returns the saved result: the same inputs give the same result.
 * Anything else (a file changed, added or removed; another option or hasher; a cache rewritten, cleared or
 * left in the spare folder; a damaged snapshot) is a miss, and the scan takes the full path, which
 * saves a new snapshot. A folder with videos or animated GIFs takes the full path always (their stage has a cache
 * of its own); still GIFs are images like the others.
 */
import { createHash } from 'node:crypto';
import { existsSync, promises as fsp, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR_NAME, spareCacheDir } from '../cache/cacheDir.js';
import { writeFileAtomic } from '../files/atomicWrite.js';
import { fileKey } from '../files/fileKey.js';
import { fileStamp } from '../files/fileStamp.js';
import { cacheFileName } from '../cache/hashCache.js';
import { sealFile, unsealFile } from '../cache/sealed.js';
import type { WalkEntry } from '../files/walk.js';
import { GENERATOR } from '../generator.js';
import type { Cluster, FileRecord, Pair, ScanOptions, SkippedRecord } from '../types.js';

const SNAPSHOT_FORMAT = 'media-dedupe-scan-snapshot';
/**
 * Raised whenever what a scan computes from the same inputs changes in a way the engine version does not
 * say, or the file is made another way (2: the cache files' stat is their fileStamp, with the ctime; 3: the
 * container of sealed.ts, a CRC-32 where a SHA-1 was).
 */
const SNAPSHOT_VERSION = 3;

/** The part of a scan result that a re-scan of the same inputs would compute again. */
export interface SavedScan {
  readonly files: readonly FileRecord[];
  readonly skipped: readonly SkippedRecord[];
  readonly pairs: readonly Pair[];
  readonly identical?: readonly (readonly string[])[];
  readonly clusters: readonly Cluster[];
  readonly outsideSplits?: readonly string[];
  readonly colorRejected?: number;
}

/** Where a folder's snapshot for these settings lives: one per configuration, so switching options back and forth keeps both. */
export function snapshotPath(absRoot: string, settingsKey: string, opts: ScanOptions): string {
  const key = fileKey(`${settingsKey}\0${JSON.stringify(opts)}`);
  return join(absRoot, CACHE_DIR_NAME, `scan-${key}.json`);
}

/**
 * The digest of a scan's inputs before the cache is read: engine, folder, options, hasher settings and
 * the walk (one string per file, hashed in one pass). Combined with the cache file's stat by `inputsDigest`.
 */
export function walkDigest(absRoot: string, settingsKey: string, opts: ScanOptions, files: readonly WalkEntry[], skipped: readonly SkippedRecord[]): string {
  const h = createHash('sha256');
  h.update(`${SNAPSHOT_FORMAT} ${SNAPSHOT_VERSION} ${GENERATOR.name} ${GENERATOR.version}\0${absRoot}\0${settingsKey}\0${JSON.stringify(opts)}\0`);
  // Batched: one update per 1,024 files rather than one per file.
  for (let i = 0; i < files.length; i += 1024) {
    let chunk = '';
    for (const f of files.slice(i, i + 1024)) chunk += `${f.rel}\0${f.size}\0${f.mtimeMs}\0${f.id}\n`;
    h.update(chunk);
  }
  h.update(JSON.stringify(skipped));
  return h.digest('hex');
}

/**
 * The full digest: the walk's, plus the stat of the folder's own cache file (a cache that was cleared,
 * rewritten or appended to since is another input) and of its video caches (videos removed since leave
 * entries the full path prunes). Undefined when there is no own cache file, or when hashes wait in the
 * spare cache (the folder could not be written): then there is nothing to reuse.
 */
export function inputsDigest(absRoot: string, settingsKey: string, walk: string): string | undefined {
  const name = cacheFileName(settingsKey);
  if (existsSync(join(spareCacheDir(absRoot), name))) return undefined;
  const dir = join(absRoot, CACHE_DIR_NAME);
  const stamp = (n: string): string => `${n}\0${fileStamp(join(dir, n))}`;
  const own = fileStamp(join(dir, name));
  if (own === 'none') return undefined;
  const videos = readdirSync(dir)
    .filter((n) => n.startsWith('videos-'))
    .sort()
    .map(stamp);
  return createHash('sha256')
    .update([walk, `${name}\0${own}`, ...videos].join('\n'))
    .digest('hex');
}

/** The sizes of a saved result's lists, known before they are parsed. */
export interface SavedCounts {
  readonly files: number;
  readonly pairs: number;
  readonly clusters: number;
}

/** The large parts of a saved result, each its own JSON text in the file, parsed only when first read. */
const LAZY = ['files', 'pairs', 'identical', 'clusters'] as const;
type LazyPart = (typeof LAZY)[number];

/**
 * The saved result when the snapshot at `file` was written for exactly these inputs; undefined otherwise
 * (missing, other inputs, damaged). The whole file's checksum is verified here; the files, pairs and
 * clusters are parsed when first read: a CLI re-scan reads only their counts and the skipped files, so it
 * never builds 50,000 pair objects it does not use.
 */
export async function readSnapshot(file: string, digest: string): Promise<{ saved: SavedScan; counts: SavedCounts } | undefined> {
  let bytes: Buffer;
  try {
    bytes = await fsp.readFile(file);
  } catch {
    return undefined;
  }
  // A torn or altered file fails its checks (sealed.ts): the scan then computes everything again.
  const sealed = unsealFile(bytes);
  if (!sealed) return undefined;
  const { header, body } = sealed as { header: { format?: unknown; version?: unknown; inputs?: unknown; small?: unknown; parts?: unknown }; body: Buffer };
  if (header.format !== SNAPSHOT_FORMAT || header.version !== SNAPSHOT_VERSION || header.inputs !== digest) return undefined;
  const small = header.small as Omit<SavedScan, LazyPart> & { counts: SavedCounts };
  const parts = header.parts as Partial<Record<LazyPart, [number, number]>>;
  if (typeof small !== 'object' || small === null || !Array.isArray(small.skipped) || typeof small.counts !== 'object' || small.counts === null)
    return undefined;
  if (typeof parts !== 'object' || parts === null || !parts.files || !parts.pairs || !parts.clusters) return undefined;
  const saved = {
    skipped: small.skipped,
    ...(small.outsideSplits ? { outsideSplits: small.outsideSplits } : {}),
    ...(small.colorRejected !== undefined ? { colorRejected: small.colorRejected } : {}),
  };
  for (const k of LAZY) {
    const at = parts[k];
    if (!at) continue;
    let value: unknown;
    Object.defineProperty(saved, k, {
      enumerable: true,
      get: () => (value ??= JSON.parse(body.toString('utf8', at[0], at[0] + at[1]))),
    });
  }
  return { saved: saved as unknown as SavedScan, counts: small.counts };
}

/** Saves a complete scan's result for its inputs (writeFileAtomic: never half a snapshot). A failure only costs the next re-scan its shortcut. */
export async function writeSnapshot(file: string, digest: string, saved: SavedScan): Promise<void> {
  const chunks: Buffer[] = [];
  const parts: Partial<Record<LazyPart, [number, number]>> = {};
  let offset = 0;
  for (const k of LAZY) {
    if (saved[k] === undefined) continue;
    const b = Buffer.from(JSON.stringify(saved[k]));
    parts[k] = [offset, b.length];
    offset += b.length;
    chunks.push(b);
  }
  const small = {
    counts: { files: saved.files.length, pairs: saved.pairs.length, clusters: saved.clusters.length },
    skipped: saved.skipped,
    ...(saved.outsideSplits ? { outsideSplits: saved.outsideSplits } : {}),
    ...(saved.colorRejected !== undefined ? { colorRejected: saved.colorRejected } : {}),
  };
  try {
    await writeFileAtomic(file, sealFile({ format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, inputs: digest, small, parts }, chunks));
  } catch {
    // Nothing to undo: writeFileAtomic leaves the old snapshot, or none, and no temporary file.
  }
}
