/** `media-dedupe plan --from-shards DIR`: checks the hash shards, fixes the search plan, estimates each task. */
import { resolve } from 'node:path';
import { expectInt, expectNumber, invalidOption } from '../../core/errors.js';
import { NativeKeep } from '../../core/pairs/lshNative.js';
import { DEFAULT_LSH_RECALL } from '../../core/pairs/lshParams.js';
import { radiusFor } from '../../core/pairs/packed.js';
import { planEstimate, planShards } from '../../core/shards/planShards.js';
import { estimateTask, PAIR_BYTES, plannedFor, type TaskEstimate } from '../../core/shards/sizing.js';
import { parseCommandArgs, type OptionSpecs } from '../args.js';
import { EXIT, type CliIo } from '../io.js';
import { cpuTime, gb, reportingShardErrors, taskMemory } from './shardCommon.js';

const SPECS: OptionSpecs = {
  'from-shards': { kind: 'string', expected: 'the folder of the hash shards' },
  threshold: { kind: 'number', expected: 'a distance threshold such as 0.2' },
  tasks: { kind: 'number', expected: 'a number of table-shard tasks' },
  workers: { kind: 'number', expected: 'threads per task' },
  memory: { kind: 'number', expected: 'GB of scratch per task, as pairs --memory' },
  pairs: { kind: 'number', expected: 'a number of pairs a task is expected to find' },
  seed: { kind: 'number', expected: 'an integer LSH seed' },
  for: { kind: 'string', expected: 'numbers of hashes, e.g. 100000000,1000000000' },
  bits: { kind: 'number', expected: 'hash length in bits (with --for; default 256)' },
  json: { kind: 'boolean' },
};

const HELP = `media-dedupe plan --from-shards DIR [--threshold T] [--tasks N] [--workers W] [--memory GB] [--pairs P] [--json]
media-dedupe plan --for N[,N...] [--bits B] [--threshold T] [--tasks N] [--workers W] [--memory GB] [--pairs P]

Checks that DIR holds every hash shard of one run (same list, hasher and settings; none missing),
collapses identical hashes, and fixes the search every "pairs --from-shards" task will share: the
bit-sampling LSH tables for the distinct hashes (a pair at the threshold found with probability
99.9%). Writes plan.json, plan-distinct.bin (the packed distinct hashes the tasks read) and
plan-nodes.bin (each file's distinct hash) into DIR, and prints n, the tables and the CPU time and
memory per task for --tasks N (default: a table of 1 to 256 tasks).

Options:
  --threshold T   distance threshold (default: the hasher's recommended one)
  --tasks N       the number of table-shard tasks to estimate
  --workers W     threads per task (default 2)
  --memory GB     scratch per task besides the mapped hashes, as the tasks' pairs --memory (default 1.75)
  --pairs P       pairs a task is expected to find: ${PAIR_BYTES} bytes each at the peak are added to
                  the working memory (default 0; the data decides how many, not the plan)
  --seed S        LSH seed (default 1)
  --json          print the plan and estimates as JSON
  --for N,...     no shards: the plan and estimates for N distinct hashes of --bits bits (sizing a
                  cluster job before hashing)

Exit status: 0 on success, 2 when a shard is missing or stale, or for bad options.
`;

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, SPECS, HELP, io);
  if (!args) return EXIT.ok;
  const { positionals, options } = args;
  if (positionals.length) throw invalidOption('arguments', 'options only (--from-shards DIR)', positionals.join(' '));
  if (options.for !== undefined) return sizing(options, io);
  if (options['from-shards'] === undefined) throw invalidOption('--from-shards', 'the folder of the hash shards', undefined);
  const dir = resolve(io.cwd, options['from-shards'] as string);
  const threshold = options.threshold === undefined ? undefined : expectNumber('--threshold', options.threshold, 0, 1);
  const workers = options.workers === undefined ? 2 : expectInt('--workers', options.workers, 1, 256);
  const taskBytes = taskMemory(options);
  const pairs = expectedPairs(options);
  const seed = options.seed === undefined ? undefined : expectInt('--seed', options.seed, 0, 2 ** 31 - 1);
  const taskCounts = options.tasks === undefined ? [1, 4, 16, 64, 256] : [expectInt('--tasks', options.tasks, 1, 1 << 20)];
  return reportingShardErrors('plan', io, async () => {
    const plan = await planShards(dir, { threshold, lsh: seed === undefined ? {} : { seed } });
    const estimates = taskCounts.map((tasks) => ({ tasks, ...planEstimate(plan, tasks, workers, taskBytes, pairs) }));
    if (options.json === true) {
      io.stdout.write(JSON.stringify({ plan, estimates }, null, 2) + '\n');
      return EXIT.ok;
    }
    const l = plan.lsh;
    io.stdout.write(
      `${plan.shards} hash shards, ${plan.rows.toLocaleString('en-US')} files, ${plan.hashed.toLocaleString('en-US')} hashed, ` +
        `${plan.distinct.toLocaleString('en-US')} distinct hashes (${plan.settings.hasher.name}${plan.settings.hasher.hashSize ?? ''}, ${plan.settings.hasher.bits} bits), threshold ${plan.threshold}\n` +
        `search: ${l.tables} LSH tables of ${l.keyBits} sampled bits (seed ${l.seed}); a pair at the threshold is found with probability ${(l.recallAtRadius * 100).toFixed(2)}%\n` +
        `\n| tasks | tables per task | CPU per task | CPU, all tasks | memory per task (mapped hashes + working) |\n|---:|---:|---:|---:|---:|\n`,
    );
    for (const e of estimates) io.stdout.write(estimateRow(String(e.tasks), e));
    io.stdout.write(pairsNote(pairs));
    io.stdout.write(`\nnext: media-dedupe pairs --from-shards ${dir} --tables I/N --out PAIRS_DIR (one task per I)\n`);
    return EXIT.ok;
  });
}

