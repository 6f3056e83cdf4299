/**
 * Leakage bench: a split dataset built from ../shared/bench/images (originals in train/, each variant in
 * val/ or test/, the natural duplicate groups dealt over all three splits, the hard negatives too), scanned
 * with --splits train,val,test and without. Per family (the transform of a planted variant, or natural):
 * the share of planted cross-split pairs the split scan finds must equal the plain scan's share of the
 * same pairs (same defaults); no reported pair lies within one split; every leak's drop follows the policy.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { buildManifest } from '../src/core/manifest/build.js';
import { scanFolder } from '../src/core/scan/scanFolder.js';
import type { BenchContext } from './context.js';
import { formatTable } from './table.js';

const SPLITS = ['train', 'val', 'test'] as const;

interface GroundTruth {
  readonly files: Record<string, { role: string; cluster?: string; group?: string; transform?: string }>;
  readonly clusters: Record<string, string[]>;
  readonly natural_groups: Record<string, string[]>;
}

/** Where each bench file goes: originals to train; variants alternate val/test by their index in the cluster; natural and hard-negative files are dealt round-robin over the three splits. */
export function splitLayout(gt: GroundTruth): Map<string, string> {
  const out = new Map<string, string>();
  let dealt = 0;
  for (const members of Object.values(gt.clusters)) {
    members.forEach((f, k) => out.set(f, gt.files[f].role === 'original' ? 'train' : k % 2 === 0 ? 'val' : 'test'));
  }
  for (const [f, info] of Object.entries(gt.files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (out.has(f)) continue;
    out.set(f, info.role === 'original' ? 'train' : SPLITS[dealt++ % 3]);
  }
  return out;
}

const key = (a: string, b: string): string => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

export async function benchLeakage(ctx: BenchContext): Promise<void> {
  const images = join(ctx.benchDir, 'images');
  const gt = JSON.parse(readFileSync(join(images, 'ground_truth.json'), 'utf8')) as GroundTruth;
  const layout = splitLayout(gt);
  const dir = mkdtempSync(join(tmpdir(), 'md-leakage-'));
  try {
    const where = new Map<string, string>(); // bench path -> path in the split dataset
    for (const [f, split] of layout) {
      const to = `${split}/${f.split('/')[0]}/${basename(f)}`;
      mkdirSync(join(dir, split, f.split('/')[0]), { recursive: true });
      copyFileSync(join(images, f), join(dir, to));
      where.set(f, to);
    }
    // Planted positives: every pair inside a cluster or natural group, with its family.
    const planted: { a: string; b: string; family: string }[] = [];
    for (const members of [...Object.values(gt.clusters), ...Object.values(gt.natural_groups)])
      for (let i = 0; i < members.length; i++)
        for (let j = i + 1; j < members.length; j++) {
          const [x, y] = [members[i], members[j]];
          const fam = (f: string) => (gt.files[f].role === 'natural_dup' ? 'natural' : gt.files[f].transform!);
          const family = gt.files[x].role === 'original' ? fam(y) : gt.files[y].role === 'original' ? fam(x) : `${fam(x)}+${fam(y)}`;
          planted.push({ a: where.get(x)!, b: where.get(y)!, family: family.includes('+') ? 'variant pairs' : family });
        }
    const splitOf = (p: string): string => p.split('/')[0];
    const across = planted.filter((p) => splitOf(p.a) !== splitOf(p.b));

    const t0 = performance.now();
    const plain = await scanFolder(dir, {});
    const tPlain = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const split = await scanFolder(dir, { splits: SPLITS.map((name) => ({ name, glob: `${name}/**` })) });
    const tSplit = (performance.now() - t1) / 1000;
    const found = (r: typeof plain) => new Set(r.pairs.map((p) => key(p.a, p.b)));
    const inPlain = found(plain);
    const inSplit = found(split);

    const families = [...new Set(across.map((p) => p.family))].sort();
    const rows = families.map((f) => {
      const ps = across.filter((p) => p.family === f);
      const plainHits = ps.filter((p) => inPlain.has(key(p.a, p.b))).length;
      const splitHits = ps.filter((p) => inSplit.has(key(p.a, p.b))).length;
      return [f, ps.length, plainHits / ps.length, splitHits / ps.length, plainHits === splitHits ? 'yes' : 'NO'];
    });
    const within = split.pairs.filter((p) => splitOf(p.a) === splitOf(p.b)).length;
    const plainAcross = plain.pairs.filter((p) => splitOf(p.a) !== splitOf(p.b));
    const sameAsPlain = plainAcross.length === split.pairs.length && plainAcross.every((p) => inSplit.has(key(p.a, p.b)));
    const manifest = buildManifest(split);
    const order = ['train', 'val', 'test'];
    const badDrops = manifest.leaks!.filter((l) => l.drop !== (order.indexOf(l.splitA) <= order.indexOf(l.splitB) ? l.a : l.b)).length;
    const trainKept = manifest.leaks!.filter(
      (l) => (l.splitA === 'train' || l.splitB === 'train') && !manifest.remove.includes(l.a.startsWith('train/') ? l.a : l.b),
    ).length;
    const evalRemoved = manifest.remove.filter((p) => !p.startsWith('train/')).length;

    ctx.out('\n## leakage\n');
    ctx.out(
      `Split dataset from ${images}: ${layout.size} files (originals in train/, variants alternating val/ and test/, natural and hard-negative files dealt over the three splits); default settings.\n`,
    );
    ctx.out(
      formatTable(
        'Planted cross-split pairs found, per family: split scan vs plain scan (same pairs)',
        ['family', 'planted', 'plain recall', 'split recall', 'equal'],
        rows,
      ),
    );
    ctx.out(
      formatTable(
        'Split scan checks',
        ['check', 'value'],
        [
          ['pairs reported (split scan)', split.pairs.length],
          ['plain-scan pairs across splits', plainAcross.length],
          ['split pairs == plain pairs across splits', sameAsPlain ? 'yes' : 'NO'],
          ['pairs within one split reported', within],
          ['leaks whose drop breaks the policy (train, then val, then test)', badDrops],
          ['train-side leaks not dropped (chains the decisions left)', trainKept],
          ['val/test files removed (val-test leaks and chains)', evalRemoved],
          ['files outside the splits', split.outsideSplits?.length ?? 0],
          ['plain scan, s (hashing included)', tPlain],
          ['split scan, s (hashes from the cache)', tSplit],
        ],
      ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
