/**
 * The one place that picks how a hasher's pairs are searched, and says why: exact all-pairs (popcount on
 * every core) while that stays fast, bit-sampling LSH beyond it. Both give the same semantics — a pair
 * iff distance < threshold, rows of one item never paired, only rows of one group paired — and every LSH
 * candidate is verified with its exact distance, so the approximate path can miss pairs (recall, bounded
 * by the plan) but never report a false one. Isometric and vector searches are exact. A query search (new
 * hashes against a dataset's) is exact up to as many comparisons as the largest exact self-search makes,
 * and a dataset of `approximateAbove` hashes; beyond both, one LSH run over the dataset and the queries.
 */
import { invalidOption } from '../errors.js';
import { DEFAULT_APPROXIMATE_ABOVE, MAX_LSH_BITS, planLsh, type LshPlan, type LshPlanOptions } from './lshParams.js';
import { PackedHashes, radiusFor } from './packed.js';
import type { VectorHashes } from './vectors.js';

export type SearchMethod = 'auto' | 'exact' | 'approximate';

export interface ChoiceOptions {
  /** 'auto' (default): approximate above `approximateAbove` hashes when LSH can serve them. */
  readonly method?: SearchMethod;
  readonly approximateAbove?: number;
  /** LSH plan overrides (recall, seed, key bits, tables); defaults in lshParams.ts. */
  readonly lsh?: LshPlanOptions;
}

/** What a hasher's search needs to know to be chosen. */
export interface SearchSubject {
  readonly hashes: PackedHashes | VectorHashes;
  readonly threshold: number;
  readonly isometric?: boolean;
  readonly queries?: PackedHashes | VectorHashes;
  /** Hashes to search when fewer than `hashes` holds: the distinct ones, identical hashes collapsed (collapse.ts). */
  readonly distinct?: number;
}

export interface SearchChoice {
  readonly method: 'exact' | 'approximate';
  /** Why this method runs (for the progress line). */
  readonly reason: string;
  /** Bit hashes: the exclusive radius (see radiusFor). */
  readonly radius?: number;
  /** LSH only: its parameters and planned recall at the threshold. */
  readonly plan?: LshPlan;
}

const count = (n: number): string => n.toLocaleString('en-US');

export function chooseSearch(s: SearchSubject, opts: ChoiceOptions): SearchChoice {
  const method = opts.method ?? 'auto';
  const above = opts.approximateAbove ?? DEFAULT_APPROXIMATE_ABOVE;
  const bits = s.hashes instanceof PackedHashes ? s.hashes.bits : undefined;
  const radius = bits === undefined ? undefined : radiusFor(s.threshold, bits);
  const n = s.isometric ? s.hashes.count / 8 : s.hashes.count;
  const exact = (reason: string): SearchChoice => ({ method: 'exact', reason, radius });
  if (radius === 0) return exact('a threshold of 0 bits admits no pair');
  if (method === 'exact') return exact('exact search asked for');
  // A query search is measured in comparisons: queries x dataset, against the largest exact self-search's.
  const comparisons = s.queries ? s.queries.count * n : 0;
  const exactRange = (above * (above - 1)) / 2;
  if (method === 'auto' && !s.queries && n <= above) return exact(`${count(n)} hashes, at most ${count(above)}`);
  if (method === 'auto' && s.queries && (n <= above || comparisons <= exactRange))
    return exact(`${count(s.queries.count)} x ${count(n)} comparisons, at most ${count(exactRange)} or a dataset of at most ${count(above)}`);
  // The method follows the number of hashes (as documented); the plan, the number actually searched
  // (with queries: the dataset and the queries, one LSH run over both, lshQuery.ts).
  const lsh = lshPlanFor(s, s.queries ? n + s.queries.count : (s.distinct ?? n), bits, radius, opts.lsh);
  if ('plan' in lsh)
    return {
      method: 'approximate',
      reason:
        method === 'approximate'
          ? 'approximate search asked for'
          : s.queries
            ? `${count(s.queries.count)} x ${count(n)} comparisons, more than ${count(exactRange)}`
            : `more than ${count(above)} hashes`,
      radius,
      plan: lsh.plan,
    };
  if (method === 'approximate') throw invalidOption('the approximate search', 'hashes and a threshold that bit-sampling LSH can serve', lsh.why);
  return exact(lsh.why);
}

/** The LSH plan for these hashes, or why LSH cannot serve them (then the search is exact). */
function lshPlanFor(
  s: SearchSubject,
  n: number,
  bits: number | undefined,
  radius: number | undefined,
  opts: LshPlanOptions = {},
): { plan: LshPlan } | { why: string } {
  if (bits === undefined || radius === undefined)
    return { why: `Euclidean distance (${(s.hashes as VectorHashes).dim} values per hash) has no approximate search` };
  if (s.isometric) return { why: 'isometric search is exact only' };
  if (bits > MAX_LSH_BITS) return { why: `LSH handles hashes of up to ${MAX_LSH_BITS} bits, these have ${bits}` };
  if (bits < 8) return { why: `LSH needs hashes of 8 bits or more, these have ${bits}` };
  if (radius - 1 >= bits / 2) return { why: `a threshold of ${radius - 1} bits of ${bits} or more is too wide for bit sampling` };
  try {
    return { plan: planLsh(n, bits, radius, opts) };
  } catch (e) {
    return { why: (e as Error).message };
  }
}

/** How one hasher's search ran. */
export interface SearchReport extends SearchChoice {
  /** index of the hasher in the input */
  readonly hasher: number;
  readonly threads: number;
  readonly seconds: number;
  /** LSH only: pair tests made (candidates, before deduplication). */
  readonly candidates?: number;
  /** Distinct hashes searched, when identical hashes were collapsed into fewer. */
  readonly distinct?: number;
  /** LSH only: the table loop that ran ('native', or 'WebAssembly (why not native)'). */
  readonly engine?: string;
}

/** One line for stderr or the scan log: which method ran, why, and for LSH its parameters and recall bound. */
export function describeSearch(r: SearchReport): string {
  const head = `${r.method} search (${r.reason})`;
  const distinct = r.distinct === undefined ? '' : `; identical hashes searched once: ${count(r.distinct)} distinct`;
  if (!r.plan) return head + distinct;
  const p = r.plan;
  return (
    `${head}: bit-sampling LSH, ${p.tables} tables of ${p.keyBits} sampled bits (seed ${p.seed}), ` +
    `every candidate verified exactly; a pair at the threshold (${p.radius - 1} of ${p.bits} bits) is found with probability ` +
    `${(p.recallAtRadius * 100).toFixed(2)}%, closer pairs more often${distinct}${r.engine ? `; table loop: ${r.engine}` : ''}`
  );
}
