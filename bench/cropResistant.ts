/**
 * The crop-resistant scan mode measured (issue 12, item 3): `scanFolder` with and without `cropResistant`
 * on a benchmark folder (no cache, so both hash every file), per transform family recall and precision of
 * each, the pairs the mode adds by how they matched (content box, crop window), and the scan-time ratio.
 * The pairs are the real mode's (the same code as `media-dedupe scan --crop-resistant`).
 *
 *   npm run bench -- --only crop-resistant [--bench-dir DIR]     (DIR: a benchmark with ground_truth.json)
 *   npx tsx bench/cropResistant.ts --bench-dir DIR [--rounds N] [--out FILE.json]
 *     (alone; N interleaved rounds of both scans for the time ratio; FILE gets the crop-resistant scan's pairs, for bench/scorePairs.ts)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanFolder } from '../src/core/scan/scanFolder.js';
import type { Pair, ScanResult } from '../src/core/types.js';
import { runsAlone, type BenchContext } from './context.js';
import { familyOf } from './accuracy.js';
import { cropColorFolds } from './cropColorFolds.js';
import { cropCost } from './cropCost.js';
import { loadGroundTruth, pairKey } from './groundTruth.js';
import { report } from './scorePairs.js';
import { formatTable, pct } from './table.js';

/** The transform families the mode is for (issue 12's targets), as accuracy.ts names them. */
const CROP_FAMILIES = ['border 5-10%', 'border 1-3%', 'crop 5-10%', 'crop 1-3%', 'watermark'];

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * One scan of `dir`, no cache, videos left out (the benchmarks are images), timed: wall time, and the CPU
 * time of the whole process (every thread, decoding included), which other work on a shared machine
 * disturbs far less than the wall time.
 */
async function timedScan(dir: string, cropResistant: boolean): Promise<{ result: ScanResult; seconds: number; cpuSeconds: number }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const result = await scanFolder(dir, { useCache: false, videos: false, ...(cropResistant ? { cropResistant: true } : {}) });
  const c = process.cpuUsage(c0);
  return { result, seconds: (performance.now() - t0) / 1000, cpuSeconds: (c.user + c.system) / 1e6 };
}

export interface CropRun {
  readonly plain: readonly Pair[];
  readonly crop: readonly Pair[];
  readonly plainSeconds: number[];
  readonly cropSeconds: number[];
  readonly plainCpu: number[];
  readonly cropCpu: number[];
}

/** `rounds` interleaved pairs of scans (plain, then crop-resistant); the pairs of the last. */
export async function cropResistantRun(dir: string, rounds: number, log: (t: string) => void): Promise<CropRun> {
  const plainSeconds: number[] = [];
  const cropSeconds: number[] = [];
  const plainCpu: number[] = [];
  const cropCpu: number[] = [];
  let plain: readonly Pair[] = [];
  let crop: readonly Pair[] = [];
  for (let r = 0; r < rounds; r++) {
    const p = await timedScan(dir, false);
    const c = await timedScan(dir, true);
    plainSeconds.push(p.seconds);
    cropSeconds.push(c.seconds);
    plainCpu.push(p.cpuSeconds);
    cropCpu.push(c.cpuSeconds);
    plain = p.result.pairs;
    crop = c.result.pairs;
    log(
      `  round ${r + 1}: plain scan ${p.seconds.toFixed(1)} s (CPU ${p.cpuSeconds.toFixed(1)} s), crop-resistant scan ${c.seconds.toFixed(1)} s (CPU ${c.cpuSeconds.toFixed(1)} s) (${p.result.stats.files} files)\n`,
    );
  }
  return { plain, crop, plainSeconds, cropSeconds, plainCpu, cropCpu };
}

/** Checks the mode's one promise about plain pairs (every one kept, unmarked) and describes what it added. */
export function describeRun(run: CropRun): string {
  const key = (p: Pair): string => `${p.a}\n${p.b}`;
  const crop = new Map(run.crop.map((p) => [key(p), p]));
  const lost = run.plain.filter((p) => crop.get(key(p))?.via !== undefined || !crop.has(key(p)));
  if (lost.length > 0) throw new Error(`crop-resistant scan lost or re-marked ${lost.length} plain pairs (first ${key(lost[0])})`);
  const by = { 'content-box': 0, 'crop-window': 0 };
  for (const p of run.crop) if (p.via === 'content-box' || p.via === 'crop-window') by[p.via]++;
  const ratio = median(run.cropSeconds) / median(run.plainSeconds);
  return (
    `  ${run.crop.length} pairs: ${run.plain.length} of the plain scan (all kept), ${by['content-box']} added by content box, ${by['crop-window']} by crop window\n` +
    `  scan time: plain ${median(run.plainSeconds).toFixed(1)} s, crop-resistant ${median(run.cropSeconds).toFixed(1)} s (median of ${run.plainSeconds.length}): ${ratio.toFixed(2)}x\n` +
    `  CPU time (all threads): plain ${median(run.plainCpu).toFixed(1)} s, crop-resistant ${median(run.cropCpu).toFixed(1)} s: ${(median(run.cropCpu) / median(run.plainCpu)).toFixed(2)}x\n`
  );
}

