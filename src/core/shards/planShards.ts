/**
 * `plan`: the one step between hashing and the search. It checks the hash shards as one complete set,
 * collapses identical hashes into nodes (collapse.ts), fixes the LSH plan every table-shard task must
 * share (the tables depend on the number of distinct hashes, so no task may compute its own), and
 * writes what the tasks read instead of Parquet: the distinct hashes packed (`plan-distinct.bin`, read
 * straight into the search's memory) and each row's node (`plan-nodes.bin`, for the merge). It also
 * estimates CPU and memory per task (sizing.ts).
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { MediaError } from '../errors.js';
import { GENERATOR } from '../generator.js';
import { createHasherFromSpec } from '../hashers/registry.js';
import { collapseIdentical } from '../pairs/collapse.js';
import type { LshRowSource } from '../pairs/lsh.js';
import { LSH_ROW_BYTES } from '../pairs/lshKernel.js';
import { planLsh, type LshPlan, type LshPlanOptions } from '../pairs/lshParams.js';
import { PackedHashes, radiusFor } from '../pairs/packed.js';
import { writeFileAtomicSync } from '../files/atomicWrite.js';
import { readShardHashes, type HashShardSettings } from './hashShardRows.js';
import { readShardSet, shardParquet, type ShardSidecar } from './shardSet.js';
import { estimateTask, type TaskEstimate } from './sizing.js';

export const PLAN_VERSION = 1;
export const NO_NODE = 0xffffffff;

export interface ShardPlan {
  readonly version: number;
  /** Digest of the hash shards' sidecars: pair shards and the merge refuse a plan of other hashes. */
  readonly hashShards: string;
  readonly shards: number;
  readonly settings: HashShardSettings;
  /** rows (listed files), rows with a hash, distinct hashes */
  readonly rows: number;
  readonly hashed: number;
  readonly distinct: number;
  readonly threshold: number;
  readonly lsh: LshPlan;
  readonly generator: { readonly name: string; readonly version: string };
}

export const planPath = (dir: string): string => join(dir, 'plan.json');
const distinctPath = (dir: string): string => join(dir, 'plan-distinct.bin');
const nodesPath = (dir: string): string => join(dir, 'plan-nodes.bin');

/** A digest of the set: any re-run of a hash task (new sidecar) makes older plans and pairs stale. */
export function shardSetDigest(set: readonly ShardSidecar[]): string {
  return createHash('sha256').update(JSON.stringify(set)).digest('hex').slice(0, 16);
}

export interface PlanOptions {
  readonly threshold?: number;
  readonly lsh?: LshPlanOptions;
}

/** Reads the hash shards, writes the plan and the packed hashes beside them, returns the plan. */
export async function planShards(dir: string, opts: PlanOptions = {}): Promise<ShardPlan> {
  const set = readShardSet(dir, 'hashes');
  const settings = set[0].settings as unknown as HashShardSettings;
  const bits = settings.hasher.bits;
  const rows = set.reduce((s, x) => s + x.rows, 0);
  const packed = new PackedHashes(rows, bits);
  const stride = packed.strideBytes;
  const hashed = new Uint8Array(rows);
  let at = 0;
  for (const s of set) {
    const got = await readShardHashes(shardParquet(dir, 'hashes', { index: s.shard, count: s.shards }), packed.bytes, stride, hashed, at);
    if (got !== s.rows) throw new MediaError('SHARDS_INCOMPLETE', `hash shard ${s.shard} holds ${got} rows, its sidecar says ${s.rows}`);
    at += s.rows;
  }
  // Rows without a hash (skipped files) take no part: they are one group of their own, never searched.
  const ids = collapseIdentical(packed, hashed);
  const nodes = new Uint32Array(rows);
  const distinctRows: number[] = [];
  const remap = new Int32Array(ids.nodes).fill(-1);
  for (let r = 0; r < rows; r++) {
    if (!hashed[r]) {
      nodes[r] = NO_NODE;
      continue;
    }
    const node = ids.nodeOf[r];
    if (remap[node] < 0) {
      remap[node] = distinctRows.length;
      distinctRows.push(r);
    }
    nodes[r] = remap[node];
  }
  const distinct = packed.select(distinctRows);
  const threshold = opts.threshold ?? defaultThreshold(settings);
  const lsh = planLsh(distinct.count, bits, radiusFor(threshold, bits), opts.lsh);
  const plan: ShardPlan = {
    version: PLAN_VERSION,
    hashShards: shardSetDigest(set),
    shards: set.length,
    settings,
    rows,
    hashed: hashed.reduce((s, v) => s + v, 0),
    distinct: distinct.count,
    threshold,
    lsh,
    generator: GENERATOR,
  };
  writeFileAtomicSync(distinctPath(dir), distinct.bytes);
  writeFileAtomicSync(nodesPath(dir), new Uint8Array(nodes.buffer));
  writeFileAtomicSync(planPath(dir), JSON.stringify(plan, null, 2) + '\n');
  return plan;
}

