/**
 * Radius search over bit hashes that picks its method by size: exact all-pairs (popcount on every core)
 * while that stays fast, bit-sampling LSH beyond. Both give the same semantics — a pair iff
 * differing bits / length < threshold, rows of one item never paired, only rows of one group paired —
 * and every LSH candidate is verified with its exact distance, so the approximate path can miss pairs
 * (recall, bounded by the plan) but never report a false one.
 */
import { availableParallelism } from 'node:os';
import { invalidOption } from '../errors.js';
import { searchPairs, type ThreadOptions } from '../search/engine.js';
import type { PackedHashes } from '../search/packed.js';
import { NO_PAIRS, type BitPairs } from '../search/pairList.js';
import type { GroupKeys } from '../search/plan.js';
import { approximatePairs } from './approximatePairs.js';
import { DEFAULT_APPROXIMATE_ABOVE, MAX_LSH_BITS, planLsh, type LshPlan } from './lshParams.js';

export { DEFAULT_APPROXIMATE_ABOVE };

/**
 * Planned recall of a pair exactly at the radius, the worst case over true pairs. Higher than the LSH
 * module's own default (0.995) so that recall stays above 99.5% even on data whose pairs all sit near
 * the threshold; it costs ~30% more tables.
 */
export const DEFAULT_LSH_RECALL = 0.999;

export type SearchMethod = 'auto' | 'exact' | 'approximate';

export interface BitSearchOptions extends ThreadOptions {
  /** Pairs have fewer than this many differing bits (exclusive, as radiusFor gives it). */
  readonly radius: number;
  /** 'auto' (default): approximate above `approximateAbove` hashes when LSH can serve the radius. */
  readonly method?: SearchMethod;
  readonly approximateAbove?: number;
  /** Rows with the same item id are never paired. */
  readonly items?: ArrayLike<number>;
  /** Only rows with equal group keys are paired. */
  readonly groups?: GroupKeys;
  /** LSH: planned recall at the radius (default DEFAULT_LSH_RECALL) and table seed (default 1). */
  readonly recall?: number;
  readonly seed?: number;
}

export interface BitSearchResult {
  /** Sorted by i then j, i < j; d = differing bits. */
  readonly pairs: BitPairs;
  readonly method: 'exact' | 'approximate';
  /** Why this method ran (for the progress line). */
  readonly reason: string;
  /** LSH only: its parameters and guaranteed recall at the radius. */
  readonly plan?: LshPlan;
  /** LSH only: pair tests made (candidates, before deduplication). */
  readonly candidates?: number;
  readonly threads: number;
  readonly seconds: number;
}

/** The LSH plan for n hashes of `bits` bits at an exclusive radius, or why LSH cannot serve it. */
export function lshPlanFor(n: number, bits: number, radius: number, opts: { recall?: number; seed?: number } = {}): { plan: LshPlan } | { why: string } {
  if (bits > MAX_LSH_BITS) return { why: `LSH handles hashes of up to ${MAX_LSH_BITS} bits, these have ${bits}` };
  if (bits < 8) return { why: `LSH needs hashes of 8 bits or more, these have ${bits}` };
  // The LSH radius is inclusive: `d < radius` is `d <= radius - 1`.
  if (radius - 1 >= bits / 2) return { why: `a threshold of ${radius - 1} bits of ${bits} or more is too wide for bit sampling` };
  try {
    return { plan: planLsh(n, bits, Math.max(0, radius - 1), { recall: opts.recall ?? DEFAULT_LSH_RECALL, seed: opts.seed }) };
  } catch (e) {
    return { why: (e as Error).message };
  }
}

export async function searchBitPairs(data: PackedHashes, opts: BitSearchOptions): Promise<BitSearchResult> {
  const method = opts.method ?? 'auto';
  const above = opts.approximateAbove ?? DEFAULT_APPROXIMATE_ABOVE;
  const n = data.count;
  const started = performance.now();
  if (opts.radius <= 0) return { pairs: NO_PAIRS, method: 'exact', reason: 'a threshold of 0 bits admits no pair', threads: 1, seconds: 0 };
  const lsh = method === 'exact' || (method === 'auto' && n <= above) ? undefined : lshPlanFor(n, data.bits, opts.radius, opts);
  if (lsh && 'plan' in lsh) {
    const reason = method === 'approximate' ? 'approximate search asked for' : `more than ${above.toLocaleString('en-US')} hashes`;
    return approximate(data, lsh.plan, opts, reason, started);
  }
  if (lsh && method === 'approximate') throw invalidOption('the approximate search', 'hashes and a threshold that bit-sampling LSH can serve', lsh.why);
  const reason = lsh
    ? `${lsh.why}`
    : method === 'exact'
      ? 'exact search asked for'
      : `${n.toLocaleString('en-US')} hashes, at most ${above.toLocaleString('en-US')}`;
  let threads = 1;
  const pairs = await searchPairs(data, { ...opts, radius: opts.radius, report: (info) => ((threads = info.threads), opts.report?.(info)) });
  return { pairs, method: 'exact', reason, threads, seconds: (performance.now() - started) / 1000 };
}

async function approximate(data: PackedHashes, plan: LshPlan, opts: BitSearchOptions, reason: string, started: number): Promise<BitSearchResult> {
  const words = new Uint32Array(data.bytes.buffer, data.bytes.byteOffset, data.bytes.byteLength / 4);
  const threads = opts.workers ?? Math.min(2, availableParallelism());
  const r = await approximatePairs(words, data.count, plan.radius, {
    bits: data.bits,
    recall: opts.recall ?? DEFAULT_LSH_RECALL,
    keyBits: plan.keyBits,
    tables: plan.tables,
    seed: plan.seed,
    workers: threads <= 1 ? 0 : threads,
    ...(opts.items ? { items: opts.items } : {}),
  });
  // The kernel skips pairs of one item; pairs across groups are dropped here (scan's groups: few such pairs).
  const { groups } = opts;
  const i = new Uint32Array(r.i.length);
  const j = new Uint32Array(r.i.length);
  const d = new Uint32Array(r.i.length);
  let count = 0;
  for (let k = 0; k < r.i.length; k++) {
    const a = r.i[k];
    const b = r.j[k];
    if (groups && groups[a] !== groups[b]) continue;
    i[count] = a;
    j[count] = b;
    d[count] = r.dist[k];
    count++;
  }
  const pairs = count === 0 ? NO_PAIRS : { count, i: i.subarray(0, count), j: j.subarray(0, count), d: d.subarray(0, count) };
  return {
    pairs,
    method: 'approximate',
    reason,
    plan: r.plan,
    candidates: r.candidates,
    threads: Math.max(1, threads),
    seconds: (performance.now() - started) / 1000,
  };
}

/** One line for stderr or the scan log: which method ran, why, and for LSH its parameters and recall bound. */
export function describeSearch(r: BitSearchResult): string {
  const head = `${r.method} search (${r.reason})`;
  if (!r.plan) return head;
  const p = r.plan;
  return (
    `${head}: bit-sampling LSH, ${p.tables} tables of ${p.keyBits} sampled bits (seed ${p.seed}), ` +
    `every candidate verified exactly; a pair at the threshold (${p.radius} of ${p.bits} bits) is found with probability ` +
    `${(p.recallAtRadius * 100).toFixed(2)}%, closer pairs more often`
  );
}
