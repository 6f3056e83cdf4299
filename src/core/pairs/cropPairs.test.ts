import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildManifest, serializeManifest, validateManifest } from '../manifest/index.js';
import { scanFolder } from '../scan/scanFolder.js';
import { writeImage } from '../testing/images.js';
import { tempDir } from '../testing/tempDir.js';
import { encodeHash } from '../hashers/format.js';
import type { Pair } from '../types.js';
import { WHOLE_VIEW } from '../crops/viewColors.js';
import { cropViewsAgree, findCropPairs, viewsOfFile } from './cropPairs.js';
import type { HashTable } from './tablePairs.js';

/** An original, a copy with 10 % borders, a copy cropped by 8 % at the top left, and unrelated pictures. */
async function dataset(dir: string): Promise<void> {
  const size = { width: 192, height: 144 };
  await writeImage(join(dir, 'a.png'), 11, { kind: 'png', ...size });
  await writeImage(join(dir, 'a_border.png'), 11, { kind: 'png', ...size, border: 0.1 });
  await writeImage(join(dir, 'a_white_border.jpg'), 11, { ...size, border: 0.1, borderColour: { r: 255, g: 255, b: 255 } });
  await writeImage(join(dir, 'a_crop.png'), 11, { kind: 'png', ...size, crop: 0.08 });
  for (const s of [21, 22, 23, 24, 25]) await writeImage(join(dir, `other${s}.png`), s, { kind: 'png', ...size });
}

const has = (pairs: readonly Pair[], a: string, b: string): Pair | undefined => pairs.find((p) => p.a === a && p.b === b);

test('crop-resistant scan: a copy with 10 % borders (black or white) pairs with its original only with the flag, marked how it matched', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await dataset(dir);
    const plain = await scanFolder(dir, { useCache: false });
    assert.equal(has(plain.pairs, 'a.png', 'a_border.png'), undefined, 'a plain scan misses the bordered copy');
    assert.equal(has(plain.pairs, 'a.png', 'a_white_border.jpg'), undefined);
    assert.equal(has(plain.pairs, 'a.png', 'a_crop.png'), undefined, 'and the copy cropped by 8 %');
    assert.equal(plain.options.cropResistant, undefined, 'off by default, and absent from the options');
    const crop = await scanFolder(dir, { useCache: false, cropResistant: true });
    assert.equal(has(crop.pairs, 'a.png', 'a_border.png')?.via, 'content-box');
    assert.equal(has(crop.pairs, 'a.png', 'a_white_border.jpg')?.via, 'content-box');
    assert.equal(has(crop.pairs, 'a.png', 'a_crop.png')?.via, 'crop-window', 'the cropped copy is found in a window');
    // Pairs the plain scan found are still there, unmarked, with their distances.
    for (const p of plain.pairs) assert.deepEqual(has(crop.pairs, p.a, p.b), p);
    // No unrelated picture is paired with anything.
    assert.deepEqual(
      crop.pairs.filter((p) => p.a.startsWith('other') || p.b.startsWith('other')),
      [],
    );
    for (const p of crop.pairs.filter((q) => q.via !== undefined)) assert.ok(p.via === 'content-box' || p.via === 'crop-window', String(p.via));
    // The manifest records the setting and each pair's way of matching, and is valid.
    const m = buildManifest(crop);
    assert.equal(m.settings.cropResistant, true);
    assert.equal(m.pairs?.find((p) => p.a === 'a.png' && p.b === 'a_border.png')?.via, 'content-box');
    assert.deepEqual(validateManifest(JSON.parse(serializeManifest(m))), []);
    assert.equal(buildManifest(plain).settings.cropResistant, undefined);
  } finally {
    cleanup();
  }
});

test('crop-resistant scan and the cache: a plain scan keeps its cache; a crop-resistant re-scan of unchanged files hashes nothing', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await dataset(dir);
    const first = await scanFolder(dir);
    assert.equal(first.stats.hashed, 9);
    // The plain cache has no crop hashes: the crop-resistant scan hashes every file again (once).
    const crop = await scanFolder(dir, { cropResistant: true });
    assert.equal(crop.stats.hashed, 9);
    const again = await scanFolder(dir, { cropResistant: true });
    assert.equal(again.stats.hashed, 0, 'crop hashes are cached');
    assert.deepEqual(again.pairs, crop.pairs);
    const plain = await scanFolder(dir);
    assert.equal(plain.stats.hashed, 0, 'a plain scan reads the same cache');
    assert.deepEqual(plain.pairs, first.pairs);
  } finally {
    cleanup();
  }
});

