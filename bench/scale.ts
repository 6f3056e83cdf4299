/**
 * Datasets larger than one machine: the sharded search and the single-node search at 1M-10M planted
 * 256-bit hashes (threshold 0.2), every command run as a whole process as a user (or a cluster task)
 * runs it, CPU and peak RSS from /usr/bin/time -v:
 *   - `media-dedupe pairs FILE` at each size: wall, CPU, peak RSS, planted and all-true-pair recall,
 *     false pairs (every printed distance recomputed);
 *   - the sharded pipeline (hash --from-hashes, plan, pairs --from-shards --tables I/N, cluster): at the
 *     first size the union of 4 table shards against one process (same pairs?) and its CPU against one
 *     table-shard process with every table, in 3 interleaved rounds (medians); at every size one table
 *     shard, whose CPU per table feeds
 *   - the cost model of src/core/shards/sizing.ts, fitted here as fitModel does (the points' terms it
 *     can tell apart), and its extrapolation to 100M and 1B hashes.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_LSH_RECALL } from '../src/core/pairs/lshParams.js';
import { radiusFor } from '../src/core/pairs/packed.js';
import { nativeKeepName } from '../src/core/pairs/lshNative.js';
import {
  cpuPerTable,
  doublings,
  estimateTask,
  FITTED,
  KEYS_KEPT,
  plannedFor,
  testsPerTable,
  type CostConstants,
  type TableWork,
} from '../src/core/shards/sizing.js';
import { BITS } from '../src/core/testing/plantedHashes.js';
import { runsAlone } from './context.js';
import { freshPlantedFile, plantedKeys, readPairs, recallOf, timeProcess, type ProcessRun } from './search1m.js';
import { formatTable, median } from './table.js';

export interface ScaleOptions {
  readonly repoRoot: string;
  readonly sizes?: readonly number[];
  readonly out: (text: string) => void;
}

const THRESHOLD = 0.2;
const RADIUS = radiusFor(THRESHOLD, BITS);
const TABLE_SHARDS = 4;
const FIT_SHARDS = 16;
const UNION_ROUNDS = 3;

export interface FitPoint {
  readonly n: number;
  readonly distinct: number;
  readonly keyBits: number;
  readonly tables: number;
  readonly cpu: number;
  /** Extra work a table did on a small budget (sizing.ts tableWork; KEYS_KEPT when the keys were kept) */
  readonly work: TableWork;
}

interface ShardSidecarStats {
  readonly rows: number;
  readonly stats: { tables: number; distinct: number; cpuSeconds: number; peakRssMb: number };
}

