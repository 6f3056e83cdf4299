import { closeSync, existsSync, mkdirSync, openSync, promises as fsp, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CROP_LAYOUT } from '../crops/cropWindows.js';
import { isViewColorsString } from '../crops/viewColors.js';
import { isColorSignatureString } from '../hashers/colorSignature.js';
import type { KeepStats } from '../image/keepStats.js';
import { isBase64OfLength } from '../hashers/format.js';
import { ISOMETRIC_KEYS } from '../hashers/types.js';
import { seal, unseal } from './sealed.js';
import { describeWriteError, type ErrorCode } from '../errors.js';
import { CACHE_DIR_NAME, cacheDirsOf, canWrite, ensureCacheDir, ensureSpareCacheDir, spareCacheDir } from './cacheDir.js';
import { fileKey } from '../files/fileKey.js';
import { writeFileAtomic, writeFileAtomicSync } from '../files/atomicWrite.js';

/** One file's hashing outcome as cached: either the hashes or a failure that depends on the bytes only. */
export interface CacheEntry {
  readonly path: string; // POSIX, relative to the scanned root
  readonly size: number;
  readonly mtimeMs: number;
  readonly width?: number;
  readonly height?: number;
  readonly fingerprint?: string;
  readonly hashes?: Readonly<Record<string, string | null>>;
  /** Isometric variants as the hashing pipeline returned them (opaque here); absent when not computed. */
  readonly isometric?: unknown;
  /** Colour signature (hashers/colorSignature.ts), base64; absent in entries hashed without one. */
  readonly color?: string;
  /**
   * Crop-resistant hashes (hashing/hashImage.ts hashCrops), under the CROP_LAYOUT they were cut with: absent
   * in entries a plain scan hashed, which stay valid for plain scans (a crop-resistant scan hashes such a file again).
   */
  readonly crops?: CachedCrops;
  /** The real format (magic bytes) and the keep policy's facts (image/keepStats.ts). */
  readonly format?: string;
  readonly keep?: KeepStats;
  readonly error?: { readonly code: ErrorCode; readonly message: string };
}

/**
 * The cache entry of a file hashed with `fingerprint: true` (the pipeline fingerprints the very bytes it
 * decoded, so every hashed file has one); `outcome` is a successful HashOutcome (hashing/types.ts).
 */
export interface CachedCrops {
  readonly layout: string;
  /** Per hasher key: the content box's hash (null when none), then one per window. */
  readonly hashes: Readonly<Record<string, readonly (string | null)[]>>;
  /** The file's view colours (crops/viewColors.ts), which the crop pairs' colour check reads. */
  readonly colors?: string;
}

export function entryOfOutcome(
  path: string,
  o: {
    size: number;
    mtimeMs: number;
    width: number;
    height: number;
    sha256?: string;
    hashes: Readonly<Record<string, string | null>>;
    isometric?: unknown;
    crops?: Readonly<Record<string, readonly (string | null)[]>>;
    cropColors?: string;
    color?: string;
    format?: string;
    keep?: KeepStats;
  },
): CacheEntry {
  return {
    path,
    size: o.size,
    mtimeMs: o.mtimeMs,
    width: o.width,
    height: o.height,
    fingerprint: o.sha256!,
    hashes: o.hashes,
    ...(o.isometric ? { isometric: o.isometric } : {}),
    ...(o.crops ? { crops: { layout: CROP_LAYOUT, hashes: o.crops, ...(o.cropColors !== undefined ? { colors: o.cropColors } : {}) } } : {}),
    ...(o.color ? { color: o.color } : {}),
    ...(o.format !== undefined ? { format: o.format } : {}),
    ...(o.keep ? { keep: o.keep } : {}),
  };
}

export const CACHE_FORMAT = 'media-dedupe-hash-cache';
/** 2: entries carry the colour signature; 3: the format and the keep policy's facts (an older cache is rebuilt, once). */
export const CACHE_VERSION = 3;

