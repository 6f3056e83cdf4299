import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashFiles } from '../hashing/hashFiles.js';
import { hashStringToBytes } from '../hashers/format.js';
import { hasherKey } from '../hashers/registry.js';
import { findPairs } from '../pairs/findPairs.js';
import { PackedHashes } from '../pairs/packed.js';
import { PairSet } from '../pairs/pairSet.js';
import { writeImage } from '../testing/images.js';
import { plantedFile } from '../testing/plantedHashes.js';
import { tempDir } from '../testing/tempDir.js';
import { clusterShards } from './clusterShards.js';
import { readHashShard, writeHashRows, writeHashShard, type HashShardSettings } from './hashShards.js';
import { NO_NODE, planShards, readNodes } from './planShards.js';
import { readPairShards, writePairShard } from './shardPairs.js';
import { parseShard, readShardSet, shardFromEnv, shardParquet, shardRange } from './shardSet.js';

// The union of N shards must be what one process gives, for N = 1..4, with nothing but files on disk.

let tmp: ReturnType<typeof tempDir>;
before(() => (tmp = tempDir('md-shards-')));
after(() => tmp.cleanup());

test('shard indexes: I/N, Slurm arrays, Kubernetes Indexed Jobs, contiguous ranges', () => {
  assert.deepEqual(parseShard('3/16', '--shard'), { index: 3, count: 16 });
  assert.throws(() => parseShard('16/16', '--shard'), /Expected I\/N with 0 <= I < N/);
  assert.deepEqual(shardFromEnv(undefined, undefined, { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '0' }, '--shard'), {
    index: 2,
    count: 4,
  });
  assert.throws(
    () => shardFromEnv(undefined, undefined, { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '1' }, '--shard'),
    /starts at 0/,
  );
  assert.deepEqual(shardFromEnv(undefined, 5, { JOB_COMPLETION_INDEX: '4' }, '--shard'), { index: 4, count: 5 });
  assert.throws(() => shardFromEnv(undefined, undefined, { JOB_COMPLETION_INDEX: '4' }, '--shard'), /--shard-count/);
  assert.throws(() => shardFromEnv(undefined, undefined, {}, '--shard'), /Slurm array task or Kubernetes Indexed Job/);
  for (const count of [1, 2, 3, 7]) {
    let next = 0;
    for (let index = 0; index < count; index++) {
      const r = shardRange(10, { index, count });
      assert.equal(r.start, next);
      next = r.end;
    }
    assert.equal(next, 10);
  }
});

test('hash shards: their union is the unsharded hashing, for N = 1..4; a missing shard is refused', async () => {
  const images = join(tmp.dir, 'images');
  const names: string[] = [];
  for (let s = 0; s < 3; s++) mkdirSync(join(images, `sub${s}`), { recursive: true });
  for (let k = 0; k < 14; k++) {
    const kind = k % 4 === 0 ? 'png' : 'jpeg';
    const name = `sub${k % 3}/img${k}.${kind === 'png' ? 'png' : 'jpg'}`;
    names.push(name);
    await writeImage(join(images, name), k % 9, { kind }); // seeds repeat: identical pictures too
  }
  writeFileSync(join(images, 'broken.jpg'), 'not an image');
  names.push('broken.jpg', 'missing.jpg');
  const list = join(tmp.dir, 'list.txt');
  writeFileSync(list, names.join('\n') + '\n');
  const hasher = { name: 'phash', params: { hashSize: 16 } };
  const key = hasherKey(hasher);
  const whole = await hashFiles(
    names.map((n) => join(images, n)),
    [hasher],
    { fingerprint: true },
  );
  for (let count = 1; count <= 4; count++) {
    const out = join(tmp.dir, `hashes-${count}`);
    for (let index = 0; index < count; index++)
      await writeHashShard({ listPath: list, root: images, shard: { index, count }, outDir: out, hasher, decode: { mode: 'parity' } });
    const set = readShardSet(out, 'hashes');
    assert.equal(set.length, count);
    const paths: string[] = [];
    for (const s of set) {
      const r = await readHashShard(shardParquet(out, 'hashes', { index: s.shard, count }), s.rows, 32);
      for (let k = 0; k < s.rows; k++) {
        const w = whole[paths.length];
        paths.push(r.paths[k]);
        if (w.ok) {
          assert.deepEqual(r.hashes.subarray(k * 32, k * 32 + 32), Uint8Array.from(hashStringToBytes(w.hashes[key]!)), `${r.paths[k]}: same hash`);
          assert.equal(r.sha256[k], w.sha256);
          assert.equal(r.width[k], w.width);
          assert.equal(r.size[k], w.size);
        } else assert.equal(r.error[k], w.error.code, `${r.paths[k]}: same error code`);
      }
    }
    assert.deepEqual(paths, names, `${count} shards: every listed file once, in list order`);
    if (count === 3) {
      rmSync(join(out, 'hashes-00001-of-00003.json'));
      assert.throws(() => readShardSet(out, 'hashes'), /1 of 3 hashes shards missing in .*: 1 \(re-run those tasks\)/);
    }
  }
});

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
