/**
 * The 1M-hash figure: `media-dedupe pairs` on 1,000,000 random 256-bit hashes with planted near-copies,
 * run as a whole process (the approximate path above 200k hashes), against exact search:
 *   - wall and CPU time and peak RSS of the process (/usr/bin/time -v, else /proc/<pid>/status sampled);
 *   - recall of the planted pairs, of every true pair (the planted families enumerated exactly), and of
 *     the exact neighbours of `sample` random rows found with the exact kernel;
 *   - false pairs: every printed pair's distance recomputed from the hashes (must be 0);
 *   - the exact all-pairs time, estimated by timing the exact kernel on those sample rows and scaling
 *     by n / (2 x sample) (all pairs are n(n-1)/2 checks; the sample did sample x n).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findPairs } from '../src/core/pairs/findPairs.js';
import { PackedHashes } from '../src/core/pairs/packed.js';
import { runsAlone } from './context.js';
import { BITS, distanceBits, familyPairs, pairKey, plantedFile, rng, type PlantedFile } from '../src/core/testing/plantedHashes.js';
import { formatTable, median } from './table.js';

export interface Search1mOptions {
  readonly repoRoot: string;
  readonly rounds: number;
  /** hashes (default 1,000,000) */
  readonly n?: number;
  /** rows whose exact neighbours are computed (default 2,000) */
  readonly sample?: number;
  readonly out: (text: string) => void;
}

const THRESHOLD = 0.2;
const RADIUS = 52; // pairs have fewer than 52 differing bits: 51/256 < 0.2 <= 52/256
/** The issue's figure for exact all-pairs at 1M on this machine, and the share of it the search may take. */
const ISSUE_EXACT_SECONDS = 120;
const MAX_SHARE = 0.3;

export interface ProcessRun {
  readonly wall: number;
  readonly cpu: number;
  readonly peakRssMb: number;
  readonly stderr: string;
  readonly digest: string;
}