/**
 * Failures worth remembering: they follow from the file's bytes, so the same size and mtime give the
 * same failure. Permission, missing-file and internal errors are retried on every scan instead, and so
 * is TOO_LARGE, which depends on the size limits of the scan that met it (the file's first bytes are
 * enough to refuse it again).
 */
const CACHEABLE_ERRORS: ReadonlySet<string> = new Set([
  'EMPTY_FILE',
  'CORRUPT_IMAGE',
  'TRUNCATED_IMAGE',
  'NOT_AN_IMAGE',
  'UNSUPPORTED_FORMAT',
  'UNIFORM_IMAGE',
]);
export const isCacheableError = (code: string): boolean => CACHEABLE_ERRORS.has(code);

/** File name per hasher configuration, so switching hashers back and forth does not throw either cache away. */
export function cacheFileName(settingsKey: string): string {
  return `hashes-${fileKey(settingsKey)}.jsonl`;
}

interface Line {
  p: string;
  s: number;
  m: number;
  w?: number;
  h?: number;
  f?: string;
  x?: Record<string, string | null>;
  i?: unknown;
  r?: { l: string; h: Record<string, (string | null)[]>; c?: string };
  c?: string;
  t?: string;
  k?: KeepStats;
  e?: [string, string];
}

const isNonNegInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isPosInt = (v: unknown): v is number => isNonNegInt(v) && v > 0;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A hash as the scan caches it: null (perception's None) or base64 of exactly `bytes` bytes when the length is known. */
function isHashValue(h: unknown, bytes: number | undefined): boolean {
  if (h === null) return true;
  if (typeof h !== 'string') return false;
  return bytes === undefined ? true : isBase64OfLength(h, bytes);
}

/**
 * Checks a parsed line field by field. A line can pass its checksum and still be wrong (written by a
 * buggy or foreign writer, or forged): a hash of the wrong length, a fingerprint that is not one, a
 * variant missing. Such a line is a cache miss (the file is hashed again), never a crash later on.
 */
function toEntry(v: unknown, keys: readonly string[], hashBytes: Readonly<Record<string, number>> = {}): CacheEntry | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const l = v as Partial<Line>;
  if (typeof l.p !== 'string' || l.p === '' || !isNonNegInt(l.s) || typeof l.m !== 'number' || !Number.isFinite(l.m)) return undefined;
  if (l.e !== undefined) {
    if (!Array.isArray(l.e) || l.e.length !== 2 || typeof l.e[0] !== 'string' || typeof l.e[1] !== 'string' || !isCacheableError(l.e[0])) return undefined;
    return { path: l.p, size: l.s, mtimeMs: l.m, error: { code: l.e[0] as ErrorCode, message: l.e[1] } };
  }
  if (!isPosInt(l.w) || !isPosInt(l.h) || typeof l.f !== 'string' || !SHA256_HEX.test(l.f) || !isRecord(l.x)) return undefined;
  for (const k of keys) if (!isHashValue(l.x[k], hashBytes[k])) return undefined;
  if (l.i !== undefined) {
    // Isometric variants: per hasher key, all eight variants, each a hash as above.
    if (!isRecord(l.i)) return undefined;
    for (const k of keys) {
      const variants = l.i[k];
      if (!isRecord(variants) || !ISOMETRIC_KEYS.every((name) => isHashValue(variants[name], hashBytes[k]))) return undefined;
    }
  }
  if (l.r !== undefined && !isCachedCrops(l.r, keys, hashBytes)) return undefined;
  if (l.c !== undefined && !isColorSignatureString(l.c)) return undefined;
  if (l.t !== undefined && (typeof l.t !== 'string' || l.t === '')) return undefined;
  if (l.k !== undefined && !isKeepStats(l.k)) return undefined;
  return {
    path: l.p,
    size: l.s,
    mtimeMs: l.m,
    width: l.w,
    height: l.h,
    fingerprint: l.f,
    hashes: l.x,
    ...(l.i !== undefined ? { isometric: l.i } : {}),
    ...(l.r !== undefined ? { crops: { layout: l.r.l, hashes: l.r.h, ...(l.r.c !== undefined ? { colors: l.r.c } : {}) } } : {}),
    ...(l.c !== undefined ? { color: l.c } : {}),
    ...(l.t !== undefined ? { format: l.t } : {}),
    ...(l.k !== undefined ? { keep: l.k } : {}),
  };
}

