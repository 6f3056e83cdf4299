/**
 * Scores pair lists against a benchmark's ground_truth.json with accuracy.ts's scoring (scorePairs,
 * familyOf): recall per transform family and precision (every pair not in duplicate_pairs is false),
 * side by side for several runs, then the same per SOURCE family when the benchmark has families.json
 * (file -> family, as bench/data/heldout_sources.py writes it), so a check that hurts one kind of image
 * shows up. Runs of our CLI and of the peers can be mixed:
 *
 *   npx tsx bench/scorePairs.ts --bench DIR [--json OUT] [--match-precision REF:LABEL,...] [--original-labels] LABEL=FILE ...
 *
 * FILE is a dedupe-manifest.json (`media-dedupe scan --manifest FILE`; paths relative to the manifest),
 * a peer wrapper's JSON (bench/peers/*.py; paths relative to its `root`) or a `--pairs-csv` file (paths
 * relative to DIR). `--match-precision REF:LABEL,...` lowers the distance threshold of the LABEL runs
 * (imagededup run with a generous threshold: their pairs carry distances) to the largest one whose
 * precision is still >= REF's precision, and scores them at that threshold (their rows say which).
 * The ground truth is groundTruth.ts's (same_pictures.json applied when DIR has one); `--original-labels`
 * scores against the builder's labels as they are.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { Pair } from '../src/core/types.js';
import { type GroundTruth, type Score, familyOf, MILD, scorePairs } from './accuracy.js';
import { runsAlone } from './context.js';
import { loadGroundTruth } from './groundTruth.js';
import { formatTable } from './table.js';

interface ScoredPair {
  readonly a: string;
  readonly b: string;
  readonly distance?: number;
}

export interface Run {
  readonly label: string;
  readonly pairs: ScoredPair[];
  /** set when --match-precision chose a threshold for this run */
  threshold?: number;
}

interface Families {
  readonly files: Record<string, string>;
}

const key = (a: string, b: string): string => (a < b ? `${a}\n${b}` : `${b}\n${a}`);
const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

/** Pairs of one run, with paths relative to the benchmark folder. */
export function readPairs(file: string, benchDir: string): ScoredPair[] {
  const text = readFileSync(file, 'utf8');
  const rel = (base: string, p: string): string => relative(benchDir, isAbsolute(p) ? p : resolve(base, p));
  if (file.endsWith('.csv')) {
    return text
      .split('\n')
      .slice(1)
      .filter((l) => l.trim())
      .map((l) => {
        const [a, b, d] = l.split(',');
        return { a: rel(benchDir, a), b: rel(benchDir, b), distance: Number(d) };
      });
  }
  const j = JSON.parse(text) as { generator?: unknown; root?: string; skipped?: string; pairs?: ScoredPair[] };
  if (typeof j.skipped === 'string') throw new Error(`${file}: the run was skipped (${j.skipped})`);
  if (!Array.isArray(j.pairs)) throw new Error(`${file}: no pairs array (not a manifest, peer JSON or pairs CSV)`);
  // a manifest stores paths relative to itself; a peer's JSON relative to the folder it scanned
  const base = j.generator !== undefined ? dirname(resolve(file)) : resolve(j.root ?? benchDir);
  return j.pairs.map((p) => ({ a: rel(base, p.a), b: rel(base, p.b), distance: p.distance }));
}

/** Largest distance threshold (pairs with distance <= t kept) whose precision is >= target. */
export function thresholdForPrecision(gt: GroundTruth, pairs: readonly ScoredPair[], target: number): number | undefined {
  const positives = new Set(gt.duplicate_pairs.map((p) => key(p.a, p.b)));
  const byDist = [...pairs].filter((p) => p.distance !== undefined).sort((x, y) => x.distance! - y.distance!);
  let tp = 0;
  let best: number | undefined;
  for (let i = 0; i < byDist.length; i++) {
    if (positives.has(key(byDist[i].a, byDist[i].b))) tp++;
    const last = i === byDist.length - 1 || byDist[i + 1].distance !== byDist[i].distance;
    if (last && tp / (i + 1) >= target) best = byDist[i].distance;
  }
  return best;
}

