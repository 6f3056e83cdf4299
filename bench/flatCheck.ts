/**
 * Where the near-flat path's two thresholds come from (src/core/colorcheck/flatPairs.ts, docs/color-check.md):
 * 1. the public benchmark: the luma spread of every image's colour signature, and the flat distance and
 *    pHash16 distance of every pair of images that are both near-flat, by kind of pair; the closest
 *    negative pairs at any spread (what the flatness gate keeps out);
 * 2. synthetic near-flat pictures: the benchmark's originals (every other one) at 64 and 256 px, their
 *    contrast lowered to a luma spread of 1-16 levels, with and without sensor-like noise, then JPEG
 *    q30-70, WebP q60-85, half and quarter size, blur (made with sharp): how often pHash16 misses such a
 *    copy, how many of those the flat path pairs, and how close different pictures at the same spread come.
 * Runs inside `npm run bench -- --only flat` or alone: `npx tsx bench/flatCheck.ts [--bench-dir DIR]`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { colorSignature, decodeColorSignature } from '../src/core/hashers/colorSignature.js';
import { vectorDistance } from '../src/core/hashers/format.js';
import { createHasherFromSpec } from '../src/core/hashers/registry.js';
import { hashFiles } from '../src/core/hashing/hashFiles.js';
import { decodeImageBuffer } from '../src/core/image/decode.js';
import { FLAT_MAX_SPREAD, FLAT_TOLERANCE, flatDistance, lumaSpread, standardGrid } from '../src/core/colorcheck/flatPairs.js';
import { prepareTables } from '../src/core/hashers/configure.js';
import { colorsAgree } from '../src/core/colorcheck/verifyPairs.js';
import { familyOf } from './accuracy.js';
import { type BenchContext, runsAlone } from './context.js';
import { formatTable } from './table.js';
import { pairKey } from './groundTruth.js';

interface GroundTruth {
  duplicate_pairs: { a: string; b: string; kind: string; transform_a?: string; transform_b?: string }[];
  hard_negative_pairs: { a: string; b: string; subtype?: string }[];
  files: Record<string, { cluster?: string; group?: string }>;
}

interface Image {
  readonly path: string;
  readonly sig: Uint8Array;
  readonly grid: ArrayLike<number>;
  readonly spread: number;
  readonly hash: Uint8Array;
}

const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '-');
const quantile = (xs: readonly number[], q: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const PHASH_BITS = 256;
const PHASH_MISS = 0.2 * PHASH_BITS; // distance >= threshold: not a pair

function bits(a: Uint8Array, b: Uint8Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    let v = a[i] ^ b[i];
    while (v) {
      d += v & 1;
      v >>= 1;
    }
  }
  return d;
}

/** Part 1: the benchmark's own images. */
async function benchImages(images: string, gt: GroundTruth, out: (t: string) => void): Promise<void> {
  const files = Object.keys(gt.files).sort();
  const spec = prepareTables([{ name: 'phash', hashSize: 16, threshold: 0.2 }])[0];
  const hashed = await hashFiles(
    files.map((f) => join(images, f)),
    [spec.spec],
    { colorSignature: true },
  );
  const all: Image[] = [];
  hashed.forEach((o, i) => {
    if (!o.ok) return;
    const sig = decodeColorSignature(o.color)!;
    all.push({
      path: files[i],
      sig,
      grid: standardGrid(sig, o.width, o.height),
      spread: lumaSpread(sig),
      hash: new Uint8Array(Buffer.from(o.hashes[spec.key]!, 'base64')),
    });
  });
  const positives = new Map(gt.duplicate_pairs.map((p) => [pairKey(p.a, p.b), p]));
  const hardNeg = new Map(gt.hard_negative_pairs.map((p) => [pairKey(p.a, p.b), p.subtype ?? 'hard negative']));

  const buckets = [2, 5, FLAT_MAX_SPREAD, 15, 20, 40, Infinity];
  out(
    formatTable(
      `Luma spread of the colour signatures of the ${all.length} benchmark images (near-flat: spread <= ${FLAT_MAX_SPREAD})`,
      ['spread <=', 'images', 'of which originals / variants / hard negatives / natural'],
      buckets.map((b, i) => {
        const sel = all.filter((x) => x.spread <= b && (i === 0 || x.spread > buckets[i - 1]));
        const n = (dir: string): number => sel.filter((x) => x.path.startsWith(dir)).length;
        return [Number.isFinite(b) ? b : 'more', sel.length, `${n('originals/')} / ${n('variants/')} / ${n('hardneg/')} / ${n('natural/')}`];
      }),
    ),
  );

  // Every pair of images that are both at most 2x the gate: flat distance (best dihedral variant too) and pHash bits.
  const wide = all.filter((x) => x.spread <= 2 * FLAT_MAX_SPREAD);
  interface Row {
    kind: string;
    d: number;
    bits: number;
    spread: number;
    agree: boolean;
  }
  const rows: Row[] = [];
  for (let i = 0; i < wide.length; i++) {
    for (let j = i + 1; j < wide.length; j++) {
      const a = wide[i];
      const b = wide[j];
      const k = pairKey(a.path, b.path);
      const p = positives.get(k);
      const family = p ? familyOf(p) : '';
      const kind = !p
        ? hardNeg.has(k)
          ? `negative: ${hardNeg.get(k)}`
          : 'negative: other'
        : family === 'flips/rotations'
          ? 'true: flips (isometric)'
          : ['exact copy', 'resize', 'JPEG', 'blur', 'brightness/contrast', 'PNG', 'WebP'].includes(family)
            ? 'true: target families'
            : 'true: other edits';
      rows.push({ kind, d: flatDistance(a.grid, b.grid), bits: bits(a.hash, b.hash), spread: Math.max(a.spread, b.spread), agree: colorsAgree(a.sig, b.sig) });
    }
  }
  const kinds = [...new Set(rows.map((r) => r.kind))].sort();
  const table: (string | number)[][] = [];
  for (const gate of [FLAT_MAX_SPREAD, 2 * FLAT_MAX_SPREAD]) {
    for (const kind of kinds) {
      const sel = rows.filter((r) => r.kind === kind && r.spread <= gate);
      if (sel.length === 0) continue;
      const missed = sel.filter((r) => r.bits >= PHASH_MISS);
      const ds = sel.map((r) => r.d);
      const dm = missed.map((r) => r.d);
      const added = missed.filter((r) => r.d <= FLAT_TOLERANCE && r.agree).length;
      table.push([
        `<= ${gate}`,
        kind,
        sel.length,
        missed.length,
        `${f2(Math.min(...ds))} / ${f2(quantile(ds, 0.5))} / ${f2(Math.max(...ds))}`,
        dm.length ? `${f2(Math.min(...dm))} / ${f2(Math.max(...dm))}` : '-',
        added,
      ]);
    }
  }
  out(
    formatTable(
      `Pairs of near-flat benchmark images: flat distance (RMS over the signature, levels; tolerance ${FLAT_TOLERANCE}); "pHash misses" = pHash16 >= 51 bits apart`,
      [
        'both spread',
        'pairs',
        'n',
        'pHash misses',
        'flat distance min / median / max',
        'of the misses: min / max',
        `paired by the flat path (<= ${FLAT_TOLERANCE}, colours agree)`,
      ],
      table,
    ),
  );

  // The closest negatives at any spread: why the path needs its flatness gate.
  const closest: { d: number; a: Image; b: Image; kind: string }[] = [];
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const k = pairKey(all[i].path, all[j].path);
      if (positives.has(k)) continue;
      const d = flatDistance(all[i].grid, all[j].grid);
      if (d <= 2 * FLAT_TOLERANCE) closest.push({ d, a: all[i], b: all[j], kind: hardNeg.get(k) ?? 'other' });
    }
  }
  closest.sort((x, y) => x.d - y.d);
  out(
    formatTable(
      `Negative pairs (any spread) whose signatures are within ${2 * FLAT_TOLERANCE} levels: ${closest.length}; the closest`,
      ['pair', 'kind', 'flat distance', 'spreads'],
      closest.slice(0, 6).map((c) => [`${c.a.path} ${c.b.path}`, c.kind, f2(c.d), `${f2(c.a.spread)} / ${f2(c.b.spread)}`]),
    ),
  );
}