/** Cached crop hashes: a layout name and, per hasher key, a non-empty list of hashes as above (a layout other than today's is kept, and unused: lookup asks for CROP_LAYOUT). */
function isCachedCrops(v: unknown, keys: readonly string[], hashBytes: Readonly<Record<string, number>>): v is Line['r'] {
  if (!isRecord(v) || typeof v.l !== 'string' || !isRecord(v.h)) return false;
  if (v.c !== undefined && !isViewColorsString(v.c)) return false;
  const h = v.h;
  return keys.every((k) => Array.isArray(h[k]) && (h[k] as unknown[]).length > 0 && (h[k] as unknown[]).every((x) => isHashValue(x, hashBytes[k])));
}

/** A cached KeepStats: only its known fields, each a positive integer (quality 1-100). */
function isKeepStats(v: unknown): v is KeepStats {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  for (const [k, x] of Object.entries(v)) {
    if (!['jpegQuality', 'blockGrid', 'contentWidth', 'contentHeight'].includes(k) || !isNonNegInt(x)) return false;
    if (k === 'jpegQuality' && (x < 1 || x > 100)) return false;
  }
  return true;
}

function toLine(e: CacheEntry): string {
  const l: Line = { p: e.path, s: e.size, m: e.mtimeMs };
  if (e.error) l.e = [e.error.code, e.error.message];
  else {
    l.w = e.width;
    l.h = e.height;
    l.f = e.fingerprint;
    l.x = { ...e.hashes };
    if (e.isometric !== undefined) l.i = e.isometric;
    if (e.crops !== undefined)
      l.r = { l: e.crops.layout, h: e.crops.hashes as Record<string, (string | null)[]>, ...(e.crops.colors !== undefined ? { c: e.crops.colors } : {}) };
    if (e.color !== undefined) l.c = e.color;
    if (e.format !== undefined) l.t = e.format;
    if (e.keep !== undefined) l.k = e.keep;
  }
  return seal(JSON.stringify(l));
}

export interface HashCacheOptions {
  /** Everything the hashes depend on (hashers, their parameters, engine version), as one string. */
  readonly settingsKey: string;
  /** Hash keys every ok entry must carry. */
  readonly hashKeys: readonly string[];
  /** Byte length of each key's hash (hashers/format.ts hashByteLength), when known: a hash of another length is a miss. */
  readonly hashBytes?: Readonly<Record<string, number>>;
  readonly log?: (msg: string) => void;
}

/**
 * The per-folder hash cache: a JSON-lines file in <root>/.media-dedupe/, keyed by relative path, size
 * and mtime, one file per hasher configuration (named after it and verified by its header).
 * Results are appended as they arrive, so a scan that is cancelled or killed keeps what it hashed.
 * Nothing in it is trusted: a bad header discards the file, a line failing its checksum is dropped,
 * and the file is rewritten clean (the log says so).
 */
/** The caches a folder holds (one per hasher configuration), newest first, by their verified headers. */
export async function listCaches(root: string): Promise<{ file: string; settingsKey: string; mtimeMs: number }[]> {
  const out: { file: string; settingsKey: string; mtimeMs: number }[] = [];
  for (const dir of cacheDirsOf(root)) await listCachesIn(dir, out);
  return out.sort((a, b) => b.mtimeMs - a.mtimeMs);
}