export function scoreRun(gt: GroundTruth, run: Run): Score {
  const kept = run.threshold === undefined ? run.pairs : run.pairs.filter((p) => p.distance! <= run.threshold!);
  return scorePairs(gt, kept as Pair[]);
}

interface FamilyScore {
  positives: number;
  found: number;
  mildPositives: number;
  mildFound: number;
  falsePairs: number;
  /** pairs found with both files in the family: the family's leave-one-out fold */
  foldTrue: number;
  foldFalse: number;
}

/** Recall and false pairs per source family: a positive counts for its files' family, a false pair for each family it touches. */
export function bySourceFamily(gt: GroundTruth, fam: Families, run: Run): Record<string, FamilyScore> {
  const kept = run.threshold === undefined ? run.pairs : run.pairs.filter((p) => p.distance! <= run.threshold!);
  const predicted = new Set(kept.map((p) => key(p.a, p.b)));
  const positives = new Set(gt.duplicate_pairs.map((p) => key(p.a, p.b)));
  const out: Record<string, FamilyScore> = {};
  const get = (f: string | undefined): FamilyScore =>
    (out[f ?? '?'] ??= { positives: 0, found: 0, mildPositives: 0, mildFound: 0, falsePairs: 0, foldTrue: 0, foldFalse: 0 });
  for (const p of gt.duplicate_pairs) {
    const s = get(fam.files[p.a]);
    const hit = predicted.has(key(p.a, p.b));
    s.positives++;
    if (hit) s.found++;
    if (MILD.has(familyOf(p))) {
      s.mildPositives++;
      if (hit) s.mildFound++;
    }
  }
  for (const k of predicted) {
    const [a, b] = k.split('\n');
    const truePair = positives.has(k);
    if (fam.files[a] === fam.files[b]) get(fam.files[a])[truePair ? 'foldTrue' : 'foldFalse']++;
    if (truePair) continue;
    for (const f of new Set([fam.files[a], fam.files[b]])) get(f).falsePairs++;
  }
  return out;
}

