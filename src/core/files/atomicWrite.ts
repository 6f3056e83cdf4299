/**
 * The one writer of files that a reader, another process or a crash must never see half-written (the
 * manifest, its history, the caches, the commit memo, the re-scan snapshot, shards, reports): the bytes go
 * to a temporary file beside the target (same folder, so the rename cannot cross file systems) and are
 * renamed over it when complete. The temporary name is hidden, unique per process and per write (two
 * processes, or two writes in one, never share one), and removed when the write fails, so the target is
 * either the old file or the new one and nothing is left behind. A failure is an UNWRITABLE MediaError
 * naming the target (not the temporary name), with the system's error as its cause.
 */
import { promises as fsp, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describeWriteError, MediaError } from '../errors.js';

let serial = 0;

/** A temporary name beside `path`: hidden, ending in .tmp, with the process id and a per-process count. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${(serial++).toString(36)}.tmp`);
}

function failure(e: unknown, path: string): MediaError {
  return e instanceof MediaError ? e : new MediaError('UNWRITABLE', `cannot write ${path}: ${describeWriteError(e)}`, path, e);
}

/**
 * Writes `data` to `path` atomically. `data` may be given in parts (written one after the other, never
 * joined in memory), which is how a large file with a header is written.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array | Iterable<string | Uint8Array>): Promise<void> {
  const tmp = tempPathFor(path);
  try {
    await fsp.writeFile(tmp, data);
    await fsp.rename(tmp, path);
  } catch (e) {
    await fsp.rm(tmp, { force: true }).catch(() => {});
    throw failure(e, path);
  }
}

/** The same for the callers that are synchronous throughout (the shard tasks, the Annoy index's sidecar). */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const tmp = tempPathFor(path);
  try {
    writeFileSync(tmp, data);
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
