/**
 * Shards on disk: names, JSON sidecars and the checks a merge makes before it reads anything.
 *
 * A shard is `<kind>-00003-of-00016.parquet` with `<kind>-00003-of-00016.json` beside it. The sidecar
 * says what the shard holds (settings, counts, the version of the format and of the engine) and is
 * written after the Parquet file, both under temporary names renamed when complete, so a sidecar means
 * its shard is whole; a re-run of a failed task overwrites only its own two files. A merge lists the
 * folder, and refuses a set with a missing shard, shards of different runs (count, settings) or
 * leftovers of another shard count, naming each problem.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { invalidOption, MediaError } from '../errors.js';
import { writeFileAtomicSync } from '../files/atomicWrite.js';

export const SHARD_FORMAT_VERSION = 1;

export type ShardKind = 'hashes' | 'pairs';

/** Task I of N (0-based). */
export interface ShardIndex {
  readonly index: number;
  readonly count: number;
}

export interface ShardSidecar {
  readonly format: 'media-dedupe-shard';
  readonly version: number;
  readonly kind: ShardKind;
  readonly shard: number;
  readonly shards: number;
  readonly rows: number;
  /** Settings every shard of a set must share (compared as JSON). */
  readonly settings: Record<string, unknown>;
  /** Counts and timings of this shard. */
  readonly stats: Record<string, number>;
  readonly generator: { readonly name: string; readonly version: string };
}

const pad = (k: number): string => String(k).padStart(5, '0');
export const shardBase = (kind: ShardKind, s: ShardIndex): string => `${kind}-${pad(s.index)}-of-${pad(s.count)}`;
export const shardParquet = (dir: string, kind: ShardKind, s: ShardIndex): string => join(dir, `${shardBase(kind, s)}.parquet`);
const shardSidecar = (dir: string, kind: ShardKind, s: ShardIndex): string => join(dir, `${shardBase(kind, s)}.json`);

/** The sidecar goes last: it is what makes the shard count as done. */
export function writeSidecar(dir: string, sidecar: ShardSidecar): void {
  writeFileAtomicSync(shardSidecar(dir, sidecar.kind, { index: sidecar.shard, count: sidecar.shards }), JSON.stringify(sidecar, null, 2) + '\n');
}

/** "I/N", 0-based: 3/16 is the fourth of sixteen. */
export function parseShard(text: string, what: string): ShardIndex {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count) throw invalidOption(what, 'I/N with 0 <= I < N, e.g. 3/16 (0-based)', text);
  return { index, count };
}

/**
 * The task's shard: `given` (I/N) if any, else the scheduler's index: Slurm job arrays
 * (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT; arrays must start at 0), Kubernetes Indexed Jobs
 * (JOB_COMPLETION_INDEX with `countFlag`, as a Job's completions are not in the environment).
 */
export function shardFromEnv(given: string | undefined, countFlag: number | undefined, env: Record<string, string | undefined>, what: string): ShardIndex {
  if (given !== undefined) return parseShard(given, what);
  if (env.SLURM_ARRAY_TASK_ID !== undefined) {
    const min = Number(env.SLURM_ARRAY_TASK_MIN ?? 0);
    if (min !== 0) throw invalidOption(what, 'a Slurm array that starts at 0 (--array=0-N)', `an array starting at ${min}`);
    const count = countFlag ?? Number(env.SLURM_ARRAY_TASK_COUNT);
    return parseShard(`${env.SLURM_ARRAY_TASK_ID}/${count}`, `${what} (from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT)`);
  }
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    if (countFlag === undefined) throw invalidOption('--shard-count', "the number of shards (the Indexed Job's completions)", undefined);
    return parseShard(`${env.JOB_COMPLETION_INDEX}/${countFlag}`, `${what} (from JOB_COMPLETION_INDEX/--shard-count)`);
  }
  throw invalidOption(what, 'I/N, or a Slurm array task or Kubernetes Indexed Job to take it from', 'none');
}

/**
 * Every sidecar of `kind` in `dir`, checked as one complete set: one shard count, every index present,
 * the same settings, the same format version. Throws a SHARDS_INCOMPLETE error naming what is wrong.
 */
export function readShardSet(dir: string, kind: ShardKind): ShardSidecar[] {
  if (!existsSync(dir)) throw new MediaError('SHARDS_INCOMPLETE', `${dir} does not exist`);
  const re = new RegExp(`^${kind}-(\\d{5})-of-(\\d{5})\\.json$`);
  const found: ShardSidecar[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!re.test(name)) continue;
    const s = JSON.parse(readFileSync(join(dir, name), 'utf8')) as ShardSidecar;
    if (s.format !== 'media-dedupe-shard' || s.kind !== kind) throw new MediaError('SHARDS_INCOMPLETE', `${name} is not a ${kind} shard sidecar`);
    if (s.version !== SHARD_FORMAT_VERSION)
      throw new MediaError('SHARDS_INCOMPLETE', `${name} has shard format ${s.version}, this engine reads ${SHARD_FORMAT_VERSION}`);
    if (!existsSync(shardParquet(dir, kind, { index: s.shard, count: s.shards })))
      throw new MediaError('SHARDS_INCOMPLETE', `${name} has no Parquet file beside it`);
    found.push(s);
  }
  if (found.length === 0) throw new MediaError('SHARDS_INCOMPLETE', `no ${kind} shards in ${dir}`);
  const counts = [...new Set(found.map((s) => s.shards))];
  if (counts.length > 1)
    throw new MediaError('SHARDS_INCOMPLETE', `${dir} mixes ${kind} shards of runs split ${counts.join(' and ')} ways; remove the stale ones`);
  const count = counts[0];
  const have = new Set(found.map((s) => s.shard));
  const missing = Array.from({ length: count }, (_, k) => k).filter((k) => !have.has(k));
  if (missing.length)
    throw new MediaError(
      'SHARDS_INCOMPLETE',
      `${missing.length} of ${count} ${kind} shards missing in ${dir}: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', ...' : ''} (re-run those tasks)`,
    );
  const settings = JSON.stringify(found[0].settings);
  const odd = found.filter((s) => JSON.stringify(s.settings) !== settings);
  if (odd.length)
    throw new MediaError(
      'SHARDS_INCOMPLETE',
      `${kind} shard ${odd[0].shard} was made with other settings than shard ${found[0].shard}: ${JSON.stringify(odd[0].settings)} vs ${settings}`,
    );
  return found.sort((a, b) => a.shard - b.shard);
}

/** Rows [start, end) of the n items that shard s of a contiguous split holds. */
export function shardRange(n: number, s: ShardIndex): { start: number; end: number } {
  return { start: Math.floor((n * s.index) / s.count), end: Math.floor((n * (s.index + 1)) / s.count) };
}
