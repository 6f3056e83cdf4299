/**
 * A first scan beside hashing alone (`npm run bench -- --only scan-profile`): on the same files in the same
 * run, as whole processes (node start to exit) a user would run them:
 *   - `media-dedupe hash --json <files>`: the hashing a scan cannot do without;
 *   - `media-dedupe scan <dir> --no-cache`: a first scan that writes nothing into the folder;
 *   - `media-dedupe scan <dir>`: a first scan as a person runs it, writing its cache (in a linked copy of
 *     the folder, emptied of .media-dedupe before every round), then a re-scan of the unchanged copy;
 *   - perception's `tools.deduplicate` (PHash 16 @ 0.2) through bench/peers/perception_dedup.py, when
 *     PERCEPTION_SRC (and PERCEPTION_META) name its checkout (bench/peers/README.md).
 * Configurations are interleaved round by round (the order rotating), so a busy neighbour slows them alike;
 * ratios are taken within each round and their median reported. Then the per-phase profile of the
 * `scan --no-cache --profile` runs (medians), so a regression shows where it is.
 *
 * Sets: ../shared/bench/images, and the 13,200-file speed set (bench/data/README.md) when
 * MEDIA_DEDUPE_BENCH_LARGE names it (e.g. /data/bench-large).
 */
import { existsSync, linkSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { ProfileReport } from '../src/core/profile/report.js';
import type { BenchContext } from './context.js';
import { listBenchImages } from './hashing.js';
import { formatTable, median } from './table.js';
import { timedCommand, type CommandTiming } from './timedProcess.js';

/** The targets of the first-scan issue. */
const TARGET_HASH_RATIO = 0.85;
const TARGET_PERCEPTION_RATIO = 2;
const TARGET_RESCAN_S = 1;

interface Run {
  readonly timing: CommandTiming;
  /** perception: its `deduplicate` call alone (no interpreter start, imports or listing). */
  readonly inProcess?: number;
  readonly profile?: ProfileReport;
}

type Config = 'hash' | 'scan --no-cache' | 'scan (first, cache)' | 're-scan' | 'perception';

export async function benchScanProfile(ctx: BenchContext): Promise<void> {
  const sets: { name: string; dir: string; files: string[] }[] = [
    { name: 'bench/images', dir: join(ctx.benchDir, 'images'), files: listBenchImages(ctx.benchDir) },
  ];
  const large = process.env.MEDIA_DEDUPE_BENCH_LARGE;
  if (large && existsSync(large)) sets.push({ name: basename(large), dir: large, files: listImages(large) });
  const cli = join(ctx.repoRoot, 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
  ctx.out(`\n## scan-profile: a first scan beside \`hash --json\` and perception's deduplicate, whole processes (${cpus().length} cores)\n`);
  if (!large)
    ctx.out('(the 13,200-file speed set is left out: build it with bench/data/make-heldout-bench.sh and set MEDIA_DEDUPE_BENCH_LARGE to its folder)\n');
  const peer = perceptionCommand(ctx.repoRoot);
  if (!peer) ctx.out('(perception is left out: set PERCEPTION_SRC and PERCEPTION_META as bench/peers/README.md says)\n');
  for (const set of sets) await benchSet(ctx, cli, set, peer);
}

async function benchSet(ctx: BenchContext, cli: string, set: { name: string; dir: string; files: string[] }, peer: string[] | undefined): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'media-dedupe-scan-profile-'));
  try {
    const copy = join(work, 'data');
    linkTree(set.dir, copy);
    const node = process.execPath;
    const commands: Record<Config, () => Run> = {
      hash: () => ({ timing: timedCommand([node, cli, 'hash', '--json', ...set.files]) }),
      'scan --no-cache': () => {
        // A first scan every round: no manifest from the round before to read and merge.
        rmSync(join(work, 'no-cache.json'), { force: true });
        return scanRun([node, cli, 'scan', set.dir, '--no-cache', '--json', '--profile', '--manifest', join(work, 'no-cache.json')]);
      },
      'scan (first, cache)': () => {
        rmSync(join(copy, '.media-dedupe'), { recursive: true, force: true });
        rmSync(join(copy, 'dedupe-manifest.json'), { force: true });
        return scanRun([node, cli, 'scan', copy, '--json', '--profile']);
      },
      're-scan': () => scanRun([node, cli, 'scan', copy, '--json', '--profile']),
      perception: () => {
        const t = timedCommand([...peer!, set.dir]);
        const out = JSON.parse(t.stdout) as { skipped?: string; timings?: { dedup_s?: number } };
        if (out.skipped) throw new Error(`perception: ${out.skipped}`);
        return { timing: t, inProcess: out.timings?.dedup_s };
      },
    };
    const order: Config[] = ['hash', 'scan --no-cache', 'scan (first, cache)', 're-scan', ...(peer ? (['perception'] as const) : [])];
    const runs = new Map<Config, Run[]>(order.map((c) => [c, []]));
    const loads: number[] = [];
    for (let r = 0; r < ctx.rounds; r++) {
      // Rotate which configuration goes first; the re-scan always follows the first scan it re-scans.
      const rotated: Config[] = [...order.slice(r % order.length), ...order.slice(0, r % order.length)].filter((c) => c !== 're-scan');
      rotated.splice(rotated.indexOf('scan (first, cache)') + 1, 0, 're-scan');
      for (const c of rotated) {
        loads.push(loadavg()[0]);
        const run = commands[c]();
        if (c === 're-scan' && run.profile && run.profile.hashed !== 0) throw new Error(`the re-scan hashed ${run.profile.hashed} files`);
        runs.get(c)!.push(run);
      }
    }
    report(ctx, set, runs, loads);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function scanRun(cmd: string[]): Run {
  const timing = timedCommand(cmd);
  const summary = JSON.parse(timing.stdout) as { profile?: ProfileReport };
  return { timing, profile: summary.profile };
}

function report(ctx: BenchContext, set: { name: string; files: string[] }, runs: Map<Config, Run[]>, loads: number[]): void {
  const n = set.files.length;
  const hash = runs.get('hash')!;
  const perception = runs.get('perception');
  const fmtRange = (xs: number[]): string => `${median(xs).toFixed(2)} (${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)})`;
  /** Median over rounds of the ratio of throughputs (same files, same round): above 1, `x` is faster than `base`. */
  const ratio = (base: (r: number) => number | undefined, x: Run[]): number | undefined => {
    const rs = x.map((run, r) => base(r)! / run.timing.wall).filter((v) => Number.isFinite(v));
    return rs.length ? median(rs) : undefined;
  };
  const rows = [...runs].map(([config, rs]) => {
    const walls = rs.map((r) => r.timing.wall);
    const cpu = rs.map((r) => r.timing.cpu).filter((v): v is number => v !== undefined);
    const rss = rs.map((r) => r.timing.peakRssMb).filter((v): v is number => v !== undefined);
    const vsHash = config === 'hash' || config === 're-scan' ? undefined : ratio((r) => hash[r]?.timing.wall, rs);
    const vsPerception = perception && config !== 'perception' && config !== 're-scan' ? ratio((r) => perception[r]?.inProcess, rs) : undefined;
    return [
      config === 'perception' ? 'perception deduplicate (whole process; its deduplicate call alone below)' : `media-dedupe ${config}`,
      fmtRange(walls),
      cpu.length ? median(cpu).toFixed(2) : '-',
      rss.length ? Math.round(median(rss)) : '-',
      config === 're-scan' ? '-' : Math.round(n / median(walls)),
      vsHash !== undefined ? vsHash.toFixed(2) : '',
      vsPerception !== undefined ? `${vsPerception.toFixed(2)}x` : '',
    ];
  });
  if (perception?.every((r) => r.inProcess !== undefined)) {
    const inner = perception.map((r) => r.inProcess!);
    rows.push(['  perception: tools.deduplicate alone (in its process)', fmtRange(inner), '-', '-', Math.round(n / median(inner)), '', '1.00x']);
  }
  ctx.out(
    formatTable(
      `${set.name}: ${n.toLocaleString('en-US')} files, ${ctx.rounds} interleaved rounds, load average ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}; ` +
        `wall s as median (min-max); ratios are medians of per-round ratios of throughput`,
      ['process', 'wall s', 'CPU s', 'peak RSS MB', 'files/s', 'of hash --json', 'vs perception deduplicate'],
      rows,
    ),
  );
  const first = ratio((r) => hash[r]?.timing.wall, runs.get('scan (first, cache)')!);
  const noCache = ratio((r) => hash[r]?.timing.wall, runs.get('scan --no-cache')!);
  const vsPeer = perception ? ratio((r) => perception[r]?.inProcess, runs.get('scan (first, cache)')!) : undefined;
  const rescan = median(runs.get('re-scan')!.map((r) => r.timing.wall));
  const yes = (ok: boolean): string => (ok ? 'yes' : 'NO');
  ctx.out(
    `targets: first scan >= ${TARGET_HASH_RATIO} of hash --json: ${yes((first ?? 0) >= TARGET_HASH_RATIO)} (${first?.toFixed(2)}; --no-cache ${noCache?.toFixed(2)})` +
      (vsPeer !== undefined ? `; >= ${TARGET_PERCEPTION_RATIO}x perception: ${yes(vsPeer >= TARGET_PERCEPTION_RATIO)} (${vsPeer.toFixed(2)}x)` : '') +
      `; re-scan <= ${TARGET_RESCAN_S} s: ${yes(rescan <= TARGET_RESCAN_S)} (${rescan.toFixed(2)} s)\n`,
  );
  phaseTable(ctx, set.name, runs.get('scan --no-cache')!);
}

/** Median time of every phase over the runs' profiles. */
function phaseTable(ctx: BenchContext, name: string, runs: Run[]): void {
  const profiles = runs.map((r) => r.profile).filter((p): p is ProfileReport => p !== undefined);
  if (profiles.length === 0) return;
  const keys = [...new Set(profiles.flatMap((p) => p.phases.map((x) => `${x.phase}\u0000${x.thread}`)))];
  const wall = median(profiles.map((p) => p.wallMs));
  const rows = keys.map((k) => {
    const [phase, thread] = k.split('\u0000');
    const ms = median(profiles.map((p) => p.phases.find((x) => x.phase === phase && x.thread === thread)?.ms ?? 0));
    const us = profiles.map((p) => p.phases.find((x) => x.phase === phase && x.thread === thread)?.usPerFile).filter((v): v is number => v !== undefined);
    const cpu = profiles.map((p) => p.phases.find((x) => x.phase === phase && x.thread === thread)?.cpuMs).filter((v): v is number => v !== undefined);
    return [
      phase,
      thread,
      Math.round(ms),
      us.length ? Math.round(median(us)) : '-',
      cpu.length ? Math.round(median(cpu)) : '-',
      thread === 'main' ? `${((100 * ms) / wall).toFixed(1)} %` : 'overlaps',
    ];
  });
  const cpu = median(profiles.map((p) => p.cpu.processMs));
  const mains = profiles.map((p) => p.cpu.mainMs).filter((v): v is number => v !== undefined);
  rows.push(['(whole process)', 'all', Math.round(wall), '-', Math.round(cpu), mains.length ? `main thread CPU ${Math.round(median(mains))} ms` : '']);
  ctx.out(
    formatTable(
      `${name}: where a first scan's time goes (scan --no-cache --profile, medians of ${profiles.length})`,
      ['phase', 'thread', 'ms', 'us per file', 'CPU ms', 'of wall'],
      rows,
    ),
  );
}

/** The perception wrapper as a command, or undefined when its checkout is not configured. */
function perceptionCommand(repoRoot: string): string[] | undefined {
  if (!process.env.PERCEPTION_SRC) return undefined;
  return ['/usr/bin/python3', join(repoRoot, 'bench', 'peers', 'perception_dedup.py')];
}

/** JPEG, PNG and WebP files under dir (the speed set holds nothing else), sorted. */
export function listImages(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile() && /\.(jpe?g|png|webp)$/i.test(e.name)) out.push(join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
  return out.sort();
}

/** A copy of the folder's tree made of hard links (copies where linking fails), so a scan may write its cache into it. */
export function linkTree(src: string, dst: string): void {
  mkdirSync(dst, { recursive: true });
  for (const e of readdirSync(src, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const from = join(src, e.name);
    const to = join(dst, e.name);
    if (e.isDirectory()) linkTree(from, to);
    else if (e.isFile()) {
      try {
        linkSync(from, to);
      } catch {
        copyFileSync(from, to);
      }
    }
  }
}
