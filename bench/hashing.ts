/**
 * Hashing throughput: phash16 over the benchmark images beside the "decode floor" (sharp decoding the
 * same files at full resolution to raw RGB, at its best in-flight count) measured in the same run. The
 * machine is shared and noisy, so configurations are interleaved round by round and the median of the
 * rounds is reported; the ratio is what to compare between runs, not the absolute numbers.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { hashFiles } from '../src/core/hashing/hashFiles.js';
import type { HashFilesOptions } from '../src/core/hashing/types.js';
import { DEFAULT_MAX_PIXELS } from '../src/core/image/decode.js';
import { readFileBytes } from '../src/core/image/readFile.js';
import type { BenchContext } from './context.js';
import { formatTable, median } from './table.js';

const PHASH16 = [{ name: 'phash', hashSize: 16 }] as const;

export function listBenchImages(benchDir: string): string[] {
  const root = join(benchDir, 'images');
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(jpe?g|png|webp)$/i.test(e.name)) out.push(p);
    }
  };
  walk(root);
  return out.sort();
}

/** The floor: read + parity decode to raw RGB, nothing else, N in flight, next decode started on completion. */
function decodeFloor(files: readonly string[], inFlight: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let next = 0;
    let active = 0;
    const t0 = performance.now();
    const start = (): void => {
      while (active < inFlight && next < files.length) {
        const f = files[next++];
        active++;
        const { data } = readFileBytes(f);
        sharp(data, { ignoreIcc: true, limitInputPixels: DEFAULT_MAX_PIXELS, failOn: 'error' })
          .rotate()
          .removeAlpha()
          .toColourspace('srgb')
          .raw()
          .toBuffer()
          .then(() => {
            active--;
            start();
            if (active === 0 && next >= files.length) resolve(files.length / ((performance.now() - t0) / 1000));
          }, reject);
      }
    };
    start();
  });
}

async function pipelineRate(files: readonly string[], opts: HashFilesOptions): Promise<{ rate: number; ok: number }> {
  const t0 = performance.now();
  const out = await hashFiles(files, PHASH16, opts);
  const rate = files.length / ((performance.now() - t0) / 1000);
  return { rate, ok: out.filter((o) => o.ok).length };
}

/** The CLI as a user runs it: a fresh process (startup, module loading, JSON output) over every file. */
function cliRate(cliPath: string, files: readonly string[]): Promise<{ rate: number; lines: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [cliPath, 'hash', '--json', '--hash-size', '16', ...files], { stdio: ['ignore', 'pipe', 'inherit'] });
    let lines = 0;
    child.stdout.on('data', (b: Buffer) => {
      for (let i = 0; i < b.length; i++) if (b[i] === 10) lines++;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`cli exited with ${code}`));
      else resolve({ rate: files.length / ((performance.now() - t0) / 1000), lines });
    });
  });
}

interface Config {
  readonly label: string;
  readonly run: () => Promise<number>;
}

interface Sample {
  readonly rate: number; // images/s, wall clock
  readonly cpu: number; // process CPU ms per image (every thread)
  readonly mainCpu: number; // main-thread CPU ms per image (Linux), NaN elsewhere
}

/** CPU of this thread from /proc (Linux; 10 ms ticks, fine over a ~1 s run): what the main thread itself spends. */
function mainThreadCpuMs(): number {
  try {
    const s = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return NaN;
  }
}

/**
 * Wall-clock rates swing with whatever else runs on the machine; CPU per image does much less, so both
 * are reported. The CPU ratio (floor CPU / pipeline CPU) is the throughput ratio an otherwise idle
 * machine with every core busy would see.
 */
async function sample(files: readonly string[], run: () => Promise<number>): Promise<Sample> {
  const m0 = mainThreadCpuMs();
  const c0 = process.cpuUsage();
  const rate = await run();
  const c = process.cpuUsage(c0);
  return { rate, cpu: (c.user + c.system) / 1000 / files.length, mainCpu: (mainThreadCpuMs() - m0) / files.length };
}

