/**
 * Scan speed: (1) the end-to-end scan rate of bench/images (walk + decode + hash + fingerprint + search +
 * clusters, no cache) beside the decode floor (our decoder alone, 4 in flight, on the same files);
 * (2) a re-scan of 10,000 unchanged files, which must only stat them (target <= 2 s for
 * `media-dedupe scan <dir>` as a whole process, node start to exit), measured on small PNGs generated in a
 * temporary folder: the CLI (dist/cli.js, so build first) timed from outside, beside scanFolder in-process.
 * Runs inside `npm run bench` (section "scan") or alone, after `npm run build`:
 * `npx tsx bench/scan.ts [--bench-dir DIR] [--files N] [--rounds N] [--rescan-only]`.
 */
import { existsSync, mkdtempSync, promises as fsp, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decodeImage } from '../src/core/image/decode.js';
import { commitManifest } from '../src/core/manifest/index.js';
import { scanFolder } from '../src/core/scan/scanFolder.js';
import { mapLimit } from '../src/core/files/pool.js';
import { makePng } from '../src/core/testing/png.js';
import { type BenchContext, runsAlone } from './context.js';
import { formatTable, median } from './table.js';
import { timedProcess } from './timedProcess.js';

/** n small PNGs in 100 folders of 100 (a dataset's usual shape), in a fresh temp folder. */
export async function makeDataset(n: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'media-dedupe-bench-'));
  const perDir = 100;
  for (let d = 0; d * perDir < n; d++) await fsp.mkdir(join(dir, `class${String(d).padStart(3, '0')}`));
  await mapLimit(
    Array.from({ length: n }, (_, i) => i),
    32,
    (i) => fsp.writeFile(join(dir, `class${String(Math.floor(i / perDir)).padStart(3, '0')}`, `img${String(i).padStart(5, '0')}.png`), makePng(i)),
  );
  return dir;
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fsp.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && /\.(jpe?g|png|webp)$/i.test(e.name)) out.push(join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
  }
  return out.sort();
}

async function decodeFloor(files: readonly string[]): Promise<number> {
  const t0 = performance.now();
  await mapLimit(files, 4, (f) => decodeImage(f).catch(() => undefined));
  return files.length / ((performance.now() - t0) / 1000);
}

export interface RescanTiming {
  readonly files: number;
  readonly firstScanSeconds: number;
  readonly rescanSeconds: number[];
  readonly rescanWithManifestSeconds: number[];
  /** Phase times of the fastest plain re-scan. */
  readonly phases: Readonly<Record<string, number>>;
  readonly cpuSeconds: number[];
  /** `node dist/cli.js scan <dir> --json` re-scans timed from outside (start to exit), when dist/cli.js exists. */
  readonly cli?: ProcessTimes;
  /** `node -e 0` timed the same way, for scale: what any node process costs here. */
  readonly bareNode?: ProcessTimes;
}

export interface ProcessTimes {
  readonly wall: number[];
  /** user + sys of the process and its threads; empty when /bin/bash (its `time`) is missing. */
  readonly cpu: number[];
}

/**
 * The CLI re-scan as a user runs it: `node dist/cli.js scan <dir> --json`, node start to exit. One untimed
 * run first (it writes the CLI's manifest and warms the page cache), then `runs` timed ones alternating
 * with a bare `node -e 0`; each scan must be a pure re-scan (all from the cache, manifest unchanged).
 */
function timeCliRescan(cli: string, dir: string, n: number, runs: number): { cli: ProcessTimes; bareNode: ProcessTimes } {
  const scan = [process.execPath, cli, 'scan', dir, '--json'];
  const bare = [process.execPath, '-e', '0'];
  timedProcess(scan);
  const out = { cli: { wall: [] as number[], cpu: [] as number[] }, bareNode: { wall: [] as number[], cpu: [] as number[] } };
  for (let r = 0; r < runs; r++) {
    const t = timedProcess(scan);
    const summary = JSON.parse(t.stdout) as { cached?: number; hashed?: number; manifestChanged?: boolean };
    if (summary.cached !== n || summary.hashed !== 0 || summary.manifestChanged !== false) {
      throw new Error(`the CLI re-scan was not a pure re-scan: ${t.stdout}`);
    }
    out.cli.wall.push(t.wall);
    if (t.cpu !== undefined) out.cli.cpu.push(t.cpu);
    const b = timedProcess(bare);
    out.bareNode.wall.push(b.wall);
    if (b.cpu !== undefined) out.bareNode.cpu.push(b.cpu);
  }
  return out;
}

/**
 * First scan (hashes into the cache), then re-scans of the unchanged folder in this process, alone and
 * with the manifest build + write of the CLI; then, given the built CLI, `cliRuns` whole-process re-scans.
 */
