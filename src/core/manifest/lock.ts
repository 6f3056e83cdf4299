/**
 * The advisory lock every manifest writer takes (`.media-dedupe/lock` beside the manifest): the CLI's
 * scan, prune and the extension's gallery alike, so a read-merge-write cycle never interleaves with
 * another. Created with O_EXCL and holding {pid, host, time}; a lock whose process is gone (same host) or
 * older than STALE_MS is broken. Held for milliseconds (read, merge, write), never while hashing.
 */
import { promises as fsp } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describeWriteError, MediaError } from '../errors.js';

export const LOCK_DIR_NAME = '.media-dedupe';
export const LOCK_FILE_NAME = 'lock';
const STALE_MS = 2 * 60 * 1000;
const DEFAULT_WAIT_MS = 30_000;

interface LockInfo {
  readonly pid: number;
  readonly host: string;
  readonly time: number;
  readonly purpose?: string;
}

export interface LockOptions {
  /** How long to wait for another writer, in ms (default 30 s). */
  readonly waitMs?: number;
  /** Shown to whoever waits for this lock ("scan", "gallery decision", "prune"). */
  readonly purpose?: string;
}

// One queue per lock file in this process: writers of one process wait their turn without polling.
const queues = new Map<string, Promise<unknown>>();

export function lockPathFor(manifestDir: string): string {
  return join(manifestDir, LOCK_DIR_NAME, LOCK_FILE_NAME);
}

/** Runs `fn` holding the lock of the manifest folder `manifestDir`. */
export async function withManifestLock<T>(manifestDir: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const file = lockPathFor(manifestDir);
  const before = queues.get(file) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  const chained = before.then(() => mine);
  queues.set(file, chained);
  await before.catch(() => {});
  try {
    await acquire(file, opts);
    try {
      return await fn();
    } finally {
      await fsp.rm(file, { force: true }).catch(() => {});
    }
  } finally {
    release();
    if (queues.get(file) === chained) queues.delete(file);
  }
}

async function acquire(file: string, opts: LockOptions): Promise<void> {
  const deadline = Date.now() + (opts.waitMs ?? DEFAULT_WAIT_MS);
  const info: LockInfo = { pid: process.pid, host: hostname(), time: Date.now(), ...(opts.purpose ? { purpose: opts.purpose } : {}) };
  let delay = 20;
  for (;;) {
    try {
      await fsp.mkdir(join(file, '..'), { recursive: true });
      const h = await fsp.open(file, 'wx');
      try {
        await h.writeFile(JSON.stringify(info));
      } catch (e) {
        // A lock created but not written (a full disk) would hold off every writer until it goes stale.
        await h.close().catch(() => {});
        await fsp.rm(file, { force: true }).catch(() => {});
        throw e;
      }
      await h.close();
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') {
        throw new MediaError(
          'UNREADABLE',
          `cannot create the manifest lock ${file}: ${describeWriteError(e)}${code === 'ENOENT' ? '; is the folder read-only?' : ''}`,
          file,
        );
      }
    }
    const holder = await readHolder(file);
    if (holder === undefined) continue; // released between our attempt and the read
    if (isStale(holder)) {
      // Break it only if it is still the same lock we judged stale.
      const again = await readHolder(file);
      if (again && again.pid === holder.pid && again.time === holder.time) await fsp.rm(file, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      const who = holder.pid > 0 ? `process ${holder.pid} on ${holder.host}` : 'another process';
      throw new MediaError(
        'LOCKED',
        `the manifest is being written by ${who}${holder.purpose ? ` (${holder.purpose})` : ''} since ${new Date(holder.time).toISOString()}; try again, or delete ${file} if no media-dedupe is running`,
        file,
      );
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 250);
  }
}

async function readHolder(file: string): Promise<LockInfo | undefined> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const v = JSON.parse(text) as Partial<LockInfo>;
    if (typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.time === 'number') return v as LockInfo;
  } catch {
    // half-written or foreign: judged by its age below
  }
  const st = await fsp.stat(file).catch(() => undefined);
  return st ? { pid: -1, host: '', time: st.mtimeMs } : undefined;
}

function isStale(h: LockInfo): boolean {
  if (Date.now() - h.time > STALE_MS) return true;
  if (h.pid > 0 && h.host === hostname() && h.pid !== process.pid) {
    try {
      process.kill(h.pid, 0);
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ESRCH';
    }
  }
  return false;
}