export async function benchHashing(ctx: BenchContext): Promise<void> {
  const files = listBenchImages(ctx.benchDir);
  const rounds = ctx.rounds;
  ctx.out(`\n## Hashing throughput: phash16 over ${files.length} images (${ctx.benchDir}/images), ${rounds} interleaved rounds, median\n`);
  const cli = join(ctx.repoRoot, 'dist', 'cli.js');
  const workerPath = join(ctx.repoRoot, 'dist', 'hashWorker.js');

  const floorNs = ctx.explore ? [2, 3, 4, 6, 8] : [2, 4, 6];
  const mainNs = ctx.explore ? [3, 4, 6] : [4, 6];
  const workerCfgs: Array<[number, number]> = ctx.explore ? [[2, 2], [2, 3], [3, 2], [4, 1], [4, 2]] : [[2, 2]];

  const floors: Config[] = floorNs.map((n) => ({ label: `decode floor, ${n} in flight`, run: () => decodeFloor(files, n) }));
  const mains: Config[] = mainNs.map((n) => ({ label: `hashFiles main thread, ${n} in flight${n === 4 ? ' (default)' : ''}`, run: async () => (await pipelineRate(files, { concurrency: n })).rate }));
  const workers: Config[] = existsSync(workerPath)
    ? workerCfgs.map(([w, n]) => ({ label: `hashFiles ${w} worker threads x ${n} in flight`, run: async () => (await pipelineRate(files, { pipeline: 'workers', workers: w, concurrency: n, workerPath })).rate }))
    : [];
  const fast: Config[] = [{ label: 'hashFiles main thread, fast decode (shrink-on-load)', run: async () => (await pipelineRate(files, { decode: { mode: 'fast' } })).rate }];
  const configs = [...floors, ...mains, ...workers, ...fast];

  // Warm the page cache and V8 before timing anything.
  const check = await pipelineRate(files, {});
  await decodeFloor(files, 4);
  if (check.ok !== files.length) ctx.out(`note: ${files.length - check.ok} of ${files.length} files failed to hash\n`);

  const samples = new Map<string, Sample[]>(configs.map((c) => [c.label, []]));
  for (let r = 0; r < rounds; r++) {
    for (const c of configs) samples.get(c.label)!.push(await sample(files, c.run));
  }
  const cliSamples: number[] = [];
  if (existsSync(cli)) for (let r = 0; r < Math.min(rounds, 3); r++) cliSamples.push((await cliRate(cli, files)).rate);

  const med = (label: string, f: (s: Sample) => number = (s) => s.rate): number => median(samples.get(label)!.map(f));
  const floorBest = Math.max(...floors.map((c) => med(c.label)));
  const floorLabel = floors.find((c) => med(c.label) === floorBest)!.label;
  const floorCpu = Math.min(...floors.map((c) => med(c.label, (s) => s.cpu)));
  const rows: Array<Array<string | number>> = configs.map((c) => {
    const rates = samples.get(c.label)!.map((s) => s.rate);
    const cpu = med(c.label, (s) => s.cpu);
    const mainCpu = med(c.label, (s) => s.mainCpu);
    return [c.label, med(c.label), Math.min(...rates), Math.max(...rates), med(c.label) / floorBest, cpu, Number.isNaN(mainCpu) ? '-' : mainCpu, floorCpu / cpu];
  });
  if (cliSamples.length) rows.push(['media-dedupe hash --json (whole process)', median(cliSamples), Math.min(...cliSamples), Math.max(...cliSamples), median(cliSamples) / floorBest, '-', '-', '-']);
  ctx.out(
    formatTable(`phash16 images/s; ratio = median / best decode floor (${floorLabel}); CPU = ms per image, all threads / main thread; CPU ratio = floor CPU / CPU`, ['configuration', 'img/s', 'min', 'max', 'ratio', 'CPU ms', 'main ms', 'CPU ratio'], rows),
  );

  const defaultLabel = mains.find((c) => c.label.includes('(default)'))!.label;
  const defaultMain = med(defaultLabel);
  const bestWorkers = workers.length ? Math.max(...workers.map((c) => med(c.label))) : NaN;
  ctx.out(
    `phash16 default pipeline: ${Math.round(defaultMain)} img/s = ${(defaultMain / floorBest).toFixed(2)} of the decode floor (${Math.round(floorBest)} img/s); ` +
      `by CPU ${(floorCpu / med(defaultLabel, (s) => s.cpu)).toFixed(2)}; target >= 0.80.\n` +
      (workers.length ? `worker threads (best): ${Math.round(bestWorkers)} img/s, ${((bestWorkers / defaultMain - 1) * 100).toFixed(0)}% vs main thread.\n` : 'worker threads: dist/hashWorker.js not built, skipped.\n') +
      `perception 0.9.2 on this machine kind (design notes): ~980 img/s sequential, ~1,090 img/s parallel on these images.\n`,
  );
}