async function listCachesIn(dir: string, out: { file: string; settingsKey: string; mtimeMs: number }[]): Promise<void> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return;
  }
  for (const name of names.filter((n) => /^hashes-[0-9a-f]{12}\.jsonl$/.test(n))) {
    const file = join(dir, name);
    try {
      const fh = await fsp.open(file, 'r');
      try {
        const buf = Buffer.alloc(64 * 1024);
        const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
        const first = buf.subarray(0, bytesRead).toString('utf8').split('\n')[0];
        const header = unseal(first) as { format?: unknown; version?: unknown; key?: unknown } | undefined;
        if (header?.format === CACHE_FORMAT && header.version === CACHE_VERSION && typeof header.key === 'string' && cacheFileName(header.key) === name) {
          out.push({ file, settingsKey: header.key, mtimeMs: (await fh.stat()).mtimeMs });
        }
      } finally {
        await fh.close();
      }
    } catch {
      // unreadable cache files are simply not offered
    }
  }
}

export class HashCache {
  private readonly entries = new Map<string, CacheEntry>();
  private pending: string[] = [];
  private lastFlush = Date.now();
  private fd: number | undefined;
  private linesInFile = 0;
  private disabled = false;
  /** Writing to the spare cache under the user's cache folder (the dataset's folder could not be written). */
  private onSpare = false;

  private constructor(
    private file: string | undefined,
    private readonly opts: HashCacheOptions,
    /** The scanned folder, when this cache writes: where its spare cache goes if the folder stops taking writes. */
    private readonly root?: string,
  ) {}

  /** An in-memory cache that reads and writes nothing (--no-cache). */
  static memory(opts: HashCacheOptions): HashCache {
    const c = new HashCache(undefined, opts);
    c.disabled = true;
    return c;
  }

  /**
   * The cache of a folder, in <root>/.media-dedupe. When that folder cannot be written (a read-only
   * dataset, a full disk, no permission), the entries already there are still used and new ones go to a
   * spare cache under the user's cache folder (cacheDir.ts spareCacheDir), so nothing hashed is lost; a
   * later scan that can write the folder again takes them back.
   */
  static async open(root: string, opts: HashCacheOptions): Promise<HashCache> {
    const log = opts.log ?? (() => {});
    const dir = join(root, CACHE_DIR_NAME);
    const name = cacheFileName(opts.settingsKey);
    let problem: string | undefined;
    try {
      await ensureCacheDir(dir);
      problem = await canWrite(dir);
    } catch (e) {
      // mkdir on a read-only mount can say ENOENT; the folder itself tells the real reason.
      problem = (await canWrite(root)) ?? describeWriteError(e);
    }
    if (problem === undefined) {
      // The spare is read before the folder's own cache is loaded: a failed rewrite of the own cache (a full
      // disk) writes its entries to the spare, which must not replace the hashes saved there before.
      const spare = join(spareCacheDir(root), name);
      const saved = await HashCache.readSpare(spare, opts);
      const cache = new HashCache(join(dir, name), opts, root);
      await cache.load(log);
      if (saved) await cache.takeBack(saved, spare, log);
      return cache;
    }
    const spareDir = spareCacheDir(root);
    try {
      await ensureSpareCacheDir(spareDir, root);
    } catch (e) {
      log(`cache: cannot write ${dir} (${problem}) nor ${spareDir} (${describeWriteError(e)}); hashing without saving hashes`);
      const memory = await HashCache.readOnly(root, opts);
      return memory;
    }
    const cache = new HashCache(join(spareDir, name), opts, root);
    cache.onSpare = true;
    await cache.load(log);
    // What the folder's own cache holds still counts (read, never written).
    const own = await HashCache.readOnly(root, { ...opts, log: () => {} });
    for (const e of own.all()) if (!cache.entries.has(e.path)) cache.entries.set(e.path, e);
    log(`cache: ${dir} cannot be written (${problem}); hashes are saved in ${spareDir} instead, so the next scan does not hash them again`);
    return cache;
  }

