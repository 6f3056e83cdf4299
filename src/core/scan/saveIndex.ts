import { hashStringToBytes } from '../hashers/format.js';
import { annoyAvailable } from '../annoy/annoyAddon.js';
import { loadOrBuildAnnoyIndex } from '../annoy/annoyIndex.js';
import type { HashTable } from '../pairs/tablePairs.js';

/**
 * Beyond this many files the scan does not build the Annoy index: annoy-node stores doubles (2 KB per
 * 256-bit hash), so 1M files would need 2 GB (and 100k about 250 MB and 20 s to build here); `query` then compares against the cached hashes exactly.
 */
export const INDEX_MAX_FILES = 100_000;

/**
 * Keeps the persistent Annoy index in the folder's cache folder (<root>/.media-dedupe/, or its spare) in step with the scan, for query-by-example:
 * reused as is when it holds exactly these files and hashes (a re-scan of unchanged data only checks
 * it), rebuilt otherwise. Built for the first bit hasher. Never fails a scan: problems go to the log.
 */
export function saveQueryIndex(cacheDir: string, paths: readonly string[], table: HashTable | undefined, log: (msg: string) => void): void {
  if (!table || table.dtype !== 'bool' || table.length % 8 !== 0) return;
  const items: { path: string; hash: Uint8Array }[] = [];
  for (let k = 0; k < paths.length; k++) {
    const h = table.hashes[k];
    if (h !== null) items.push({ path: paths[k], hash: hashStringToBytes(h) });
  }
  if (items.length === 0 || items.length > INDEX_MAX_FILES) return;
  if (!annoyAvailable()) {
    log('index: annoy-node is not available, so no query index was saved; "media-dedupe query" compares against the cached hashes instead');
    return;
  }
  try {
    const t0 = performance.now();
    const { index, rebuiltBecause } = loadOrBuildAnnoyIndex(cacheDir, items, { hasherKey: table.key });
    index.close();
    if (rebuiltBecause && rebuiltBecause.problem !== 'missing')
      log(`index: rebuilt the query index (${rebuiltBecause.message}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } catch (e) {
    log(
      `index: the query index could not be saved (${e instanceof Error ? e.message : String(e)}); "media-dedupe query" will compare against the cached hashes`,
    );
  }
}
