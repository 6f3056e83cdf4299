/**
 * Leave-one-source-family-out evaluation of the colour check (issue 12): does a check chosen on some
 * kinds of images keep every mild duplicate of a kind it never saw?
 *
 * For a benchmark folder (make_bench.py's ground_truth.json, and families.json where there is one; the
 * public set's families are its source packages, see publicFamily), every file is hashed once (phash16,
 * its 8 dihedral variants, the colour signature); the candidate pairs are perception's (phash16 < 0.2,
 * plain and isometric), and each pair's colour distances are computed with the check under test. Then
 * for each source family F: the thresholds are fitted on the pairs among files of every OTHER family
 * (the largest-removal thresholds that keep at most FIT_LOSS of each training family's mild pairs) and
 * scored on the pairs among F's files: mild pairs lost (against parity, i.e. no check), false pairs
 * removed, precision. The worst fold is what the default is judged by. The shipped thresholds are
 * scored the same way (no fitting), beside the near-flat path's additions.
 *
 *   npm run bench -- --only holdout --bench-dir /data/bench-heldout      (held-out benchmark)
 *   npm run bench -- --only holdout                                      (the public benchmark)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { colorDistance } from '../src/core/colorcheck/colorDistance.js';
import { findFlatPairs } from '../src/core/colorcheck/flatPairs.js';
import { COLOR_LOCAL_THRESHOLD, COLOR_MEAN_THRESHOLD } from '../src/core/colorcheck/verifyPairs.js';
import { COLOR_GRID, decodeColorSignature } from '../src/core/hashers/colorSignature.js';
import { transformGrid } from '../src/core/hashers/isometric.js';
import type { IsometricKey } from '../src/core/hashers/types.js';
import { hashFiles, type HashSuccess } from '../src/core/hashing/hashFiles.js';
import { findTablePairs, type HashTable } from '../src/core/pairs/tablePairs.js';
import type { Pair } from '../src/core/types.js';
import { familyOf, MILD, type GroundTruth } from './accuracy.js';
import { loadGroundTruth, pairKey } from './groundTruth.js';
import { cachedForBench, runsAlone, type BenchContext } from './context.js';
import { formatTable, pct } from './table.js';

/** A fitted check may lose at most this share of each TRAINING family's mild pairs (the target on the held-out one is 1 %). */
export const FIT_LOSS = 0.0025;

interface Hashed {
  readonly path: string;
  readonly width: number;
  readonly height: number;
  readonly phash: string;
  readonly iso: Record<IsometricKey, string>;
  readonly color: string;
}

/** Every file of the benchmark hashed once; kept in the temp folder, keyed by the folder and its ground truth. */
async function hashBench(dir: string, files: readonly string[], out: (t: string) => void): Promise<Hashed[]> {
  return cachedForBench('holdout', dir, async () => {
    const t0 = performance.now();
    const spec = { name: 'phash', hashSize: 16 } as const;
    const outcomes = await hashFiles(
      files.map((f) => join(dir, f)),
      [spec],
      { isometric: true, colorSignature: true },
    );
    const hashed: Hashed[] = [];
    for (const [i, o] of outcomes.entries()) {
      if (!o.ok) throw new Error(`${files[i]}: ${o.error.code}`);
      const s = o as HashSuccess;
      const k = Object.keys(s.hashes)[0];
      hashed.push({
        path: files[i],
        width: s.width,
        height: s.height,
        phash: s.hashes[k]!,
        iso: s.isometric![k] as Record<IsometricKey, string>,
        color: s.color!,
      });
    }
    out(`  hashed ${hashed.length} files in ${((performance.now() - t0) / 1000).toFixed(1)} s (kept in the temp folder)\n`);
    return hashed;
  });
}

