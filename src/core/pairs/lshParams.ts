/**
 * Parameters of bit-sampling LSH for Hamming radius search, chosen from the collision probability rather
 * than guessed: a table samples k distinct bit positions; two hashes at distance d share the table's key
 * with probability h(d) = C(B-d, k) / C(B, k); with L independent tables a pair is missed with
 * probability (1 - h(d))^L. We pick L so that even the farthest pair (radius - 1 bits: the radius is
 * exclusive, as everywhere in pairs/, see radiusFor) is found with the target probability, which makes
 * the recall target hold whatever the distance distribution of the true pairs.
 */
import { invalidOption } from '../errors.js';

export const MAX_LSH_BITS = 256;

/**
 * Exact search stays the default up to this many hashes. Measured here (256 bits, threshold 0.2): exact
 * all-pairs costs ~4.2 CPU-s at 100k and ~15 at 200k (quadratic: ~105 at 500k, ~420 at 1M), about half
 * that in wall time on two cores; LSH costs 0.6, 1.3 and ~12 CPU-s at 100k, 200k and 1M. Up to 200k
 * exact is under ~10 s on two cores and gives every pair; past it exact grows too slow to be the default.
 */
export const DEFAULT_APPROXIMATE_ABOVE = 200_000;

export const MAX_TABLES = 4000;

/**
 * Planned recall of a pair exactly at the threshold, the worst case over true pairs: high enough that
 * recall stays above 99.5% even on data whose pairs all sit near the threshold (0.995 would need ~30%
 * fewer tables). The one default, for the CLI, the scan and the benchmarks alike.
 */
export const DEFAULT_LSH_RECALL = 0.999;

/** Probability that k distinct positions drawn from B bits all avoid the d differing ones. */
export function collisionProbability(bits: number, d: number, k: number): number {
  let p = 1;
  for (let i = 0; i < k; i++) p *= Math.max(0, bits - d - i) / (bits - i);
  return p;
}

/** Tables needed so a pair at distance `d` collides in at least one of them with probability `recall`. */
export function tablesFor(bits: number, d: number, k: number, recall: number): number {
  const h = collisionProbability(bits, d, k);
  if (h <= 0) return Infinity;
  if (h >= 1) return 1;
  return Math.max(1, Math.ceil(Math.log(1 - recall) / Math.log(1 - h)));
}

/**
 * Longest key: past it the tables a recall target needs pass MAX_TABLES at threshold 0.2 of 256 bits
 * (26 bits: 3,127 tables at 0.999).
 */
export const MAX_KEY_BITS = 26;

/**
 * Key length: random pairs land in the same bucket with probability 2^-k, so a table costs about
 * n (keys, partition, sort) + n^2 / 2^(k+1) (pair tests, ~1.5 ns each in the kernel), while longer keys
 * need more tables for the same recall. Measured (bench/annoy.ts --sweep, CPU seconds at threshold 0.2 of
 * 256): log2(n) - 4 was cheapest or close at 100k and 1M; it keeps about 8 pair tests a hash a table at
 * any n. At 1B hashes 26 bits (3,127 tables) cost about half the CPU of 24 (1,903 tables, but 30 tests a
 * hash a table; src/core/shards/sizing.ts).
 */
export function defaultKeyBits(n: number, bits: number, radius: number): number {
  const k = Math.round(Math.log2(Math.max(n, 2))) - 4;
  return Math.max(4, Math.min(MAX_KEY_BITS, k, bits - radius));
}

/**
 * Partitions sized to stay in L2 during the bucket sort: about 4096 rows (160 KB) each, at most 2^16 of
 * them (at 1B hashes ~15,000 rows, 480 KB).
 */
export function defaultPartitionBits(n: number, k: number): number {
  return Math.max(0, Math.min(k, 16, Math.ceil(Math.log2(Math.max(1, n / 4096)))));
}

export interface LshPlan {
  readonly bits: number;
  /** exclusive: pairs have fewer differing bits */
  readonly radius: number;
  readonly keyBits: number;
  readonly tables: number;
  readonly partitionBits: number;
  readonly seed: number;
  /** Expected recall of a pair at radius - 1 bits, the farthest: the worst case over true pairs. */
  readonly recallAtRadius: number;
}

export interface LshPlanOptions {
  readonly recall?: number;
  readonly keyBits?: number;
  readonly tables?: number;
  readonly seed?: number;
}

export function planLsh(n: number, bits: number, radius: number, opts: LshPlanOptions = {}): LshPlan {
  if (!Number.isInteger(bits) || bits < 8 || bits > MAX_LSH_BITS) throw invalidOption('bits', `an integer between 8 and ${MAX_LSH_BITS}`, bits);
  const far = radius - 1;
  if (!Number.isInteger(radius) || far < 0 || far >= bits / 2) {
    throw invalidOption('radius', `an integer between 1 and ${Math.ceil(bits / 2)} (LSH cannot separate pairs at half the bits; use exact search)`, radius);
  }
  const recall = opts.recall ?? DEFAULT_LSH_RECALL;
  if (typeof recall !== 'number' || !(recall > 0 && recall < 1)) throw invalidOption('recall', 'a number between 0 and 1 (exclusive)', recall);
  const keyBits = opts.keyBits ?? defaultKeyBits(n, bits, radius);
  if (!Number.isInteger(keyBits) || keyBits < 1 || keyBits > Math.min(MAX_KEY_BITS, bits - far)) {
    throw invalidOption('keyBits', `an integer between 1 and ${Math.min(MAX_KEY_BITS, bits - far)}`, keyBits);
  }
  const tables = opts.tables ?? tablesFor(bits, far, keyBits, recall);
  if (!Number.isInteger(tables) || tables < 1 || tables > MAX_TABLES) {
    throw invalidOption('tables', `an integer between 1 and ${MAX_TABLES} (fewer key bits need fewer tables)`, tables);
  }
  const seed = opts.seed ?? 1;
  if (!Number.isInteger(seed)) throw invalidOption('seed', 'an integer', seed);
  const h = collisionProbability(bits, far, keyBits);
  return { bits, radius, keyBits, tables, partitionBits: defaultPartitionBits(n, keyBits), seed, recallAtRadius: 1 - Math.pow(1 - h, tables) };
}

/** splitmix32: a tiny, well-mixed generator so table t's bits depend only on (seed, t), not on worker split. */
function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** k distinct bit positions per table (partial Fisher-Yates), concatenated: tables x k. */
export function sampleTableBits(plan: LshPlan): Int32Array {
  const { bits, keyBits: k, tables } = plan;
  const out = new Int32Array(tables * k);
  const pool = new Int32Array(bits);
  for (let t = 0; t < tables; t++) {
    const next = splitmix32(Math.imul(plan.seed, 0x27d4eb2d) ^ Math.imul(t + 1, 0x165667b1));
    for (let b = 0; b < bits; b++) pool[b] = b;
    for (let j = 0; j < k; j++) {
      const r = j + (next() % (bits - j));
      const tmp = pool[j];
      pool[j] = pool[r];
      pool[r] = tmp;
      out[t * k + j] = pool[j];
    }
  }
  return out;
}