export async function benchScale(opts: ScaleOptions): Promise<void> {
  const { out } = opts;
  const cli = join(opts.repoRoot, 'dist', 'cli.js');
  if (!existsSync(cli)) {
    out(`\nscale: skipped: ${cli} is missing (run npm run build first)\n`);
    return;
  }
  const sizes = opts.sizes ?? [1_000_000, 4_000_000, 10_000_000];
  const dir = join(tmpdir(), 'media-dedupe-bench-scale');
  out(
    `\nscale: planted 256-bit hashes at ${sizes.map((n) => n.toLocaleString('en-US')).join(', ')}; threshold ${THRESHOLD}; ${availableParallelism()} cores; load average ${loadavg()[0].toFixed(2)}\n`,
  );
  const md = (args: string[]): string[] => [process.execPath, cli, ...args];
  const single: (string | number)[][] = [];
  const fit: FitPoint[] = [];
  for (const [index, n] of sizes.entries()) {
    const { jsonl, set, truth } = freshPlantedFile(dir, n, RADIUS);

    // 1. One process, as a user runs it.
    const csv = join(dir, 'pairs.csv');
    const run = await timeProcess(md(['pairs', jsonl, '--threshold', String(THRESHOLD)]), csv);
    const found = readPairs(csv, set);
    single.push([
      n.toLocaleString('en-US'),
      run.wall,
      run.cpu,
      run.peakRssMb,
      found.keys.size,
      recallOf(plantedKeys(set), found.keys).text,
      recallOf(truth, found.keys).text,
      found.falsePairs,
    ]);
    out(`  pairs ${n.toLocaleString('en-US')}: ${run.stderr.trim().split('\n').slice(-1)[0]}\n`);

    // 2. The sharded pipeline over the same hashes.
    const hashes = join(dir, 'shards');
    await timeProcess(md(['hash', '--from-hashes', jsonl, '--shard', '0/1', '--out', hashes]), join(dir, 'hash.out'));
    const plan = await timeProcess(md(['plan', '--from-shards', hashes, '--tasks', String(TABLE_SHARDS)]), join(dir, 'plan.out'));
    out(
      `  plan ${n.toLocaleString('en-US')} (${plan.wall.toFixed(1)} s, ${plan.cpu.toFixed(1)} CPU-s, peak RSS ${plan.peakRssMb} MB):\n    ${readFileSync(join(dir, 'plan.out'), 'utf8').trim().split('\n').join('\n    ')}\n`,
    );
    const planJson = JSON.parse(readFileSync(join(hashes, 'plan.json'), 'utf8')) as { distinct: number; lsh: { keyBits: number; tables: number } };
    const task = async (tables: string, pairsDir: string): Promise<{ run: ProcessRun; sidecar: ShardSidecarStats }> => {
      const r = await timeProcess(md(['pairs', '--from-shards', hashes, '--tables', tables, '--out', pairsDir]), join(dir, 'task.out'));
      const [i, count] = tables.split('/').map(Number);
      const pad = (k: number): string => String(k).padStart(5, '0');
      return { run: r, sidecar: JSON.parse(readFileSync(join(pairsDir, `pairs-${pad(i)}-of-${pad(count)}.json`), 'utf8')) as ShardSidecarStats };
    };
    const point = (s: ShardSidecarStats, cpu: number): FitPoint => ({
      n,
      distinct: planJson.distinct,
      keyBits: planJson.lsh.keyBits,
      tables: s.stats.tables,
      cpu,
      work: KEYS_KEPT,
    });
    if (index === 0) {
      // Interleaved rounds (the order alternating), medians: a task's CPU varies by 20 % on a shared machine.
      type Run = { run: ProcessRun; sidecar: ShardSidecarStats };
      const wholes: Run[] = [];
      const rounds: Run[][] = [];
      for (let round = 0; round < UNION_ROUNDS; round++) {
        const shardsOf = async (): Promise<void> => {
          const shards: Run[] = [];
          for (let i = 0; i < TABLE_SHARDS; i++) shards.push(await task(`${i}/${TABLE_SHARDS}`, join(dir, `pairs-${TABLE_SHARDS}`)));
          rounds.push(shards);
        };
        if (round % 2) await shardsOf();
        wholes.push(await task('0/1', join(dir, 'pairs-1')));
        if (round % 2 === 0) await shardsOf();
      }
      const union = join(dir, 'union.csv');
      await timeProcess(
        md([
          'cluster',
          '--from-shards',
          hashes,
          '--pairs',
          join(dir, `pairs-${TABLE_SHARDS}`),
          '--manifest',
          join(dir, 'm', 'dedupe-manifest.json'),
          '--pairs-csv',
          union,
        ]),
        join(dir, 'cluster.out'),
      );
      const u = readPairs(union, set);
      let same = u.keys.size === found.keys.size;
      for (const k of u.keys) if (!found.keys.has(k)) same = false;
      const shardCpus = rounds.map((shards) => shards.reduce((s, x) => s + x.run.cpu, 0));
      const ratios = shardCpus.map((c, r) => c / wholes[r].run.cpu);
      const whole = wholes[0];
      const list = (xs: number[]): string => xs.map((x) => x.toFixed(2)).join(', ');
      out(
        formatTable(
          `Union of ${TABLE_SHARDS} table shards vs one process, ${n.toLocaleString('en-US')} hashes (each task a process; CPU user + sys; ${UNION_ROUNDS} interleaved rounds)`,
          ['run', 'wall s', 'CPU s (each round)', 'peak RSS MB', 'pairs (a shard: of distinct hashes)', 'recall, all true pairs', 'false pairs'],
          [
            [
              'media-dedupe pairs FILE (one process)',
              run.wall,
              run.cpu.toFixed(2),
              run.peakRssMb,
              found.keys.size,
              recallOf(truth, found.keys).text,
              found.falsePairs,
            ],
            ['pairs --from-shards --tables 0/1', whole.run.wall, list(wholes.map((w) => w.run.cpu)), whole.run.peakRssMb, whole.sidecar.rows, '', ''],
            ...rounds[0].map((s, i) => [
              `pairs --from-shards --tables ${i}/${TABLE_SHARDS}`,
              s.run.wall,
              list(rounds.map((r) => r[i].run.cpu)),
              s.run.peakRssMb,
              s.sidecar.rows,
              '',
              '',
            ]),
            [`union of the ${TABLE_SHARDS} shards (cluster --pairs-csv)`, '', list(shardCpus), '', u.keys.size, recallOf(truth, u.keys).text, u.falsePairs],
          ],
        ),
      );
      out(
        `  union == one process: ${same ? 'yes' : 'NO'}; total shard CPU / one table-shard process with every table, each round: ${list(ratios)}, ` +
          `median ${median(ratios).toFixed(3)} (target <= 1.1); / media-dedupe pairs FILE: ${(median(shardCpus) / run.cpu).toFixed(3)}\n`,
      );
      fit.push(point(whole.sidecar, whole.sidecar.stats.cpuSeconds));
    } else {
      // One task of FIT_SHARDS: enough tables for the per-table cost, a fraction of the time.
      const one = await task(`0/${FIT_SHARDS}`, join(dir, `pairs-${FIT_SHARDS}`));
      out(
        `  one table shard of ${FIT_SHARDS} at ${n.toLocaleString('en-US')}: ${one.sidecar.stats.tables} tables, ${one.run.cpu.toFixed(1)} CPU-s, peak RSS ${one.run.peakRssMb} MB\n`,
      );
      fit.push(point(one.sidecar, one.sidecar.stats.cpuSeconds));
    }
  }
  rmSync(dir, { recursive: true, force: true });
  out(
    formatTable(
      'media-dedupe pairs FILE as one process (2 threads; peak RSS of the whole process)',
      ['hashes', 'wall s', 'CPU s', 'peak RSS MB', 'pairs', 'planted recall', 'recall, all true pairs', 'false pairs'],
      single,
    ),
  );
  reportModel(fit, out);
}

