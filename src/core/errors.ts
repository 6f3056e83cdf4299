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
  ) {
    super(message);
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