/** The hasher's recommended threshold, as scan and pairs use it. */
function defaultThreshold(s: HashShardSettings): number {
  return createHasherFromSpec(s.hasher).defaultThreshold;
}

/** The plan, checked against the hash shards now in `dir` (a re-hashed shard makes it stale). */
export function readPlan(dir: string): ShardPlan {
  if (!existsSync(planPath(dir))) throw new MediaError('SHARDS_INCOMPLETE', `no plan in ${dir}: run media-dedupe plan --from-shards ${dir} first`);
  const plan = JSON.parse(readFileSync(planPath(dir), 'utf8')) as ShardPlan;
  if (plan.version !== PLAN_VERSION)
    throw new MediaError('SHARDS_INCOMPLETE', `${planPath(dir)} is plan format ${plan.version}, this engine reads ${PLAN_VERSION}`);
  const digest = shardSetDigest(readShardSet(dir, 'hashes'));
  if (digest !== plan.hashShards) throw new MediaError('SHARDS_INCOMPLETE', `the hash shards in ${dir} changed since the plan was made: run plan again`);
  return plan;
}

/** The distinct hashes, read straight from the packed file. */
export function readDistinct(dir: string, plan: ShardPlan): PackedHashes {
  const out = new PackedHashes(plan.distinct, plan.settings.hasher.bits);
  readInto(distinctPath(dir), out.bytes);
  return out;
}

/**
 * The distinct hashes for the search: 256-bit rows are read from the packed file straight into the
 * search's memory (never held twice: at 100M hashes that is 3.2 GB less); shorter ones are padded there.
 */
export function distinctSource(dir: string, plan: ShardPlan): PackedHashes | LshRowSource {
  if (Math.ceil(plan.settings.hasher.bits / 64) * 8 !== LSH_ROW_BYTES) return readDistinct(dir, plan);
  return { count: plan.distinct, fill: (rows) => readInto(distinctPath(dir), rows), path: distinctPath(dir) };
}

/** The node of every row (NO_NODE for rows without a hash). */
export function readNodes(dir: string, plan: ShardPlan): Uint32Array {
  const out = new Uint32Array(plan.rows);
  readInto(nodesPath(dir), new Uint8Array(out.buffer));
  return out;
}

function readInto(path: string, into: Uint8Array): void {
  const fd = openSync(path, 'r');
  try {
    let at = 0;
    while (at < into.length) {
      const got = readSync(fd, into, at, Math.min(1 << 30, into.length - at), at);
      if (got === 0) throw new MediaError('SHARDS_INCOMPLETE', `${path} is shorter than its plan says (${at} of ${into.length} bytes)`);
      at += got;
    }
  } finally {
    closeSync(fd);
  }
}

/** The plan's estimate for `tasks` table-shard tasks. */
export function planEstimate(plan: ShardPlan, tasks: number, workers: number, taskBytes?: number, pairs?: number): TaskEstimate {
  return estimateTask({
    distinct: plan.distinct,
    bits: plan.lsh.bits,
    keyBits: plan.lsh.keyBits,
    partitionBits: plan.lsh.partitionBits,
    radius: plan.lsh.radius,
    tables: plan.lsh.tables,
    tasks,
    workers,
    taskBytes,
    pairs,
  });
}
