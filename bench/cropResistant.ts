/**
 * Crop-resistant matching, measured before it becomes a scan mode (issue 12, item 3): per transform
 * family recall and precision of phash16 @ 0.2 when each file is also hashed on its content box (uniform
 * borders trimmed, src/core/crops/cropWindows.ts) and on 9 overlapping windows covering 92.5 % of each
 * side. Pairs: perception's (whole vs whole), plus whole-or-box of A vs whole-or-box of B, plus any window
 * of A vs whole-or-box of B (windows are never compared with windows). Window candidates are verified by
 * a tighter distance (VERIFY) since nine windows per file give nine more chances to meet a stranger.
 * Not yet a scan mode: this is the measurement that says whether it should be one (docs/crop-resistant.md).
 *
 *   npm run bench -- --only crop-resistant [--bench-dir DIR]     (per-family table beside parity)
 *   npx tsx bench/cropResistant.ts --bench-dir DIR --out FILE.json   (pairs as a peer-style JSON for bench/scorePairs.ts)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentBox, cropRgb, cropWindows } from '../src/core/crops/cropWindows.js';
import { resizeArea } from '../src/core/cv/resizeArea.js';
import type { RgbImage } from '../src/core/cv/types.js';
import { createHasher } from '../src/core/hashers/registry.js';
import { decodeImage } from '../src/core/image/decode.js';
import { findPairs } from '../src/core/pairs/findPairs.js';
import { PackedHashes } from '../src/core/pairs/packed.js';
import { cachedForBench, runsAlone, type BenchContext } from './context.js';
import { report } from './scorePairs.js';

const THRESHOLD = 0.2;
/** Window matches must be this close (fraction of 256 bits). */
const VERIFY = 0.15;
/** Windows and boxes are cut from a copy at most this large (the whole-file hash is perception's, on every pixel). */
const WORK_SIDE = 512;

interface FileHashes {
  readonly path: string;
  readonly whole: number[] | null;
  readonly box: number[] | null;
  readonly windows: number[][];
}

function shrink(img: RgbImage): RgbImage {
  const s = WORK_SIDE / Math.max(img.width, img.height);
  if (s >= 1) return img;
  const w = Math.max(1, Math.round(img.width * s));
  const h = Math.max(1, Math.round(img.height * s));
  return { data: resizeArea(img.data, img.width, img.height, 3, w, h), width: w, height: h };
}

