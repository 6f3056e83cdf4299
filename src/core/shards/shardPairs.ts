/**
 * One table-shard task of the sharded search: tables t with t % N === I of the plan's LSH tables over
 * the plan's distinct hashes (lsh.ts deals them exactly as it deals tables to threads, so the union of the
 * N shards is one run's pairs). Writes `pairs-0000I-of-0000N.parquet`: i < j are distinct-hash (node)
 * numbers of plan-nodes.bin, `distance` perception's normalised distance; and its sidecar with the plan
 * it searched, its CPU time and peak memory.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { resourceUsage } from 'node:process';
import { GENERATOR } from '../generator.js';
import { lshPairs, type LshOptions } from '../pairs/lsh.js';
import { PairSet, type PairSink } from '../pairs/pairSet.js';
import { readParquetColumns, writeParquet } from './parquet.js';
import { distinctSource, planPath, readPlan, type ShardPlan } from './planShards.js';
import { readShardSet, SHARD_FORMAT_VERSION, shardParquet, writeSidecar, type ShardIndex, type ShardSidecar } from './shardSet.js';
import { MediaError } from '../errors.js';

export interface PairShardJob {
  readonly hashDir: string;
  readonly outDir: string;
  readonly tables: ShardIndex;
  readonly workers?: number;
  readonly workerDir?: string;
  readonly passBytes?: number;
  /** The native loop's scratch for the task (default DEFAULT_NATIVE_TASK_BYTES). */
  readonly taskBytes?: number;
}

/**
 * A task's pairs as they arrive: the native loop delivers them once each, sorted by (i, j), so they are
 * kept as they come (no hash set, no sort: about 0.1 CPU-s of a 1M task's 50,000 pairs, a task's largest
 * fixed cost after Node's start). Pairs out of order (the WebAssembly loop reports a pair for every table
 * that finds it) are handed to a PairSet, which keeps one of each, sorted.
 */
class PairColumns implements PairSink {
  private i = new Uint32Array(1024);
  private j = new Uint32Array(1024);
  private d = new Float64Array(1024);
  private count = 0;
  private set?: PairSet;

  add(i: number, j: number, distance: number): void {
    if (this.set) return this.set.add(i, j, distance);
    const c = this.count;
    if (c > 0 && !(i > this.i[c - 1] || (i === this.i[c - 1] && j > this.j[c - 1]))) {
      this.set = new PairSet(c * 2);
      for (let k = 0; k < c; k++) this.set.add(this.i[k], this.j[k], this.d[k]);
      return this.set.add(i, j, distance);
    }
    if (c === this.i.length) {
      const grow = <T extends Uint32Array | Float64Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.i = grow(this.i, (n) => new Uint32Array(n));
      this.j = grow(this.j, (n) => new Uint32Array(n));
      this.d = grow(this.d, (n) => new Float64Array(n));
    }
    this.i[c] = i;
    this.j[c] = j;
    this.d[c] = distance;
    this.count = c + 1;
  }

  toPairs(): { count: number; i: Uint32Array; j: Uint32Array; distance: Float64Array } {
    if (this.set) return this.set.toPairs();
    const c = this.count;
    return { count: c, i: this.i.subarray(0, c), j: this.j.subarray(0, c), distance: this.d.subarray(0, c) };
  }
}

/** Identifies the plan a pair shard searched: the merge refuses pairs of another plan. */
export const planDigest = (hashDir: string): string =>
  createHash('sha256')
    .update(readFileSync(planPath(hashDir)))
    .digest('hex')
    .slice(0, 16);

export async function writePairShard(job: PairShardJob): Promise<ShardSidecar> {
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const plan = readPlan(job.hashDir);
  const distinct = distinctSource(job.hashDir, plan);
  const found = new PairColumns();
  const opts: LshOptions = { tableShard: job.tables, workers: job.workers, workerDir: job.workerDir, passBytes: job.passBytes, taskBytes: job.taskBytes };
  const run = await lshPairs(distinct, plan.lsh, undefined, opts, found);
  const p = found.toPairs();
  const bits = plan.lsh.bits;
  mkdirSync(job.outDir, { recursive: true });
  writeParquet(
    shardParquet(job.outDir, 'pairs', job.tables),
    [
      { name: 'i', kind: 'int32', data: p.i },
      { name: 'j', kind: 'int32', data: p.j },
      { name: 'distance', kind: 'double', data: Float64Array.from(p.distance, (d) => d / bits) },
    ],
    p.count,
  );
  const cpu = process.cpuUsage(cpu0);
  const sidecar: ShardSidecar = {
    format: 'media-dedupe-shard',
    version: SHARD_FORMAT_VERSION,
    kind: 'pairs',
    shard: job.tables.index,
    shards: job.tables.count,
    rows: p.count,
    settings: { plan: planDigest(job.hashDir), hashShards: plan.hashShards, threshold: plan.threshold, tables: plan.lsh.tables, seed: plan.lsh.seed },
    stats: {
      tables: run.tables,
      distinct: plan.distinct,
      candidates: run.candidates,
      threads: run.threads,
      seconds: (performance.now() - started) / 1000,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      peakRssMb: Math.round(resourceUsage().maxRSS / 1024),
    },
    generator: GENERATOR,
  };
  writeSidecar(job.outDir, sidecar);
  return sidecar;
}

/** Every pair of a complete pair-shard set made from this plan: node pairs with their distance, deduplicated. */
export async function readPairShards(pairDir: string, hashDir: string, plan: ShardPlan): Promise<{ set: ShardSidecar[]; pairs: PairSet }> {
  const set = readShardSet(pairDir, 'pairs');
  const digest = planDigest(hashDir);
  if (set[0].settings.plan !== digest)
    throw new MediaError('SHARDS_INCOMPLETE', `the pair shards in ${pairDir} searched another plan than ${planPath(hashDir)} (re-run the pairs tasks)`);
  const pairs = new PairSet();
  for (const s of set) {
    const cols: { i?: ArrayLike<number>; j?: ArrayLike<number>; distance?: ArrayLike<number> } = {};
    const parts = new Map<string, { at: number; values: ArrayLike<unknown> }[]>();
    await readParquetColumns(shardParquet(pairDir, 'pairs', { index: s.shard, count: s.shards }), ['i', 'j', 'distance'], (c, values, at) => {
      if (!parts.has(c)) parts.set(c, []);
      parts.get(c)!.push({ at, values });
    });
    for (const name of ['i', 'j', 'distance'] as const) {
      const out = new Float64Array(s.rows);
      for (const part of parts.get(name) ?? []) for (let k = 0; k < part.values.length; k++) out[part.at + k] = part.values[k] as number;
      cols[name] = out;
    }
    for (let k = 0; k < s.rows; k++) {
      const i = cols.i![k];
      const j = cols.j![k];
      if (!(i < j && j < plan.distinct))
        throw new MediaError('SHARDS_INCOMPLETE', `pair shard ${s.shard} names nodes ${i}, ${j} outside the plan's ${plan.distinct}`);
      pairs.add(i, j, cols.distance![k]);
    }
  }
  return { set, pairs };
}
