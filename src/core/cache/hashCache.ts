import { createHash } from 'node:crypto';
import { closeSync, openSync, promises as fsp, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorCode } from '../errors.js';
import { isColorSignatureString } from '../hashers/colorSignature.js';
import type { KeepStats } from '../image/keepStats.js';
import { crc32Hex } from './crc32.js';
import { CACHE_DIR_NAME, ensureCacheDir } from './cacheDir.js';

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
  /** The real format (magic bytes) and the keep policy's facts (image/keepStats.ts). */
  readonly format?: string;
  readonly keep?: KeepStats;
  readonly error?: { readonly code: ErrorCode; readonly message: string };
}

export const CACHE_FORMAT = 'media-dedupe-hash-cache';
/** 2: entries carry the colour signature; 3: the format and the keep policy's facts (an older cache is rebuilt, once). */
export const CACHE_VERSION = 3;

/**
 * Failures worth remembering: they follow from the file's bytes, so the same size and mtime give the
 * same failure. Permission, missing-file and internal errors are retried on every scan instead.
 */
const CACHEABLE_ERRORS: ReadonlySet<string> = new Set([
  'EMPTY_FILE',
  'CORRUPT_IMAGE',
  'TRUNCATED_IMAGE',
  'NOT_AN_IMAGE',
  'UNSUPPORTED_FORMAT',
  'TOO_LARGE',
  'UNIFORM_IMAGE',
]);
export const isCacheableError = (code: string): boolean => CACHEABLE_ERRORS.has(code);

/** File name per hasher configuration, so switching hashers back and forth does not throw either cache away. */
export function cacheFileName(settingsKey: string): string {
  return `hashes-${createHash('sha1').update(settingsKey).digest('hex').slice(0, 12)}.jsonl`;
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
  c?: string;
  t?: string;
  k?: KeepStats;
  e?: [string, string];
}

// Each line is `<json>\t<crc32 of json>`: JSON.stringify never emits a raw tab, so the split is unambiguous,
// and a torn or bit-flipped line fails its check instead of feeding wrong hashes into a scan.
const seal = (json: string): string => `${json}\t${crc32Hex(json)}\n`;

function unseal(line: string): unknown {
  const tab = line.lastIndexOf('\t');
  if (tab <= 0) return undefined;
  const json = line.slice(0, tab);
  if (crc32Hex(json) !== line.slice(tab + 1)) return undefined;
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

const isNonNegInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function toEntry(v: unknown, keys: readonly string[]): CacheEntry | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const l = v as Partial<Line>;
  if (typeof l.p !== 'string' || l.p === '' || !isNonNegInt(l.s) || typeof l.m !== 'number' || !Number.isFinite(l.m)) return undefined;
  if (l.e !== undefined) {
    if (!Array.isArray(l.e) || l.e.length !== 2 || typeof l.e[0] !== 'string' || typeof l.e[1] !== 'string' || !isCacheableError(l.e[0])) return undefined;
    return { path: l.p, size: l.s, mtimeMs: l.m, error: { code: l.e[0] as ErrorCode, message: l.e[1] } };
  }
  if (!isNonNegInt(l.w) || !isNonNegInt(l.h) || typeof l.f !== 'string' || typeof l.x !== 'object' || l.x === null) return undefined;
  for (const k of keys) {
    const h = l.x[k];
    if (h !== null && typeof h !== 'string') return undefined;
  }
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
    ...(l.c !== undefined ? { color: l.c } : {}),
    ...(l.t !== undefined ? { format: l.t } : {}),
    ...(l.k !== undefined ? { keep: l.k } : {}),
  };
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
  const dir = join(root, CACHE_DIR_NAME);
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return [];
  }
  const out: { file: string; settingsKey: string; mtimeMs: number }[] = [];
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
  return out.sort((a, b) => b.mtimeMs - a.mtimeMs);
}

