/**
 * A re-scan of unchanged files (`npm run bench -- --only rescan`): wall, CPU and peak RSS of
 * `media-dedupe scan <dir> --json` as a whole process (node start to exit), on a hard-linked copy of each
 * set that a first scan filled (cache, manifest, saved result), in two configurations interleaved round by
 * round (the order alternating):
 *   - re-scan: as a person runs it, reusing the last scan's result and manifest write
 *     (src/core/scan/rescanSnapshot.ts, src/core/manifest/commitMemo.ts);
 *   - full path: the same re-scan with the saved result and the commit memo removed first, so it searches,
 *     clusters, decides and serialises again (every file still from the cache): what a re-scan did before.
 * Both must print the same summary (files, pairs, clusters, removals) and leave the manifest's bytes as they
 * were. Then `scanFolder` in this process plus a structured clone of its result, both ways: what the extension's
 * scan worker does (it posts the result to the extension host).
 *
 * Sets: ../shared/bench/images, and the 13,200-file speed set when MEDIA_DEDUPE_BENCH_LARGE names it
 * (bench/data/README.md), as for scan-profile.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { scanFolder } from '../src/core/scan/scanFolder.js';
import { processCpuMs } from '../src/core/profile/phaseProfile.js';
import type { BenchContext } from './context.js';
import { linkTree } from './scanProfile.js';
import { formatTable, median } from './table.js';
import { timedCommand, type CommandTiming } from './timedProcess.js';

/** The issue's target for a re-scan of 10k unchanged files, whole process. */
const TARGET_RESCAN_S = 1;

type Config = 're-scan' | 'full path';

/** What both configurations must agree on. */
const SAME = ['files', 'cached', 'skipped', 'pairs', 'clusters', 'remove', 'removeReviewed', 'removeAuto', 'doubtful', 'conflicts', 'orphaned'] as const;