const estimateRow = (first: string, e: TaskEstimate): string =>
  `| ${first} | ${e.tablesPerTask} | ${cpuTime(e.cpuPerTask)} | ${cpuTime(e.cpuTotal)} | ${gb(e.hashBytes)} + ${gb(e.workingBytes)}${passNote(e)} |\n`;

/** Past the keys' budget, how a table runs: its passes, and whether each finds its rows by coarse byte or recomputes every key. */
const passNote = (e: TaskEstimate): string =>
  e.keep === NativeKeep.Keys
    ? ''
    : ` (${e.passes} passes a table, ${e.keep === NativeKeep.Coarse ? (e.work.copied ? 'coarse bytes kept, rows copied' : 'coarse bytes kept') : 'keys recomputed in each'}, ${e.threads} thread${e.threads > 1 ? 's' : ''})`;

const expectedPairs = (options: Record<string, unknown>): number =>
  options.pairs === undefined ? 0 : expectInt('--pairs', options.pairs, 0, Number.MAX_SAFE_INTEGER);

/** The pairs a task finds take memory the plan cannot know: say how much, and whether the rows count them. */
const pairsNote = (pairs: number): string =>
  pairs > 0
    ? `working memory includes ${pairs.toLocaleString('en-US')} pairs a task at ${PAIR_BYTES} bytes each\n`
    : `working memory excludes the pairs a task finds: up to ${PAIR_BYTES} bytes each (--pairs P adds them)\n`;

/** `--for N`: the plan lshParams would make and the estimates, before anything is hashed. */
function sizing(options: Record<string, unknown>, io: CliIo): number {
  const bits = options.bits === undefined ? 256 : expectInt('--bits', options.bits, 8, 256);
  const threshold = options.threshold === undefined ? 0.2 : expectNumber('--threshold', options.threshold, 0, 0.5);
  const workers = options.workers === undefined ? 2 : expectInt('--workers', options.workers, 1, 256);
  const taskBytes = taskMemory(options);
  const pairs = expectedPairs(options);
  const counts = String(options.for)
    .split(',')
    .map((t) => expectInt('--for', Number(t.replace(/_/g, '')), 2, Number.MAX_SAFE_INTEGER));
  const taskCounts = options.tasks === undefined ? [16, 64, 256] : [expectInt('--tasks', options.tasks, 1, 1 << 20)];
  io.stdout.write(
    `| distinct hashes | LSH plan | tasks | tables per task | CPU per task | CPU, all tasks | memory per task (mapped hashes + working) |\n|---:|---|---:|---:|---:|---:|---:|\n`,
  );
  for (const n of counts) {
    const radius = radiusFor(threshold, bits);
    const p = plannedFor(n, bits, radius, DEFAULT_LSH_RECALL);
    for (const tasks of taskCounts) {
      const e = estimateTask({ distinct: n, bits, keyBits: p.keyBits, radius, tables: p.tables, tasks, workers, taskBytes, pairs });
      io.stdout.write(estimateRow(`${n.toLocaleString('en-US')} | ${p.tables} tables x ${p.keyBits} bits | ${tasks}`, e));
    }
  }
  io.stdout.write(
    `\n${bits}-bit hashes, threshold ${threshold}, ${workers} thread${workers === 1 ? '' : 's'} per task; a pair at the threshold found with probability ${(DEFAULT_LSH_RECALL * 100).toFixed(1)}%\n`,
  );
  io.stdout.write(pairsNote(pairs));
  return EXIT.ok;
}
