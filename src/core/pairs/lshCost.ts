/**
 * The cost model of the native LSH table loop (native/kernels/lsh.c), CPU seconds a table: a pass over every
 * hash (one key computation, partitions, the bucket sort and the gather of the rows: perRow a hash, plus
 * perLog for each doubling of the hashes past GROWS_FROM, as the gathers miss more of the caches), one
 * exact test per pair of hashes sharing a bucket (about d^2 / 2^(k+1) for k key bits: perTest each), and
 * what a budget too small for the keys adds (lshNative.ts nativePassPlan): with coarse bytes kept,
 * perCoarse a hash (its key computed again in its own pass) and perScan a hash for each pass (the scan of
 * the bytes and the sparse reads of the pass's rows); with nothing kept, perKey a hash for each pass (every
 * key again). A pass that copies its rows instead of gathering them (lsh.c copy_bytes) has no gathers, so no
 * perLog: perCopyRow a hash and perCopy a hash for each of its passes. Fitted on table shards of 1M to 60M
 * planted hashes on this project's 2-core machine (bench/lshEngines.ts, bench/scale.ts fitModel); the
 * shards' sizing (src/core/shards/sizing.ts) and the native loop's choice of what a thread keeps
 * (lshNative.ts nativePassPlan) both read it.
 */

/**
 * Seconds a hash a table, and more for each doubling of the hashes past GROWS_FROM; a pair test; a hash a
 * recomputing pass; a hash with coarse bytes kept; a hash a coarse pass (fitted: see above).
 */
export interface CostConstants {
  readonly perRow: number;
  readonly perLog: number;
  readonly perTest: number;
  readonly perKey: number;
  readonly perCoarse: number;
  readonly perScan: number;
  /** A hash a table whose passes copy their rows (lsh.c copy_bytes): the sparse read of the row and its copies, once; such a table gathers nothing, so no perLog. */
  readonly perCopyRow: number;
  /** A hash a pass that copies its rows: the scan of the coarse bytes and the page walks of the pass's sparse reads. */
  readonly perCopy: number;
  /** A pair test the copied prefix does not reject: the rest of both rows read from the mapped hashes (two sparse reads). */
  readonly perRest: number;
}
/* perCopyRow and perCopy are not part of bench/scale.ts fitModel: bench/lshEngines.ts --check fits them (least
   squares, relative errors) on its copying runs, one thread: on 1B's budget a hash at 10M, 30M and 60M
   (`--check 10000000,30000000,60000000 --copy 0,32,24`: whole rows in 52 passes a table, their first 24 bytes
   in 37) and on --memory 5's at 30M (`--check 30000000 --copy keys,24 --budget 5`: 7 passes), 14 runs within
   8 % (README, "Datasets larger than one machine"). Before, perCopy alone (1.67 ns a hash a pass, from 52
   passes at 60M) put nearly all of a copying table's cost on its passes: 24-byte rows (15 passes fewer) then
   measured 0.92-0.97x, not the 0.82x it predicted. */
export const FITTED: CostConstants = {
  perRow: 36.83e-9,
  perLog: 12.42e-9,
  perTest: 1.55e-9,
  perKey: 11.93e-9,
  perCoarse: -0.5e-9,
  perScan: 3.17e-9,
  perCopyRow: 42.0e-9,
  perCopy: 0.77e-9,
  perRest: 162e-9,
};
/* perRest: at 10M hashes, one thread on 1B's budget a hash (`bench/lshEngines.ts --check 10000000 --copy 24,16`,
   2 rounds), 16-byte prefixes sent 7.3 % of the tests to the hashes (6.85M more a table than 24-byte ones) and
   took 1.03 CPU-s a table more in 11 passes fewer (0.08 s by perCopy): 162 ns a rest-read (README, "Datasets
   larger than one machine"). */
/**
 * Hashes past which a hash costs more the more there are: a table gathers each of its rows from anywhere in
 * the hashes, and past ~128 MB of them (4M rows of 32 bytes) the page walks of those reads miss the caches
 * more with every doubling. Measured: 36-39 ns a hash a table besides its pair tests at 1M-3M, 52 at 10M,
 * 81 at 30M, 102 at 60M; a model linear in n put a 60M check 22 % above it.
 */
