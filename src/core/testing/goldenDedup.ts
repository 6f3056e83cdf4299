/**
 * perception's `deduplicate` runs on its reference dedup set (reference/perception/dedup) and our scan of the same
 * images with the options that reproduce each run: used by the golden parity test and the accuracy bench.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanFolder } from '../scan/scanFolder.js';
import type { HasherConfig, ScanOptions } from '../types.js';

/** An unordered pair of paths as one string. */
export const pairKey = (a: string, b: string): string => (a < b ? `${a}\n${b}` : `${b}\n${a}`);

/** perception's dedup runs and the scan options that reproduce them (with the colour check off: parity mode). */
export const GOLDEN: Record<string, Partial<ScanOptions>> = {
  'phash16_0.2': { hashers: [{ name: 'phash', hashSize: 16, threshold: 0.2 }] },
  'phash16_0.2_isometric': { hashers: [{ name: 'phash', hashSize: 16, threshold: 0.2 }], isometric: true },
  'phash16_0.25': { hashers: [{ name: 'phash', hashSize: 16, threshold: 0.25 }] },
  'phash8_0.2': { hashers: [{ name: 'phash', hashSize: 8, threshold: 0.2 }] },
  'dhash16_0.07': { hashers: [{ name: 'dhash', hashSize: 16, threshold: 0.07 }] },
  'ahash16_0.008': { hashers: [{ name: 'ahash', hashSize: 16, threshold: 0.008 }] },
  'whash16_0.02': { hashers: [{ name: 'wavelet', hashSize: 16, threshold: 0.02 }] },
  'marrhildreth_0.1': { hashers: [{ name: 'marrhildreth', threshold: 0.1 }] },
  'blockmean_0.008': { hashers: [{ name: 'blockmean', threshold: 0.008 }] },
  'pdq_0.2': { hashers: [{ name: 'pdq', threshold: 0.2 }] },
  'pdq_0.2_isometric': { hashers: [{ name: 'pdq', threshold: 0.2 }], isometric: true },
  'phashu8_16_euclid10 (cython path)': { hashers: [{ name: 'phashu8', hashSize: 16, threshold: 10 }] },
  'phash16_0.2 + dhash16_0.07 (union)': {
    hashers: [
      { name: 'phash', hashSize: 16, threshold: 0.2 },
      { name: 'dhash', hashSize: 16, threshold: 0.07 },
    ] as HasherConfig[],
  },
};

export interface GoldenRow {
  readonly run: string;
  readonly perception: number;
  readonly ours: number;
  readonly missing: string[];
  readonly extra: string[];
}

/**
 * Our scan of perception's dedup images against its recorded `deduplicate` pairs, per configuration.
 * Parity mode (colour check off) by default: that is the mode promised to give perception's exact pairs.
 */
export async function goldenDedup(referenceDir: string, runs: readonly string[] = Object.keys(GOLDEN), colorCheck = false): Promise<GoldenRow[]> {
  const ref = JSON.parse(readFileSync(join(referenceDir, 'dedup', 'dedup_results.json'), 'utf8')) as { runs: Record<string, { pairs_normalized: string[][] }> };
  const out: GoldenRow[] = [];
  for (const run of runs) {
    const r = await scanFolder(join(referenceDir, 'dedup', 'images'), { ...GOLDEN[run], colorCheck, useCache: false });
    const ours = new Set(r.pairs.map((p) => pairKey(p.a, p.b)));
    const theirs = new Set(ref.runs[run].pairs_normalized.map(([a, b]) => pairKey(a, b)));
    out.push({
      run,
      perception: theirs.size,
      ours: ours.size,
      missing: [...theirs].filter((k) => !ours.has(k)),
      extra: [...ours].filter((k) => !theirs.has(k)),
    });
  }
  return out;
}
