/**
 * Hash shards: one task of a sharded hashing job hashes its contiguous slice of a file list and writes
 * it as Parquet, one row per listed file in list order, so the shards concatenated in index order are the
 * list: `path` (as listed), the raw hash bytes (`hash`, FIXED_LEN_BYTE_ARRAY, null where the file could
 * not be hashed or the hasher returns None), `size`, `mtime` (ms), `sha256` (the bytes that were decoded),
 * `width`, `height`, and `error` / `message` (the stable error code) for a file that was skipped.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { invalidOption } from '../errors.js';
import { hashStringToBytes } from '../hashers/format.js';
import { canonicalHasherName, createHasherFromSpec, hasherKey, hasherParamSpecs, resolveHasherParams, type HasherSpec } from '../hashers/registry.js';
import { hashFiles } from '../hashing/hashFiles.js';
import type { HashOutcome } from '../hashing/types.js';
import type { DecodeOptions } from '../image/decode.js';
import { GENERATOR } from '../generator.js';
import { type HashShardSettings } from './hashShardRows.js';
import { writeParquet } from './parquet.js';
import { SHARD_FORMAT_VERSION, shardParquet, shardRange, writeSidecar, type ShardIndex, type ShardSidecar } from './shardSet.js';

export interface HashShardJob {
  readonly listPath: string;
  readonly root: string;
  readonly shard: ShardIndex;
  readonly outDir: string;
  readonly hasher: HasherSpec;
  readonly decode: DecodeOptions;
  readonly onProgress?: (done: number, total: number) => void;
}

/** The file list: one path per line (blank lines ignored), relative to the root or absolute inside it. */
export function readFileList(path: string): { paths: string[]; sha256: string } {
  const text = readFileSync(path);
  const paths = text
    .toString('utf8')
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.length > 0);
  return { paths, sha256: createHash('sha256').update(text).digest('hex') };
}

export async function writeHashShard(job: HashShardJob): Promise<ShardSidecar> {
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const list = readFileList(job.listPath);
  const { start, end } = shardRange(list.paths.length, job.shard);
  const mine = list.paths.slice(start, end);
  const settingsHasher = shardHasher(job.hasher);
  const key = settingsHasher.key;
  const abs = mine.map((p) => (isAbsolute(p) ? p : resolve(job.root, p)));
  const outcomes: HashOutcome[] = new Array(mine.length);
  let done = 0;
  await hashFiles(abs, [job.hasher], {
    fingerprint: true,
    decode: job.decode,
    onResult: (o, i) => {
      outcomes[i] = o;
      job.onProgress?.(++done, mine.length);
    },
  });
  const rows = outcomeRows(mine, outcomes, key, job.root);
  const settings: HashShardSettings = {
    root: job.root,
    list: { sha256: list.sha256, files: list.paths.length },
    hasher: settingsHasher,
    decode: job.decode.mode === 'fast' ? 'fast' : 'parity',
  };
  const cpu = process.cpuUsage(cpu0);
  return writeHashRows(job.outDir, job.shard, rows, settings, {
    firstRow: start,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  });
}

/** The columns of a hash shard, one entry per listed file. */
export interface HashShardColumns {
  readonly path: readonly string[];
  readonly hash: readonly (Uint8Array | null)[];
  readonly size: readonly (number | null)[];
  readonly mtime: readonly (number | null)[];
  readonly sha256: readonly (Uint8Array | null)[];
  readonly width: ArrayLike<number>;
  readonly height: ArrayLike<number>;
  readonly error: readonly (string | null)[];
  readonly message: readonly (string | null)[];
}