export async function benchSearch1m(opts: Search1mOptions): Promise<void> {
  const { out } = opts;
  const n = opts.n ?? 1_000_000;
  const sample = Math.min(opts.sample ?? 2000, n);
  const cli = join(opts.repoRoot, 'dist', 'cli.js');
  const workerDir = join(opts.repoRoot, 'dist');
  if (!existsSync(cli) || !existsSync(join(workerDir, 'exactWorker.js'))) {
    out(`\nsearch-1m: skipped: ${cli} or exactWorker.js is missing (run npm run build first)\n`);
    return;
  }
  const dir = join(tmpdir(), 'media-dedupe-bench-search1m');
  mkdirSync(dir, { recursive: true });
  const jsonl = join(dir, `hashes-${n}.jsonl`);
  const csv = join(dir, `pairs-${n}.csv`);
  let t0 = performance.now();
  const set = plantedFile(n, jsonl);
  out(
    `\nsearch-1m: ${n.toLocaleString('en-US')} random ${BITS}-bit hashes (${set.planted.length / 3} planted near-copies at 0-51 bits, ${set.nearMisses} near misses at 52-70) ` +
      `written in ${((performance.now() - t0) / 1000).toFixed(1)} s; threshold ${THRESHOLD}; ${availableParallelism()} cores; load average ${loadavg()[0].toFixed(2)}\n`,
  );

  const cmd = [process.execPath, cli, 'pairs', jsonl, '--threshold', String(THRESHOLD)];
  const runs: ProcessRun[] = [];
  const exact: { wall: number; cpu: number; truth: Set<number>; rows: Uint32Array }[] = [];
  // Interleaved, so a burst of load from other processes hits both sides alike.
  for (let r = 0; r < opts.rounds; r++) {
    runs.push(await timeProcess(cmd, csv));
    exact.push(await exactSample(set, sample, workerDir));
  }
  out(`  ${runs[0].stderr.trim().split('\n').join('\n  ')}\n`);

  t0 = performance.now();
  const found = readPairs(csv, set);
  const truth = familyPairs(set, RADIUS);
  const planted = recallOf(plantedKeys(set), found.keys);
  const all = recallOf(truth, found.keys);
  const sampled = recallOf(exact[0].truth, restrictTo(found.keys, exact[0].rows));
  const spurious = [...exact[0].truth].filter((k) => !truth.has(k)).length;
  const checkSec = (performance.now() - t0) / 1000;

  const wall = median(runs.map((x) => x.wall));
  const cpu = median(runs.map((x) => x.cpu));
  const rss = Math.max(...runs.map((x) => x.peakRssMb));
  const exactWall = median(exact.map((x) => x.wall));
  const exactCpu = median(exact.map((x) => x.cpu));
  const same = runs.every((x) => x.digest === runs[0].digest);
  out(
    formatTable(
      `media-dedupe pairs, ${n.toLocaleString('en-US')} hashes, as a process (median of ${opts.rounds}; peak RSS the largest); exact all-pairs estimated from ${sample.toLocaleString('en-US')} rows x ${n.toLocaleString('en-US')}`,
      ['what', 'wall s', 'CPU s', 'peak RSS MB', 'pairs', 'planted recall', 'recall, all true pairs', `recall, exact pairs of ${sample} rows`, 'false pairs'],
      [
        ['media-dedupe pairs (auto: approximate)', wall, cpu, rss, found.keys.size, planted.text, all.text, sampled.text, found.falsePairs],
        ['exact all-pairs (estimated, 2 threads)', exactWall, exactCpu, '-', truth.size, '1', '1', '1', 0],
        ['ratio', wall / exactWall, cpu / exactCpu, '', '', '', '', '', ''],
      ],
    ),
  );
  const ratio = wall / exactWall;
  const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');
  out(
    `targets: recall >= 99.5% against exact: ${(all.value * 100).toFixed(3)}% (sample ${(sampled.value * 100).toFixed(2)}%) ${verdict(all.value >= 0.995 && sampled.value >= 0.995)}; ` +
      `no false pairs: ${found.falsePairs} ${verdict(found.falsePairs === 0)}; ` +
      `time <= ${MAX_SHARE}x exact: ${ratio.toFixed(3)}x of ${exactWall.toFixed(0)} s ${verdict(ratio <= MAX_SHARE)} ` +
      `(and ${(wall / ISSUE_EXACT_SECONDS).toFixed(3)}x of the issue's ${ISSUE_EXACT_SECONDS} s); peak RSS <= 1 GB: ${rss} MB ${verdict(rss <= 1024)}\n`,
  );
  out(
    `  output identical in every round: ${same ? 'yes' : 'NO'}; pairs the exact sample found beyond the planted families: ${spurious} (expected 0); ` +
      `checks took ${checkSec.toFixed(1)} s; load average after ${loadavg()[0].toFixed(2)}${loadavg()[0] > availableParallelism() ? ' (above the core count: wall times include waiting for other processes; CPU s hardly move)' : ''}\n`,
  );
  rmSync(csv, { force: true });
  rmSync(jsonl, { force: true });
}

/** Wall, CPU (user + sys) and peak RSS of one process, stdout to a file. */
export async function timeProcess(cmd: string[], stdoutPath: string, env: NodeJS.ProcessEnv = process.env): Promise<ProcessRun> {
  const viaTime = existsSync('/usr/bin/time');
  const fd = openSync(stdoutPath, 'w');
  const t0 = performance.now();
  const child = viaTime
    ? spawn('/usr/bin/time', ['-v', ...cmd], { stdio: ['ignore', fd, 'pipe'], env })
    : spawn(cmd[0], cmd.slice(1), { stdio: ['ignore', fd, 'pipe'], env });
  closeSync(fd);
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  // Without /usr/bin/time: the kernel's own high-water mark and CPU ticks, read until the process ends.
  let hwm = 0;
  let ticks = 0;
  const poll = viaTime ? undefined : setInterval(() => ({ hwm, ticks } = sampleProc(child.pid!, hwm, ticks)), 50);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  const wall = (performance.now() - t0) / 1000;
  if (poll) clearInterval(poll);
  if (code !== 0) throw new Error(`${cmd.join(' ')} failed (${code}): ${stderr}`);
  const digest = createHash('sha256').update(readFileSync(stdoutPath)).digest('hex');
  if (!viaTime) return { wall, cpu: ticks / 100, peakRssMb: Math.round(hwm / 1024), stderr, digest };
  const num = (label: string): number => Number(new RegExp(`${label}: ([\\d.]+)`).exec(stderr)?.[1] ?? NaN);
  const own = stderr
    .split('\n')
    .filter((l) => l.startsWith('media-dedupe'))
    .join('\n');
  return {
    wall,
    cpu: num('User time \\(seconds\\)') + num('System time \\(seconds\\)'),
    peakRssMb: Math.round(num('Maximum resident set size \\(kbytes\\)') / 1024),
    stderr: own,
    digest,
  };
}

