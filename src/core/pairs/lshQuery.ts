/**
 * The approximate query search (new hashes against a dataset's hashes, beyond the exact range): the
 * dataset rows and the query rows go into one bit-sampling LSH run (lsh.ts, the same kernel and plan as
 * the self-search), with every dataset row under one shared item id, so the kernel never reports a pair
 * of two dataset rows; pairs of two query rows are dropped here. What is left are the (query, dataset)
 * pairs, each verified with its exact distance, so, as for the self-search, recall is bounded by the plan
 * and no pair is false. Its cost is about one LSH self-search of the dataset, whatever the number of
 * queries, where the exact query search costs queries x dataset comparisons (choose.ts weighs the two).
 */
import { invalidOption } from '../errors.js';
import { lshPairs, type LshOptions, type LshRun } from './lsh.js';
import { LSH_ROW_BYTES } from './lshKernel.js';
import type { LshPlan } from './lshParams.js';
import type { PackedHashes } from './packed.js';
import type { PairSink } from './pairSet.js';

/** The item id every dataset row shares in the kernel (query rows are numbered 0, 1, ...). */
const DATASET_ITEM = -1;

/**
 * Pairs (query row, data row, bits) within `plan.radius`, into `out`. With `items` and `queryItems`, a
 * query row and a data row of one item are never paired (as in the exact query search).
 */
export async function lshQueryPairs(
  data: PackedHashes,
  queries: PackedHashes,
  plan: LshPlan,
  scope: { readonly items?: ArrayLike<number>; readonly queryItems?: ArrayLike<number> },
  opts: LshOptions,
  out: PairSink,
): Promise<LshRun> {
  if (queries.bits !== data.bits) throw invalidOption('query hashes', `${data.bits}-bit hashes, as the dataset's`, `${queries.bits} bits`);
  const nd = data.count;
  const nq = queries.count;
  const rows = {
    count: nd + nq,
    fill(into: Uint8Array): void {
      for (const [set, first] of [
        [data, 0],
        [queries, nd],
      ] as const) {
        const s = set.strideBytes;
        if (s === LSH_ROW_BYTES) into.set(set.bytes.subarray(0, set.count * s), first * LSH_ROW_BYTES);
        else for (let r = 0; r < set.count; r++) into.set(set.bytes.subarray(r * s, r * s + s), (first + r) * LSH_ROW_BYTES);
      }
    },
  };
  const kernelItems = new Int32Array(nd + nq).fill(DATASET_ITEM);
  for (let q = 0; q < nq; q++) kernelItems[nd + q] = q;
  const { items, queryItems } = scope;
  return lshPairs(rows, plan, kernelItems, opts, {
    // A dataset row and a query row (the dataset's rows come first), or two query rows (dropped).
    add(a, b, d) {
      const [i, j] = a < b ? [a, b] : [b, a];
      if (i >= nd || j < nd) return;
      const q = j - nd;
      if (items && queryItems && items[i] === queryItems[q]) return;
      out.add(q, i, d);
    },
  });
}
