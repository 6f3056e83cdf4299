/**
 * Accuracy of `media-dedupe scan` on the public benchmark (bench/images, ground_truth.json): precision
 * and recall overall and per transform family, and the false positives among the hard negatives by
 * subtype, with the defaults (phash 16 @ 0.2, colour check on), in perception-parity mode (colour check
 * off) and both again with --isometric; then the golden check against perception's own `deduplicate`
 * runs (reference/perception/dedup), in parity mode, and whether the colour check changes those pairs.
 * Runs inside `npm run bench` (section "accuracy") or alone: `npx tsx bench/accuracy.ts [--bench-dir DIR]`.
 * Scans use no cache: the shared folders are read-only inputs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { scanFolder } from '../src/core/scan/scanFolder.js';
import type { Pair, ScanOptions } from '../src/core/types.js';
import { GOLDEN, goldenDedup, pairKey } from '../src/core/testing/goldenDedup.js';
import { type BenchContext, runsAlone } from './context.js';
import { formatTable, pct } from './table.js';

export interface GroundTruth {
  duplicate_pairs: { a: string; b: string; kind: string; transform_a?: string; transform_b?: string; isometric?: boolean }[];
  hard_negative_pairs: { a: string; b: string; subtype?: string }[];
  files: Record<string, { cluster?: string; group?: string; role?: string }>;
}

const FAMILY_OF: Record<string, string> = {
  exact_copy: 'exact copy',
  'resize_0.5': 'resize',
  'resize_0.25': 'resize',
  jpeg_q: 'JPEG',
  blur: 'blur',
  bright_contrast: 'brightness/contrast',
  to_png: 'PNG',
  to_webp: 'WebP',
  hflip: 'flips/rotations',
  rot90: 'flips/rotations',
  rot180: 'flips/rotations',
  crop_2pct: 'crop 1-3%',
  crop: 'crop 5-10%',
  pad_thin: 'border 1-3%',
  pad_border: 'border 5-10%',
  watermark: 'watermark',
  combo_reshare: 'reshare (crop+downscale+JPEG)',
};

/** Families with a recall target (the rest are reported as they are). */
const TARGET: Record<string, string> = {
  'exact copy': '>= 99%',
  resize: '>= 99%',
  JPEG: '>= 99%',
  blur: '>= 99%',
  'brightness/contrast': '>= 99%',
  PNG: '>= 99%',
  WebP: '>= 99%',
  'flips/rotations': '>= 99% with --isometric',
};

const FAMILY_ORDER = [...new Set(Object.values(FAMILY_OF)), 'natural duplicates', 'variant vs variant'];

/** The family a positive pair tests: the transform against the original (or its exact copy); natural groups; or two variants of one original. */
/** Transform families where a pHash is expected to hold (issue 12's "mild" families). */
export const MILD = new Set(['exact copy', 'resize', 'JPEG', 'blur', 'brightness/contrast', 'PNG', 'WebP', 'crop 1-3%']);

export function familyOf(p: GroundTruth['duplicate_pairs'][number]): string {
  if (p.kind === 'natural') return 'natural duplicates';
  if (p.kind === 'same picture') return 'same picture (re-labelled)';
  const base = new Set(['original', 'exact_copy']);
  const ta = p.transform_a ?? '';
  const tb = p.transform_b ?? '';
  if (base.has(ta) && base.has(tb)) return 'exact copy';
  if (base.has(ta)) return FAMILY_OF[tb] ?? tb;
  if (base.has(tb)) return FAMILY_OF[ta] ?? ta;
  return 'variant vs variant';
}

export interface Score {
  readonly found: number;
  readonly truePairs: number;
  readonly falsePairs: number;
  readonly precision: number;
  readonly recall: number;
  readonly falseBySubtype: Record<string, number>;
  readonly recallByFamily: Record<string, { pairs: number; found: number; missedSources: string[] }>;
}

