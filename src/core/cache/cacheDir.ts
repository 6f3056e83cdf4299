import { createHash } from 'node:crypto';
import { constants, existsSync, promises as fsp, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { describeWriteError } from '../errors.js';

/** The per-dataset folder holding the hash cache and the saved index. Excluded from scans by default. */
export const CACHE_DIR_NAME = '.media-dedupe';

/** Creates the cache folder with a `.gitignore` of `*`, so committing the dataset never commits the cache. */
export async function ensureCacheDir(dir: string): Promise<void> {
  await fsp.mkdir(dir, { recursive: true });
  const ignore = join(dir, '.gitignore');
  try {
    await fsp.writeFile(ignore, '*\n', { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
}

/**
 * Where a folder's hash cache goes when the folder itself cannot take it (a read-only dataset, a full
 * disk): <XDG_CACHE_HOME or ~/.cache>/media-dedupe/folders/<sha256 of the folder's real path, 16 hex>.
 * Keyed by the real path, so every route to the folder finds the same one. A later scan that can write
 * the folder again moves these entries back into <folder>/.media-dedupe and removes this copy.
 */
export function spareCacheDir(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache');
  let real = root;
  try {
    real = realpathSync(root);
  } catch {
    // a folder that cannot be resolved keeps its given path
  }
  return join(base, 'media-dedupe', 'folders', createHash('sha256').update(real).digest('hex').slice(0, 16));
}

/** The folders that may hold a folder's caches and index, its own first. */
export function cacheDirsOf(root: string): string[] {
  return [join(root, CACHE_DIR_NAME), spareCacheDir(root)];
}

/** Whether a folder was scanned before: its own cache folder, or a spare one (it could not be written then). */
export function hasCacheDir(root: string): boolean {
  return cacheDirsOf(root).some((d) => existsSync(d));
}

/** Creates the spare cache folder, with a note of which folder it belongs to (for a person looking at ~/.cache). */
export async function ensureSpareCacheDir(dir: string, root: string): Promise<void> {
  await fsp.mkdir(dir, { recursive: true });
  await fsp.writeFile(join(dir, 'folder.txt'), `${root}\n`).catch(() => {});
}

/** Whether a folder can be written: its file system is mounted read-write and this user may create files in it. */
export async function canWrite(dir: string): Promise<string | undefined> {
  try {
    await fsp.access(dir, constants.W_OK);
    return undefined;
  } catch (e) {
    return describeWriteError(e);
  }
}