/** The public benchmark has no families.json: its families are its source packages, hard-negative and natural groups by their theme. */
export function publicFamily(info: { role?: string; source?: string; group?: string }): string {
  const s = `${info.source ?? ''} ${info.group ?? ''}`;
  const table: [RegExp, string][] = [
    [/emoji/, 'emoji'],
    [/gcompris/, 'gcompris'],
    [/lomiri|mate|gnome|wallpaper|debian_logo/, 'wallpapers'],
    [/jxl|skimage|libjxl/, 'photos'],
  ];
  return table.find(([re]) => re.test(s))?.[1] ?? 'other';
}

interface Candidate {
  readonly a: string;
  readonly b: string;
  readonly transform?: string;
  readonly positive: boolean;
  /** the pair's transform family when it is original vs variant (familyOf), else undefined */
  readonly mild: string | undefined;
  readonly recolor: boolean;
  readonly family: string | undefined; // both files' family, undefined across families
  mean: number;
  local: number;
}

export interface HoldoutData {
  readonly gt: GroundTruth;
  readonly families: Map<string, string>;
  readonly hashed: Hashed[];
  readonly plain: Candidate[];
  readonly isometric: Candidate[];
  readonly flat: Pair[];
}

/** A benchmark's ground truth (same-picture groups applied), its files in path order and each file's source family (families.json, else publicFamily). */
export function loadFamilies(dir: string): { gt: GroundTruth; files: string[]; families: Map<string, string> } {
  const gt = loadGroundTruth(dir).gt as GroundTruth & { files: Record<string, { role?: string; source?: string; group?: string }> };
  const files = Object.keys(gt.files).sort();
  const famFile = join(dir, 'families.json');
  const families = new Map<string, string>(
    existsSync(famFile)
      ? Object.entries((JSON.parse(readFileSync(famFile, 'utf8')) as { files: Record<string, string> }).files)
      : files.map((f) => [f, publicFamily(gt.files[f])]),
  );
  return { gt, files, families };
}

export async function loadHoldout(dir: string, out: (t: string) => void): Promise<HoldoutData> {
  const { gt, files, families } = loadFamilies(dir);
  const hashed = await hashBench(dir, files, out);
  const paths = hashed.map((h) => h.path);
  const sig = new Map(hashed.map((h) => [h.path, decodeColorSignature(h.color)!]));
  const table = (iso: boolean): HashTable => ({
    key: 'phash16',
    label: 'phash16',
    threshold: 0.2,
    dtype: 'bool',
    metric: 'hamming',
    length: 256,
    hashes: hashed.map((h) => h.phash),
    ...(iso ? { isometric: hashed.map((h) => h.iso) } : {}),
  });
  const positives = new Map(gt.duplicate_pairs.map((p) => [pairKey(p.a, p.b), p]));
  const recolor = new Set(gt.hard_negative_pairs.filter((p) => p.subtype === 'recolor_variant').map((p) => pairKey(p.a, p.b)));
  const candidates = (pairs: Pair[]): Candidate[] =>
    pairs.map((p) => {
      const pos = positives.get(pairKey(p.a, p.b));
      const fam = MILD.has(pos ? familyOf(pos) : '') ? familyOf(pos!) : undefined;
      const fa = families.get(p.a);
      return {
        a: p.a,
        b: p.b,
        transform: p.transform,
        positive: !!pos,
        mild: fam,
        recolor: recolor.has(pairKey(p.a, p.b)),
        family: fa === families.get(p.b) ? fa : undefined,
        mean: 0,
        local: 0,
      };
    });
  const plainPairs = (await findTablePairs({ paths, tables: [table(false)], isometric: false, approximateAbove: Infinity })).pairs;
  const isoPairs = (await findTablePairs({ paths, tables: [table(true)], isometric: true, approximateAbove: Infinity })).pairs;
  const size = new Map(hashed.map((h) => [h.path, h]));
  const flat = findFlatPairs({
    paths,
    tables: [table(false)],
    isometric: false,
    found: plainPairs,
    signatureOf: (p) => sig.get(p),
    sizeOf: (p) => size.get(p),
  }).pairs;
  const data: HoldoutData = { gt, families, hashed, plain: candidates(plainPairs), isometric: candidates(isoPairs), flat };
  measure(data, sig);
  return data;
}

