/**
 * The one writer of files that a reader, another process or a crash must never see half-written (the
 * manifest, its history, the caches, the commit memo, the re-scan snapshot, shards, reports, the
 * extension's kept scans; a file written by another tool or streamed, as thumbnails and the pairs CSV of
 * `cluster`, through replaceFile): the bytes go
 * to a temporary file beside the target (same folder, so the rename cannot cross file systems) and are
 * renamed over it when complete. The temporary name is hidden, unique per process, thread and write (two
 * processes, or two writes in one, never share one), and removed when the write fails, so the target is
 * either the old file or the new one and nothing is left behind. A failure of the system is an
 * UNWRITABLE MediaError naming the target (not the temporary name), with the system's error as its cause;
 * any other error is passed on.
 */
import { promises as fsp, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { describeWriteError, MediaError } from '../errors.js';

let serial = 0;

/**
 * A temporary name beside `path`: hidden, ending in .tmp, with the process id, the thread (the extension
 * host scans in a worker thread while its main thread may rewrite the same cache: each thread counts from
 * 0) and a per-thread count.
 */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${threadId}.${(serial++).toString(36)}.tmp`);
}

/**
 * What the system refused (an errno error: read-only, full, no permission, gone) is UNWRITABLE, naming the
 * target; anything else (a bug, a producer of the bytes that threw) is passed on as it is, so it is not
 * reported to a person as a disk problem.
 */
function failure(e: unknown, path: string): unknown {
  if (e instanceof MediaError || typeof (e as NodeJS.ErrnoException | undefined)?.code !== 'string' || (e as { syscall?: unknown }).syscall === undefined)
    return e;
  return new MediaError('UNWRITABLE', `cannot write ${path}: ${describeWriteError(e)}`, path, e);
}

/**
 * Writes `data` to `path` atomically. `data` may be given in parts (written one after the other, never
 * joined in memory), which is how a large file with a header is written.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array | Iterable<string | Uint8Array>): Promise<void> {
  await replaceFile(path, (tmp) => fsp.writeFile(tmp, data));
}

/** The same for the callers that are synchronous throughout (the shard tasks, the Annoy index's sidecar). */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  replaceFileSync(path, (tmp) => writeFileSync(tmp, data));
}

/**
 * `path` replaced by what `produce` writes to the temporary name it is given (another tool's output, a
 * thumbnail; a stream too large to hold): renamed over `path` when `produce` ends, removed if it fails.
 */
export async function replaceFile(path: string, produce: (tmp: string) => Promise<unknown>): Promise<void> {
  const tmp = tempPathFor(path);
  try {
    await produce(tmp);
    await fsp.rename(tmp, path);
  } catch (e) {
    await fsp.rm(tmp, { force: true }).catch(() => {});
    throw failure(e, path);
  }
}

/** replaceFile for a synchronous `produce` (the pairs CSV of `cluster`, streamed). */
export function replaceFileSync(path: string, produce: (tmp: string) => void): void {
  const tmp = tempPathFor(path);
  try {
    produce(tmp);
    renameSync(tmp, path);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The write's own error is the one to report.
    }
    throw failure(e, path);
  }
}
