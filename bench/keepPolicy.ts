/**
 * Keep policy: the share of clusters (an original and its variants, as the scan finds them) whose kept
 * file is the original, for the version 1 policy and the default (decisions/keepPolicy.ts), on the
 * benchmark's images and on any other folder with the same ground_truth.json layout (--keep-dirs, e.g.
 * the held-out benchmark). A kept file byte-identical to the original (an exact copy) counts as the
 * original. Also: which variants each policy keeps instead; how often the re-encode statistic
 * (image/keepStats.ts) flags lossless files, on the benchmark's PNG re-encodes of JPEGs and on PNG
 * originals that never were JPEGs (made here from the originals, halved, with a JPEG copy each);
 * and what the statistics cost per image.
 * Runs inside `npm run bench` (section "keep-policy") or alone: `npx tsx bench/keepPolicy.ts [--bench-dir DIR] [--keep-dirs A,B]`.
 * Scans use no cache: the benchmark folders are read-only inputs.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { decide } from '../src/core/decisions/decide.js';
import { DEFAULT_KEEP_POLICY, LEGACY_KEEP_POLICY } from '../src/core/decisions/keepPolicy.js';
import { NO_FACTS } from '../src/core/decisions/types.js';
import { decodeImageBuffer } from '../src/core/image/decode.js';
import { jpegQualityOf, keepStatsOf } from '../src/core/image/keepStats.js';
import { decideInput, measureScan } from '../src/core/manifest/build.js';
import { scanFolder } from '../src/core/scan/scanFolder.js';
import type { ScanResult } from '../src/core/types.js';
import { type BenchContext, runsAlone } from './context.js';
import { formatTable, median } from './table.js';

interface Truth {
  readonly files: Record<string, { role: string; cluster?: string; transform?: string; sha256?: string }>;
}

/** Label, criteria, and whether the policy sees the statistics measured at hash time (version 1 had none). */
const POLICIES: readonly (readonly [string, readonly string[], boolean])[] = [
  ['version 1 (resolution, largest, shortest path)', LEGACY_KEEP_POLICY, false],
  ['default, without not-reencoded', DEFAULT_KEEP_POLICY.filter((c) => c !== 'not-reencoded'), true],
  ['default', DEFAULT_KEEP_POLICY, true],
];

interface Outcome {
  readonly clusters: number;
  readonly keptOriginal: number;
  /** Transform of the variant kept instead -> how many clusters. */
  readonly instead: Map<string, number>;
}

/** For each policy: over the scan's clusters that hold an original, how many keep it (or a byte-identical copy). */
function keepOriginalRate(result: ScanResult, truth: Truth['files']): Outcome[] {
  const meas = measureScan(result);
  return POLICIES.map(([, policy, stats]) => {
    const input = decideInput(meas, NO_FACTS, { remove: 'all', keepPolicy: policy });
    const files = stats
      ? input.files
      : input.files.map((f) => ({ ...f, format: undefined, jpegQuality: undefined, reencoded: undefined, contentWidth: undefined, contentHeight: undefined }));
    const d = decide({ ...input, files });
    let clusters = 0;
    let keptOriginal = 0;
    const instead = new Map<string, number>();
    for (const c of d.clusters) {
      const paths = [c.keep, ...c.members.map((m) => m.path)];
      const originals = paths.filter((p) => truth[p]?.role === 'original');
      if (originals.length === 0) continue;
      clusters++;
      const sha = new Set(originals.map((p) => truth[p]?.sha256));
      if (originals.includes(c.keep) || sha.has(truth[c.keep]?.sha256)) keptOriginal++;
      else {
        const t = truth[c.keep]?.transform ?? truth[c.keep]?.role ?? 'unknown';
        instead.set(t, (instead.get(t) ?? 0) + 1);
      }
    }
    return { clusters, keptOriginal, instead };
  });
}

const pct = (n: number, of: number): string => `${n}/${of} (${of === 0 ? '-' : ((100 * n) / of).toFixed(1)}%)`;

async function benchFolder(name: string, dir: string, out: (t: string) => void): Promise<ScanResult> {
  const truth = (JSON.parse(readFileSync(join(dir, 'ground_truth.json'), 'utf8')) as Truth).files;
  const t0 = performance.now();
  const result = await scanFolder(dir, { useCache: false });
  out(`\n${name}: ${dir}: ${result.files.length} files scanned in ${((performance.now() - t0) / 1000).toFixed(1)} s (defaults, no cache)\n`);
  const outcomes = keepOriginalRate(result, truth);
  out(
    formatTable(
      `Keep policy on ${name}: clusters holding an original whose kept file is the original`,
      ['policy', 'kept the original', 'kept instead (variant: clusters)'],
      POLICIES.map(([label], i) => [
        label,
        pct(outcomes[i].keptOriginal, outcomes[i].clusters),
        [...outcomes[i].instead]
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .map(([t, n]) => `${t}: ${n}`)
          .join(', ') || '-',
      ]),
    ),
  );
  // The re-encode flag on the benchmark's lossless files (all of them re-encodes of JPEG originals here).
  const lossless = result.files.filter((f) => f.format === 'png' || f.format === 'tiff' || f.format === 'bmp');
  const byTransform = new Map<string, [number, number]>();
  for (const f of lossless) {
    const t = truth[f.path]?.transform ?? truth[f.path]?.role ?? 'unknown';
    const c = byTransform.get(t) ?? [0, 0];
    c[0] += f.reencoded ? 1 : 0;
    c[1]++;
    byTransform.set(t, c);
  }
  out(
    formatTable(
      `Re-encode flag on ${name}'s lossless files`,
      ['file kind', 'flagged as a re-encoded JPEG'],
      [...byTransform].map(([t, [n, of]]) => [t, pct(n, of)]),
    ),
  );
  return result;
}

