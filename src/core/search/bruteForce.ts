import { invalidOption } from '../errors.js';
import { PairBuilder, type BitPairs } from './pairList.js';
import { hammingBits, type PackedHashes } from './packed.js';
import type { SearchScope } from './plan.js';

export interface BruteForceOptions extends SearchScope {
  /** query rows against the data (pairs (query, data)); omitted: the data against itself (i < j) */
  readonly queries?: PackedHashes;
}

/**
 * The reference the fast search is tested against: every pair, a byte at a time, no tiles, no
 * wasm, no threads. Same contract as searchPairs / searchQueries (pairs with bits < radius, sorted).
 */
export function bruteForcePairs(data: PackedHashes, radius: number, opts: BruteForceOptions = {}): BitPairs {
  const q = opts.queries;
  if (q && q.bits !== data.bits) throw invalidOption('query hashes', `${data.bits}-bit hashes`, `${q.bits}-bit hashes`);
  const out = new PairBuilder();
  const a = q ?? data;
  const ga = q ? opts.queryGroups : opts.groups;
  const gb = opts.groups;
  const ia = q ? opts.queryItems : opts.items;
  const ib = opts.items;
  for (let i = 0; i < a.count; i++) {
    for (let j = q ? 0 : i + 1; j < data.count; j++) {
      if (ga && gb && ga[i] !== gb[j]) continue;
      if (ia && ib && ia[i] === ib[j]) continue;
      const d = hammingBits(a, i, data, j);
      if (d < radius) out.push(i, j, d);
    }
  }
  return out.finish();
}
