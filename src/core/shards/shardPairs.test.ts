import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPairs } from '../pairs/findPairs.js';
import { PackedHashes } from '../pairs/packed.js';
import { PairSet } from '../pairs/pairSet.js';
import { plantedFile } from '../testing/plantedHashes.js';
import { tempDir } from '../testing/tempDir.js';
import { clusterShards } from './clusterShards.js';
import { type HashShardSettings } from './hashShardRows.js';
import { writeHashRows } from './hashShards.js';
import { NO_NODE, planShards, readNodes } from './planShards.js';
import { readPairShards, writePairShard } from './shardPairs.js';
import { shardRange } from './shardSet.js';

// The union of N shards must be what one process gives, for N = 1..4, with nothing but files on disk.

let tmp: ReturnType<typeof tempDir>;
before(() => (tmp = tempDir('md-shards-')));
after(() => tmp.cleanup());

/** Hash shards of planted hashes (with exact copies), written as hashing tasks write them. */
function plantedShards(dir: string, n: number, count: number): PackedHashes {
  const set = plantedFile(n, undefined, { seed: 99, copies: 0.2 });
  const bytes = new Uint8Array(set.words.buffer);
  // Exact copies too: every 10th row repeats an earlier one.
  for (let k = 10; k < n; k += 10) bytes.copyWithin(k * 32, (k - 7) * 32, (k - 6) * 32);
  const hashes = new PackedHashes(n, 256, bytes);
  const settings: HashShardSettings = {
    root: dir,
    list: { sha256: 'planted', files: n },
    hasher: { name: 'phash', key: 'phash', hashSize: 16, bits: 256, dtype: 'bool' },
    decode: 'parity',
  };
  for (let index = 0; index < count; index++) {
    const { start, end } = shardRange(n, { index, count });
    const rows = end - start;
    const path = Array.from({ length: rows }, (_, k) => `f${String(start + k).padStart(6, '0')}.jpg`);
    writeHashRows(
      dir,
      { index, count },
      {
        path,
        hash: path.map((_, k) => ((start + k) % 97 === 5 ? null : hashes.row(start + k))),
        size: path.map((_, k) => 1000 + start + k),
        mtime: path.map(() => 1.7e12),
        sha256: path.map(() => new Uint8Array(32)),
        width: path.map(() => 64),
        height: path.map(() => 64),
        error: path.map((_, k) => ((start + k) % 97 === 5 ? 'CORRUPT_IMAGE' : null)),
        message: path.map((_, k) => ((start + k) % 97 === 5 ? 'corrupt' : null)),
      },
      settings,
      {},
    );
  }
  return hashes;
}

test("table shards: their union is one process's pairs for N = 1..4, and the manifests agree", async () => {
  const n = 4000;
  const dir = join(tmp.dir, 'planted');
  const hashes = plantedShards(dir, n, 3);
  const plan = await planShards(dir, { threshold: 0.2 });
  const nodes = readNodes(dir, plan);
  assert.ok(plan.distinct < plan.hashed && plan.hashed < n, 'copies collapsed, skipped rows left out');
  // One process: findPairs over the hashed rows, LSH with the same plan (the plan depends on the distinct count only).
  const hashedRows = Array.from({ length: n }, (_, k) => k).filter((k) => nodes[k] !== NO_NODE);
  const single = await findPairs({ hashers: [{ hashes: hashes.select(hashedRows), threshold: 0.2 }] }, { method: 'approximate', workers: 1 });
  assert.equal(single.searches[0].plan!.tables, plan.lsh.tables);
  const expected = new PairSet();
  for (let k = 0; k < single.pairs.count; k++) expected.add(hashedRows[single.pairs.i[k]], hashedRows[single.pairs.j[k]], single.pairs.distance[k]);
  const manifests: string[] = [];
  for (let count = 1; count <= 4; count++) {
    const out = join(dir, `pairs-${count}`);
    for (let index = 0; index < count; index++) await writePairShard({ hashDir: dir, outDir: out, tables: { index, count }, workers: 1 });
    const { pairs } = await readPairShards(out, dir, plan);
    // Expanded to files: node pairs to every pair of their files, files of one node at 0.
    const rowsOf = new Map<number, number[]>();
    for (const r of hashedRows) rowsOf.set(nodes[r], [...(rowsOf.get(nodes[r]) ?? []), r]);
    const got = new PairSet();
    const p = pairs.toPairs();
    for (let k = 0; k < p.count; k++)
      for (const a of rowsOf.get(p.i[k])!) for (const b of rowsOf.get(p.j[k])!) got.add(Math.min(a, b), Math.max(a, b), p.distance[k]);
    for (const rows of rowsOf.values()) for (let x = 0; x < rows.length; x++) for (let y = x + 1; y < rows.length; y++) got.add(rows[x], rows[y], 0);
    const a = got.toPairs();
    const e = expected.toPairs();
    assert.equal(a.count, e.count, `${count} table shards: pair count`);
    assert.deepEqual(Array.from(a.i), Array.from(e.i));
    assert.deepEqual(Array.from(a.j), Array.from(e.j));
    assert.deepEqual(Array.from(a.distance), Array.from(e.distance));
    const manifest = join(tmp.dir, `m${count}`, 'dedupe-manifest.json');
    await clusterShards({ hashDir: dir, pairDir: out, manifestPath: manifest });
    manifests.push(readFileSync(manifest, 'utf8'));
  }
  assert.ok(
    manifests.every((m) => m === manifests[0]),
    'the same manifest whatever the number of table shards',
  );
  const m = JSON.parse(manifests[0]) as { summary: { clusters: number; remove: number; skipped: number }; settings: { colorCheck: boolean } };
  assert.ok(m.summary.clusters > 100 && m.summary.remove > 100);
  assert.equal(m.summary.skipped, Math.ceil((n - 5) / 97));
  // A re-planned hash set makes the pair shards stale: the merge refuses them.
  await planShards(dir, { threshold: 0.15 });
  await assert.rejects(readPairShards(join(dir, 'pairs-2'), dir, (await import('./planShards.js')).readPlan(dir)), /searched another plan/);
});