/** Least squares of y = sum of p[c] * x[c] (no intercept) by the normal equations; undefined when the points cannot tell the p apart. */
export function leastSquares(rows: readonly { x: readonly number[]; y: number }[]): number[] | undefined {
  const m = rows[0]?.x.length ?? 0;
  if (rows.length < m || m === 0) return undefined;
  // [A | b] with A = X^T X, b = X^T y, then Gaussian elimination with partial pivoting.
  const a = Array.from({ length: m }, (_, i) => [
    ...Array.from({ length: m }, (_, j) => rows.reduce((s, r) => s + r.x[i] * r.x[j], 0)),
    rows.reduce((s, r) => s + r.x[i] * r.y, 0),
  ]);
  for (let c = 0; c < m; c++) {
    let pivot = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) pivot = r;
    if (!(Math.abs(a[pivot][c]) > 1e-12 * Math.abs(a[c][c] || 1))) return undefined;
    [a[c], a[pivot]] = [a[pivot], a[c]];
    for (let r = 0; r < m; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let k = c; k <= m; k++) a[r][k] -= f * a[c][k];
    }
  }
  return a.map((row, i) => row[m] / row[i]);
}

const CONSTANTS = ['perRow', 'perLog', 'perTest', 'perKey', 'perCoarse', 'perScan'] as const;