export class HashCache {
  private readonly entries = new Map<string, CacheEntry>();
  private pending: string[] = [];
  private lastFlush = Date.now();
  private fd: number | undefined;
  private linesInFile = 0;
  private disabled = false;

  private constructor(
    private readonly file: string | undefined,
    private readonly opts: HashCacheOptions,
  ) {}

  /** An in-memory cache that reads and writes nothing (--no-cache, or a read-only dataset folder). */
  static memory(opts: HashCacheOptions): HashCache {
    const c = new HashCache(undefined, opts);
    c.disabled = true;
    return c;
  }

  static async open(root: string, opts: HashCacheOptions): Promise<HashCache> {
    const log = opts.log ?? (() => {});
    const dir = join(root, CACHE_DIR_NAME);
    try {
      await ensureCacheDir(dir);
    } catch (e) {
      log(`cache: cannot write ${dir} (${(e as NodeJS.ErrnoException).code ?? String(e)}); hashing without a cache`);
      return HashCache.memory(opts);
    }
    const cache = new HashCache(join(dir, cacheFileName(opts.settingsKey)), opts);
    await cache.load(log);
    return cache;
  }

  /**
   * Loads a folder's cache without writing anything (no repair, no .media-dedupe folder created): for
   * readers such as `query`. Damaged lines are left out, as in open().
   */
  static async readOnly(root: string, opts: HashCacheOptions): Promise<HashCache> {
    const cache = new HashCache(join(root, CACHE_DIR_NAME, cacheFileName(opts.settingsKey)), opts);
    cache.disabled = true;
    await cache.load(opts.log ?? (() => {}));
    return cache;
  }

  /** Every valid entry (the latest per path). */
  all(): IterableIterator<CacheEntry> {
    return this.entries.values();
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached outcome for a file if its size and mtime still match (and isometric variants are there when needed). */
  lookup(path: string, size: number, mtimeMs: number, needIsometric: boolean): CacheEntry | undefined {
    const e = this.entries.get(path);
    if (!e || e.size !== size || e.mtimeMs !== mtimeMs) return undefined;
    if (needIsometric && !e.error && e.isometric === undefined) return undefined;
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
      this.disabled = true;
      this.opts.log?.(`cache: writing ${this.file} failed (${(e as NodeJS.ErrnoException).code ?? String(e)}); continuing without saving hashes`);
    }
  }

  /**
   * Flushes and closes. With `live` (the paths of the completed walk), entries of files that are gone
   * are dropped, and the file is compacted when superseded or stale lines make up part of it.
   */
  async close(live?: ReadonlySet<string>): Promise<void> {
    this.flush();
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
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
      const entry = toEntry(unseal(lines[i]), this.opts.hashKeys);
      if (entry) this.entries.set(entry.path, entry);
      else bad++;
    }
    this.linesInFile = lines.length - 1;
    if (bad > 0) log(`cache: ${bad} corrupt line${bad === 1 ? '' : 's'} in ${file} ignored; those files will be hashed again`);
    if (tornTail) log(`cache: ignored a half-written last line in ${file} (an earlier scan was interrupted)`);
    if (bad > 0 || tornTail) await this.rewrite();
  }

  /** Writes the header and the current entries to a temp file and renames it over the cache: never a half-written cache. */
  private async rewrite(): Promise<void> {
    if (this.disabled) return;
    const file = this.file!;
    const header = seal(JSON.stringify({ format: CACHE_FORMAT, version: CACHE_VERSION, key: this.opts.settingsKey }));
    const body = [...this.entries.values()].map(toLine).join('');
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      await fsp.writeFile(tmp, header + body);
      await fsp.rename(tmp, file);
      this.linesInFile = this.entries.size;
    } catch (e) {
      this.disabled = true;
      await fsp.rm(tmp, { force: true }).catch(() => {});
      this.opts.log?.(`cache: cannot write ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)}); continuing without saving hashes`);
    }
  }
}
