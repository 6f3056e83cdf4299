/**
 * The LSH table loop in C (the kernels addon) against the WebAssembly kernel it replaced as the default,
 * and the cost model of a native table-shard task:
 *   - `media-dedupe pairs FILE` on planted 256-bit hashes (threshold 0.2) at each size, the two loops
 *     interleaved (MEDIA_DEDUPE_KERNELS=native | wasm, the order alternating by size): wall, CPU and peak
 *     RSS from /usr/bin/time -v, planted and all-true-pair recall, false pairs, and whether both printed
 *     byte-identical pairs;
 *   - the model of src/core/shards/sizing.ts, fitted on a table shard (at least 16 tables, about 4e8 hash-tables)
 *     run in this process by the native loop at each fit size (CPU of both threads from process.cpuUsage),
 *     keys kept; at 10M (or the first fit size) also keys two bits shorter (4x the pair tests: perTest
 *     apart from perRow), budgets that hold only each hash's coarse byte and passes for a third, a sixth
 *     and a tenth of the hashes, and one that keeps nothing (every pass recomputes every key); at every
 *     larger size also coarse bytes with passes of a tenth; then its CPU-hours and memory per task at 100M and 1B.
 * Alone: npx tsx bench/lshEngines.ts [--sizes 1000000,4000000,10000000] [--fit 1000000,3000000,10000000,30000000,60000000] after npm run build
 * [--check 60000000] [--copy 0,32,24] [--budget 1.75] [--threads 1] (--sizes '' or --fit '' leaves that part out; --check: one task's tables
 * past the fit on 1B's budget a hash (--budget: GB a thread per 1e9 hashes), rows gathered and rows copied into the passes (whole, or the
 * first --copy bytes of each; 'keys' keeps the keys) interleaved, against the model: perCopy is not fitted here, see lshCost.ts)
 */
import { existsSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { lshPairs } from '../src/core/pairs/lsh.js';
import { NATIVE_COPY_PREFIX_BYTES, NativeKeep, nativeLsh, nativePassPlan } from '../src/core/pairs/lshNative.js';
import { planLsh } from '../src/core/pairs/lshParams.js';
import { PackedHashes, radiusFor } from '../src/core/pairs/packed.js';
import { PairSet } from '../src/core/pairs/pairSet.js';
import { NATIVE_COARSE_BYTES, nativeKeepName, nativePassRowBytes } from '../src/core/pairs/lshNative.js';
import { cpuPerTable, FITTED, KEYS_KEPT, tableWork, testsPerTable, type CostConstants } from '../src/core/shards/sizing.js';
import { BITS, plantedFile } from '../src/core/testing/plantedHashes.js';
import { runsAlone } from './context.js';
import { fitModel, leastSquares, reportModel, type FitPoint } from './scale.js';
import { freshPlantedFile, plantedKeys, readPairs, recallOf, timeProcess } from './search1m.js';
import { formatTable } from './table.js';

export interface LshEnginesOptions {
  readonly repoRoot: string;
  readonly sizes?: readonly number[];
  readonly fitSizes?: readonly number[];
  /** Sizes at which one task's tables are measured on the budget 1B hashes get (coarse bytes kept) against the fitted model. */
  readonly checkSizes?: readonly number[];
  /** Bytes of a row copied into the passes at the checks, each way interleaved (0: rows gathered; default 0, 32 and 24). */
  readonly checkCopies?: readonly number[];
  /** The checks' scratch a thread, GB per 1e9 hashes (default 1.75: 1B's budget), and their threads (default 1). */
  readonly checkBudget?: number;
  readonly checkThreads?: number;
  readonly out: (text: string) => void;
}

const THRESHOLD = 0.2;
const RADIUS = radiusFor(THRESHOLD, BITS);
const BUDGETS_AT = 10_000_000;
const FIT_ROW_TABLES = 4e8;

export async function benchLshEngines(opts: LshEnginesOptions): Promise<void> {
  const { out } = opts;
  const cli = join(opts.repoRoot, 'dist', 'cli.js');
  const native = nativeLsh();
  if (!existsSync(cli) || !native.run) {
    out(`\nlsh-engines: skipped: ${!existsSync(cli) ? `${cli} is missing (run npm run build first)` : `no native LSH loop (${native.why})`}\n`);
    return;
  }
  const sizes = opts.sizes ?? [1_000_000, 4_000_000, 10_000_000];
  const fitSizes = opts.fitSizes ?? [1_000_000, 3_000_000, 10_000_000, 30_000_000, 60_000_000];
  const dir = join(tmpdir(), 'media-dedupe-bench-lsh-engines');
  out(`\nlsh-engines: planted 256-bit hashes, threshold ${THRESHOLD}; ${availableParallelism()} cores; load average ${loadavg()[0].toFixed(2)}\n`);
  const rows: (string | number)[][] = [];
  for (const [index, n] of sizes.entries()) {
    const { jsonl, set, truth } = freshPlantedFile(dir, n, RADIUS);
    const planted = plantedKeys(set);
    const digests: string[] = [];
    // Interleaved: the order alternates by size, so neither loop always runs on the warmer machine.
    for (const engine of index % 2 === 0 ? ['native', 'wasm'] : ['wasm', 'native']) {
      const csv = join(dir, `pairs-${engine}.csv`);
      const run = await timeProcess([process.execPath, cli, 'pairs', jsonl, '--threshold', String(THRESHOLD)], csv, {
        ...process.env,
        MEDIA_DEDUPE_KERNELS: engine,
      });
      const found = readPairs(csv, set);
      digests.push(run.digest);
      rows.push([
        n.toLocaleString('en-US'),
        engine === 'native' ? 'native (C)' : 'WebAssembly',
        run.wall,
        run.cpu,
        run.peakRssMb,
        found.keys.size,
        recallOf(planted, found.keys).text,
        recallOf(truth, found.keys).text,
        found.falsePairs,
      ]);
      out(`  ${n.toLocaleString('en-US')} ${engine}: ${run.stderr.trim().split('\n').slice(-1)[0]}\n`);
    }
    out(`  ${n.toLocaleString('en-US')}: the two loops printed ${digests[0] === digests[1] ? 'the same pairs (byte for byte)' : 'DIFFERENT pairs'}\n`);
  }
  rmSync(dir, { recursive: true, force: true });
  if (rows.length)
    out(
      formatTable(
        'media-dedupe pairs FILE, native table loop vs WebAssembly (one process, 2 threads; CPU user + sys; peak RSS of the process)',
        ['hashes', 'table loop', 'wall s', 'CPU s', 'peak RSS MB', 'pairs', 'planted recall', 'recall, all true pairs', 'false pairs'],
        rows,
      ),
    );

  // The model's points: one table shard in this process, the CPU of its threads.
  const points: FitPoint[] = [];
  // The budgets' points at 10M (or the first size when 10M is not fitted), one on 1B's budget at every larger size.
  const budgetsAt = fitSizes.includes(BUDGETS_AT) ? BUDGETS_AT : fitSizes[0];
  for (const n of fitSizes) {
    const set = plantedFile(n, undefined);
    const hashes = new PackedHashes(n, BITS, new Uint8Array(set.words.buffer, 0, set.words.byteLength));
    const plan = planLsh(n, BITS, RADIUS);
    // Budgets that keep only each hash's coarse byte, passes of a 3rd, 6th and 10th of the hashes.
    const low = plan.keyBits - plan.partitionBits;
    const coarse = (passes: number): number => n * NATIVE_COARSE_BYTES + Math.ceil(n / passes) * nativePassRowBytes(low) + 64;
    // And one that keeps nothing: every pass (7, a seventh of the hashes each) computes every key again.
    const nothing = Math.ceil(n / 7) * nativePassRowBytes(low) + 64;
    const budgets: (number | undefined)[] =
      n === budgetsAt ? [undefined, coarse(3), coarse(6), coarse(10), nothing] : n > budgetsAt ? [undefined, coarse(10)] : [undefined];
    // About FIT_ROW_TABLES hash-tables a point (at least 16 tables): CPU-seconds enough to average out the noise of a shared machine.
    const tableShard = { index: 0, count: Math.max(1, Math.floor(plan.tables / Math.max(16, Math.ceil(FIT_ROW_TABLES / n)))) };
    // The plan keeps 6-10 pair tests a hash at every size, too narrow a range to tell perTest from perRow: at the
    // budgets' size also keys two bits shorter (4x the tests a hash), keys kept, the same number of tables.
    const runs: { plan: typeof plan; passBytes?: number }[] = budgets.map((passBytes) => ({ plan, passBytes }));
    if (n === budgetsAt) {
      const short = planLsh(n, BITS, RADIUS, { keyBits: plan.keyBits - 2 });
      runs.splice(1, 0, { plan: { ...short, tables: plan.tables } });
    }
    for (const { plan, passBytes } of runs) {
      const found = new PairSet();
      const cpu0 = process.cpuUsage();
      // Keys kept: the two threads of a task below ~100M hashes; a smaller budget: one thread, as a 1B task runs (nativeThreads).
      const workers = passBytes === undefined ? 2 : 1;
      const r = await lshPairs(hashes, plan, undefined, { workers, tableShard, engine: 'native', passBytes, copyBytes: 0 }, found);
      const c = process.cpuUsage(cpu0);
      const cpu = (c.user + c.system) / 1e6;
      const passes = r.passes / r.tables;
      const work = passBytes === undefined ? KEYS_KEPT : tableWork(nativePassPlan(n, passBytes, plan).keep, passes);
      points.push({ n, distinct: n, keyBits: plan.keyBits, tables: r.tables, cpu, work });
      out(
        `  fit ${n.toLocaleString('en-US')}: ${workers} thread${workers > 1 ? 's' : ''}, ${r.tables} tables of ${plan.tables} x ${plan.keyBits} bits (${plan.partitionBits} partition bits), ${passes.toFixed(1)} passes a table, ` +
          `${nativeKeepName(passBytes === undefined ? undefined : nativePassPlan(n, passBytes, plan).keep)} kept, ${(r.candidates / r.tables / testsPerTable(n, plan.keyBits)).toFixed(2)}x the modelled pair tests; ` +
          `${cpu.toFixed(1)} CPU-s, ${found.size} pairs\n`,
      );
    }
  }
  reportModel(points, out);
  const fit = fitModel(points);
  const copying: CopyPoint[] = [];
  for (const n of opts.checkSizes ?? [])
    out(await checkModel(n, fit, opts.checkCopies ?? [0, 32, NATIVE_COPY_PREFIX_BYTES], opts.checkBudget ?? 1.75, opts.checkThreads ?? 1, copying));
  const copies = fitCopies(copying, fit);
  if (copies)
    out(
      `  copying passes, refitted on the checks' ${copying.length} copying runs: perCopyRow ${(copies.perCopyRow * 1e9).toFixed(2)} ns a hash, perCopy ${(copies.perCopy * 1e9).toFixed(2)} ns a hash a pass ` +
        `(lshCost.ts uses ${(FITTED.perCopyRow * 1e9).toFixed(2)}, ${(FITTED.perCopy * 1e9).toFixed(2)})\n`,
    );
}

/** A way of running the check's tables: -1 keeps the keys (rows gathered); else coarse bytes kept and this many bytes of a row copied (0: gathered). */
const modeName = (c: number): string => (c < 0 ? 'keys kept' : c ? `${c} bytes copied` : 'gathered');

/** A check's run whose passes copied rows: its size, key bits, passes a table and CPU a table (for the copies' refit). */
interface CopyPoint {
  readonly n: number;
  readonly keyBits: number;
  readonly passes: number;
  readonly perTable: number;
}

/**
 * perCopyRow and perCopy (lshCost.ts) by least squares of the copying runs' CPU a hash a table beyond
 * perRow, perCoarse and the pair tests of `fit`: a + b x passes (relative errors).
 */
function fitCopies(points: readonly CopyPoint[], fit: CostConstants): { perCopyRow: number; perCopy: number } | undefined {
  const rows = points.map((p) => {
    const y = p.perTable / p.n - fit.perRow - fit.perCoarse - (fit.perTest * testsPerTable(p.n, p.keyBits)) / p.n;
    return { x: [1 / y, p.passes / y], y: 1 };
  });
  const ab = new Set(points.map((p) => p.passes)).size > 1 ? leastSquares(rows) : undefined;
  return ab && { perCopyRow: ab[0], perCopy: ab[1] };
}

/**
 * The model against a measurement outside its fit: one thread, a few tables, on 1B's budget a hash (1.75 GB
 * for 1e9 hashes: each hash's coarse byte kept, passes as many as a 1B task makes).
 */
async function checkModel(n: number, fit: CostConstants, copies: readonly number[], budgetGb: number, threads: number, copying: CopyPoint[]): Promise<string> {
  const set = plantedFile(n, undefined);
  const hashes = new PackedHashes(n, BITS, new Uint8Array(set.words.buffer, 0, set.words.byteLength));
  const plan = planLsh(n, BITS, RADIUS);
  // 1B's budget a hash (--budget 1.75): DEFAULT_NATIVE_TASK_BYTES for 1e9 hashes (coarse bytes kept; 7 passes a table gathering rows,
  // 35 copying 24 bytes of them, 44 whole rows); --budget 8.75 --threads 2 is 100M's (a thread's share of the task's 1.75 GB).
  const passBytes = Math.floor((budgetGb * 2 ** 30 * n) / 1e9);
  const tableShard = { index: 0, count: Math.ceil(plan.tables / (4 * threads)) };
  let text = '';
  // Each way of moving the rows (bytes of a row copied into the passes: 0 gathers them), interleaved: 2
  // rounds, the second in the reverse order.
  const cpus = new Map<number, number[]>(copies.map((c) => [c, []]));
  let pairs: string | undefined;
  for (const copyBytes of [...copies, ...[...copies].reverse()]) {
    const found = new PairSet();
    const cpu0 = process.cpuUsage();
    const choice = copyBytes < 0 ? { keep: NativeKeep.Keys } : { keep: NativeKeep.Coarse, copyBytes };
    const r = await lshPairs(hashes, plan, undefined, { workers: threads, tableShard, engine: 'native', passBytes, ...choice }, found);
    const c = process.cpuUsage(cpu0);
    const perTable = (c.user + c.system) / 1e6 / r.tables;
    const pass = nativePassPlan(n, passBytes, plan, choice);
    if (pass.keep !== choice.keep) throw new Error(`${modeName(copyBytes)} does not fit ${passBytes} bytes`);
    const work = tableWork(pass.keep, r.passes / r.tables, pass.copied);
    const model = cpuPerTable(n, plan.keyBits, work, fit);
    cpus.get(copyBytes)!.push(perTable);
    if (pass.copied) copying.push({ n, keyBits: plan.keyBits, passes: r.passes / r.tables, perTable });
    const digest = found.toPairs();
    const key = `${digest.count}:${digest.i.reduce((a, b) => (a * 31 + b) % 1e9, 0)}:${digest.j.reduce((a, b) => (a * 31 + b) % 1e9, 0)}:${digest.distance.reduce((a, b) => (a * 31 + b) % 1e9, 0)}`;
    pairs ??= key;
    text +=
      `  check ${n.toLocaleString('en-US')}: ${r.tables} tables x ${plan.keyBits} bits (${plan.partitionBits} partition bits), ${threads} thread${threads > 1 ? 's' : ''} of ${(passBytes / 2 ** 20).toFixed(0)} MB, ${nativeKeepName(pass.keep)} kept, ` +
      `rows ${pass.copied ? `copied (${pass.copyBytes} bytes, ${pass.rowBytes} a pass row)` : 'gathered'}, ${(r.passes / r.tables).toFixed(1)} passes a table: ${perTable.toFixed(2)} CPU-s a table measured, ${model.toFixed(2)} by this fit (${((perTable / model - 1) * 100).toFixed(0)} %), ` +
      `${cpuPerTable(n, plan.keyBits, work).toFixed(2)} by sizing.ts; ${found.size} pairs${pairs === key ? '' : ' (DIFFERENT pairs)'}` +
      `${r.tails ? `; ${r.tails} tests read the rest of the rows (${((r.tails / r.candidates) * 100).toFixed(4)} % of ${r.candidates})` : ''}\n`;
  }
  const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
  const first = mean(cpus.get(copies[0])!);
  return (
    text +
    `  check ${n.toLocaleString('en-US')}: ` +
    copies.map((c) => `${modeName(c)} ${mean(cpus.get(c)!).toFixed(3)}${c === copies[0] ? '' : ` (${(mean(cpus.get(c)!) / first).toFixed(2)}x)`}`).join(', ') +
    ` CPU-s a table (means of 2 runs each)\n`
  );
}

if (runsAlone('lshEngines')) {
  const list = (flag: string): number[] | undefined => {
    const at = process.argv.indexOf(flag);
    return at > 0 ? process.argv[at + 1].split(',').filter(Boolean).map(Number) : undefined;
  };
  benchLshEngines({
    repoRoot: resolve(__dirname, '..'),
    sizes: list('--sizes'),
    fitSizes: list('--fit'),
    checkSizes: list('--check'),
    checkCopies: process.argv.includes('--copy')
      ? process.argv[process.argv.indexOf('--copy') + 1].split(',').map((c) => (c === 'keys' ? -1 : Number(c)))
      : undefined,
    checkBudget: list('--budget')?.[0],
    checkThreads: list('--threads')?.[0],
    out: (t) => process.stdout.write(t),
  }).catch((e: unknown) => {
    process.stderr.write(`bench lsh-engines: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
