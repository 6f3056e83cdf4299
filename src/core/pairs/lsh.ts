/**
 * The approximate strategy for bit hashes beyond the exact range: bit-sampling LSH (lshParams.ts) run by
 * the WASM kernel (lshKernel.ts), its tables dealt round-robin to worker threads (lshWorker.ts). Every
 * reported pair was verified with its exact Hamming distance over all bits, so there are no false pairs;
 * what LSH can lose is recall, which the plan bounds per pair and bench/annoy.ts measures against exact.
 *
 * A table shard (`--tables I/N`, one task of a cluster job) is the same deal as a worker's share, tables
 * t with t % N === I: pairs of the shards' union are the pairs of one run. The kernel copies every row
 * into its memory once per job and partitions them per table; passes by key prefix over a memory-mapped
 * `data` view would bound that memory (today every row is copied, which fails at about 3.5M rows).
 */
import { availableParallelism } from 'node:os';
import { invalidOption } from '../errors.js';
import type { ThreadOptions } from './exact.js';
import { runLshTables, type LshJob, type LshResult } from './lshKernel.js';
import { sampleTableBits, type LshPlan } from './lshParams.js';
import type { PackedHashes } from './packed.js';
import type { PairSink } from './pairSet.js';
import { runWorker, workerEntry } from './workers.js';

export interface LshRun {
  readonly threads: number;
  readonly candidates: number;
  readonly hits: number;
}

/**
 * All pairs (i < j rows) with fewer than plan.radius differing bits, into `out` as (i, j, bits).
 * Deterministic for a given plan, whatever the number of workers. Memory: about 120 bytes per hash per
 * worker, plus one shared copy of the hashes. Rows with the same item id are never paired.
 */
export async function lshPairs(data: PackedHashes, plan: LshPlan, items: ArrayLike<number> | undefined, opts: ThreadOptions, out: PairSink): Promise<LshRun> {
  const n = data.count;
  if (items && items.length !== n) throw invalidOption('items', `one item id per hash (${n})`, `${items.length} ids`);
  const workers = opts.workers ?? Math.min(2, availableParallelism());
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) throw invalidOption('workers', 'an integer between 1 and 256', workers);
  if (n < 2) return { threads: 1, candidates: 0, hits: 0 };
  const script = workers > 1 ? workerEntry('lshWorker.js', opts.workerDir) : undefined;
  const threads = script ? Math.min(workers, plan.tables) : 1;
  // Workers share one copy of the hashes (and items), so none copies it again; this thread reads them in place.
  const words = new Uint32Array(data.bytes.buffer, data.bytes.byteOffset, data.bytes.length / 4);
  const shared = <T extends Uint32Array | Int32Array>(make: (b: ArrayBufferLike) => T, from: ArrayLike<number>): T => {
    const a = make(new SharedArrayBuffer(from.length * 4));
    a.set(from);
    return a;
  };
  const job = {
    data: script ? shared((b) => new Uint32Array(b), words) : words,
    n,
    wordsPerRow: data.strideBytes / 4,
    keyBits: plan.keyBits,
    partitionBits: plan.partitionBits,
    radius: plan.radius,
    ...(items ? { items: script ? shared((b) => new Int32Array(b), items) : Int32Array.from(items) } : {}),
  };
  const tableBits = sampleTableBits(plan);
  const k = plan.keyBits;
  const jobs: LshJob[] = [];
  for (let w = 0; w < threads; w++) {
    const mine: number[] = [];
    for (let t = w; t < plan.tables; t += threads) for (let j = 0; j < k; j++) mine.push(tableBits[t * k + j]);
    jobs.push({ ...job, tableBits: Int32Array.from(mine) });
  }
  const parts = script ? await Promise.all(jobs.map((j) => runWorker<LshResult>(script, j))) : [runLshTables(jobs[0])];
  for (const p of parts) for (let q = 0; q < p.pairs.count; q++) out.add(p.pairs.i[q], p.pairs.j[q], p.pairs.distance[q]);
  return { threads, candidates: parts.reduce((s, p) => s + p.candidates, 0), hits: parts.reduce((s, p) => s + p.hits, 0) };
}