export async function timeRescan(n: number, rounds: number, opts: { cli?: string; cliRuns?: number } = {}): Promise<RescanTiming> {
  const dir = await makeDataset(n);
  try {
    const first = await scanFolder(dir, {});
    if (first.stats.hashed !== n) throw new Error(`expected ${n} files hashed, got ${first.stats.hashed} (${first.skipped.length} skipped)`);
    const rescans: number[] = [];
    const withManifest: number[] = [];
    const cpu: number[] = [];
    let phases: Readonly<Record<string, number>> = {};
    for (let r = 0; r < rounds; r++) {
      let t = performance.now();
      const c0 = process.cpuUsage();
      const again = await scanFolder(dir, {});
      const c1 = process.cpuUsage(c0);
      const s = (performance.now() - t) / 1000;
      if (rescans.every((x) => s < x)) phases = again.stats.phaseSeconds ?? {};
      rescans.push(s);
      cpu.push((c1.user + c1.system) / 1e6);
      if (again.stats.cached !== n) throw new Error(`re-scan hashed ${again.stats.hashed} files; expected all ${n} from the cache`);
      t = performance.now();
      const res = await scanFolder(dir, {});
      await commitManifest(join(dir, 'dedupe-manifest.json'), { scan: res });
      withManifest.push((performance.now() - t) / 1000);
    }
    const processes = opts.cli ? timeCliRescan(opts.cli, dir, n, opts.cliRuns ?? Math.max(rounds, 5)) : {};
    return {
      files: n,
      firstScanSeconds: first.stats.seconds,
      rescanSeconds: rescans,
      rescanWithManifestSeconds: withManifest,
      phases,
      cpuSeconds: cpu,
      ...processes,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchScan(ctx: BenchContext, opts: { files?: number; rescanOnly?: boolean } = {}): Promise<void> {
  if (!opts.rescanOnly) await benchFirstScan(ctx);
  await benchRescan(ctx, opts.files ?? 10_000);
}

async function benchFirstScan(ctx: BenchContext): Promise<void> {
  const images = join(ctx.benchDir, 'images');
  const files = await listFiles(images);
  ctx.out(`\n## scan: end to end on ${images} (${files.length} files) and re-scan of unchanged files\n`);
  const scanRates: number[] = [];
  const floorRates: number[] = [];
  let last: Awaited<ReturnType<typeof scanFolder>> | undefined;
  for (let r = 0; r < ctx.rounds; r++) {
    // Interleaved, so a noisy neighbour slows both alike.
    floorRates.push(await decodeFloor(files));
    const t0 = performance.now();
    last = await scanFolder(images, { useCache: false });
    scanRates.push(last.files.length / ((performance.now() - t0) / 1000));
  }
  ctx.out(
    formatTable(
      `Scan rate, median of ${ctx.rounds} (no cache; 2 shared cores, timings are noisy)`,
      ['what', 'files/s', 'ratio to decode floor'],
      [
        ['decode floor (decodeImage, 4 in flight, nothing else)', Math.round(median(floorRates)), '1.00'],
        [
          'scanFolder: walk + decode + phash16 + sha256 + search + clusters',
          Math.round(median(scanRates)),
          (median(scanRates) / median(floorRates)).toFixed(2),
        ],
      ],
    ),
  );
  if (last) ctx.out(`(last scan: ${last.stats.files} files, ${last.stats.pairs} pairs, ${last.stats.clusters} clusters, ${last.stats.skipped} skipped)\n`);
}

async function benchRescan(ctx: BenchContext, n: number): Promise<void> {
  const cli = join(ctx.repoRoot, 'dist', 'cli.js');
  const haveCli = existsSync(cli);
  const t = await timeRescan(n, ctx.rounds, haveCli ? { cli } : {});
  const ok = (s: number): string => (s <= 2 ? 'yes' : 'NO');
  const row = (what: string, xs: readonly number[], cpu: readonly number[], target: boolean): Array<string | number> => [
    what,
    median(xs),
    Math.min(...xs),
    Math.max(...xs),
    cpu.length ? median(cpu) : '-',
    target ? ok(median(xs)) : '',
  ];
  const rows: Array<Array<string | number>> = [];
  if (t.cli && t.bareNode) {
    rows.push(row(`media-dedupe scan <dir> --json, whole process (node dist/cli.js, start to exit), ${t.cli.wall.length} runs`, t.cli.wall, t.cli.cpu, true));
    rows.push(row('  node -e 0, whole process (start-up alone, for scale)', t.bareNode.wall, t.bareNode.cpu, false));
  }
  rows.push(
    row(
      `scanFolder in-process (walk + stat + cache + search + colour check + index check + clusters), ${t.rescanSeconds.length} runs`,
      t.rescanSeconds,
      t.cpuSeconds,
      true,
    ),
  );
  rows.push(row("scanFolder + commitManifest in-process (the CLI's work without start-up)", t.rescanWithManifestSeconds, [], true));
  ctx.out(
    formatTable(
      `Re-scan of ${n.toLocaleString('en-US')} unchanged files (32x32 PNGs in 100 folders; first scan hashed them in ${t.firstScanSeconds.toFixed(1)} s); CPU = user + sys, all threads`,
      ['what', 'median s', 'min s', 'max s', 'CPU s (median)', 'target <= 2 s met (median)'],
      rows,
    ),
  );
  if (!haveCli) ctx.out(`(${cli} is missing: run npm run build first to time the CLI as a whole process)\n`);
  ctx.out(
    `(fastest in-process re-scan by phase, s: ${Object.entries(t.phases)
      .map(([k, v]) => `${k} ${v.toFixed(3)}`)
      .join(', ')})\n`,
  );
}

// Alone: npx tsx bench/scan.ts (inside dist/bench.js, bench.ts runs it)
if (runsAlone('scan')) {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const benchDir = resolve(arg('--bench-dir') ?? join(process.env.MEDIA_DEDUPE_SHARED ?? join(__dirname, '..', '..', 'shared'), 'bench'));
  const files = arg('--files') ? Number(arg('--files')) : undefined;
  const rescanOnly = process.argv.includes('--rescan-only');
  benchScan(
    { benchDir, repoRoot: resolve(__dirname, '..'), rounds: Number(arg('--rounds') ?? 3), explore: false, out: (t) => process.stdout.write(t) },
    { files, rescanOnly },
  ).catch((e: unknown) => {
    process.stderr.write(`bench scan: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
