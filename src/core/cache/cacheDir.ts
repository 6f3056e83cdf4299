import { promises as fsp } from 'node:fs';
import { join } from 'node:path';

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