/** Part 2: synthetic near-flat pictures made from the benchmark's originals. */
async function synthetic(originals: string, out: (t: string) => void): Promise<void> {
  const phash = createHasherFromSpec({ name: 'phash', hashSize: 16 });
  const files = readdirSync(originals)
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .filter((_, i) => i % 2 === 0);
  let seed = 12345;
  const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const gauss = (): number => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  interface Copy {
    size: number;
    spread: number;
    missed: boolean;
    d: number;
    agree: boolean;
    edit: string;
  }
  const copies: Copy[] = [];
  const made: { file: string; size: number; noise: number; level: number; spread: number; grid: ArrayLike<number> }[] = [];
  for (const f of files) {
    for (const size of [64, 256]) {
      const base = await sharp(join(originals, f)).resize(size, size, { fit: 'inside' }).raw().toBuffer({ resolveWithObject: true });
      const { width: w, height: h } = base.info;
      const px = new Uint8Array(base.data);
      const spread0 = lumaSpread(colorSignature({ data: px, width: w, height: h }));
      const mean = [0, 1, 2].map((c) => {
        let s = 0;
        for (let i = c; i < px.length; i += 3) s += px[i];
        return s / (w * h);
      });
      for (const noise of [0, 4]) {
        for (const level of [1, 2, 3, 4, 6, 8, 11, 16]) {
          const k = level / spread0;
          if (k > 1) continue;
          const low = new Uint8Array(px.length);
          for (let i = 0; i < px.length; i++) low[i] = Math.max(0, Math.min(255, Math.round(mean[i % 3] + k * (px[i] - mean[i % 3]) + noise * gauss())));
          const raw = { raw: { width: w, height: h, channels: 3 as const } };
          const a = await decodeImageBuffer(await sharp(low, raw).jpeg({ quality: 95 }).toBuffer(), f);
          const sa = colorSignature(a);
          const ga = standardGrid(sa, a.width, a.height);
          const ha = phash.compute(a)!;
          made.push({ file: f, size, noise, level, spread: lumaSpread(sa), grid: ga });
          const q = 30 + Math.floor(rnd() * 41);
          const qw = 60 + Math.floor(rnd() * 26);
          const sigma = 1 + rnd();
          const edits: Record<string, () => sharp.Sharp> = {
            'JPEG q30-70': () => sharp(low, raw).jpeg({ quality: q }),
            'WebP q60-85': () => sharp(low, raw).webp({ quality: qw }),
            'half size': () =>
              sharp(low, raw)
                .resize(Math.max(8, Math.round(w / 2)), Math.max(8, Math.round(h / 2)), { kernel: 'lanczos3', fit: 'fill' })
                .jpeg({ quality: 90 }),
            'quarter size': () =>
              sharp(low, raw)
                .resize(Math.max(8, Math.round(w / 4)), Math.max(8, Math.round(h / 4)), { kernel: 'lanczos3', fit: 'fill' })
                .jpeg({ quality: 90 }),
            blur: () => sharp(low, raw).blur(sigma).jpeg({ quality: 90 }),
          };
          for (const [edit, make] of Object.entries(edits)) {
            const b = await decodeImageBuffer(await make().toBuffer(), f);
            const sb = colorSignature(b);
            copies.push({
              size,
              spread: lumaSpread(sa),
              missed: vectorDistance(ha, phash.compute(b)!, 'hamming') >= 0.2,
              d: flatDistance(ga, standardGrid(sb, b.width, b.height)),
              agree: colorsAgree(sa, sb),
              edit,
            });
          }
        }
      }
    }
  }
  const bins = [0, 2.5, 5, 7.5, FLAT_MAX_SPREAD, 13, 20];
  const rows: (string | number)[][] = [];
  for (const size of [64, 256]) {
    for (let b = 0; b + 1 < bins.length; b++) {
      const inBin = (s: number): boolean => s >= bins[b] && s < bins[b + 1];
      const sel = copies.filter((c) => c.size === size && inBin(c.spread));
      if (sel.length === 0) continue;
      const missed = sel.filter((c) => c.missed);
      const flatOk = (c: Copy): boolean => c.spread <= FLAT_MAX_SPREAD && c.d <= FLAT_TOLERANCE && c.agree;
      const quarterLeft = missed.filter((c) => !flatOk(c) && c.edit === 'quarter size').length;
      const negatives: number[] = [];
      const pics = made.filter((m) => m.size === size && inBin(m.spread));
      for (let i = 0; i < pics.length; i++)
        for (let j = i + 1; j < pics.length; j++)
          if (pics[i].file !== pics[j].file && pics[i].noise === pics[j].noise) negatives.push(flatDistance(pics[i].grid, pics[j].grid));
      const ds = sel.map((c) => c.d);
      rows.push([
        `${size} px`,
        `${bins[b]}-${bins[b + 1]}`,
        sel.length,
        `${missed.length} (${((100 * missed.length) / sel.length).toFixed(0)}%)`,
        `${missed.filter(flatOk).length}`,
        missed.length - missed.filter(flatOk).length === 0 ? '0' : `${missed.length - missed.filter(flatOk).length} (${quarterLeft} quarter size)`,
        `${f2(quantile(ds, 0.5))} / ${f2(quantile(ds, 0.99))} / ${f2(Math.max(...ds))}`,
        negatives.length ? `${f2(Math.min(...negatives))} (${negatives.length})` : '-',
      ]);
    }
  }
  const flatMissed = copies.filter((c) => c.missed && c.spread < 5);
  const aboveGate = copies.filter((c) => c.missed && c.spread > FLAT_MAX_SPREAD);
  out(
    `\nTolerance: of the ${flatMissed.length} copies pHash16 misses at a spread under 5, within ${[2, 2.5, 3, 3.5, 4].map((t) => `${t}: ${flatMissed.filter((c) => c.d <= t && c.agree).length}`).join(', ')}` +
      `; of the ${aboveGate.length} it misses above the gate (${aboveGate.filter((c) => c.edit === 'quarter size').length} of them quarter size), ${aboveGate.filter((c) => c.d <= FLAT_TOLERANCE && c.agree).length} are within ${FLAT_TOLERANCE}.\n`,
  );
  out(
    formatTable(
      `Synthetic near-flat pictures: ${files.length} benchmark originals at 64 and 256 px, contrast lowered to a spread of 1-16, noise 0 or 4 levels, 5 edits each`,
      [
        'size',
        'spread',
        'copies',
        'pHash16 misses',
        'paired by the flat path',
        'missed by both',
        'flat distance of copies: median / p99 / max',
        'different pictures: min flat distance (pairs)',
      ],
      rows,
    ),
  );
}

export async function benchFlatCheck(ctx: BenchContext): Promise<void> {
  const images = join(ctx.benchDir, 'images');
  const gt = JSON.parse(readFileSync(join(images, 'ground_truth.json'), 'utf8')) as GroundTruth;
  ctx.out(`\n## near-flat path: gate spread <= ${FLAT_MAX_SPREAD}, tolerance ${FLAT_TOLERANCE} (docs/color-check.md)\n`);
  await benchImages(images, gt, ctx.out);
  await synthetic(join(images, 'originals'), ctx.out);
}

// Alone: npx tsx bench/flatCheck.ts (inside dist/bench.js, bench.ts runs it)
if (runsAlone('flatCheck')) {
  const i = process.argv.indexOf('--bench-dir');
  const benchDir = resolve(i > 0 ? process.argv[i + 1] : join(process.env.MEDIA_DEDUPE_SHARED ?? join(__dirname, '..', '..', 'shared'), 'bench'));
  benchFlatCheck({ benchDir, repoRoot: resolve(__dirname, '..'), rounds: 1, explore: false, out: (t) => process.stdout.write(t) }).catch((e: unknown) => {
    process.stderr.write(`bench flat-check: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
