import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync } from 'node:fs';
import { MediaError } from '../errors.js';
import { fsPath } from '../files/nameBytes.js';
import type { BufferPool } from './pixelPool.js';
import { limitFor, type SizeLimits } from './sizeLimits.js';
import { notAnImage, sniffFormat } from './sniff.js';

export interface FileBytes {
  readonly data: Buffer;
  readonly size: number;
  readonly mtimeMs: number;
}

// O_NONBLOCK lets open() return at once on a FIFO (which then fails the regular-file check) instead of
// hanging a thread until some writer appears. Windows has no such flag and no FIFOs to worry about.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** Bytes read before the rest: enough for every signature sniffFormat knows (an ftyp box's brand list, an SVG prologue). */
export const SNIFF_BYTES = 4096;

/**
 * Reads a whole file synchronously, classifying every failure. The first bytes are read and sniffed
 * first: a file that is not an image (a video, a PDF, text named .jpg) is refused as NOT_AN_IMAGE, and
 * one above the size limit for its real format (image/sizeLimits.ts) as TOO_LARGE, before the rest of
 * it is read.
 * Synchronous on purpose: for files in the page cache open+fstat+read+close costs ~17 us on the calling
 * thread, whereas the promise API costs 100-300 us of round trips through the libuv pool, which is the
 * same pool sharp decodes on (measured on the 900-image benchmark).
 * With `pool`, the bytes are read into one of its buffers (the caller gives it back once decoded), without
 * into a new one; either is taken only after the sniff and the size limit passed (one taken from the pool
 * for a file whose read then fails goes back at once).
 */
export function readFileBytes(path: string, limits?: SizeLimits | number, pool?: BufferPool): FileBytes {
  let fd: number;
  try {
    fd = openSync(fsPath(path), OPEN_FLAGS);
  } catch (e) {
    throw classifyFsError(e, path);
  }
  try {
    let st;
    try {
      st = fstatSync(fd);
    } catch (e) {
      throw classifyFsError(e, path);
    }
    if (!st.isFile()) throw new MediaError('NOT_A_FILE', `${describeNonFile(st)}, not a regular file: only image files can be hashed`, path);
    if (st.size === 0) throw emptyFile(path);
    // The file's own buffer (pooled or not) is taken only once it is known to be an image within its
    // limit: a multi-GB video named .jpg must fail as NOT_AN_IMAGE, not allocate (or pin in the pool) its size.
    const off = readHead(fd, st, sniffScratch, path, limits);
    const whole = pool ? pool.take(st.size) : Buffer.allocUnsafe(st.size);
    sniffScratch.copy(whole, 0, 0, off);
    try {
      return readRest(fd, st, whole, off, path);
    } catch (e) {
      pool?.release(whole);
      throw e;
    }
  } finally {
    closeSync(fd);
  }
}

/** Every file's first bytes, sniffed before its own buffer is taken (reads are synchronous, so one is enough; never returned). */
const sniffScratch = Buffer.allocUnsafeSlow(SNIFF_BYTES);

/**
 * Reads the first bytes (SNIFF_BYTES of them, or the whole file when shorter) into `buf` and refuses
 * what is not an image or is over its limit; returns how many were read.
 */
function readHead(fd: number, st: import('node:fs').Stats, buf: Buffer, path: string, limits: SizeLimits | number | undefined): number {
  const off = readInto(fd, buf.subarray(0, Math.min(st.size, SNIFF_BYTES)), 0, path);
  if (off === 0) throw emptyFile(path);
  const sniff = sniffFormat(buf.subarray(0, off));
  if (sniff.kind !== 'image') throw notAnImage(sniff, path);
  const limit = limitFor(limits, sniff.format);
  if (st.size > limit)
    throw new MediaError(
      'TOO_LARGE',
      `The file is ${formatBytes(st.size)}, above the ${formatBytes(limit)} limit for one ${sniff.label} file, so it was not read; raise the limit (--max-file-size ${sniff.format}=SIZE) if this really is one picture`,
      path,
    );
  return off;
}

/**
 * `whole` holds the file's first `off` bytes; reads the rest into it. A file that ended before its first
 * bytes were all read (it shrank since fstat) is what was read.
 */
function readRest(fd: number, st: import('node:fs').Stats, whole: Buffer, off: number, path: string): FileBytes {
  if (off < Math.min(st.size, SNIFF_BYTES)) return { data: whole.subarray(0, off), size: off, mtimeMs: st.mtimeMs };
  off = readInto(fd, whole, off, path);
  return { data: off === st.size ? whole : whole.subarray(0, off), size: off, mtimeMs: st.mtimeMs };
}

/** Reads from `off` until the buffer is full or the file ends (it may shrink while read); returns the end. */
function readInto(fd: number, buf: Buffer, off: number, path: string): number {
  try {
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
    }
  } catch (e) {
    throw classifyFsError(e, path);
  }
  return off;
}

const emptyFile = (path: string): MediaError =>
  new MediaError('EMPTY_FILE', 'The file is empty (0 bytes): it holds no image, perhaps an interrupted download or copy', path);

function describeNonFile(st: import('node:fs').Stats): string {
  if (st.isDirectory()) return 'This is a directory';
  if (st.isFIFO()) return 'This is a named pipe (FIFO)';
  if (st.isSocket()) return 'This is a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'This is a device';
  return 'This is a special file';
}

/** Turns an fs error into the code a person can act on, telling a missing file from a dangling link. */
export function classifyFsError(e: unknown, path: string): MediaError {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT': {
      if (isSymlink(path)) return new MediaError('BROKEN_SYMLINK', 'This is a symbolic link whose target does not exist', path);
      return new MediaError('NOT_FOUND', 'No such file: check the path (it may have been moved or deleted since it was listed)', path);
    }
    case 'ENOTDIR':
      return new MediaError('NOT_FOUND', 'No such file: a part of the path is a file, not a folder', path);
    case 'ELOOP':
      return new MediaError('SYMLINK_LOOP', 'This symbolic link points back to itself (a link loop), so it leads to no file', path);
    case 'EACCES':
    case 'EPERM':
      return new MediaError('UNREADABLE', 'Permission denied: the current user may not read this file (check its permissions or owner)', path);
    case 'EISDIR':
      return new MediaError('NOT_A_FILE', 'This is a directory, not a regular file: only image files can be hashed', path);
    case 'ENAMETOOLONG':
      return new MediaError('NOT_FOUND', 'The path is too long for the file system', path);
    case 'EIO':
      return new MediaError('UNREADABLE', 'The disk reported an I/O error while reading this file', path);
    case 'EMFILE':
    case 'ENFILE':
      return new MediaError('UNREADABLE', 'Too many files are open at once; retry with lower concurrency', path);
    default: {
      const msg = e instanceof Error ? e.message : String(e);
      return new MediaError('UNREADABLE', `The file could not be read: ${msg}`, path);
    }
  }
}

function isSymlink(path: string): boolean {
  try {
    if (!lstatSync(fsPath(path)).isSymbolicLink()) return false;
  } catch {
    return false;
  }
  try {
    statSync(fsPath(path));
    return false;
  } catch {
    return true;
  }
}

export function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(1)} GiB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${n} bytes`;
}
