/** `media-dedupe cluster --from-shards DIR --pairs DIR --manifest OUT`: the merge of a sharded run. */
import { resolve } from 'node:path';
import { invalidOption } from '../../core/errors.js';
import { clusterShards } from '../../core/shards/clusterShards.js';
import { parseCommandArgs, type OptionSpecs } from '../args.js';
import { EXIT, type CliIo } from '../io.js';
import { reportingShardErrors } from './shardCommon.js';

const SPECS: OptionSpecs = {
  'from-shards': { kind: 'string', expected: 'the folder of the hash shards and their plan' },
  pairs: { kind: 'string', expected: 'the folder of the pair shards' },
  manifest: { kind: 'string', expected: 'the manifest file to write' },
  strict: { kind: 'boolean' },
  protect: { kind: 'strings', expected: 'a glob of files never removed' },
  'pairs-csv': { kind: 'string', expected: 'a CSV file for every pair of files' },
};

const HELP = `media-dedupe cluster --from-shards DIR --pairs DIR --manifest OUT [--strict] [--protect GLOB]...

Merges a sharded run: checks that every hash shard and every pair shard of the plan is there (and
refuses, naming the missing or stale ones, otherwise), then clusters the pairs, picks the file to
keep in each cluster and writes the manifest, as "scan" does. Files with identical hashes are one
cluster without listing every pair of them. Paths in the manifest are relative to its folder.
Review decisions already in OUT are kept.

Options:
  --strict        no chaining: every member within the threshold of the kept file
  --protect GLOB  files never marked for removal (repeatable)
  --pairs-csv F   also write every pair of files as "pairs" prints them (id1,id2,distance; files
                  with identical hashes expanded, so quadratic in the copies of one picture)

Exit status: 0 on success, 2 when a shard is missing or stale, or for bad options.
`;

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, SPECS, HELP, io);
  if (!args) return EXIT.ok;
  const { positionals, options } = args;
  if (positionals.length) throw invalidOption('arguments', 'options only', positionals.join(' '));
  for (const f of ['from-shards', 'pairs', 'manifest']) if (options[f] === undefined) throw invalidOption(`--${f}`, SPECS[f].expected!, undefined);
  return reportingShardErrors('cluster', io, async () => {
    const r = await clusterShards({
      hashDir: resolve(io.cwd, options['from-shards'] as string),
      pairDir: resolve(io.cwd, options.pairs as string),
      manifestPath: resolve(io.cwd, options.manifest as string),
      strict: options.strict === true,
      protect: (options.protect as string[] | undefined) ?? [],
      ...(options['pairs-csv'] !== undefined ? { pairsCsv: resolve(io.cwd, options['pairs-csv'] as string) } : {}),
    });
    const m = r.manifest.summary;
    io.stderr.write(
      `media-dedupe cluster: ${r.files} files, ${r.skipped} skipped; ${r.pairs} pairs of distinct hashes, ${r.identicalFiles} files identical to another; ` +
        `${m.clusters} clusters, ${m.remove} files to remove; manifest ${r.written ? 'written' : 'unchanged'}\n`,
    );
    return EXIT.ok;
  });
}