export function scorePairs(gt: GroundTruth, pairs: readonly Pair[]): Score {
  const predicted = new Set(pairs.map((p) => pairKey(p.a, p.b)));
  const positives = new Map(gt.duplicate_pairs.map((p) => [pairKey(p.a, p.b), p]));
  const hardNeg = new Map(gt.hard_negative_pairs.map((p) => [pairKey(p.a, p.b), p.subtype ?? 'hard negative']));
  let tp = 0;
  const falseBySubtype: Record<string, number> = {};
  for (const k of predicted) {
    if (positives.has(k)) tp++;
    else {
      const sub = hardNeg.get(k) ?? 'other (not a listed hard negative)';
      falseBySubtype[sub] = (falseBySubtype[sub] ?? 0) + 1;
    }
  }
  const recallByFamily: Record<string, { pairs: number; found: number; missedSources: string[] }> = {};
  for (const [k, p] of positives) {
    const f = familyOf(p);
    const r = (recallByFamily[f] ??= { pairs: 0, found: 0, missedSources: [] });
    r.pairs++;
    if (predicted.has(k)) r.found++;
    else {
      const src = gt.files[p.a]?.cluster ?? gt.files[p.a]?.group ?? '?';
      if (!r.missedSources.includes(src)) r.missedSources.push(src);
    }
  }
  return {
    found: predicted.size,
    truePairs: tp,
    falsePairs: predicted.size - tp,
    precision: predicted.size ? tp / predicted.size : 1,
    recall: positives.size ? tp / positives.size : 1,
    falseBySubtype,
    recallByFamily,
  };
}

