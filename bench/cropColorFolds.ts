/**
 * The colour check of `--crop-resistant`'s added pairs (colorcheck/cropColors.ts) chosen and measured
 * leave-one-source-family-out (issue 12): every file of a benchmark hashed once with its crop views and
 * view colours, the crop strategy run with a check that only records each added pair's colour distance
 * (so every pair the views find is seen), then for each source family F the cut fitted on the pairs that
 * do not touch F (the smallest cut that loses at most FIT_LOSS of their true pairs) and scored on the
 * pairs that do: true pairs lost, false pairs removed, precision of the added pairs before and after.
 * The shipped cut (CROP_COLOR_MEAN) is scored the same way, without fitting.
 *
 *   part of `npm run bench -- --only crop-resistant [--bench-dir DIR]`
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CROP_COLOR_MEAN, cropColorDistance } from '../src/core/colorcheck/cropColors.js';
import { hashFiles } from '../src/core/hashing/hashFiles.js';
import { findTablePairs, type HashTable } from '../src/core/pairs/tablePairs.js';
import { loadGroundTruth, pairKey } from './groundTruth.js';
import { FIT_LOSS, publicFamily } from './holdout.js';
import { formatTable, pct } from './table.js';

const CUTS = Array.from({ length: 73 }, (_, k) => 4 + k / 2); // 4 ... 40 levels

interface Added {
  readonly families: ReadonlySet<string>;
  readonly positive: boolean;
  readonly distance: number;
}

/** Every pair the crop strategy adds on `dir` (phash16 @ 0.2), with its matched views' colour distance. */
async function addedPairs(dir: string, log: (t: string) => void): Promise<Added[]> {
  const { gt } = loadGroundTruth(dir);
  const files = Object.keys(gt.files).sort();
  const famPath = join(dir, 'families.json');
  const fam = existsSync(famPath)
    ? (JSON.parse(readFileSync(famPath, 'utf8')) as { files: Record<string, string> }).files
    : Object.fromEntries(files.map((f) => [f, publicFamily(gt.files[f] as { role?: string; source?: string; group?: string })]));
  const t0 = performance.now();
  const outcomes = await hashFiles(
    files.map((f) => join(dir, f)),
    [{ name: 'phash', hashSize: 16 }],
    { cropResistant: true },
  );
  const ok = outcomes.flatMap((o, i) => (o.ok ? [{ path: files[i], o }] : []));
  log(`  hashed ${ok.length} files with their crop views in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  const k = Object.keys(ok[0].o.hashes)[0];
  const table: HashTable = {
    key: k,
    label: 'phash16',
    threshold: 0.2,
    dtype: 'bool',
    metric: 'hamming',
    length: 256,
    hashes: ok.map((x) => x.o.hashes[k]),
    crops: ok.map((x) => x.o.crops?.[k]),
  };
  const colors = new Map(ok.map((x) => [x.path, x.o.cropColors]));
  const distance = new Map<string, number>();
  const found = await findTablePairs({
    paths: ok.map((x) => x.path),
    tables: [table],
    isometric: false,
    cropResistant: true,
    approximateAbove: Infinity,
    cropCheck: (a, b, va, vb) => {
      distance.set(pairKey(a, b), cropColorDistance(colors.get(a), colors.get(b), va, vb) ?? 0);
      return true;
    },
  });
  const positives = new Set(gt.duplicate_pairs.map((p) => pairKey(p.a, p.b)));
  return found.pairs
    .filter((p) => p.via !== undefined)
    .map((p) => ({ families: new Set([fam[p.a], fam[p.b]]), positive: positives.has(pairKey(p.a, p.b)), distance: distance.get(pairKey(p.a, p.b)) ?? 0 }));
}

/** The smallest cut that keeps all but FIT_LOSS of the true pairs (it removes the most false ones). */
function fit(pairs: readonly Added[]): number {
  const positives = pairs.filter((p) => p.positive);
  return CUTS.find((c) => positives.filter((p) => p.distance > c).length <= FIT_LOSS * positives.length) ?? CUTS[CUTS.length - 1];
}

export async function cropColorFolds(dir: string, log: (t: string) => void): Promise<string> {
  const added = await addedPairs(dir, log);
  const families = [...new Set(added.flatMap((p) => [...p.families]))].sort();
  const scoreAt = (pairs: readonly Added[], cut: number) => {
    const truePairs = pairs.filter((p) => p.positive).length;
    const lost = pairs.filter((p) => p.positive && p.distance > cut).length;
    const falsePairs = pairs.length - truePairs;
    const removed = pairs.filter((p) => !p.positive && p.distance > cut).length;
    return { truePairs, lost, falsePairs, removed, before: truePairs / pairs.length, after: (truePairs - lost) / (pairs.length - lost - removed) };
  };
  const rows = families.map((f) => {
    const cut = fit(added.filter((p) => !p.families.has(f)));
    return {
      f,
      cut,
      s: scoreAt(
        added.filter((p) => p.families.has(f)),
        cut,
      ),
    };
  });
  const all = scoreAt(added, CROP_COLOR_MEAN);
  const worst = (xs: number[]): number => Math.min(...xs.filter((x) => !Number.isNaN(x)));
  return formatTable(
    `Colour check of the added pairs (matched views, mean distance), leave-one-source-family-out: the cut fitted on the other families (at most ${FIT_LOSS * 100} % of their true pairs lost), scored on the pairs touching the family; the shipped cut is ${CROP_COLOR_MEAN}`,
    ['source family', 'fitted cut', 'true lost', 'false removed', 'added precision before', 'after'],
    [
      ...rows.map((r) => [r.f, r.cut, `${r.s.lost} of ${r.s.truePairs}`, `${r.s.removed} of ${r.s.falsePairs}`, pct(r.s.before), pct(r.s.after)]),
      ['worst fold', '', '', '', pct(worst(rows.map((r) => r.s.before))), pct(worst(rows.map((r) => r.s.after)))],
      [
        `all, at ${CROP_COLOR_MEAN}`,
        CROP_COLOR_MEAN,
        `${all.lost} of ${all.truePairs}`,
        `${all.removed} of ${all.falsePairs}`,
        pct(all.before),
        pct(all.after),
      ],
    ],
  );
}