/** The check's two distances for every candidate (the colour check's own code, transform included). */
function measure(data: HoldoutData, sig: Map<string, Uint8Array>): void {
  for (const c of [...data.plain, ...data.isometric]) {
    let b = sig.get(c.b)!;
    if (c.transform && c.transform !== 'r0') b = transformGrid({ data: b, width: COLOR_GRID, height: COLOR_GRID }, 3, c.transform as IsometricKey).data;
    const d = colorDistance(sig.get(c.a)!, b);
    c.mean = d.mean;
    c.local = d.local;
  }
}

interface Thresholds {
  readonly mean: number;
  readonly local: number;
}
const kept = (c: Candidate, t: Thresholds): boolean => c.mean <= t.mean && c.local <= t.local;

interface FoldScore {
  readonly mildPairs: number;
  readonly mildLost: number;
  /** worst share lost over the mild transform families with pairs in this set */
  readonly worstMild: { family: string; lost: number; pairs: number };
  readonly falseParity: number;
  readonly falseKept: number;
  readonly truePairs: number;
  readonly recolorParity: number;
  readonly recolorKept: number;
}

function score(cands: readonly Candidate[], t: Thresholds): FoldScore {
  const byMild = new Map<string, { lost: number; pairs: number }>();
  let mildPairs = 0;
  let mildLost = 0;
  let falseParity = 0;
  let falseKept = 0;
  let truePairs = 0;
  let recolorParity = 0;
  let recolorKept = 0;
  for (const c of cands) {
    const k = kept(c, t);
    if (c.positive && k) truePairs++;
    if (!c.positive) {
      falseParity++;
      if (k) falseKept++;
    }
    if (c.recolor) {
      recolorParity++;
      if (k) recolorKept++;
    }
    if (c.mild) {
      const m = byMild.get(c.mild) ?? { lost: 0, pairs: 0 };
      m.pairs++;
      mildPairs++;
      if (!k) {
        m.lost++;
        mildLost++;
      }
      byMild.set(c.mild, m);
    }
  }
  let worstMild = { family: '-', lost: 0, pairs: 0 };
  for (const [family, m] of byMild) if (m.lost / m.pairs > worstMild.lost / Math.max(1, worstMild.pairs)) worstMild = { family, ...m };
  return { mildPairs, mildLost, worstMild, falseParity, falseKept, truePairs, recolorParity, recolorKept };
}

/**
 * The thresholds that remove the most false training pairs while no training family loses more than
 * FIT_LOSS of its mild pairs: candidates are the mild pairs' own distances (each threshold just keeps one
 * more of them), the local threshold searched for each mean threshold.
 */
export function fitThresholds(train: readonly Candidate[]): Thresholds {
  const mild = train.filter((c) => c.mild);
  const fams = [...new Set(mild.map((c) => c.family ?? '?'))];
  const allowed = new Map(fams.map((f) => [f, Math.floor(FIT_LOSS * mild.filter((c) => (c.family ?? '?') === f).length)]));
  const feasible = (t: Thresholds): boolean => {
    const lost = new Map<string, number>();
    for (const c of mild) if (!kept(c, t)) lost.set(c.family ?? '?', (lost.get(c.family ?? '?') ?? 0) + 1);
    return [...lost].every(([f, n]) => n <= allowed.get(f)!);
  };
  const means = [...new Set(mild.map((c) => c.mean))].sort((x, y) => x - y);
  const locals = [...new Set(mild.map((c) => c.local))].sort((x, y) => x - y);
  const negatives = train.filter((c) => !c.positive);
  let best: Thresholds = { mean: Infinity, local: Infinity };
  let bestFalse = Infinity;
  // Coarse steps over the sorted candidates keep the search to a few thousand evaluations.
  const step = (n: number): number => Math.max(1, Math.floor(n / 120));
  for (let i = means.length - 1; i >= 0; i -= step(means.length)) {
    // the smallest local threshold that is still feasible with this mean threshold (feasibility is monotone in it)
    let lo = 0;
    let hi = locals.length - 1;
    if (!feasible({ mean: means[i], local: locals[hi] })) break;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (feasible({ mean: means[i], local: locals[mid] })) hi = mid;
      else lo = mid + 1;
    }
    const t = { mean: means[i], local: locals[lo] };
    const f = negatives.filter((c) => kept(c, t)).length;
    if (f < bestFalse) {
      bestFalse = f;
      best = t;
    }
  }
  return best;
}

