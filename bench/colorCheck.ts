/**
 * How the colour check's thresholds were chosen, and whether they generalise (docs/color-check.md):
 * 1. the two colour distances of every pHash16 candidate pair of the public benchmark, by kind of pair,
 *    against the thresholds;
 * 2. hold-out: thresholds chosen (largest true distance x margin) from half of the originals, scored on the
 *    other half, repeated;
 * 3. synthetic edits (benign and recolourings, made with sharp) of images never used to choose anything:
 *    ../shared/reference/perception/images by default, or --images DIR[,DIR...].
 * Runs inside `npm run bench -- --only color-check` or alone: `npx tsx bench/colorCheck.ts [--images DIRS]`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { colorSignature } from '../src/core/hashers/colorSignature.js';
import { vectorDistance } from '../src/core/hashers/format.js';
import { transformGrid } from '../src/core/hashers/isometric.js';
import { createHasherFromSpec } from '../src/core/hashers/registry.js';
import type { IsometricKey } from '../src/core/hashers/types.js';
import { decodeImage, decodeImageBuffer } from '../src/core/image/decode.js';
import { colorDistance, type ColorDistance } from '../src/core/colorcheck/colorDistance.js';
import { scanFolder } from '../src/core/scan/scanFolder.js';
import { COLOR_LOCAL_THRESHOLD, COLOR_MEAN_THRESHOLD } from '../src/core/colorcheck/verifyPairs.js';
import { type BenchContext, runsAlone } from './context.js';
import { formatTable } from './table.js';
import { pairKey } from './groundTruth.js';

interface GroundTruth {
  duplicate_pairs: { a: string; b: string; kind: string; transform_a?: string; transform_b?: string }[];
  hard_negative_pairs: { a: string; b: string; subtype?: string }[];
  files: Record<string, { cluster?: string; group?: string; source?: string }>;
}

/** The edits the check must keep (alone or two combined): the brief's list. */
const MUST_KEEP = new Set([
  'original',
  'exact_copy',
  'resize_0.5',
  'resize_0.25',
  'jpeg_q',
  'blur',
  'bright_contrast',
  'to_png',
  'to_webp',
  'hflip',
  'rot90',
  'rot180',
  'crop_2pct',
  'watermark',
  'combo_reshare',
]);

const f1 = (x: number): string => x.toFixed(1);

interface Row {
  readonly kind: string;
  readonly group: string;
  readonly d: ColorDistance;
}

const rejected = (d: ColorDistance): boolean => d.mean > COLOR_MEAN_THRESHOLD || d.local > COLOR_LOCAL_THRESHOLD;

/** Every candidate pair of a parity scan (default and isometric), with its colour distances and its kind. */
async function benchPairs(images: string, gt: GroundTruth): Promise<Row[]> {
  const positives = new Map(gt.duplicate_pairs.map((p) => [pairKey(p.a, p.b), p]));
  const negatives = new Map(gt.hard_negative_pairs.map((p) => [pairKey(p.a, p.b), p.subtype ?? 'hard negative']));
  const sigs = new Map<string, Uint8Array>();
  const sig = async (f: string): Promise<Uint8Array> => sigs.get(f) ?? sigs.set(f, colorSignature(await decodeImage(join(images, f)))).get(f)!;
  const rows: Row[] = [];
  const seen = new Set<string>();
  for (const isometric of [false, true]) {
    const r = await scanFolder(images, { isometric, colorCheck: false, useCache: false });
    for (const p of r.pairs) {
      const k = `${pairKey(p.a, p.b)}\n${p.transform ?? ''}`;
      if (seen.has(k)) continue;
      seen.add(k);
      let b = await sig(p.b);
      if (p.transform) b = transformGrid({ data: b, width: 16, height: 16 }, 3, p.transform as IsometricKey).data;
      const pos = positives.get(pairKey(p.a, p.b));
      let kind: string;
      if (pos)
        kind =
          pos.kind === 'natural'
            ? 'true: natural duplicates'
            : MUST_KEEP.has(pos.transform_a ?? '') && MUST_KEEP.has(pos.transform_b ?? '')
              ? 'true: edits the check must keep'
              : 'true: other edits (borders, 5-10% crops)';
      else if (p.transform)
        continue; // mirrored emoji pairs are isometric matches, not colour questions
      else kind = `false: ${negatives.get(pairKey(p.a, p.b)) ?? 'not a listed hard negative'}`;
      const file = gt.files[p.a];
      rows.push({ kind, group: file?.cluster ?? file?.group ?? file?.source?.split('/')[1] ?? p.a, d: colorDistance(await sig(p.a), b) });
    }
  }
  return rows;
}