async function hashAll(dir: string, files: readonly string[], log: (t: string) => void): Promise<FileHashes[]> {
  return cachedForBench('crops', dir, async () => {
    const phash = createHasher('phash', { hashSize: 16 });
    const bits = (img: RgbImage): number[] | null => {
      const v = phash.compute(img);
      return v === null ? null : Array.from(v as ArrayLike<number>, (x) => (x ? 1 : 0));
    };
    const t0 = performance.now();
    const out: FileHashes[] = [];
    for (const f of files) {
      const img = await decodeImage(join(dir, f));
      const small = shrink(img);
      const box = contentBox(small);
      out.push({
        path: f,
        whole: bits(img),
        box: box ? bits(cropRgb(small, box)) : null,
        windows: cropWindows(small.width, small.height)
          .map((w) => bits(cropRgb(small, w)))
          .filter((v): v is number[] => v !== null),
      });
    }
    log(`  hashed ${out.length} files (whole, content box, 9 windows) in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    return out;
  });
}

export interface CropPair {
  readonly a: string;
  readonly b: string;
  readonly distance: number;
  readonly via: 'whole' | 'box' | 'window';
}

export async function cropResistantPairs(dir: string, log: (t: string) => void): Promise<CropPair[]> {
  const gt = JSON.parse(readFileSync(join(dir, 'ground_truth.json'), 'utf8')) as { files: Record<string, unknown> };
  const files = Object.keys(gt.files).sort();
  const hashed = await hashAll(dir, files, log);
  const found = new Map<string, CropPair>();
  const add = (i: number, j: number, distance: number, via: CropPair['via']): void => {
    if (i === j) return;
    const [a, b] = i < j ? [i, j] : [j, i];
    const k = `${a} ${b}`;
    const old = found.get(k);
    if (!old || (old.via !== 'whole' && distance < old.distance))
      found.set(k, { a: hashed[a].path, b: hashed[b].path, distance, via: old?.via === 'whole' ? 'whole' : via });
  };
  // Whole vs whole: perception's pairs.
  const wholeRows = hashed.flatMap((h, i) => (h.whole ? [i] : []));
  const whole = await findPairs({
    hashers: [
      {
        hashes: PackedHashes.fromBoolVectors(
          wholeRows.map((i) => hashed[i].whole!),
          256,
        ),
        threshold: THRESHOLD,
        items: wholeRows,
      },
    ],
  });
  for (let k = 0; k < whole.pairs.count; k++) add(whole.pairs.i[k], whole.pairs.j[k], whole.pairs.distance[k], 'whole');
  // Whole or content box of A vs whole or content box of B.
  const dataRows: number[] = [];
  const dataVecs: number[][] = [];
  for (const [i, h] of hashed.entries()) {
    if (h.whole) {
      dataRows.push(i);
      dataVecs.push(h.whole);
    }
    if (h.box) {
      dataRows.push(i);
      dataVecs.push(h.box);
    }
  }
  const data = PackedHashes.fromBoolVectors(dataVecs, 256);
  const boxes = await findPairs({ hashers: [{ hashes: data, threshold: THRESHOLD, items: dataRows }] });
  for (let k = 0; k < boxes.pairs.count; k++) add(boxes.pairs.i[k], boxes.pairs.j[k], boxes.pairs.distance[k], 'box');
  // Windows of A against whole or content box of B, verified by a tighter distance.
  const qRows: number[] = [];
  const qVecs: number[][] = [];
  for (const [i, h] of hashed.entries())
    for (const w of h.windows) {
      qRows.push(i);
      qVecs.push(w);
    }
  const windows = await findPairs({
    hashers: [{ hashes: data, threshold: VERIFY, items: dataRows, queries: PackedHashes.fromBoolVectors(qVecs, 256), queryItems: qRows }],
  });
  for (let k = 0; k < windows.pairs.count; k++) add(windows.pairs.i[k], windows.pairs.j[k], windows.pairs.distance[k], 'window');
  return [...found.values()];
}

export async function benchCropResistant(ctx: Pick<BenchContext, 'benchDir' | 'out'>): Promise<void> {
  const dir = existsSync(join(ctx.benchDir, 'ground_truth.json')) ? ctx.benchDir : join(ctx.benchDir, 'images');
  ctx.out(`\ncrop-resistant: content box and 9 windows (92.5 %) per file, phash16 @ 0.2, windows verified at ${VERIFY}, on ${dir}\n`);
  const pairs = await cropResistantPairs(dir, ctx.out);
  const runs = [
    { label: 'parity (whole vs whole)', pairs: pairs.filter((p) => p.via === 'whole') },
    { label: 'crop-resistant', pairs },
  ];
  ctx.out(report(dir, runs));
}

if (runsAlone('cropResistant')) {
  const arg = (name: string): string | undefined => {
    const at = process.argv.indexOf(name);
    return at > 0 ? process.argv[at + 1] : undefined;
  };
  const dir = arg('--bench-dir') ?? join(__dirname, '..', '..', 'shared', 'bench', 'images');
  void (async () => {
    const pairs = await cropResistantPairs(dir, (t) => process.stderr.write(t));
    const by = { whole: 0, box: 0, window: 0 };
    for (const p of pairs) by[p.via]++;
    process.stderr.write(`  ${pairs.length} pairs: ${by.whole} whole, ${by.box} content box, ${by.window} window\n`);
    const out = arg('--out');
    if (out) writeFileSync(out, JSON.stringify({ root: dir, pairs }));
  })();
}
