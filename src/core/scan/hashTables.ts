import { createHasherFromSpec, hasherKey, type HasherSpec } from '../hashers/registry.js';
import type { Hasher } from '../hashers/types.js';
import { GENERATOR } from '../manifest/generator.js';
import type { HasherConfig } from '../types.js';
import { CACHE_VERSION } from '../cache/hashCache.js';

/** A configured hasher as the scan uses it. */
export interface TableSpec {
  readonly spec: HasherSpec;
  readonly key: string; // hasherKey: names hashes in results and the cache
  readonly label: string; // short, for pairs and manifests: phash16, dhash16, pdq
  readonly threshold: number;
  readonly hasher: Hasher;
}

/** One TableSpec per distinct configuration (the same hasher twice is hashed once, with the first threshold). */
export function prepareTables(configs: readonly HasherConfig[]): TableSpec[] {
  const out: TableSpec[] = [];
  const labels = new Set<string>();
  for (const c of configs) {
    const spec: HasherSpec = { name: c.name, ...(c.hashSize !== undefined ? { hashSize: c.hashSize } : {}), ...(c.params ? { params: c.params } : {}) };
    const key = hasherKey(spec);
    if (out.some((t) => t.key === key)) continue;
    // perception's naming (phash16); a second configuration of the same name and size gets a suffix.
    let label = `${c.name}${c.hashSize ?? ''}`;
    for (let n = 2; labels.has(label); n++) label = `${c.name}${c.hashSize ?? ''}#${n}`;
    labels.add(label);
    out.push({ spec, key, label, threshold: c.threshold, hasher: createHasherFromSpec(spec) });
  }
  return out;
}

/**
 * What cached hashes depend on: the cache format, the engine version (a fixed hashing bug must not be
 * served from an old cache) and every hasher configuration. Thresholds are not part of it: changing one
 * re-searches, it does not re-hash.
 */
export function cacheSettingsKey(tables: readonly TableSpec[]): string {
  return [`cache-v${CACHE_VERSION}`, `engine-${GENERATOR.version}`, ...tables.map((t) => t.key).sort()].join('|');
}