export async function benchRescan(ctx: BenchContext): Promise<void> {
  const sets = [{ name: 'bench/images', dir: join(ctx.benchDir, 'images') }];
  const large = process.env.MEDIA_DEDUPE_BENCH_LARGE;
  if (large && existsSync(large)) sets.push({ name: basename(large), dir: large });
  const cli = join(ctx.repoRoot, 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
  ctx.out(`\n## rescan: a re-scan of unchanged files, reused against the full path (${cpus().length} cores)\n`);
  if (!large)
    ctx.out('(the 13,200-file speed set is left out: build it with bench/data/make-heldout-bench.sh and set MEDIA_DEDUPE_BENCH_LARGE to its folder)\n');
  for (const set of sets) await benchSet(ctx, cli, set);
}

/** Removes what lets a re-scan reuse the last one: the saved result and the commit memo. */
function forget(copy: string): void {
  const dir = join(copy, '.media-dedupe');
  for (const n of readdirSync(dir)) if (/^(scan|written)-[0-9a-f]{12}\.json$/.test(n)) rmSync(join(dir, n));
}

async function benchSet(ctx: BenchContext, cli: string, set: { name: string; dir: string }): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'media-dedupe-rescan-'));
  try {
    const copy = join(work, 'data');
    linkTree(set.dir, copy);
    const scan = (): CommandTiming => timedCommand([process.execPath, cli, 'scan', copy, '--json']);
    const first = scan();
    const manifest = readFileSync(join(copy, 'dedupe-manifest.json'), 'utf8');
    const runs = new Map<Config, CommandTiming[]>([
      ['re-scan', []],
      ['full path', []],
    ]);
    const summaries = new Map<Config, Record<string, unknown>>();
    const loads: number[] = [];
    for (let r = 0; r < ctx.rounds; r++) {
      const order: Config[] = r % 2 === 0 ? ['re-scan', 'full path'] : ['full path', 're-scan'];
      for (const c of order) {
        if (c === 'full path') forget(copy);
        loads.push(loadavg()[0]);
        const t = scan();
        const s = JSON.parse(t.stdout) as Record<string, unknown>;
        if (s.hashed !== 0 || s.manifestChanged !== false)
          throw new Error(`${c}: not a re-scan of unchanged files (hashed ${String(s.hashed)}, manifest changed ${String(s.manifestChanged)})`);
        const seen = summaries.get(c);
        if (seen && SAME.some((k) => seen[k] !== s[k])) throw new Error(`${c}: a summary differs between rounds`);
        summaries.set(c, s);
        runs.get(c)!.push(t);
      }
    }
    const [a, b] = [summaries.get('re-scan')!, summaries.get('full path')!];
    const differ = SAME.filter((k) => a[k] !== b[k]);
    if (differ.length > 0) throw new Error(`the re-scan and the full path differ in ${differ.join(', ')}`);
    if (readFileSync(join(copy, 'dedupe-manifest.json'), 'utf8') !== manifest) throw new Error('the manifest changed during re-scans of unchanged files');

    const inProcess = await timeInProcess(copy, ctx.rounds);
    report(ctx, set.name, a, first, runs, inProcess, loads);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** scanFolder in this process and a structured clone of its result (the extension's scan worker), reused and full path interleaved: wall and CPU seconds. */
async function timeInProcess(copy: string, rounds: number): Promise<Map<Config, { wall: number[]; cpu: number[] }>> {
  const out = new Map<Config, { wall: number[]; cpu: number[] }>([
    ['re-scan', { wall: [], cpu: [] }],
    ['full path', { wall: [], cpu: [] }],
  ]);
  for (let r = 0; r < rounds; r++) {
    for (const c of (r % 2 === 0 ? ['re-scan', 'full path'] : ['full path', 're-scan']) as Config[]) {
      if (c === 'full path') forget(copy);
      const [t0, c0] = [performance.now(), processCpuMs()];
      const res = await scanFolder(copy);
      // The extension's scan worker posts the result to the extension host: a structured clone, which reads every list.
      structuredClone(res);
      out.get(c)!.wall.push((performance.now() - t0) / 1000);
      out.get(c)!.cpu.push((processCpuMs() - c0) / 1000);
      if (res.stats.hashed !== 0) throw new Error(`in-process ${c} hashed ${res.stats.hashed} files`);
    }
  }
  return out;
}

function report(
  ctx: BenchContext,
  name: string,
  summary: Record<string, unknown>,
  first: CommandTiming,
  runs: Map<Config, CommandTiming[]>,
  inProcess: Map<Config, { wall: number[]; cpu: number[] }>,
  loads: number[],
): void {
  const med = (xs: (number | undefined)[]): number | undefined => {
    const v = xs.filter((x): x is number => x !== undefined);
    return v.length ? median(v) : undefined;
  };
  const fmt = (x: number | undefined, digits = 2): string => (x === undefined ? '-' : x.toFixed(digits));
  const [re, full] = [runs.get('re-scan')!, runs.get('full path')!];
  // Ratios within a round (same load), then their median.
  const ratio = (f: (t: CommandTiming) => number | undefined): string => fmt(med(re.map((t, i) => ((x, y) => (x && y ? y / x : undefined))(f(t), f(full[i])))));
  const rows = (['re-scan', 'full path'] as Config[]).map((c) => {
    const ts = runs.get(c)!;
    const ip = inProcess.get(c)!;
    return [
      c === 're-scan' ? 'media-dedupe scan <dir> --json (re-scan, reusing)' : 'same, saved result and memo removed (full path)',
      fmt(med(ts.map((t) => t.wall))),
      fmt(med(ts.map((t) => t.cpu))),
      fmt(med(ts.map((t) => t.peakRssMb)), 0),
      fmt(median(ip.wall), 3),
      fmt(median(ip.cpu), 3),
    ];
  });
  ctx.out(
    formatTable(
      `${name}: ${String(summary.files)} files (${String(summary.pairs)} pairs, ${String(summary.clusters)} clusters, ${String(summary.remove)} to remove); first scan ${first.wall.toFixed(1)} s; ` +
        `${ctx.rounds} interleaved rounds, load average ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}; medians`,
      ['re-scan of unchanged files', 'wall s', 'CPU s', 'peak RSS MB', 'extension worker: scanFolder + posting, wall s', 'its CPU s'],
      rows,
    ),
  );
  const wall = med(re.map((t) => t.wall))!;
  const [rssRe, rssFull] = [med(re.map((t) => t.peakRssMb)), med(full.map((t) => t.peakRssMb))];
  const yes = (ok: boolean): string => (ok ? 'yes' : 'NO');
  ctx.out(
    `full path / re-scan (per-round medians): wall ${ratio((t) => t.wall)}x, CPU ${ratio((t) => t.cpu)}x, peak RSS ${ratio((t) => t.peakRssMb)}x; ` +
      `targets: re-scan <= ${TARGET_RESCAN_S} s: ${yes(wall <= TARGET_RESCAN_S)} (${wall.toFixed(2)} s); ` +
      `peak RSS not above the full path's: ${rssRe === undefined || rssFull === undefined ? '-' : `${yes(rssRe <= rssFull)} (${rssRe.toFixed(0)} MB vs ${rssFull.toFixed(0)} MB)`}\n`,
  );
}