function outcomeRows(paths: readonly string[], outcomes: readonly HashOutcome[], key: string, root: string): HashShardColumns {
  const ok = (k: number) => (outcomes[k].ok ? (outcomes[k] as Extract<HashOutcome, { ok: true }>) : undefined);
  return {
    path: paths,
    hash: paths.map((_, k) => {
      const s = ok(k)?.hashes[key];
      return s === null || s === undefined ? null : hashStringToBytes(s);
    }),
    size: paths.map((_, k) => ok(k)?.size ?? null),
    mtime: paths.map((_, k) => ok(k)?.mtimeMs ?? null),
    sha256: paths.map((_, k) => {
      const sha = ok(k)?.sha256;
      return sha ? Uint8Array.from(Buffer.from(sha, 'hex')) : null;
    }),
    width: Int32Array.from(paths, (_, k) => ok(k)?.width ?? 0),
    height: Int32Array.from(paths, (_, k) => ok(k)?.height ?? 0),
    error: outcomes.map((o) => (o.ok ? null : o.error.code)),
    // Messages must not carry the dataset's absolute location (the manifest is committed elsewhere).
    message: outcomes.map((o) => (o.ok ? null : o.error.message.split(root).join('.'))),
  };
}

/** Writes one hash shard and then its sidecar (which makes it count as done). */
export function writeHashRows(
  outDir: string,
  shard: ShardIndex,
  rows: HashShardColumns,
  settings: HashShardSettings,
  stats: Record<string, number>,
): ShardSidecar {
  const n = rows.path.length;
  mkdirSync(outDir, { recursive: true });
  writeParquet(
    shardParquet(outDir, 'hashes', shard),
    [
      { name: 'path', kind: 'string', data: rows.path },
      { name: 'hash', kind: 'bytes', width: Math.ceil(settings.hasher.bits / 8), data: rows.hash },
      { name: 'size', kind: 'double', data: rows.size },
      { name: 'mtime', kind: 'double', data: rows.mtime },
      { name: 'sha256', kind: 'bytes', width: 32, data: rows.sha256 },
      { name: 'width', kind: 'int32', data: rows.width },
      { name: 'height', kind: 'int32', data: rows.height },
      { name: 'error', kind: 'string', data: rows.error },
      { name: 'message', kind: 'string', data: rows.message },
    ],
    n,
  );
  const hashed = rows.error.filter((e) => e === null).length;
  const sidecar: ShardSidecar = {
    format: 'media-dedupe-shard',
    version: SHARD_FORMAT_VERSION,
    kind: 'hashes',
    shard: shard.index,
    shards: shard.count,
    rows: n,
    settings: settings as unknown as Record<string, unknown>,
    stats: { ...stats, hashed, errors: n - hashed },
    generator: GENERATOR,
  };
  writeSidecar(outDir, sidecar);
  return sidecar;
}

/** A bit hasher's shard settings; throws for other hashers (the sharded search is Hamming LSH). */
export function shardHasher(spec: HasherSpec): HashShardSettings['hasher'] {
  const name = canonicalHasherName(spec.name);
  const hasher = createHasherFromSpec(spec);
  if (hasher.dtype !== 'bool') throw invalidOption('--hasher', 'a bit hasher (sharded search is Hamming LSH)', `${name} (${hasher.dtype} hashes)`);
  return { name, key: hasherKey(spec), ...scanStyle(name, spec), bits: hasher.hashLength, dtype: hasher.dtype };
}

/** The configuration as scans write it (hashSize apart, other parameters only when given), so the manifest's hashers read alike. */
function scanStyle(name: string, spec: HasherSpec): { hashSize?: number; params?: Record<string, number | boolean> } {
  const given = resolveHasherParams(name, { ...(spec.params ?? {}) });
  const takesSize = hasherParamSpecs(name).some((p) => p.name === 'hashSize');
  const explicit = Object.keys(spec.params ?? {}).filter((k) => !['hashSize', 'hash_size', 'hash-size'].includes(k));
  const params = Object.fromEntries(Object.entries(given).filter(([k]) => k !== 'hashSize' && explicit.some((e) => resolveKey(e) === k)));
  return {
    ...(takesSize ? { hashSize: spec.hashSize ?? (given.hashSize as number) } : {}),
    ...(Object.keys(params).length ? { params } : {}),
  };
}

const resolveKey = (k: string): string => k.replace(/[-_]([a-z])/g, (_, c: string) => c.toUpperCase());
