/** Every failure the engine reports carries a stable code, the path it concerns and a message a person can act on. */
export type ErrorCode =
  | 'INVALID_OPTION'
  | 'NOT_FOUND'
  | 'UNREADABLE'
  | 'EMPTY_FILE'
  | 'CORRUPT_IMAGE'
  | 'TRUNCATED_IMAGE'
  | 'NOT_AN_IMAGE'
  | 'UNSUPPORTED_FORMAT'
  | 'TOO_LARGE'
  | 'BROKEN_SYMLINK'
  | 'SYMLINK_LOOP'
  /** A symbolic link out of the scanned folder (not followed without --follow-outside), or into /proc, /sys, /dev (never). */
  | 'SYMLINK_OUTSIDE'
  /** A file or folder reached a second time (through a symbolic link or a bind mount): it is used once, under its first path. */
  | 'DUPLICATE_PATH'
  /** A file the command must write (the manifest, a report) cannot be: read-only file system, full disk, no permission, a folder in the way. */
  | 'UNWRITABLE'
  | 'NOT_A_FILE'
  | 'UNIFORM_IMAGE'
  | 'VIDEO_UNREADABLE'
  | 'FFMPEG_MISSING'
  /** A merge of shards (plan, pairs, cluster) found one missing, stale or made with other settings. */
  | 'SHARDS_INCOMPLETE'
  /** Another process holds the manifest's lock (manifest/lock.ts) for longer than we wait. */
  | 'LOCKED'
  | 'INTERNAL';

export class MediaError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly path?: string,
    /** The system's error behind it (a write's errno error), kept so its code can still be read. */
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'MediaError';
  }

  toRecord(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** One place builds every bad-option message: "Expected X for Y but received Z". */
export function invalidOption(name: string, expected: string, received: unknown): MediaError {
  return new MediaError('INVALID_OPTION', `Expected ${expected} for ${name} but received ${describe(received)}`);
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === undefined) return 'nothing';
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  try {
    return JSON.stringify(v);
  } catch {
    return typeof v;
  }
}

export function expectInt(name: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw invalidOption(name, `an integer between ${min} and ${max}`, v);
  }
  return v;
}

export function expectNumber(name: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw invalidOption(name, `a number between ${min} and ${max}`, v);
  }
  return v;
}

export function expectBoolean(name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw invalidOption(name, 'true or false', v);
  return v;
}

/** Normalise anything thrown into a MediaError so records always have a code. */
export function toMediaError(e: unknown, path?: string): MediaError {
  if (e instanceof MediaError) return e.path || !path ? e : new MediaError(e.code, e.message, path);
  const msg = e instanceof Error ? e.message : String(e);
  return new MediaError('INTERNAL', msg, path);
}

const WRITE_ERRORS: Readonly<Record<string, string>> = {
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the disk',
  EDQUOT: 'the disk quota is exceeded',
  EISDIR: 'a folder is in the way',
  ENOTDIR: 'a file is in the way of a folder',
};

/** A write failure in a person's words, with the system's code: "the file system is read-only (EROFS)". */
export function describeWriteError(e: unknown): string {
  if (e instanceof MediaError && e.cause !== undefined) return describeWriteError(e.cause);
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (!code) return String((e as Error | undefined)?.message ?? e);
  return `${WRITE_ERRORS[code] ?? 'the write failed'} (${code})`;
}

/**
 * A failed write (node's errno error) as an UNWRITABLE MediaError naming the file meant (not a temporary
 * name) and the cause in words; undefined for anything that is not a write failure.
 */
export function writeFailure(e: unknown, path?: string, advice = ''): MediaError | undefined {
  if (e instanceof MediaError && e.cause !== undefined) return writeFailure(e.cause, path ?? e.path, advice);
  const err = e as NodeJS.ErrnoException | undefined;
  if (!err?.code || !WRITE_ERRORS[err.code]) return undefined;
  const target = path ?? err.path;
  return new MediaError('UNWRITABLE', `cannot write ${target ?? 'a file'}: ${describeWriteError(e)}${advice ? `; ${advice}` : ''}`, target);
}
