/** `media-dedupe pairs --from-shards DIR --tables I/N --out DIR`: one table-shard task of the sharded search. */
import { resolve } from 'node:path';
import { expectInt, invalidOption } from '../../core/errors.js';
import { writePairShard } from '../../core/shards/shardPairs.js';
import { shardFromEnv } from '../../core/shards/shardSet.js';
import { EXIT, type CliIo } from '../io.js';
import { reportingShardErrors, taskMemory } from './shardCommon.js';

export async function runPairsShard(options: Record<string, unknown>, io: CliIo): Promise<number> {
  if (options.out === undefined) throw invalidOption('--out', 'the folder to write the pair shard to (with --from-shards)', undefined);
  const count = options['shard-count'] === undefined ? undefined : expectInt('--shard-count', options['shard-count'], 1, 1 << 20);
  const tables = shardFromEnv(options.tables as string | undefined, count, io.env ?? process.env, '--tables');
  const workers = options.workers === undefined ? undefined : expectInt('--workers', options.workers, 1, 256);
  const taskBytes = taskMemory(options);
  return reportingShardErrors('pairs', io, async () => {
    const s = await writePairShard({
      hashDir: resolve(io.cwd, options['from-shards'] as string),
      outDir: resolve(io.cwd, options.out as string),
      tables,
      workers,
      ...(taskBytes === undefined ? {} : { taskBytes }),
    });
    io.stderr.write(
      `media-dedupe pairs: tables ${tables.index}/${tables.count}: ${s.stats.tables} tables over ${s.stats.distinct} distinct hashes, ${s.rows} pairs ` +
        `in ${s.stats.seconds.toFixed(1)} s (${s.stats.cpuSeconds.toFixed(1)} CPU-s, peak RSS ${s.stats.peakRssMb} MB)\n`,
    );
    return EXIT.ok;
  });
}