  /**
   * Loads a folder's cache without writing anything (no repair, no .media-dedupe folder created): for
   * readers such as `query`. Damaged lines are left out, as in open().
   */
  static async readOnly(root: string, opts: HashCacheOptions): Promise<HashCache> {
    const [own, spare] = cacheDirsOf(root).map((d) => join(d, cacheFileName(opts.settingsKey)));
    const cache = new HashCache(own, opts);
    cache.disabled = true;
    await cache.load(opts.log ?? (() => {}));
    // Hashes saved in the spare cache (the folder could not be written) are the newer ones.
    if (existsSync(spare)) {
      const saved = new HashCache(spare, opts);
      saved.disabled = true;
      await saved.load(opts.log ?? (() => {}));
      for (const e of saved.all()) cache.entries.set(e.path, e);
    }
    return cache;
  }

  /** The folder this cache writes to (the dataset's .media-dedupe, or the spare one); undefined when it writes nothing. */
  get dir(): string | undefined {
    return this.disabled || !this.file ? undefined : dirname(this.file);
  }

  /** Every valid entry (the latest per path). */
  all(): IterableIterator<CacheEntry> {
    return this.entries.values();
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached outcome for a file if its size and mtime still match (and isometric variants, crop hashes and the colour signature are there when needed). */
  lookup(path: string, size: number, mtimeMs: number, needIsometric: boolean, needCrops = false, needColor = false): CacheEntry | undefined {
    const e = this.entries.get(path);
    if (!e || e.size !== size || e.mtimeMs !== mtimeMs) return undefined;
    if (needIsometric && !e.error && e.isometric === undefined) return undefined;
    if (needCrops && !e.error && e.crops?.layout !== CROP_LAYOUT) return undefined;
    if (needColor && !e.error && e.color === undefined) return undefined;
    return e;
  }

  /** Records a result; it reaches the disk within a fraction of a second (batched appends). */
  put(entry: CacheEntry): void {
    if (entry.error && !isCacheableError(entry.error.code)) {
      this.entries.delete(entry.path);
      return;
    }
    this.entries.set(entry.path, entry);
    if (this.disabled) return;
    this.pending.push(toLine(entry));
    if (this.pending.length >= 64 || Date.now() - this.lastFlush > 200) this.flush();
  }

  flush(): void {
    this.lastFlush = Date.now();
    if (this.disabled || this.pending.length === 0 || !this.file) return;
    const chunk = this.pending.join('');
    const n = this.pending.length;
    this.pending = [];
    try {
      this.fd ??= openSync(this.file, 'a');
      writeSync(this.fd, chunk);
      this.linesInFile += n;
    } catch (e) {
      this.moveToSpare(e);
    }
  }

  /**
   * The folder stopped taking writes in the middle of a scan (its disk filled up, it was remounted
   * read-only): every entry so far, including the ones that just failed, goes to the spare cache, and the
   * scan goes on writing there. Only when that fails too does the cache stop saving (and says so).
   */
  private moveToSpare(e: unknown): void {
    const log = this.opts.log ?? (() => {});
    const failed = this.file;
    this.closeFd();
    if (this.onSpare || !this.root) {
      this.disabled = true;
      log(`cache: writing ${failed} failed (${describeWriteError(e)}); continuing without saving hashes`);
      return;
    }
    const spareDir = spareCacheDir(this.root);
    const spare = join(spareDir, cacheFileName(this.opts.settingsKey));
    try {
      mkdirSync(spareDir, { recursive: true });
      // Replaced whole (writeFileAtomicSync), as rewrite does: a scan reading the spare meanwhile, or a crash, never sees it half-written.
      writeFileAtomicSync(spare, this.header() + [...this.entries.values()].map(toLine).join(''));
      writeFileAtomicSync(join(spareDir, 'folder.txt'), `${this.root}\n`);
      this.file = spare;
      this.onSpare = true;
      this.linesInFile = this.entries.size;
      log(`cache: writing ${failed} failed (${describeWriteError(e)}); hashes are saved in ${spareDir} instead, so the next scan does not hash them again`);
    } catch (e2) {
      this.disabled = true;
      log(`cache: writing ${failed} failed (${describeWriteError(e)}), and ${spare} too (${describeWriteError(e2)}); continuing without saving hashes`);
    }
  }

  /** The entries of a spare cache file, if there is one. */
  private static async readSpare(spare: string, opts: HashCacheOptions): Promise<HashCache | undefined> {
    if (!existsSync(spare)) return undefined;
    const saved = new HashCache(spare, opts);
    saved.disabled = true;
    await saved.load(() => {});
    return saved;
  }

  /** Entries an earlier scan saved in the spare cache (it could not write this folder then) come back here. */
  private async takeBack(saved: HashCache, spare: string, log: (msg: string) => void): Promise<void> {
    // The spare copy is the newer one: it was written after the last scan that could write here.
    for (const e of saved.all()) this.entries.set(e.path, e);
    await this.rewrite();
    if (this.onSpare || this.disabled) return; // the folder still cannot take them: they stay where they are (now merged)
    await fsp.rm(spare, { force: true });
    log(`cache: took back ${saved.size} hashes saved in ${dirname(spare)} while this folder could not be written`);
  }

  private header(): string {
    return seal(JSON.stringify({ format: CACHE_FORMAT, version: CACHE_VERSION, key: this.opts.settingsKey }));
  }

  private closeFd(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // already unusable
    }
    this.fd = undefined;
  }