function sampleProc(pid: number, hwm: number, ticks: number): { hwm: number; ticks: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return { hwm: Math.max(hwm, kb), ticks: Math.max(ticks, Number(stat[11]) + Number(stat[12])) };
  } catch {
    return { hwm, ticks };
  }
}

/** The exact neighbours of `sample` random rows, with the exact kernel on two threads, timed. */
async function exactSample(set: PlantedFile, sample: number, workerDir: string): Promise<{ wall: number; cpu: number; truth: Set<number>; rows: Uint32Array }> {
  const data = new PackedHashes(set.n, BITS, new Uint8Array(set.words.buffer, set.words.byteOffset, set.words.byteLength));
  const rand = rng(99);
  const rows = Uint32Array.from({ length: sample }, () => Math.floor(rand() * set.n));
  const queries = data.select(rows);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const hashers = [{ hashes: data, queries, threshold: THRESHOLD }];
  const { pairs: r } = await findPairs({ hashers }, { method: 'exact', workers: 2, workerDir, inThreadBelow: 0 });
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(cpu0);
  const truth = new Set<number>();
  for (let q = 0; q < r.count; q++) if (rows[r.i[q]] !== r.j[q]) truth.add(pairKey(rows[r.i[q]], r.j[q]));
  const scale = (set.n - 1) / (2 * sample);
  return { wall: wall * scale, cpu: ((c.user + c.system) / 1e6) * scale, truth, rows };
}

/** The CLI's pairs as row keys, with each printed distance checked against the hashes. */
export function readPairs(path: string, set: PlantedFile): { keys: Set<number>; falsePairs: number } {
  const keys = new Set<number>();
  let falsePairs = 0;
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines[0] !== 'id1,id2,distance') throw new Error(`unexpected CSV header ${JSON.stringify(lines[0])}`);
  for (let q = 1; q < lines.length; q++) {
    if (!lines[q]) continue;
    const [a, b, dist] = lines[q].split(',');
    const i = Number(a.slice(1));
    const j = Number(b.slice(1));
    const d = distanceBits(set.words, i, j);
    // perception's rule, a pair iff bits / length < threshold, and the distance printed must be that ratio.
    if (!(i < j) || !(d / BITS < THRESHOLD) || Number(dist) !== d / BITS || keys.has(pairKey(i, j))) falsePairs++;
    keys.add(pairKey(i, j));
  }
  return { keys, falsePairs };
}

/** A fresh `dir` holding `hashes.jsonl` with n planted hashes, and the pairs truly within `radius` bits (the benches that step through sizes). */
export function freshPlantedFile(dir: string, n: number, radius: number): { jsonl: string; set: PlantedFile; truth: Set<number> } {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const jsonl = join(dir, 'hashes.jsonl');
  const set = plantedFile(n, jsonl);
  return { jsonl, set, truth: familyPairs(set, radius) };
}

export function plantedKeys(set: PlantedFile): Set<number> {
  const s = new Set<number>();
  for (let q = 0; q < set.planted.length; q += 3) s.add(pairKey(set.planted[q], set.planted[q + 1]));
  return s;
}

export function recallOf(truth: Set<number>, found: Set<number>): { value: number; text: string } {
  let hit = 0;
  for (const k of truth) if (found.has(k)) hit++;
  const value = truth.size ? hit / truth.size : 1;
  return { value, text: `${value.toFixed(5)} (${truth.size - hit} of ${truth.size} missed)` };
}

function restrictTo(keys: Set<number>, rows: Uint32Array): Set<number> {
  const want = new Set<number>(rows);
  const s = new Set<number>();
  for (const k of keys) {
    const i = Math.floor(k / 4294967296);
    if (want.has(i) || want.has(k - i * 4294967296)) s.add(k);
  }
  return s;
}

// Alone: npx tsx bench/search1m.ts [--n N] [--rounds R] after npm run build (inside dist/bench.js, bench.ts runs it)
if (runsAlone('search1m')) {
  const arg = (name: string): number | undefined => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : undefined);
  benchSearch1m({
    repoRoot: resolve(__dirname, '..'),
    rounds: arg('--rounds') ?? 3,
    n: arg('--n'),
    sample: arg('--sample'),
    out: (t) => process.stdout.write(t),
  }).catch((e: unknown) => {
    process.stderr.write(`bench search-1m: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
