/**
 * What fast decoding (libjpeg shrinking inside its IDCT) costs in accuracy: every benchmark image is
 * hashed with phash16 in parity mode and in fast mode; reported are the bit distances between the two
 * hashes of each file, and the precision and recall of all pairs below 0.2 (no colour check: the hash
 * alone) scored against ground_truth.json, beside the same figures for parity hashes.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { hammingBytes, hashStringToBytes } from '../src/core/hashers/format.js';
import { hashFiles } from '../src/core/hashing/hashFiles.js';
import type { DecodeOptions } from '../src/core/image/decode.js';
import type { Pair } from '../src/core/types.js';
import { scorePairs, type GroundTruth } from './accuracy.js';
import type { BenchContext } from './context.js';
import { formatTable, median } from './table.js';

const BITS = 256;
const RADIUS = 51; // distance < 0.2 * 256 = 51.2 bits

async function hashAll(files: readonly string[], decode: DecodeOptions): Promise<(Uint8Array | undefined)[]> {
  const out = await hashFiles(files, [{ name: 'phash', hashSize: 16 }], { decode });
  return out.map((o) => (o.ok ? hashStringToBytes(Object.values(o.hashes)[0]!) : undefined));
}

function allPairs(names: readonly string[], hashes: readonly (Uint8Array | undefined)[]): Pair[] {
  const pairs: Pair[] = [];
  for (let i = 0; i < hashes.length; i++) {
    const a = hashes[i];
    if (!a) continue;
    for (let j = i + 1; j < hashes.length; j++) {
      const b = hashes[j];
      const d = b ? hammingBytes(a, b) : Infinity;
      if (d <= RADIUS) pairs.push({ a: names[i], b: names[j], distance: d / BITS, hasher: 'phash16' });
    }
  }
  return pairs;
}

/** The recall families with a >= 99% target (flips need --isometric and are left out). */
const TARGET_FAMILIES = ['exact copy', 'resize', 'JPEG', 'blur', 'brightness/contrast', 'PNG', 'WebP'];

export async function benchFastDecodeAccuracy(ctx: BenchContext, files: readonly string[], minSides: readonly number[]): Promise<void> {
  const root = join(ctx.benchDir, 'images');
  const gt = JSON.parse(readFileSync(join(root, 'ground_truth.json'), 'utf8')) as GroundTruth;
  const names = files.map((f) => relative(root, f).split('\\').join('/'));
  const parity = await hashAll(files, {});
  const rows: Array<Array<string | number>> = [];
  const score = (label: string, hashes: readonly (Uint8Array | undefined)[], dists: number[] | undefined): void => {
    const s = scorePairs(gt, allPairs(names, hashes));
    const targetRecall = TARGET_FAMILIES.map((f) => s.recallByFamily[f]).filter(Boolean);
    const found = targetRecall.reduce((n, r) => n + r.found, 0);
    const total = targetRecall.reduce((n, r) => n + r.pairs, 0);
    const changed = dists ? dists.filter((d) => d > 0).length : 0;
    rows.push([
      label,
      dists ? `${changed} of ${dists.length}` : '-',
      dists ? median(dists) : '-',
      dists ? [...dists].sort((x, y) => x - y)[Math.floor(dists.length * 0.95)] : '-',
      dists ? Math.max(...dists) : '-',
      `${(s.precision * 100).toFixed(2)}%`,
      `${(s.recall * 100).toFixed(2)}%`,
      `${((found / total) * 100).toFixed(2)}%`,
    ]);
  };
  score('parity (full-resolution decode)', parity, undefined);
  for (const minSide of minSides) {
    const fast = await hashAll(files, { mode: 'fast', fastMinSide: minSide });
    const dists: number[] = [];
    for (let i = 0; i < files.length; i++) if (parity[i] && fast[i]) dists.push(hammingBytes(parity[i]!, fast[i]!));
    score(`fast decode, shorter side kept >= ${minSide} px`, fast, dists);
  }
  ctx.out(
    formatTable(
      `Fast decode vs parity, phash16 over the same ${files.length} images: bits (of 256) that differ from the parity hash per file; pairs below 0.2 (hash only, no colour check) against ground_truth.json; target families = exact copy, resize, JPEG, blur, brightness/contrast, PNG, WebP`,
      ['decode', 'files whose hash changed', 'median bits', 'p95 bits', 'max bits', 'precision', 'recall (all)', 'recall (target families)'],
      rows,
    ),
  );
}
