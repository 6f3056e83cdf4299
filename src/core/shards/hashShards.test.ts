import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashFiles } from '../hashing/hashFiles.js';
import { hashStringToBytes } from '../hashers/format.js';
import { hasherKey } from '../hashers/registry.js';
import { writeImage } from '../testing/images.js';
import { tempDir } from '../testing/tempDir.js';
import { readHashShard } from './hashShardRows.js';
import { writeHashShard } from './hashShards.js';
import { readShardSet, shardParquet } from './shardSet.js';

// The union of N shards must be what one process gives, for N = 1..4, with nothing but files on disk.

let tmp: ReturnType<typeof tempDir>;
before(() => (tmp = tempDir('md-shards-')));
after(() => tmp.cleanup());

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
