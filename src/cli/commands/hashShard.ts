/**
 * `media-dedupe hash --files-from LIST --shard I/N --out DIR`: one task of a sharded hashing job; and
 * `--from-hashes FILE.jsonl`: the same shard made from hashes computed elsewhere (perception's
 * {"id", "hash"} lines, as `pairs` reads them), so stored hashes enter the sharded search unchanged.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expectInt, invalidOption } from '../../core/errors.js';
import type { HashFormat } from '../../core/hashers/format.js';
import type { HasherSpec } from '../../core/hashers/registry.js';
import type { DecodeOptions } from '../../core/image/decode.js';
import { type HashShardSettings } from '../../core/shards/hashShardRows.js';
import { shardHasher, writeHashRows, writeHashShard } from '../../core/shards/hashShards.js';
import { shardFromEnv, shardRange, type ShardIndex } from '../../core/shards/shardSet.js';
import { EXIT, type CliIo } from '../io.js';
import { readHashRows } from './pairsInput.js';

export async function runHashShard(options: Record<string, unknown>, hasher: HasherSpec, decode: DecodeOptions, io: CliIo): Promise<number> {
  if (options.out === undefined) throw invalidOption('--out', 'the folder to write the shard to', undefined);
  const count = options['shard-count'] === undefined ? undefined : expectInt('--shard-count', options['shard-count'], 1, 1 << 24);
  const shard = shardFromEnv(options.shard as string | undefined, count, io.env ?? process.env, '--shard');
  const outDir = resolve(io.cwd, options.out as string);
  const root = resolve(io.cwd, (options.root as string | undefined) ?? '.');
  if (options['from-hashes'] !== undefined) return fromHashes(resolve(io.cwd, options['from-hashes'] as string), hasher, shard, outDir, root, options, io);
  const listPath = resolve(io.cwd, options['files-from'] as string);
  const s = await writeHashShard({ listPath, root, shard, outDir, hasher, decode });
  io.stderr.write(
    `media-dedupe hash: shard ${shard.index}/${shard.count}: ${s.rows} files (${s.stats.hashed} hashed, ${s.stats.errors} skipped) ` +
      `in ${s.stats.seconds.toFixed(1)} s (${s.stats.cpuSeconds.toFixed(1)} CPU-s)\n`,
  );
  return s.rows === 0 || s.stats.hashed > 0 ? EXIT.ok : EXIT.findings;
}

async function fromHashes(
  file: string,
  spec: HasherSpec,
  shard: ShardIndex,
  outDir: string,
  root: string,
  options: Record<string, unknown>,
  io: CliIo,
): Promise<number> {
  const hasher = shardHasher(spec);
  const format = ((options.format as string | undefined) ?? 'base64') as HashFormat;
  const input = await readHashRows(file, file, format, () => ({ dtype: 'bool', length: hasher.bits, metric: 'hamming', threshold: 0 }));
  const { start, end } = shardRange(input.count, shard);
  const stride = input.stride;
  const bytes = Math.ceil(hasher.bits / 8);
  const path: string[] = [];
  const hash: Uint8Array[] = [];
  for (let r = start; r < end; r++) {
    path.push(String(input.ids.get(r)));
    hash.push(input.bytes.subarray(r * stride, r * stride + bytes));
  }
  const rows = end - start;
  const settings: HashShardSettings = {
    root,
    list: { sha256: createHash('sha256').update(readFileSync(file)).digest('hex'), files: input.count },
    hasher,
    decode: 'parity',
  };
  const none = new Array<null>(rows).fill(null);
  const s = writeHashRows(
    outDir,
    shard,
    { path, hash, size: none, mtime: none, sha256: none, width: new Int32Array(rows), height: new Int32Array(rows), error: none, message: none },
    settings,
    { firstRow: start },
  );
  io.stderr.write(`media-dedupe hash: shard ${shard.index}/${shard.count}: ${s.rows} hashes from ${file}\n`);
  return EXIT.ok;
}