/**
 * PNG originals that never were JPEGs: each benchmark original downscaled by 2 (resampling erases the
 * 8x8 grid) and saved as PNG, beside a JPEG q90 copy of it and a PNG saved from that copy. The PNG
 * original must not be flagged, the PNG from the JPEG must be, and the policy must keep the PNG original.
 */
async function pngOriginals(images: string, out: (t: string) => void): Promise<void> {
  const truth = (JSON.parse(readFileSync(join(images, 'ground_truth.json'), 'utf8')) as Truth).files;
  const all = Object.entries(truth)
    .filter(([, f]) => f.role === 'original')
    .map(([p]) => p)
    .sort();
  // Only originals at least 128 px wide: halving them really resamples (a smaller one kept at its own size would be a re-encode).
  const originals: string[] = [];
  for (const p of all) if (((await sharp(join(images, p)).metadata()).width ?? 0) >= 128) originals.push(p);
  const dir = mkdtempSync(join(tmpdir(), 'md-keep-bench-'));
  try {
    const synthetic: Truth['files'] = {};
    for (const [i, p] of originals.entries()) {
      const img = sharp(join(images, p));
      const { width } = await img.metadata();
      const png = await img
        .resize({ width: Math.round((width ?? 128) / 2) })
        .png()
        .toBuffer();
      const jpeg = await sharp(png).jpeg({ quality: 90 }).toBuffer();
      const id = `s${String(i).padStart(4, '0')}`;
      writeFileSync(join(dir, `${id}.png`), png);
      writeFileSync(join(dir, `${id}_shared.jpg`), jpeg);
      writeFileSync(join(dir, `${id}_shared.png`), await sharp(jpeg).png().toBuffer());
      synthetic[`${id}.png`] = { role: 'original', cluster: id };
      synthetic[`${id}_shared.jpg`] = { role: 'variant', cluster: id, transform: 'JPEG q90 of it' };
      synthetic[`${id}_shared.png`] = { role: 'variant', cluster: id, transform: 'PNG of that JPEG' };
    }
    const result = await scanFolder(dir, { useCache: false });
    const flagged = (suffix: string): string => {
      const fs = result.files.filter((f) => f.path.endsWith(suffix) && (suffix !== '.png' || !f.path.includes('_shared')));
      return pct(fs.filter((f) => f.reencoded).length, fs.length);
    };
    const outcomes = keepOriginalRate(result, synthetic);
    out(
      formatTable(
        `PNG originals (the ${originals.length} benchmark originals >= 128 px wide, halved, as PNG) with a JPEG q90 copy and a PNG of that copy`,
        ['', 'value'],
        [
          ['PNG originals flagged as re-encoded JPEGs (false positives)', flagged('.png')],
          ['PNGs saved from the JPEG copy flagged', flagged('_shared.png')],
          ...POLICIES.map(([label], i): [string, string] => [`kept the PNG original: ${label}`, pct(outcomes[i].keptOriginal, outcomes[i].clusters)]),
        ],
      ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the statistics add per image while hashing (the pixels are already decoded then). */
async function cost(images: string, result: ScanResult, out: (t: string) => void): Promise<void> {
  const sample = (pred: (f: ScanResult['files'][number]) => boolean): string[] =>
    result.files
      .filter(pred)
      .map((f) => f.path)
      .sort()
      .slice(0, 40);
  const rows: [string, number, string, string][] = [];
  for (const [label, paths] of [
    ['lossless (PNG: grid score, borders)', sample((f) => f.format === 'png')],
    ['JPEG (quality from the tables, borders)', sample((f) => f.format === 'jpeg')],
  ] as const) {
    const statsMs: number[] = [];
    const decodeMs: number[] = [];
    for (const p of paths) {
      const bytes = readFileSync(join(images, p));
      let t = performance.now();
      const img = await decodeImageBuffer(bytes, p);
      decodeMs.push(performance.now() - t);
      t = performance.now();
      keepStatsOf(img, jpegQualityOf(bytes));
      statsMs.push(performance.now() - t);
    }
    rows.push([label, paths.length, median(statsMs).toFixed(2), median(decodeMs).toFixed(2)]);
  }
  out(formatTable('Cost of the keep statistics per image (median ms, one thread)', ['images', 'n', 'stats ms', 'decode ms (for scale)'], rows));
}

export async function benchKeepPolicy(ctx: BenchContext): Promise<void> {
  const images = join(ctx.benchDir, 'images');
  const result = await benchFolder('bench/images', images, ctx.out);
  for (const d of ctx.keepDirs ?? []) await benchFolder(d, resolve(d), ctx.out);
  await pngOriginals(images, ctx.out);
  await cost(images, result, ctx.out);
}

if (runsAlone('keepPolicy')) {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(name);
    return i === -1 ? undefined : process.argv[i + 1];
  };
  const benchDir = resolve(arg('--bench-dir') ?? join(process.env.MEDIA_DEDUPE_SHARED ?? join(__dirname, '..', '..', 'shared'), 'bench'));
  const keepDirs = (arg('--keep-dirs') ?? '').split(',').filter(Boolean);
  benchKeepPolicy({ benchDir, repoRoot: resolve(__dirname, '..'), rounds: 1, explore: false, out: (t) => process.stdout.write(t), keepDirs }).catch(
    (e: unknown) => {
      process.stderr.write(`bench keep-policy: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
