import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { annoyAvailable } from '../annoy/annoyAddon.js';
import { CACHE_DIR_NAME } from '../cache/cacheDir.js';
import { createHasher } from '../hashers/registry.js';
import { scanFolder } from '../scan/scanFolder.js';
import { writeImage } from '../testing/images.js';
import { tempDir } from '../testing/tempDir.js';
import { findSimilar } from './findSimilar.js';
import { nearest } from './nearest.js';

test('findSimilar: the saved hashes of the last scan, nearest first; the index and an exact comparison agree', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const data = join(dir, 'data');
    mkdirSync(data);
    await writeImage(join(data, 'a.jpg'), 1);
    await writeImage(join(data, 'b.jpg'), 2);
    await writeImage(join(data, 'c.jpg'), 3);
    await writeImage(join(dir, 'probe.png'), 2, { kind: 'png', scale: 0.5 });
    await assert.rejects(findSimilar({ image: join(dir, 'probe.png'), dataset: data, hasher: { name: 'phash' }, k: 2 }), { code: 'INVALID_OPTION' });

    await scanFolder(data);
    // The scan builds no query index: the first query builds it, beside the hashes it indexes.
    const annoyFiles = (): string[] => readdirSync(join(data, CACHE_DIR_NAME)).filter((n) => n.startsWith('annoy-'));
    assert.deepEqual(annoyFiles(), []);
    const query = { image: join(dir, 'probe.png'), dataset: data, hasher: { name: 'phash', hashSize: 16 }, k: 3 };
    const r = await findSimilar(query);
    assert.equal(r.method, annoyAvailable() ? 'index' : 'exact');
    if (annoyAvailable()) assert.ok(annoyFiles().length > 0, 'the first query saved the index for the next ones');
    assert.deepEqual([r.dataset, r.hasher, r.threshold, r.searched], [data, 'phash16', 0.2, 3]);
    assert.deepEqual(r.results.map((f) => f.path).sort(), ['a.jpg', 'b.jpg', 'c.jpg']);
    assert.equal(r.results[0].path, 'b.jpg');
    assert.equal(r.results[0].duplicate, true);
    assert.ok(r.results.every((f, i) => f.duplicate === f.distance < 0.2 && (i === 0 || f.distance >= r.results[i - 1].distance)));
    const exact = await findSimilar({ ...query, exact: true });
    assert.equal(exact.method, 'exact');
    assert.deepEqual(exact.results, r.results);
    // The threshold given is the one "duplicate" is judged by; the order does not depend on it.
    const strict = await findSimilar({ ...query, hasher: { ...query.hasher, threshold: 0 } });
    assert.deepEqual(
      strict.results.map((f) => [f.path, f.duplicate]),
      r.results.map((f) => [f.path, false]),
    );

    // A hasher the scan did not use, named as the caller names it.
    await assert.rejects(findSimilar({ ...query, hasher: { name: 'dhash' } }), /no saved dhash16 hashes there\) for hasher but received "dhash16"/);
    await assert.rejects(
      findSimilar({ ...query, hasher: { name: 'dhash' }, shownAs: { hasherOption: '--hasher', hasherArg: 'dhash' } }),
      /for --hasher but received "dhash"/,
    );
    await assert.rejects(findSimilar({ ...query, k: 0 }), { code: 'INVALID_OPTION' });
  } finally {
    cleanup();
  }
});

test('nearest: exact distances to the closest query variant, ties broken by path', () => {
  const hasher = createHasher('phash', { hashSize: 4 });
  const h = (bits: string): string => Buffer.from([parseInt(bits.slice(0, 8), 2), parseInt(bits.slice(8), 2)]).toString('base64');
  const data = [
    { path: 'z.jpg', hash: h('1111000000000000') },
    { path: 'a.jpg', hash: h('1111000000000000') },
    { path: 'm.jpg', hash: h('0000000000001111') },
  ];
  assert.deepEqual(nearest([h('1110000000000000')], data, hasher, 2), [
    { path: 'a.jpg', distance: 1 / 16 },
    { path: 'z.jpg', distance: 1 / 16 },
  ]);
  assert.deepEqual(nearest([h('1110000000000000'), h('0000000000001111')], data, hasher, 1), [{ path: 'm.jpg', distance: 0 }]);
});