export async function benchAccuracy(ctx: BenchContext): Promise<void> {
  const images = join(ctx.benchDir, 'images');
  const gt = JSON.parse(readFileSync(join(images, 'ground_truth.json'), 'utf8')) as GroundTruth;
  const runs: { name: string; opts: Partial<ScanOptions> }[] = [
    { name: 'defaults = parity (--parity)', opts: {} },
    { name: '--color-check', opts: { colorCheck: true } },
    { name: '--isometric', opts: { isometric: true } },
    { name: '--isometric --color-check', opts: { isometric: true, colorCheck: true } },
  ];
  const scores: Score[] = [];
  const dropped: (number | undefined)[] = [];
  const flat: Pair[][] = [];
  for (const r of runs) {
    const result = await scanFolder(images, { ...r.opts, useCache: false });
    if (result.skipped.length)
      ctx.out(
        `  (${r.name}: ${result.skipped.length} files skipped: ${result.skipped
          .slice(0, 3)
          .map((s) => `${s.path} ${s.code}`)
          .join(', ')})\n`,
      );
    scores.push(scorePairs(gt, result.pairs));
    dropped.push(result.stats.colorRejected);
    flat.push(result.pairs.filter((p) => p.via === 'flat'));
  }
  const positives = new Map(gt.duplicate_pairs.map((p) => [pairKey(p.a, p.b), p]));
  const flatCell = (i: number): string => {
    if (runs[i].opts.colorCheck !== true) return '(off)';
    const t = flat[i].filter((p) => positives.has(pairKey(p.a, p.b))).length;
    return `${flat[i].length} (${t} true, ${flat[i].length - t} false)`;
  };
  const subtypes = [
    ...new Set([...gt.hard_negative_pairs.map((p) => p.subtype ?? 'hard negative'), ...scores.flatMap((s) => Object.keys(s.falseBySubtype))]),
  ].sort();
  ctx.out(
    `\n## accuracy: media-dedupe scan on ${images} (${Object.keys(gt.files).length} files, ${gt.duplicate_pairs.length} duplicate pairs, every other pair a negative)\n`,
  );
  ctx.out(
    formatTable(
      'Pairs found vs ground truth (targets with the defaults: precision >= 99%, recall >= 99% per target family)',
      ['configuration', 'pairs found', 'true', 'false', 'precision', 'recall', 'dropped by the colour check', 'added by the near-flat path'],
      runs.map((r, i) => {
        const s = scores[i];
        return [r.name, s.found, s.truePairs, s.falsePairs, pct(s.precision), pct(s.recall), dropped[i] === undefined ? '(off)' : dropped[i]!, flatCell(i)];
      }),
    ),
  );
  const negatives = new Map<string, number>();
  for (const p of gt.hard_negative_pairs) negatives.set(p.subtype ?? 'hard negative', (negatives.get(p.subtype ?? 'hard negative') ?? 0) + 1);
  ctx.out(
    formatTable(
      'False positives by kind of negative (hard-negative subtypes from ground_truth.json; "other" = any pair not listed there)',
      ['negative pairs', 'pairs in the benchmark', ...runs.map((r) => `false: ${r.name}`)],
      subtypes.map((t) => [t, negatives.get(t) ?? '-', ...scores.map((s) => s.falseBySubtype[t] ?? 0)]),
    ),
  );
  ctx.out(
    formatTable(
      'Recall per transform family (each transform against the original and its exact copy; natural groups; all other same-source pairs as "variant vs variant")',
      ['family', 'pairs', ...runs.map((r) => `recall ${r.name}`), 'target', `missed pairs come from (${runs[0].name}; flips: ${runs[2].name})`],
      FAMILY_ORDER.filter((f) => scores[0].recallByFamily[f]).map((f) => {
        const from = f === 'flips/rotations' ? scores[2] : scores[0];
        const missed = from.recallByFamily[f].missedSources.sort();
        return [
          f,
          scores[0].recallByFamily[f].pairs,
          ...scores.map((s) => `${pct(s.recallByFamily[f].found / s.recallByFamily[f].pairs)} (${s.recallByFamily[f].found})`),
          TARGET[f] ?? 'reported',
          missed.length === 0 ? '-' : missed.length <= 3 ? missed.join(' ') : `${missed.length} originals`,
        ];
      }),
    ),
  );
  // What the near-flat path added, by family (the colour-check runs only: it is part of the check).
  const flatRuns = runs.map((r, i) => ({ r, i })).filter(({ r }) => r.opts.colorCheck === true);
  const kindOf = (p: Pair): string => {
    const truth = positives.get(pairKey(p.a, p.b));
    return truth ? familyOf(truth) : `false: ${gt.hard_negative_pairs.find((h) => pairKey(h.a, h.b) === pairKey(p.a, p.b))?.subtype ?? 'other'}`;
  };
  const flatKinds = [...new Set(flatRuns.flatMap(({ i }) => flat[i].map(kindOf)))].sort(
    (x, y) => FAMILY_ORDER.indexOf(x) - FAMILY_ORDER.indexOf(y) || x.localeCompare(y),
  );
  ctx.out(
    formatTable(
      'Pairs added by the near-flat path (near-flat images whose colour signatures agree; their pHash distance is above the threshold), by family',
      ['family', ...flatRuns.map(({ r }) => `added: ${r.name}`), 'files'],
      flatKinds.map((k) => [
        k,
        ...flatRuns.map(({ i }) => flat[i].filter((p) => kindOf(p) === k).length),
        [
          ...new Set(
            flatRuns.flatMap(({ i }) => flat[i].filter((p) => kindOf(p) === k).flatMap((p) => [gt.files[p.a]?.cluster ?? gt.files[p.a]?.group ?? p.a])),
          ),
        ]
          .sort()
          .join(' '),
      ]),
    ),
  );
  ctx.out(
    '\nNotes: the colour check (docs/color-check.md) drops pairs that pHash, which sees grey only, matches but whose colours\n' +
      'differ: recolor_variant hard negatives (an emoji and its skin tones, light/dark wallpapers). The ones left are emoji\n' +
      'whose skin shows on a few pixels only (snowboarder, jockey, surfer). pHash16 of a near-flat image is noise (o00016, a\n' +
      '64 x 64 patch of sensor noise, is 62-134 bits of 256 from its own copies, also for the reference pHash): the near-flat\n' +
      'path of the colour check pairs such images when their colour signatures agree, and the pairs it adds are counted above.\n',
  );

  const refDir = resolve(ctx.benchDir, '..', 'reference', 'perception');
  if (!existsSync(join(refDir, 'dedup', 'dedup_results.json'))) {
    ctx.out(`\n(golden dedup check skipped: ${refDir} not found)\n`);
    return;
  }
  const golden = await goldenDedup(refDir);
  const withCheck = await goldenDedup(refDir, Object.keys(GOLDEN), true);
  ctx.out(
    formatTable(
      `Golden: the same pairs as perception's deduplicate on reference/perception/dedup (23 images), parity mode; and with the colour check on`,
      ['perception run', 'perception pairs', 'our pairs (parity)', 'identical', 'missing', 'extra', 'colour check on: pairs', 'colour check on: identical'],
      golden.map((g, i) => {
        const c = withCheck[i];
        return [
          g.run,
          g.perception,
          g.ours,
          g.missing.length === 0 && g.extra.length === 0 ? 'yes' : 'NO',
          g.missing.length,
          g.extra.length,
          c.ours,
          c.missing.length === 0 && c.extra.length === 0 ? 'yes' : `NO (${c.missing.length} dropped, ${c.extra.length} extra)`,
        ];
      }),
    ),
  );
}

// Alone: npx tsx bench/accuracy.ts (inside dist/bench.js, bench.ts runs it)
if (runsAlone('accuracy')) {
  const i = process.argv.indexOf('--bench-dir');
  const benchDir = resolve(i > 0 ? process.argv[i + 1] : join(process.env.MEDIA_DEDUPE_SHARED ?? join(__dirname, '..', '..', 'shared'), 'bench'));
  benchAccuracy({ benchDir, repoRoot: resolve(__dirname, '..'), rounds: 1, explore: false, out: (t) => process.stdout.write(t) }).catch((e: unknown) => {
    process.stderr.write(`bench accuracy: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