const isKept = (p: FitPoint): boolean => p.work.recomputes === 0 && p.work.coarse === 0 && p.work.scans === 0;

/**
 * The model's constants from measured table shards: perRow, perLog and perTest by least squares of CPU per
 * table = d * (perRow + perLog * g) + perTest * tests(d, k) over the points that kept the keys, g the
 * doublings of d past sizing.ts GROWS_FROM (a hash costs more the more there are: a model linear in d put a
 * 60M check 22 % above it); then perKey, perCoarse and perScan
 * from the points on smaller budgets, by least squares of their CPU per hash per table beyond that. A
 * constant no point measured (no such budget run) stays sizing.ts's.
 */
export function fitModel(points: readonly FitPoint[]): CostConstants {
  const kept = points.filter(isKept);
  // Relative errors (each row divided by its CPU): the points span 0.05 to 7 CPU-s a table.
  // Every point at most GROWS_FROM hashes: the doublings column is all zeros (a singular fit), so fit
  // perRow and perTest alone and keep sizing.ts's perLog, which such points cannot measure.
  const grows = kept.some((p) => doublings(p.distinct) > 0);
  const fit = leastSquares(
    kept.map((p) => {
      const y = p.cpu / p.tables;
      const x = [p.distinct, testsPerTable(p.distinct, p.keyBits)];
      return { x: (grows ? [...x, p.distinct * doublings(p.distinct)] : x).map((v) => v / y), y: 1 };
    }),
  );
  const ab = fit && !grows ? [...fit, FITTED.perLog] : fit;
  // Three points that differ in size and tests per hash are needed; with fewer, only the scale of sizing.ts's constants.
  const scale = ab ? 1 : kept.reduce((s, p) => s + p.cpu / p.tables, 0) / kept.reduce((s, p) => s + cpuPerTable(p.distinct, p.keyBits), 0) || 1;
  const base: CostConstants = ab
    ? { ...FITTED, perRow: ab[0], perTest: ab[1], perLog: ab[2] }
    : { ...FITTED, perRow: FITTED.perRow * scale, perLog: FITTED.perLog * scale, perTest: FITTED.perTest * scale };
  const names = ['perKey', 'perCoarse', 'perScan'] as const;
  const xs = (p: FitPoint): number[] => [p.work.recomputes, p.work.coarse, p.work.scans];
  const others = points.filter((p) => !isKept(p));
  const measured = names.map((_, c) => others.some((p) => xs(p)[c] > 0));
  // y: CPU per hash per table beyond the kept-keys cost (measured at the same size and key when there is such a
  // point, so the extra terms do not absorb the kept fit's error), less the terms of constants no point measured.
  const keptCost = (p: FitPoint): number => {
    const same = kept.filter((q) => q.distinct === p.distinct && q.keyBits === p.keyBits);
    return same.length ? same.reduce((s, q) => s + q.cpu / q.tables, 0) / same.length : cpuPerTable(p.distinct, p.keyBits, KEYS_KEPT, base);
  };
  const rows = others.map((p) => ({
    x: xs(p).filter((_, c) => measured[c]),
    y: (p.cpu / p.tables - keptCost(p)) / p.distinct - names.reduce((s, name, c) => s + (measured[c] ? 0 : base[name] * xs(p)[c]), 0),
  }));
  const solved = leastSquares(rows);
  if (!solved) return base;
  const out = { ...base };
  let at = 0;
  names.forEach((name, c) => measured[c] && (out[name] = solved[at++]));
  return out;
}