  /**
   * Flushes and closes. With `live` (the paths of the completed walk), entries of files that are gone
   * are dropped, and the file is compacted when superseded or stale lines make up part of it.
   */
  async close(live?: ReadonlySet<string>): Promise<void> {
    this.flush();
    this.closeFd();
    if (this.disabled || !this.file || !live) return;
    for (const p of [...this.entries.keys()]) if (!live.has(p)) this.entries.delete(p);
    if (this.linesInFile > this.entries.size) await this.rewrite();
  }

  private async load(log: (msg: string) => void): Promise<void> {
    const file = this.file!;
    let text: string;
    try {
      text = await fsp.readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') log(`cache: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)}); rebuilding it`);
      await this.rewrite();
      return;
    }
    const lines = text.split('\n');
    const tornTail = lines.pop() !== ''; // a file not ending in a newline was cut off mid-write
    const header = unseal(lines[0] ?? '') as { format?: unknown; version?: unknown; key?: unknown } | undefined;
    if (!header || header.format !== CACHE_FORMAT || header.version !== CACHE_VERSION || header.key !== this.opts.settingsKey) {
      log(`cache: ${file} has a missing or foreign header (corrupt, or written by another version); rebuilding it`);
      await this.rewrite();
      return;
    }
    let bad = 0;
    for (let i = 1; i < lines.length; i++) {
      const entry = toEntry(unseal(lines[i]), this.opts.hashKeys, this.opts.hashBytes);
      if (entry) this.entries.set(entry.path, entry);
      else bad++;
    }
    this.linesInFile = lines.length - 1;
    if (bad > 0) log(`cache: ${bad} corrupt line${bad === 1 ? '' : 's'} in ${file} ignored; those files will be hashed again`);
    if (tornTail) log(`cache: ignored a half-written last line in ${file} (an earlier scan was interrupted)`);
    if (bad > 0 || tornTail) await this.rewrite();
  }

  /** Writes the header and the current entries with writeFileAtomic: never a half-written cache. */
  private async rewrite(): Promise<void> {
    if (this.disabled) return;
    const file = this.file!;
    const body = [...this.entries.values()].map(toLine).join('');
    try {
      await writeFileAtomic(file, this.header() + body);
      this.linesInFile = this.entries.size;
    } catch (e) {
      this.moveToSpare(e);
    }
  }
}
