/** `media-dedupe hash --files-from LIST --shard I/N --out DIR`: one task of a sharded hashing job. */
import { resolve } from 'node:path';
import { expectInt, invalidOption } from '../../core/errors.js';
import type { HasherSpec } from '../../core/hashers/registry.js';
import type { DecodeOptions } from '../../core/image/decode.js';
import { writeHashShard } from '../../core/shards/hashShards.js';
import { shardFromEnv } from '../../core/shards/shardSet.js';
import { EXIT, type CliIo } from '../io.js';

export async function runHashShard(options: Record<string, unknown>, hasher: HasherSpec, decode: DecodeOptions, io: CliIo): Promise<number> {
  if (options.out === undefined) throw invalidOption('--out', 'the folder to write the shard to (with --files-from)', undefined);
  const count = options['shard-count'] === undefined ? undefined : expectInt('--shard-count', options['shard-count'], 1, 1 << 24);
  const shard = shardFromEnv(options.shard as string | undefined, count, io.env ?? process.env, '--shard');
  const listPath = resolve(io.cwd, options['files-from'] as string);
  const root = resolve(io.cwd, (options.root as string | undefined) ?? '.');
  const s = await writeHashShard({ listPath, root, shard, outDir: resolve(io.cwd, options.out as string), hasher, decode });
  io.stderr.write(
    `media-dedupe hash: shard ${shard.index}/${shard.count}: ${s.rows} files (${s.stats.hashed} hashed, ${s.stats.errors} skipped) ` +
      `in ${s.stats.seconds.toFixed(1)} s (${s.stats.cpuSeconds.toFixed(1)} CPU-s)\n`,
  );
  return s.rows === 0 || s.stats.hashed > 0 ? EXIT.ok : EXIT.findings;
}