test('findCropPairs adds no pair whose whole hashes are within the threshold (the plain search owns it, listed or left implied by its node)', async () => {
  const bits = (seed: number, flip = 0): string => {
    const b = Uint8Array.from({ length: 256 }, (_, i) => ((i * 7919 + seed * 104729) >> 3) & 1);
    for (let i = 0; i < flip; i++) b[i * 3] ^= 1;
    return encodeHash(b, 'bool');
  };
  const far = bits(1, 80); // 80 of 256 bits from bits(1): beyond phash16's 0.2
  const table = (wholes: string[], crops: (string | null)[][]): HashTable => ({
    key: 'phash',
    label: 'phash16',
    threshold: 0.2,
    dtype: 'bool',
    metric: 'hamming',
    length: 256,
    hashes: wholes,
    crops,
  });
  const windows = (w: string): (string | null)[] => [null, w, ...Array.from({ length: 8 }, (_, k) => bits(100 + k))];
  const paths = ['a.png', 'b.png'];
  // b's first window is a's whole hash; the whole hashes are 3 bits apart (near-identical): nothing is added.
  const near = await findCropPairs(
    { paths, tables: [table([bits(1), bits(1, 1)], [windows(bits(50)), windows(bits(1))])], isometric: false, approximateAbove: Infinity },
    [],
  );
  assert.deepEqual(near, []);
  // The same window match with the whole hashes 80 bits apart is a crop pair.
  const added = await findCropPairs(
    { paths, tables: [table([bits(1), far], [windows(bits(50)), windows(bits(1))])], isometric: false, approximateAbove: Infinity },
    [],
  );
  assert.deepEqual(
    added.map((p) => [p.a, p.b, p.via]),
    [['a.png', 'b.png', 'crop-window']],
  );
  // The colour check is asked about the views that matched (a's whole picture, b's first window) and can drop the pair.
  const asked: unknown[] = [];
  const input = { paths, tables: [table([bits(1), far], [windows(bits(50)), windows(bits(1))])], isometric: false, approximateAbove: Infinity };
  const kept = await findCropPairs({ ...input, cropCheck: (...args) => (asked.push(args), true) }, []);
  assert.equal(kept.length, 1);
  assert.deepEqual(asked, [['a.png', 'b.png', WHOLE_VIEW, 1]]);
  assert.deepEqual(await findCropPairs({ ...input, cropCheck: () => false }, []), []);
});

test('viewsOfFile and cropViewsAgree: the views of one file as vectors, and the check asked about the views that made the pair (as compare asks it)', () => {
  const bits = (seed: number, flip = 0): string => {
    let x = seed * 2654435761;
    const b = Uint8Array.from({ length: 256 }, () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 16) & 1);
    for (let i = 0; i < flip; i++) b[i * 3] ^= 1;
    return encodeHash(b, 'bool');
  };
  const a = viewsOfFile(bits(1), [null, bits(20), ...Array.from({ length: 8 }, (_, k) => bits(30 + k))], 'bool', 256);
  // b: no crop hashes (a file hashed without them) has its whole hash only; a content box and window 3 near a's whole.
  const bare = viewsOfFile(bits(2), undefined, 'bool', 256);
  assert.ok(bare(WHOLE_VIEW));
  assert.equal(bare(0), null);
  assert.equal(bare(3), null);
  assert.equal(a(0), null, 'no content box');
  assert.equal(viewsOfFile(null, undefined, 'bool', 256)(WHOLE_VIEW), null);
  const b = viewsOfFile(bits(2), [bits(1, 30), bits(40), bits(41), bits(1, 2), ...Array.from({ length: 6 }, (_, k) => bits(50 + k))], 'bool', 256);
  for (const [via, want] of [
    ['content-box', [WHOLE_VIEW, 0]],
    ['crop-window', [WHOLE_VIEW, 3]],
  ] as const) {
    const asked: number[][] = [];
    for (const answer of [true, false])
      assert.equal(
        cropViewsAgree('hamming', a, b, via, (va, vb) => (asked.push([va, vb]), answer)),
        answer,
      );
    assert.deepEqual(asked, [want, want], via);
  }
});