/**
 * Per source family (families.json), each a fold nothing was tuned on for the crop families' recall: the
 * recall of each crop family on that family's originals, and the pairs the mode added that touch it (true,
 * false). The last row is the worst fold of each column. Empty when the benchmark has no families.json.
 */
export function bySourceFamily(dir: string, run: CropRun): string {
  const famPath = join(dir, 'families.json');
  if (!existsSync(famPath)) return '';
  const fam = (JSON.parse(readFileSync(famPath, 'utf8')) as { files: Record<string, string> }).files;
  const { gt } = loadGroundTruth(dir);
  const found = new Set(run.crop.map((p) => pairKey(p.a, p.b)));
  const positives = new Set(gt.duplicate_pairs.map((p) => pairKey(p.a, p.b)));
  const names = [...new Set(Object.values(fam))].sort();
  const recall = new Map<string, { pairs: number; found: number }>();
  for (const p of gt.duplicate_pairs) {
    const f = familyOf(p);
    if (!CROP_FAMILIES.includes(f)) continue;
    const r = recall.get(`${fam[p.a]}\n${f}`) ?? { pairs: 0, found: 0 };
    r.pairs++;
    if (found.has(pairKey(p.a, p.b))) r.found++;
    recall.set(`${fam[p.a]}\n${f}`, r);
  }
  const added = new Map<string, { true: number; false: number }>();
  for (const p of run.crop) {
    if (p.via !== 'content-box' && p.via !== 'crop-window') continue;
    for (const f of new Set([fam[p.a], fam[p.b]])) {
      const c = added.get(f) ?? { true: 0, false: 0 };
      c[positives.has(pairKey(p.a, p.b)) ? 'true' : 'false']++;
      added.set(f, c);
    }
  }
  const share = (r: { pairs: number; found: number } | undefined): number => (r && r.pairs > 0 ? r.found / r.pairs : NaN);
  const rows = names.map((n) => {
    const a = added.get(n) ?? { true: 0, false: 0 };
    return { n, recalls: CROP_FAMILIES.map((f) => share(recall.get(`${n}\n${f}`))), a, precision: a.true + a.false > 0 ? a.true / (a.true + a.false) : NaN };
  });
  const worst = (xs: number[]): number => Math.min(...xs.filter((x) => !Number.isNaN(x)));
  return formatTable(
    'scan --crop-resistant per source family (each a fold nobody tuned the crop families on): recall of original vs variant, and the pairs it adds touching the family',
    ['source family', ...CROP_FAMILIES, 'added true', 'added false', 'added precision'],
    [
      ...rows.map((r) => [
        r.n,
        ...CROP_FAMILIES.map((f, i) => {
          const c = recall.get(`${r.n}\n${f}`);
          return c ? `${pct(r.recalls[i])} (${c.found}/${c.pairs})` : '-';
        }),
        r.a.true,
        r.a.false,
        pct(r.precision),
      ]),
      ['worst fold', ...CROP_FAMILIES.map((_, i) => pct(worst(rows.map((r) => r.recalls[i])))), '', '', pct(worst(rows.map((r) => r.precision)))],
    ],
  );
}

export async function benchCropResistant(ctx: Pick<BenchContext, 'benchDir' | 'out'>): Promise<void> {
  const dir = existsSync(join(ctx.benchDir, 'ground_truth.json')) ? ctx.benchDir : join(ctx.benchDir, 'images');
  ctx.out(
    `\ncrop-resistant: scan vs scan --crop-resistant (phash16 @ 0.2; content box + 9 windows, content boxes at 0.875 and windows at 0.75 of the threshold), on ${dir}\n`,
  );
  const run = await cropResistantRun(dir, 1, ctx.out);
  ctx.out(describeRun(run));
  ctx.out(bySourceFamily(dir, run));
  ctx.out(await cropColorFolds(dir, ctx.out));
  ctx.out(await cropCost(dir));
  ctx.out(
    report(dir, [
      { label: 'scan (parity)', pairs: [...run.plain] },
      { label: 'scan --crop-resistant', pairs: [...run.crop] },
    ]),
  );
}

if (runsAlone('cropResistant')) {
  const arg = (name: string): string | undefined => {
    const at = process.argv.indexOf(name);
    return at > 0 ? process.argv[at + 1] : undefined;
  };
  const dir = arg('--bench-dir') ?? join(__dirname, '..', '..', 'shared', 'bench', 'images');
  void (async () => {
    const run = await cropResistantRun(dir, Number(arg('--rounds') ?? 1), (t) => process.stderr.write(t));
    process.stdout.write(describeRun(run));
    process.stdout.write(bySourceFamily(dir, run));
    process.stdout.write(await cropColorFolds(dir, (t) => process.stderr.write(t)));
    process.stdout.write(await cropCost(dir));
    const out = arg('--out');
    if (out) writeFileSync(out, JSON.stringify({ root: dir, pairs: run.crop }));
    process.stdout.write(
      report(dir, [
        { label: 'scan (parity)', pairs: [...run.plain] },
        { label: 'scan --crop-resistant', pairs: [...run.crop] },
      ]),
    );
  })();
}
