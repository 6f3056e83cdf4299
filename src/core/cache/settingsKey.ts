/**
 * The hash cache's settings key: what cached hashes depend on, as the one string a cache file is named
 * after and holds in its header. Built here for a scan and read back here by `query`, which looks for the
 * cache that holds its hasher. Thresholds are not part of it: changing one re-searches, it does not re-hash.
 */
import { GENERATOR } from '../generator.js';
import { CACHE_VERSION } from './hashCache.js';

export interface CacheSettings {
  /** The cache format (CACHE_VERSION). */
  readonly cacheVersion: number;
  /** The engine that wrote it: a fixed hashing bug must not be served from an old cache. */
  readonly engineVersion: string;
  /** hasherKey of every configuration hashed, sorted. */
  readonly hasherKeys: readonly string[];
}

const SEP = '|';

/** The key of a cache written by this engine for these hasher configurations (in any order). */
export function settingsKey(hasherKeys: readonly string[]): string {
  return [`cache-v${CACHE_VERSION}`, `engine-${GENERATOR.version}`, ...[...hasherKeys].sort()].join(SEP);
}

/** A key taken apart again; undefined when it is not one settingsKey builds. */
export function parseSettingsKey(key: string): CacheSettings | undefined {
  const [cache, engine, ...hasherKeys] = key.split(SEP);
  const version = /^cache-v(\d+)$/.exec(cache ?? '');
  if (!version || !engine?.startsWith('engine-')) return undefined;
  return { cacheVersion: Number(version[1]), engineVersion: engine.slice('engine-'.length), hasherKeys };
}

/** Whether a cache under `key` was written by this engine and holds the hashes of `hasherKey`. */
export function holdsHasher(key: string, hasherKey: string): boolean {
  const s = parseSettingsKey(key);
  return s !== undefined && s.cacheVersion === CACHE_VERSION && s.engineVersion === GENERATOR.version && s.hasherKeys.includes(hasherKey);
}