/** The fit, its error at each point, and the model's CPU-hours and memory per task at 10M, 100M and 1B. */
export function reportModel(points: readonly FitPoint[], out: (t: string) => void): void {
  const fit = fitModel(points);
  const ns = (x: number): string => (x * 1e9).toFixed(2);
  out(
    formatTable(
      'Cost model: CPU per table = d * (perRow + perLog * g) + perTest * d^2 / 2^(k+1) + perKey * d * recomputing passes + d * (perCoarse + perScan * coarse passes), g = doublings of d past 4M (measured per-table CPU of table shards)',
      [
        'hashes',
        'distinct',
        'key bits',
        'key computations',
        'coarse passes',
        'tables run',
        'CPU s',
        'CPU per table, measured',
        'fitted',
        'sizing.ts constants',
      ],
      points.map((p) => [
        p.n.toLocaleString('en-US'),
        p.distinct,
        p.keyBits,
        isKept(p) ? 'keys' : p.work.coarse ? (p.work.copied ? 'coarse bytes, rows copied' : 'coarse bytes') : 'nothing',
        (p.work.scans || p.work.recomputes || 1).toFixed(1),
        p.tables,
        p.cpu,
        p.cpu / p.tables,
        cpuPerTable(p.distinct, p.keyBits, p.work, fit),
        cpuPerTable(p.distinct, p.keyBits, p.work),
      ]),
    ),
  );
  out(
    `  fitted perRow = ${ns(fit.perRow)} ns a hash a table, perLog = ${ns(fit.perLog)} ns a hash a table a doubling past 4M, perTest = ${ns(fit.perTest)} ns a pair test, ` +
      `perKey = ${ns(fit.perKey)} ns a hash a recomputing pass, perCoarse = ${ns(fit.perCoarse)} ns a hash, perScan = ${ns(fit.perScan)} ns a hash a coarse pass ` +
      `(sizing.ts uses ${CONSTANTS.map((name) => ns(FITTED[name])).join(', ')})\n`,
  );
  const rows: (string | number)[][] = [];
  for (const n of [10_000_000, 100_000_000, 1_000_000_000]) {
    const p = plannedFor(n, BITS, RADIUS, DEFAULT_LSH_RECALL);
    for (const [tasks, workers] of [
      [64, 2],
      [256, 2],
      [256, 1],
    ]) {
      const input = { distinct: n, bits: BITS, keyBits: p.keyBits, radius: RADIUS, tables: p.tables, tasks, workers };
      const e = estimateTask(input);
      const f = estimateTask(input, fit);
      rows.push([
        n.toLocaleString('en-US'),
        `${p.tables} x ${p.keyBits} bits`,
        `${tasks} x ${workers}`,
        `${nativeKeepName(e.keep)}${e.work.copied ? ' (rows copied)' : ''}, ${e.passes} passes${e.threads < workers ? `, ${e.threads} thread` : ''}`,
        (e.cpuTotal / 3600).toFixed(2),
        (f.cpuTotal / 3600).toFixed(2),
        f.cpuPerTask < 60 ? '< 1 min' : (f.cpuPerTask / 60).toFixed(1) + ' min',
        (e.hashBytes / 2 ** 30).toFixed(2),
        (e.workingBytes / 2 ** 30).toFixed(2),
      ]);
    }
  }
  out(
    formatTable(
      'Extrapolation of the fit: CPU-hours and memory per task (tasks x threads, the default 1.75 GB of scratch a task)',
      [
        'hashes',
        'plan',
        'tasks x threads',
        'a thread keeps',
        'CPU-h total (sizing.ts)',
        'CPU-h total (this fit)',
        'CPU per task (this fit)',
        'mapped hashes GB',
        'working GB per task',
      ],
      rows,
    ),
  );
}

// Alone: npx tsx bench/scale.ts [--sizes 1000000,4000000] after npm run build
if (runsAlone('scale')) {
  const at = process.argv.indexOf('--sizes');
  benchScale({
    repoRoot: resolve(__dirname, '..'),
    sizes: at > 0 ? process.argv[at + 1].split(',').map(Number) : undefined,
    out: (t) => process.stdout.write(t),
  }).catch((e: unknown) => {
    process.stderr.write(`bench scale: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
