/**
 * The one place that loads annoy-node. It is a native addon built at install time (scripts/build-annoy.mjs),
 * so it can be missing or broken on a machine where everything else works: it is required lazily, on first
 * use of the Annoy index, and a failure becomes an AnnoyIndexError('unavailable') instead of a crash at
 * import time.
 */
import { AnnoyIndexError } from './annoyErrors.js';

/** annoy-node 0.1.8's binding, as its C++ source defines it (its shipped .d.ts is missing). */
export interface NativeAnnoyIndex {
  addItem(item: number, vector: Float64Array): void;
  /** threads: -1 uses every core. */
  build(trees: number, threads?: number): void;
  /** Writes the index, then re-opens it from that file with mmap. Errors are not reported by the binding. */
  save(path: string): void;
  /** mmaps the file. Errors are not reported, and a damaged file can crash the process: verify it first. */
  load(path: string): void;
  unload(): void;
  /** search_k is fixed at -1 by the binding (n x trees nodes): asking for more neighbours searches more. */
  get_nns_by_item(item: number, n: number, includeDistances: boolean): NativeNns;
  get_nns_by_vector(vector: Float64Array, n: number, includeDistances: boolean): NativeNns;
}

/** Arrays of length n with holes past the results found. */
export interface NativeNns {
  neighbours: (number | undefined)[];
  distances?: (number | undefined)[];
}

export interface AnnoyModule {
  readonly create: (dimensions: number) => NativeAnnoyIndex;
}

let cached: { module?: AnnoyModule; error?: AnnoyIndexError } | undefined;

/** annoy-node with the Manhattan metric (Hamming distance on 0/1 vectors), or throws AnnoyIndexError('unavailable'). */
export function loadAnnoy(): AnnoyModule {
  cached ??= tryLoad();
  if (cached.error) throw cached.error;
  return cached.module!;
}

export function annoyAvailable(): boolean {
  try {
    loadAnnoy();
    return true;
  } catch {
    return false;
  }
}

function tryLoad(): { module?: AnnoyModule; error?: AnnoyIndexError } {
  try {
    // A plain require keeps it out of the bundle (scripts/build.mjs marks it external) and out of startup.
    const m = require('annoy-node') as { default: new (f: number, metric: number) => NativeAnnoyIndex; Metric: { MANHATTAN: number } };
    if (typeof m.default !== 'function' || typeof m.Metric?.MANHATTAN !== 'number') {
      throw new Error('annoy-node does not export AnnoyIndex and Metric as version 0.1.8 does');
    }
    const Ctor = m.default;
    const manhattan = m.Metric.MANHATTAN;
    return { module: { create: (f) => new Ctor(f, manhattan) } };
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return {
      error: new AnnoyIndexError(
        'unavailable',
        `The Annoy index needs the native annoy-node addon, which could not be loaded (${why}). ` +
          'Run `npm install` (its postinstall builds it with cmake or g++); exact search still works without it.',
      ),
    };
  }
}