export function report(benchDir: string, runs: Run[], match?: string, jsonOut?: string, originalLabels = false): string {
  const { gt, relabelled } = loadGroundTruth(benchDir, originalLabels);
  const famPath = resolve(benchDir, 'families.json');
  const fam = existsSync(famPath) ? (JSON.parse(readFileSync(famPath, 'utf8')) as Families) : undefined;
  if (match) {
    const [refLabel, targets = ''] = match.split(':');
    const find = (l: string): Run => {
      const r = runs.find((x) => x.label === l);
      if (!r) throw new Error(`--match-precision ${match}: no run labelled ${l}`);
      return r;
    };
    const target = scoreRun(gt, find(refLabel)).precision;
    for (const l of targets.split(',').filter(Boolean)) {
      const r = find(l);
      if (r.pairs.some((p) => p.distance === undefined)) throw new Error(`--match-precision: run ${l} has pairs without a distance`);
      r.threshold = thresholdForPrecision(gt, r.pairs, target);
    }
  }
  const scores = runs.map((r) => scoreRun(gt, r));
  const name = (r: Run): string => (r.threshold === undefined ? r.label : `${r.label} (distance <= ${r.threshold})`);
  let text = `\n## ${benchDir}: ${Object.keys(gt.files).length} files, ${gt.duplicate_pairs.length} duplicate pairs, every other pair a negative\n`;
  if (relabelled)
    text += `(${relabelled} of them between originals that are the same picture, from same_pictures.json; --original-labels for the builder's labels)\n`;
  text += formatTable(
    'Pairs found vs ground truth',
    ['run', 'pairs', 'true', 'false', 'precision', 'recall'],
    runs.map((r, i) => [name(r), scores[i].found, scores[i].truePairs, scores[i].falsePairs, pct(scores[i].precision), pct(scores[i].recall)]),
  );
  const families = [...new Set(gt.duplicate_pairs.map(familyOf))];
  text += formatTable(
    'Recall per transform family (original vs variant; natural groups; variant vs variant), found of pairs',
    ['family', 'pairs', ...runs.map(name)],
    families.map((f) => [
      f,
      scores[0].recallByFamily[f].pairs,
      ...scores.map((s) => `${pct(s.recallByFamily[f].found / s.recallByFamily[f].pairs)} (${s.recallByFamily[f].found})`),
    ]),
  );
  const subtypes = [...new Set(scores.flatMap((s) => Object.keys(s.falseBySubtype)))].sort();
  const negatives = new Map<string, number>();
  for (const p of gt.hard_negative_pairs) negatives.set(p.subtype ?? 'hard negative', (negatives.get(p.subtype ?? 'hard negative') ?? 0) + 1);
  text += formatTable(
    'False pairs by kind of negative ("other" = any pair not listed as a hard negative)',
    ['negative pairs', 'in the benchmark', ...runs.map(name)],
    subtypes.map((t) => [t, negatives.get(t) ?? '-', ...scores.map((s) => s.falseBySubtype[t] ?? 0)]),
  );
  const bySource = fam ? runs.map((r) => bySourceFamily(gt, fam, r)) : [];
  if (fam) {
    const names = Object.keys(bySource[0]).sort();
    text += formatTable(
      'Per source family: recall of all its positives, recall of its mild families (exact, resize, JPEG, blur, brightness/contrast, PNG, WebP, crop 1-3%), false pairs touching it, precision of its fold (pairs with both files in it)',
      ['source family', 'positives', ...runs.flatMap((r) => [`recall ${name(r)}`, 'mild', 'false', 'fold precision'])],
      names.map((n) => [
        n,
        bySource[0][n].positives,
        ...bySource.flatMap((b) => {
          const s = b[n] ?? { positives: 0, found: 0, mildPositives: 0, mildFound: 0, falsePairs: 0, foldTrue: 0, foldFalse: 0 };
          return [
            s.positives ? pct(s.found / s.positives) : '-',
            s.mildPositives ? `${pct(s.mildFound / s.mildPositives)} (${s.mildPositives - s.mildFound} missed)` : '-',
            s.falsePairs,
            s.foldTrue + s.foldFalse ? pct(s.foldTrue / (s.foldTrue + s.foldFalse)) : '-',
          ];
        }),
      ]),
    );
  }
  if (jsonOut) {
    writeFileSync(
      jsonOut,
      JSON.stringify(
        { bench: benchDir, runs: runs.map((r, i) => ({ label: r.label, threshold: r.threshold, score: scores[i], bySourceFamily: bySource[i] })) },
        null,
        1,
      ),
    );
  }
  return text;
}

if (runsAlone('scorePairs')) {
  const args = process.argv.slice(2);
  const opt = (n: string): string | undefined => {
    const i = args.indexOf(n);
    return i >= 0 ? args.splice(i, 2)[1] : undefined;
  };
  const bench = opt('--bench');
  const jsonOut = opt('--json');
  const match = opt('--match-precision');
  const flag = args.indexOf('--original-labels');
  const originalLabels = flag >= 0 && args.splice(flag, 1).length > 0;
  if (!bench || args.length === 0) {
    process.stderr.write('usage: npx tsx bench/scorePairs.ts --bench DIR [--json OUT] [--match-precision REF:LABEL,...] [--original-labels] LABEL=FILE ...\n');
    process.exit(2);
  }
  try {
    const benchDir = resolve(bench);
    const runs = args.map((a) => {
      const i = a.indexOf('=');
      const [label, file] = i > 0 ? [a.slice(0, i), a.slice(i + 1)] : [a, a];
      return { label, pairs: readPairs(file, benchDir) };
    });
    process.stdout.write(report(benchDir, runs, match, jsonOut, originalLabels));
  } catch (e) {
    process.stderr.write(`scorePairs: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