export async function benchHoldout(ctx: Pick<BenchContext, 'benchDir' | 'out'>): Promise<void> {
  const dir = existsSync(join(ctx.benchDir, 'ground_truth.json')) ? ctx.benchDir : join(ctx.benchDir, 'images');
  ctx.out(`\nholdout: leave-one-source-family-out evaluation of the colour check on ${dir}\n`);
  const data = await loadHoldout(dir, ctx.out);
  const shipped = { mean: COLOR_MEAN_THRESHOLD, local: COLOR_LOCAL_THRESHOLD };
  for (const [label, cands] of [
    ['phash16 @ 0.2', data.plain],
    ['phash16 @ 0.2, isometric', data.isometric],
  ] as const) {
    const fams = [...new Set(cands.map((c) => c.family).filter((f): f is string => !!f))].sort();
    const rows: (string | number)[][] = [];
    let worstFitted = 0;
    let worstShipped = 0;
    for (const f of fams) {
      const test = cands.filter((c) => c.family === f);
      const fitted = fitThresholds(cands.filter((c) => c.family !== undefined && c.family !== f));
      const s = score(test, fitted);
      const z = score(test, shipped);
      const share = (x: FoldScore): number => x.worstMild.lost / Math.max(1, x.worstMild.pairs);
      worstFitted = Math.max(worstFitted, share(s));
      worstShipped = Math.max(worstShipped, share(z));
      const mildCell = (x: FoldScore): string => (x.mildLost ? `${x.mildLost} (worst ${x.worstMild.family} ${x.worstMild.lost}/${x.worstMild.pairs})` : '0');
      rows.push([
        f,
        `${fitted.mean.toFixed(1)} / ${fitted.local.toFixed(1)}`,
        s.mildPairs,
        mildCell(s),
        `${s.falseParity - s.falseKept} of ${s.falseParity}`,
        `${s.recolorParity - s.recolorKept} of ${s.recolorParity}`,
        pct(s.truePairs / Math.max(1, s.truePairs + s.falseKept)),
        mildCell(z),
        `${z.falseParity - z.falseKept}`,
        pct(z.truePairs / Math.max(1, z.truePairs + z.falseKept)),
      ]);
    }
    ctx.out(
      formatTable(
        `${label}: each source family held out (thresholds fitted on the others: mean / local), pairs among its files; shipped = ${shipped.mean} / ${shipped.local}`,
        [
          'held-out family',
          'fitted',
          'mild pairs',
          'mild lost (fitted)',
          'false removed',
          'recolour removed',
          'precision (fitted)',
          'mild lost (shipped)',
          'false removed (shipped)',
          'precision (shipped)',
        ],
        rows,
      ),
    );
    ctx.out(`worst fold, share of one mild transform family lost: fitted ${pct(worstFitted)}, shipped ${pct(worstShipped)} (target <= 1.00%)\n`);
  }
  const pos = new Set(data.gt.duplicate_pairs.map((p) => pairKey(p.a, p.b)));
  const flatTrue = data.flat.filter((p) => pos.has(pairKey(p.a, p.b))).length;
  ctx.out(`near-flat path: ${data.flat.length} pairs added, ${flatTrue} true, ${data.flat.length - flatTrue} false\n`);
}

if (runsAlone('holdout')) {
  const at = process.argv.indexOf('--bench-dir');
  void benchHoldout({ benchDir: at > 0 ? process.argv[at + 1] : join(__dirname, '..', '..', 'shared', 'bench'), out: (t) => process.stdout.write(t) });
}
