/**
 * The one reader of a benchmark's ground truth for the scorers: ground_truth.json (make_bench.py), with the
 * same-picture groups of same_pictures.json applied when the folder has one.
 *
 * make_bench.py keeps two sources' copies of one picture as two originals when their reference pHashes are
 * far enough apart (a padded copy, one icon at two sizes), and then counts every pair between their clusters
 * as false. bench/data/same_pictures.py finds such originals with a rule on pixels only (no perceptual
 * hash: trimmed uniform borders, same aspect, near-equal pixels and block colours) and writes the groups;
 * here every pair of files from two different units of one group becomes a positive of kind
 * "same picture" (its own family in the recall tables, so no transform family's recall changes).
 * Hard negatives are never re-labelled (same_pictures.py leaves them out).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GroundTruth } from './accuracy.js';

export const SAME_PICTURE = 'same picture';

interface SamePictures {
  readonly rule: string;
  readonly groups: readonly { readonly units: readonly string[]; readonly files: readonly string[] }[];
}

/** The unit of a file as same_pictures.py names it: an original's cluster, a natural group. */
function unitOf(info: { cluster?: string; group?: string; role?: string } | undefined): string | undefined {
  if (!info) return undefined;
  if (info.role === 'natural_dup') return `natural:${info.group}`;
  return info.cluster !== undefined ? `cluster:${info.cluster}` : undefined;
}

/** One key for an unordered pair of paths, as the scorers look pairs up. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}\n${b}` : `${b}\n${a}`;
}

/** Adds the positives of same-picture groups (pairs across two units of one group) to a ground truth; returns how many it added. */
export function applySamePictures(gt: GroundTruth, same: SamePictures): number {
  const known = new Set(gt.duplicate_pairs.map((p) => pairKey(p.a, p.b)));
  let added = 0;
  for (const g of same.groups) {
    const files = [...g.files].sort();
    for (let i = 0; i < files.length; i++) {
      for (let j = i + 1; j < files.length; j++) {
        const [a, b] = [files[i], files[j]];
        if (unitOf(gt.files[a]) === unitOf(gt.files[b]) || known.has(pairKey(a, b))) continue;
        gt.duplicate_pairs.push({ a, b, kind: SAME_PICTURE });
        known.add(pairKey(a, b));
        added++;
      }
    }
  }
  return added;
}

export interface LoadedTruth {
  readonly gt: GroundTruth;
  /** positives added from same_pictures.json (0 when the folder has none or `original` was asked for) */
  readonly relabelled: number;
}

/** ground_truth.json of `dir`, with same_pictures.json applied unless `original` (the builder's labels as they are). */
export function loadGroundTruth(dir: string, original = false): LoadedTruth {
  const gt = JSON.parse(readFileSync(join(dir, 'ground_truth.json'), 'utf8')) as GroundTruth;
  const samePath = join(dir, 'same_pictures.json');
  if (original || !existsSync(samePath)) return { gt, relabelled: 0 };
  return { gt, relabelled: applySamePictures(gt, JSON.parse(readFileSync(samePath, 'utf8')) as SamePictures) };
}
