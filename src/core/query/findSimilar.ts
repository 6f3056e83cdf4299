/**
 * Query by example: the dataset files nearest to one image, from the hashes the last scan of the dataset
 * saved in its cache folder (asked through an Annoy index for a bit hasher, built by the first query and
 * kept beside those hashes). `media-dedupe query` and the extension's Find Similar Images both call findSimilar.
 */
import { dirname } from 'node:path';
import { HashCache, listCaches } from '../cache/hashCache.js';
import { holdsHasher, parseSettingsKey } from '../cache/settingsKey.js';
import { expectInt, invalidOption, MediaError } from '../errors.js';
import { normalizeHasher, prepareTables, type TableSpec } from '../hashers/configure.js';
import { hashByteLength, hashStringToBytes } from '../hashers/format.js';
import { ISOMETRIC_KEYS } from '../hashers/types.js';
import { hashFiles } from '../hashing/hashFiles.js';
import { loadOrBuildQueryIndex } from './queryIndex.js';
import type { HasherConfig } from '../types.js';
import { nearest, nearestFirst, type Neighbour } from './nearest.js';

export interface FindSimilarInput {
  /** The image to find (absolute path). */
  readonly image: string;
  /** The scanned folder to search (absolute path). */
  readonly dataset: string;
  /** A hasher the scan used; size and threshold default as in a scan. */
  readonly hasher: Partial<HasherConfig> & { readonly name: string };
  /** How many files to return (1-10000). */
  readonly k: number;
  /** Also match the image's rotations and mirrors: each file's distance is the best over the 8 variants. */
  readonly isometric?: boolean;
  /** Compare every saved hash instead of asking the saved index. */
  readonly exact?: boolean;
  /** Problems met while reading the saved hashes (damaged lines are left out). */
  readonly log?: (msg: string) => void;
  /** How the person named the image and the hasher, for error messages (the CLI: the argument as typed, and its --hasher flag). */
  readonly shownAs?: { readonly image?: string; readonly hasherOption?: string; readonly hasherArg?: unknown };
}

export interface SimilarResult {
  readonly dataset: string;
  readonly hasher: string; // label, e.g. phash16
  readonly threshold: number;
  /** 'index': the saved Annoy index proposed the candidates (their distances are exact); 'exact': every saved hash was compared. */
  readonly method: 'index' | 'exact';
  /** How many dataset files were searched. */
  readonly searched: number;
  /** Nearest first, ties by path; `duplicate`: the distance is below the threshold. */
  readonly results: readonly { readonly path: string; readonly distance: number; readonly duplicate: boolean }[];
}

export async function findSimilar(input: FindSimilarInput): Promise<SimilarResult> {
  const k = expectInt('k', input.k, 1, 10000);
  const config = normalizeHasher(input.hasher);
  const [table] = prepareTables([config]);
  const shown = input.shownAs ?? {};

  // The cache written by a scan with this hasher (among others) and this engine version.
  const saved = (await listCaches(input.dataset)).find((c) => holdsHasher(c.settingsKey, table.key));
  if (!saved)
    throw invalidOption(
      shown.hasherOption ?? 'hasher',
      `a hasher the last scan of ${input.dataset} used (no saved ${table.label} hashes there)`,
      shown.hasherArg ?? table.label,
    );
  const hashKeys = parseSettingsKey(saved.settingsKey)!.hasherKeys;
  const hashBytes = { [table.key]: hashByteLength(table.hasher.dtype, table.hasher.hashLength) };
  const cache = await HashCache.readOnly(input.dataset, { settingsKey: saved.settingsKey, hashKeys, hashBytes, log: input.log });

  const queries = await queryHashes(input.image, table, input.isometric === true, shown.image ?? input.image);
  const data: { path: string; hash: string }[] = [];
  for (const e of cache.all()) {
    const h = e.hashes?.[table.key];
    if (typeof h === 'string') data.push({ path: e.path, hash: h });
  }
  // The index lives beside the hashes it indexes (the folder's own cache folder, or its spare one).
  const fromIndex = input.exact === true ? undefined : queryIndex(dirname(saved.file), table, data, queries, k, input.log);
  const found: Neighbour[] = fromIndex?.found ?? nearest(queries, data, table.hasher, k);
  return {
    dataset: input.dataset,
    hasher: table.label,
    threshold: config.threshold,
    method: fromIndex ? 'index' : 'exact',
    searched: fromIndex?.size ?? data.length,
    results: found.map((n) => ({ path: n.path, distance: n.distance, duplicate: n.distance < config.threshold })),
  };
}

/** The image's hash, or with `isometric` the hashes of its 8 variants; fails as hashing it fails. */
async function queryHashes(image: string, table: TableSpec, isometric: boolean, shownAs: string): Promise<string[]> {
  const [outcome] = await hashFiles([image], [table.spec], { isometric });
  if (!outcome.ok) throw new MediaError(outcome.error.code, `${shownAs}: ${outcome.error.message}`, image);
  const hashes = isometric ? ISOMETRIC_KEYS.map((v) => outcome.isometric![table.key][v]) : [outcome.hashes[table.key]];
  const queries = hashes.filter((h): h is string => h !== null);
  if (queries.length === 0)
    throw new MediaError('UNIFORM_IMAGE', `${shownAs}: ${table.label} gives no hash for this image (as perception returns None)`, image);
  return queries;
}

/**
 * Neighbours from the dataset's Annoy index (best over the query's variants), built and saved by the first
 * query that needs it (queryIndex.ts); undefined when there is no usable index.
 */
function queryIndex(
  cacheDir: string,
  table: TableSpec,
  data: readonly { path: string; hash: string }[],
  queries: readonly string[],
  k: number,
  log: ((msg: string) => void) | undefined,
): { found: Neighbour[]; size: number } | undefined {
  if (table.hasher.dtype !== 'bool' || table.hasher.hashLength % 8 !== 0) return undefined;
  const index = loadOrBuildQueryIndex({ cacheDir, hasherKey: table.key, data, log });
  if (!index) return undefined;
  try {
    const best = new Map<string, number>();
    for (const q of queries) {
      for (const hit of index.query(hashStringToBytes(q), Math.min(k, index.size), { searchNeighbours: Math.max(100, 10 * k) })) {
        const d = hit.distance / table.hasher.hashLength;
        if (d < (best.get(hit.path) ?? Infinity)) best.set(hit.path, d);
      }
    }
    return {
      found: nearestFirst(
        [...best].map(([path, distance]) => ({ path, distance })),
        k,
      ),
      size: index.size,
    };
  } finally {
    index.close();
  }
}
