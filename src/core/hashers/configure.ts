import { expectNumber, invalidOption } from '../errors.js';
import type { HasherConfig } from '../types.js';
import { canonicalHasherName, createHasherFromSpec, hasherKey, hasherParamSpecs, type HasherSpec } from './registry.js';
import type { Hasher } from './types.js';

/**
 * Validates one hasher configuration before any file is touched. The name is canonicalised
 * (whash -> wavelet), a missing hash size becomes the hasher's default (16) and a missing threshold
 * perception's recommended one.
 */
export function normalizeHasher(h: unknown, i = 0): HasherConfig {
  if (typeof h !== 'object' || h === null) throw invalidOption(`hashers[${i}]`, 'an object like {name: "phash", hashSize: 16, threshold: 0.2}', h);
  const c = h as Partial<HasherConfig>;
  const name = canonicalHasherName(c.name as string);
  const takesSize = hasherParamSpecs(name).find((p) => p.name === 'hashSize');
  if (c.hashSize !== undefined && !takesSize) throw invalidOption(`hash size of ${name}`, 'nothing (this hasher has a fixed size)', c.hashSize);
  const hashSize = takesSize ? (c.hashSize ?? (takesSize.default as number)) : undefined;
  const params = c.params && Object.keys(c.params).length > 0 ? { ...c.params } : undefined;
  const spec = { name, ...(hashSize !== undefined ? { hashSize } : {}), ...(params ? { params } : {}) };
  const hasher = createHasherFromSpec(spec); // validates size and params
  const threshold =
    c.threshold === undefined
      ? hasher.defaultThreshold
      : expectNumber(`threshold of ${name}`, c.threshold, 0, hasher.distanceMetric === 'hamming' ? 1 : Number.MAX_VALUE);
  return { ...spec, threshold };
}

/** A configured hasher as scan and query use it. */
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