export const GROWS_FROM = 2 ** 22;
/** Doublings of d past GROWS_FROM (0 below it). */
export const doublings = (d: number): number => Math.max(0, Math.log2(d / GROWS_FROM));
/** What a table costs a thread besides its first key computation: passes that recompute every key, whether it kept coarse bytes, and the passes that scan them. */
export interface TableWork {
  readonly recomputes: number;
  readonly coarse: number;
  readonly scans: number;
  /** The passes copy their rows (scans of perCopy, no gathers), not gather them. */
  readonly copied?: boolean;
  /** Of a copying table's pair tests, the share its prefix does not reject (restReadRate): perRest each. */
  readonly restRate?: number;
}
export const KEYS_KEPT: TableWork = { recomputes: 0, coarse: 0, scans: 0 };

/** Pair tests per table: pairs of distinct hashes that share a k-bit key, for unrelated hashes. */
export const testsPerTable = (d: number, k: number): number => (d * d) / 2 ** (k + 1);

export function cpuPerTable(d: number, k: number, work: TableWork = KEYS_KEPT, c: CostConstants = FITTED): number {
  if (work.copied)
    return d * (c.perRow + c.perCoarse + c.perCopyRow + c.perCopy * work.scans) + (c.perTest + c.perRest * (work.restRate ?? 0)) * testsPerTable(d, k);
  return (
    d * (c.perRow + c.perLog * doublings(d)) +
    c.perTest * testsPerTable(d, k) +
    d * (c.perKey * work.recomputes + c.perCoarse * work.coarse + c.perScan * work.scans)
  );
}

/** What the rest-read rate of a copied prefix depends on: the hashes' bits, a table's key bits, the radius (exclusive). */
export interface PrefixSearch {
  readonly bits: number;
  readonly keyBits: number;
  readonly radius: number;
}

/**
 * The share of a table's pair tests whose first prefixBytes do not reject the pair, so that lsh.c reads the
 * rest of both rows from the hashes (perRest each): for unrelated hashes, which are nearly all of the tests,
 * the chance that a Binomial(f, 1/2) distance over the prefix's f bits outside the table's key (the key's
 * bits agree in a bucket; j of its keyBits fall in the prefix, hypergeometric over the tables) stays below
 * the radius. 256-bit hashes, radius 51: 24 bytes 3e-9 (19 key bits) to 2e-8 (26), 20 bytes 6e-5 to 2e-4,
 * 16 bytes 5.7 % to 10 %; measured on planted hashes at 10M (19 key bits): 7.3 % at 16 bytes, 0.008 % more
 * at 20 than at 24 (the model: 0.0056 %); 0.021 % and 0.015 % more at 30M and 60M (the model 0.008, 0.010). Near pairs add their own share whatever the prefix (0.13-0.16 % of
 * the tests at 24 bytes on the planted hashes): left out, the same for every prefix.
 */
export function restReadRate(prefixBytes: number, s: PrefixSearch): number {
  const m = Math.min(8 * prefixBytes, s.bits);
  if (m >= s.bits) return 0;
  const logChoose = (a: number, b: number): number => lgamma(a + 1) - lgamma(b + 1) - lgamma(a - b + 1);
  let rate = 0;
  for (let j = Math.max(0, s.keyBits - (s.bits - m)); j <= Math.min(s.keyBits, m); j++) {
    // j key bits in the prefix: P[j] hypergeometric, then P[Binomial(m - j, 1/2) <= radius - 1]
    const pj = Math.exp(logChoose(m, j) + logChoose(s.bits - m, s.keyBits - j) - logChoose(s.bits, s.keyBits));
    const f = m - j;
    let below = 0;
    for (let x = 0; x <= Math.min(f, s.radius - 1); x++) below += Math.exp(logChoose(f, x) - f * Math.LN2);
    rate += pj * below;
  }
  return Math.min(1, rate);
}

/** ln Γ(x) for x >= 1 (Stirling's series past 8, recurrence below): the binomial coefficients above, up to 256. */
function lgamma(x: number): number {
  let shift = 0;
  while (x < 8) shift -= Math.log(x++);
  const z = 1 / (x * x);
  return shift + (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + (1 / (12 * x)) * (1 - z * (1 / 30 - z * (1 / 105 - z / 140)));
}
