import { invalidOption } from '../errors.js';
import { hashStringToBytes, type HashFormat } from '../hashers/format.js';
import type { QueryScope } from './exact.js';
import type { PairSink } from './pairSet.js';

/** float32 / uint8 hashes (phashf, phashu8, colormoment, pdqf): `count` rows of `dim` values. */
export class VectorHashes {
  constructor(
    readonly count: number,
    readonly dim: number,
    readonly values: Float32Array | Uint8Array,
  ) {
    if (values.length !== count * dim) throw invalidOption('hash vectors', `${count * dim} values`, `${values.length}`);
  }

  /** perception's strings: uint8 bytes as they are, float32 little-endian. */
  static fromStrings(hashes: readonly string[], dtype: 'uint8' | 'float32', dim: number, format: HashFormat = 'base64'): VectorHashes {
    const size = dtype === 'uint8' ? 1 : 4;
    const bytes = new Uint8Array(hashes.length * dim * size);
    hashes.forEach((s, k) => {
      const b = hashStringToBytes(s, format);
      if (b.length !== dim * size) throw invalidOption('hash', `${dim * size} bytes (${dim} ${dtype} values)`, `${b.length} bytes in ${JSON.stringify(s)}`);
      bytes.set(b, k * dim * size);
    });
    return new VectorHashes(hashes.length, dim, dtype === 'uint8' ? bytes : new Float32Array(bytes.buffer));
  }

  /** Copies rows `indices` (in that order) into a new set. */
  select(indices: ArrayLike<number>): VectorHashes {
    const out = new VectorHashes(
      indices.length,
      this.dim,
      this.values instanceof Uint8Array ? new Uint8Array(indices.length * this.dim) : new Float32Array(indices.length * this.dim),
    );
    for (let k = 0; k < indices.length; k++) out.values.set(this.values.subarray(indices[k] * this.dim, (indices[k] + 1) * this.dim), k * this.dim);
    return out;
  }

  static fromVectors(vectors: readonly ArrayLike<number>[], dtype: 'uint8' | 'float32', dim?: number): VectorHashes {
    const d = dim ?? (vectors.length ? vectors[0].length : 0);
    const values = dtype === 'uint8' ? new Uint8Array(vectors.length * d) : new Float32Array(vectors.length * d);
    vectors.forEach((v, k) => {
      if (v.length !== d) throw invalidOption('hash', `a vector of ${d} values`, `${v.length} values`);
      values.set(v, k * d);
    });
    return new VectorHashes(vectors.length, d, values);
  }
}

export interface EuclideanOptions extends QueryScope {
  /** query rows against the data; omitted: the data against itself (i < j) */
  readonly queries?: VectorHashes;
}

/**
 * Pairs with Euclidean distance < threshold, as scipy's pdist computes it (float64 sum of squares in
 * vector order, then sqrt), so distances print exactly as perception's. Plain loops: vector hashers are
 * rarely used for large sets. A running sum past threshold^2 (with a margin far above rounding)
 * stops early, which never changes the result.
 */
export function euclideanPairs(data: VectorHashes, threshold: number, opts: EuclideanOptions, out: PairSink): void {
  const q = opts.queries;
  if (q && q.dim !== data.dim) throw invalidOption('query hashes', `vectors of ${data.dim} values`, `${q.dim} values`);
  if (!Number.isFinite(threshold)) throw invalidOption('threshold', 'a finite number', threshold);
  const a = q ?? data;
  const ga = q ? opts.queryGroups : opts.groups;
  const gb = opts.groups;
  const ia = q ? opts.queryItems : opts.items;
  const ib = opts.items;
  const dim = data.dim;
  const x = a.values;
  const y = data.values;
  const stop = threshold * threshold * (1 + 1e-9);
  if (threshold > 0) {
    for (let i = 0; i < a.count; i++) {
      const ai = i * dim;
      for (let j = q ? 0 : i + 1; j < data.count; j++) {
        if (ga && gb && ga[i] !== gb[j]) continue;
        if (ia && ib && ia[i] === ib[j]) continue;
        const bj = j * dim;
        let s = 0;
        let k = 0;
        for (; k < dim; k++) {
          const t = x[ai + k] - y[bj + k];
          s += t * t;
          if (s > stop) break;
        }
        if (k < dim) continue;
        const d = Math.sqrt(s);
        if (d < threshold) out.add(i, j, d);
      }
    }
  }
}
