import { comparePaths } from '../files/paths.js';
import { hashStringToBytes } from '../hashers/format.js';
import { annoyAvailable } from '../annoy/annoyAddon.js';
import { AnnoyHashIndex, loadOrBuildAnnoyIndex, type IndexedHash } from '../annoy/annoyIndex.js';

/**
 * Beyond this many files no Annoy index is built: annoy-node stores doubles (2 KB per 256-bit hash), so
 * 1M files would need 2 GB (and 100k about 250 MB and 20 s to build here); `query` then compares against
 * the cached hashes exactly.
 */
export const INDEX_MAX_FILES = 100_000;

export interface QueryIndexInput {
  /** The dataset's cache folder (<root>/.media-dedupe). */
  readonly cacheDir: string;
  readonly hasherKey: string;
  /** The saved hashes (bit hashes, one string per file). */
  readonly data: readonly { readonly path: string; readonly hash: string }[];
  readonly log?: (msg: string) => void;
}

/**
 * The persistent Annoy index of a dataset's hashes, for query-by-example, built when a query first needs
 * it rather than by every scan: a scan's critical path no longer pays for it (about 5 s for 13,000 files
 * here), and a dataset nobody queries never gets one. Reused as is while it holds exactly these files and
 * hashes; rebuilt (and saved) when the hashes changed since. Undefined when annoy-node is not available,
 * the dataset is too large, or the index can neither be loaded nor built: the caller compares exactly.
 */
export function loadOrBuildQueryIndex(input: QueryIndexInput): AnnoyHashIndex | undefined {
  const log = input.log ?? (() => {});
  if (input.data.length === 0 || input.data.length > INDEX_MAX_FILES) return undefined;
  if (!annoyAvailable()) {
    log('index: annoy-node is not available, so every cached hash is compared');
    return undefined;
  }
  // Path order, so the same data always gives the same items (the index is reused only for identical items).
  const items: IndexedHash[] = [...input.data].sort((a, b) => comparePaths(a.path, b.path)).map((d) => ({ path: d.path, hash: hashStringToBytes(d.hash) }));
  try {
    const t0 = performance.now();
    const { index, rebuiltBecause } = loadOrBuildAnnoyIndex(input.cacheDir, items, { hasherKey: input.hasherKey });
    if (rebuiltBecause)
      log(
        `index: built the query index of ${items.length} files in ${((performance.now() - t0) / 1000).toFixed(1)} s (${rebuiltBecause.problem === 'missing' ? 'the first query since the scan' : rebuiltBecause.message}); later queries reuse it`,
      );
    return index;
  } catch (e) {
    log(`index: the query index could not be built or saved (${e instanceof Error ? e.message : String(e)}); every cached hash is compared`);
    return undefined;
  }
}