function quantile(v: number[], q: number): number {
  const s = [...v].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/** Thresholds from a random half of the originals (largest true distance x margin), scored on the other half. */
function holdOut(rows: readonly Row[], margins: readonly number[], reps: number): (string | number)[][] {
  const keep = rows.filter((r) => r.kind === 'true: edits the check must keep');
  const neg = rows.filter((r) => r.kind.startsWith('false'));
  const origins = [...new Set(keep.map((r) => r.group))].sort();
  const groups = [...new Set(neg.map((r) => r.group))].sort();
  let seed = 1;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const half = <T>(xs: readonly T[]): Set<T> => new Set([...xs].sort(() => rand() - 0.5).slice(0, Math.floor(xs.length / 2)));
  return margins.map((m) => {
    const lost: number[] = [];
    const kept: number[] = [];
    for (let i = 0; i < reps; i++) {
      const train = half(origins);
      const ntrain = half(groups);
      const tm = Math.max(...keep.filter((r) => train.has(r.group)).map((r) => r.d.mean)) * m;
      const tl = Math.max(...keep.filter((r) => train.has(r.group)).map((r) => r.d.local)) * m;
      const rej = (r: Row): boolean => r.d.mean > tm || r.d.local > tl;
      const test = keep.filter((r) => !train.has(r.group));
      lost.push((100 * test.filter(rej).length) / test.length);
      const ntest = neg.filter((r) => !ntrain.has(r.group));
      kept.push((100 * ntest.filter((r) => !rej(r)).length) / ntest.length);
    }
    const avg = (v: number[]): number => v.reduce((x, y) => x + y, 0) / v.length;
    return [`x${m}`, `${avg(lost).toFixed(2)}%`, `${quantile(lost, 0.95).toFixed(2)}%`, `${Math.max(...lost).toFixed(2)}%`, `${avg(kept).toFixed(1)}%`];
  });
}

type Edit = (s: sharp.Sharp, w: number, h: number) => sharp.Sharp;
const BENIGN: Record<string, Edit> = {
  'JPEG q30': (s) => s.jpeg({ quality: 30 }),
  'WebP q60': (s) => s.webp({ quality: 60 }),
  'resize 1/4': (s, w) => s.resize(Math.max(8, Math.round(w / 4))).jpeg({ quality: 90 }),
  'blur 1.5': (s) => s.blur(1.5).jpeg({ quality: 90 }),
  'brightness x0.8': (s) => s.linear(0.8, 0).jpeg({ quality: 90 }),
  'brightness x1.2': (s) => s.linear(1.2, 0).jpeg({ quality: 90 }),
  'contrast x1.25': (s) => s.linear(1.25, -0.25 * 110).jpeg({ quality: 90 }),
  'crop 3% centre': (s, w, h) =>
    s
      .extract({ left: Math.round(w * 0.015), top: Math.round(h * 0.015), width: w - 2 * Math.round(w * 0.015), height: h - 2 * Math.round(h * 0.015) })
      .jpeg({ quality: 90 }),
  'border 2% red': (s, w) =>
    s
      .extend({ top: Math.round(w * 0.02), bottom: Math.round(w * 0.02), left: Math.round(w * 0.02), right: Math.round(w * 0.02), background: '#d02020' })
      .jpeg({ quality: 90 }),
  watermark: (s, w, h) => s.composite([{ input: watermarkSvg(w, h) }]).jpeg({ quality: 90 }),
  greyscale: (s) => s.greyscale().jpeg({ quality: 90 }),
};
const RECOLOURED: Record<string, Edit> = {
  'hue +30': (s) => s.modulate({ hue: 30 }).jpeg({ quality: 90 }),
  'hue +120': (s) => s.modulate({ hue: 120 }).jpeg({ quality: 90 }),
  'red and blue swapped': (s) =>
    s
      .recomb([
        [0, 0, 1],
        [0, 1, 0],
        [1, 0, 0],
      ])
      .jpeg({ quality: 90 }),
  'blue tint 25%': (s, w, h) =>
    s.composite([{ input: { create: { width: w, height: h, channels: 4, background: { r: 30, g: 80, b: 255, alpha: 0.25 } } } }]).jpeg({ quality: 90 }),
};

function watermarkSvg(w: number, h: number): Buffer {
  const fs = Math.max(10, Math.round(h * 0.08));
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><text x="${Math.round(w * 0.1)}" y="${Math.round(h * 0.6)}" font-family="DejaVu Sans" font-weight="bold" font-size="${fs}" fill="white" fill-opacity="0.6" stroke="black" stroke-opacity="0.6" stroke-width="${Math.max(1, Math.round(fs / 15))}">SAMPLE 2024</text></svg>`,
  );
}

/** Per edit: pairs pHash16 matches, and how many of those the check keeps (benign) or rejects (recolourings). */
async function synthetic(dirs: readonly string[]): Promise<{ files: number; table: (string | number)[][] }> {
  const phash = createHasherFromSpec({ name: 'phash', hashSize: 16 });
  const files = dirs.flatMap((d) =>
    readdirSync(d)
      .filter((f) => /\.(jpe?g|png|webp)$/i.test(f))
      .map((f) => join(d, f)),
  );
  const stats = new Map<string, { matched: number; ok: number }>();
  for (const f of files) {
    // As the benchmark makes its originals: flattened on white, longest side <= 640, JPEG q95.
    const src = await sharp(f).flatten({ background: '#fff' }).resize(640, 640, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 95 }).toBuffer();
    const { width, height } = await sharp(src).metadata();
    const a = await decodeImageBuffer(src, f);
    const sa = colorSignature(a);
    const ha = phash.compute(a)!;
    for (const [kind, edits] of [
      ['keep', BENIGN],
      ['reject', RECOLOURED],
    ] as const) {
      for (const [name, edit] of Object.entries(edits)) {
        const b = await decodeImageBuffer(await edit(sharp(src), width!, height!).toBuffer(), f);
        const sb = colorSignature(b);
        // A recolouring that leaves the signature nearly as it was (a grey picture) is not a recolouring.
        if (kind === 'reject' && meanChange(sa, sb) < 5) continue;
        if (vectorDistance(ha, phash.compute(b)!, 'hamming') >= 0.2) continue;
        const s = stats.get(`${kind}|${name}`) ?? { matched: 0, ok: 0 };
        s.matched++;
        if (rejected(colorDistance(sa, sb)) === (kind === 'reject')) s.ok++;
        stats.set(`${kind}|${name}`, s);
      }
    }
  }
  const order = [...Object.keys(BENIGN).map((n) => `keep|${n}`), ...Object.keys(RECOLOURED).map((n) => `reject|${n}`)];
  const table = order
    .filter((k) => stats.has(k))
    .map((k) => {
      const s = stats.get(k)!;
      const [kind, name] = k.split('|');
      return [
        kind === 'keep' ? `benign: ${name}` : `recoloured: ${name}`,
        s.matched,
        `${s.ok} ${kind === 'keep' ? 'kept' : 'rejected'} (${((100 * s.ok) / s.matched).toFixed(0)}%)`,
      ];
    });
  return { files: files.length, table };
}

function meanChange(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i += 3) s += Math.hypot(a[i] - b[i], a[i + 1] - b[i + 1], a[i + 2] - b[i + 2]);
  return s / (a.length / 3);
}

export async function benchColorCheck(ctx: BenchContext, imageDirs?: readonly string[]): Promise<void> {
  const images = join(ctx.benchDir, 'images');
  const gt = JSON.parse(readFileSync(join(images, 'ground_truth.json'), 'utf8')) as GroundTruth;
  const rows = await benchPairs(images, gt);
  const kinds = [...new Set(rows.map((r) => r.kind))].sort();
  ctx.out(
    `\n## colour check: distances of the pHash16 candidate pairs of ${images} (thresholds: mean ${COLOR_MEAN_THRESHOLD}, local ${COLOR_LOCAL_THRESHOLD})\n`,
  );
  ctx.out(
    formatTable(
      'Candidate pairs by kind (isometric pairs compared through their transform)',
      ['pairs', 'n', 'mean: median / p99 / max', 'local: median / p99 / max', 'rejected'],
      kinds.map((k) => {
        const rs = rows.filter((r) => r.kind === k);
        const m = rs.map((r) => r.d.mean);
        const l = rs.map((r) => r.d.local);
        return [
          k,
          rs.length,
          `${f1(quantile(m, 0.5))} / ${f1(quantile(m, 0.99))} / ${f1(Math.max(...m))}`,
          `${f1(quantile(l, 0.5))} / ${f1(quantile(l, 0.99))} / ${f1(Math.max(...l))}`,
          rs.filter((r) => rejected(r.d)).length,
        ];
      }),
    ),
  );
  ctx.out(
    formatTable(
      'Hold-out: thresholds = largest true distance x margin over a random half of the originals, scored on the other half (200 splits)',
      ['margin', 'held-out true pairs lost: mean', 'p95', 'worst split', 'held-out negatives kept: mean'],
      holdOut(rows, [1, 1.1, 1.2, 1.3], 200),
    ),
  );
  const dirs = imageDirs ?? ['debian', 'perception'].map((d) => resolve(ctx.benchDir, '..', 'reference', 'perception', 'images', d));
  const syn = await synthetic(dirs);
  ctx.out(
    formatTable(
      `Synthetic edits of ${syn.files} images not used to choose the thresholds (${dirs.join(', ')}); pairs pHash16 matches`,
      ['edit', 'pairs matched', 'colour check'],
      syn.table,
    ),
  );
}

// Alone: npx tsx bench/colorCheck.ts [--bench-dir DIR] [--images DIR,DIR]
if (runsAlone('colorCheck')) {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const benchDir = resolve(arg('--bench-dir') ?? join(process.env.MEDIA_DEDUPE_SHARED ?? join(__dirname, '..', '..', 'shared'), 'bench'));
  benchColorCheck(
    { benchDir, repoRoot: resolve(__dirname, '..'), rounds: 1, explore: false, out: (t) => process.stdout.write(t) },
    arg('--images')?.split(','),
  ).catch((e: unknown) => {
    process.stderr.write(`bench color-check: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
