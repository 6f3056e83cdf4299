import { renameSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Writes a file under a temporary name beside it and renames it into place, so a reader (or a task
 * re-run after a failure) sees the whole file or none: a killed task never leaves half a shard.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
