/** The "hash many files" pipeline: both designs give the same outcomes; cancel keeps what was done; bad files become records. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { FIXTURES_DIR } from '../testing/dataDirs.js';
import { colorSignature, decodeColorSignature } from '../hashers/colorSignature.js';
import { decodeHash, encodeHash, vectorDistance } from '../hashers/format.js';
import { createHasher, hasherKey } from '../hashers/registry.js';
import { decodeImage } from '../image/decode.js';
import { fileBytesPool } from '../image/pixelPool.js';
import { BAD_FILES as CASES, makeBadFiles, type BadFiles } from '../testing/badFiles.js';
import { hashFiles, hashFilesIter } from './hashFiles.js';

const FIXTURES = join(FIXTURES_DIR, 'images');

const KEY = hasherKey({ name: 'phash' });

const PHOTOS = ['chelsea.jpg', 'retina.jpg', 'ihc.jpg'];

test('hashFiles: the buffers the scan reused are dropped when it ends, not pinned in the process until the next one', async () => {
  const out = await hashFiles(
    PHOTOS.map((f) => join(FIXTURES, f)),
    [{ name: 'phash' }],
  );
  assert.ok(out.every((o) => o.ok));
  assert.deepEqual([fileBytesPool.size, fileBytesPool.keptBytes], [0, 0]);
});

test('hashFiles returns the colour signature of the same decoded pixels when asked, on the main thread and in workers', async () => {
  const files = PHOTOS.map((f) => join(FIXTURES, f));
  const main = await hashFiles(files, [{ name: 'phash' }], { colorSignature: true });
  for (const [i, o] of main.entries()) {
    assert.ok(o.ok);
    assert.deepEqual(decodeColorSignature(o.color), colorSignature(await decodeImage(files[i])));
  }
  assert.deepEqual(await hashFiles(files, [{ name: 'phash' }], { colorSignature: true, pipeline: 'workers', workers: 1 }), main);
  const plain = await hashFiles(files, [{ name: 'phash' }]);
  assert.ok(
    plain.every((o) => o.ok && o.color === undefined),
    'not computed unless asked',
  );
});

describe('hashFiles', () => {
  let dir: string;
  let files: string[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'md-hashfiles-'));
    files = [];
    for (const n of ['chelsea', 'retina', 'ihc']) {
      const f = join(dir, `${n}.jpg`);
      copyFileSync(join(FIXTURES_DIR, 'images', `${n}.jpg`), f);
      files.push(f);
    }
    // An EXIF-rotated copy: width and height are reported after orientation, as the hashers see it.
    const rotated = join(dir, 'rotated.jpg');
    await sharp(join(FIXTURES_DIR, 'images', 'chelsea.jpg'))
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toFile(rotated);
    files.push(rotated);
    const bad = join(dir, 'bad.jpg');
    writeFileSync(bad, 'nope');
    files.push(bad);
    const png = join(dir, 'retina.png');
    await sharp(join(FIXTURES_DIR, 'images', 'retina.jpg'))
      .png()
      .toFile(png);
    files.push(png);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  test('outcomes carry size, dimensions, format and the hash the hasher computes', async () => {
    const out = await hashFiles(files, [{ name: 'phash' }]);
    assert.equal(out.length, files.length);
    const first = out[0];
    assert.ok(first.ok);
    assert.equal(first.width, 256);
    assert.equal(first.height, 170);
    assert.equal(first.format, 'jpeg');
    assert.equal(first.size, statSync(files[0]).size);
    assert.ok(first.mtimeMs > 0);
    const direct = createHasher('phash').compute(await decodeImage(files[0]))!;
    assert.equal(first.hashes[KEY], encodeHash(direct, 'bool'));
    const rot = out[3];
    assert.ok(rot.ok);
    assert.deepEqual([rot.width, rot.height], [170, 256]);
    assert.ok(!out[4].ok && out[4].error.code === 'NOT_AN_IMAGE');
    const png = out[5];
    assert.ok(png.ok && png.format === 'png');
  });

  test('fingerprint: the SHA-256 of each file, from the bytes hashed, on both pipelines; none unless asked', async () => {
    const want = files.map((f) => createHash('sha256').update(readFileSync(f)).digest('hex'));
    for (const pipeline of ['main', 'workers'] as const) {
      const out = await hashFiles(files, [{ name: 'phash' }], { fingerprint: true, pipeline });
      out.forEach((o, i) => {
        if (o.ok) assert.equal(o.sha256, want[i], `${pipeline}: ${files[i]}`);
      });
    }
    const plain = await hashFiles(files.slice(0, 1), [{ name: 'phash' }]);
    assert.ok(plain[0].ok && plain[0].sha256 === undefined);
  });

  test('fast decode: large JPEGs shrink while decoding, dimensions stay the original ones, hashes stay near', async () => {
    const parity = await hashFiles(files, [{ name: 'phash' }]);
    const fast = await hashFiles(files, [{ name: 'phash' }], { decode: { mode: 'fast', fastMinSide: 64 } });
    for (const i of [0, 3]) {
      const a = parity[i];
      const b = fast[i];
      assert.ok(a.ok && b.ok);
      assert.deepEqual([b.width, b.height], [a.width, a.height]);
      const d = vectorDistance(decodeHash(a.hashes[KEY]!, 'bool', 256), decodeHash(b.hashes[KEY]!, 'bool', 256), 'hamming');
      assert.ok(d < 0.1, `fast-mode hash ${d} away`);
    }
    const img = await decodeImage(files[3], { mode: 'fast', fastMinSide: 64 });
    assert.deepEqual([img.width, img.height, img.originalWidth, img.originalHeight], [85, 128, 170, 256]);
    // PNG has no shrink-on-load: decoded exactly as in parity mode.
    assert.equal(fast[5].ok && fast[5].hashes[KEY], parity[5].ok && parity[5].hashes[KEY]);
  });

  test('several hashers, duplicates collapse to one key; isometric variants', async () => {
    const specs = [{ name: 'phash' }, { name: 'phash', hashSize: 16 }, { name: 'pdq' }, { name: 'whash' }];
    const [o] = await hashFiles(files.slice(0, 1), specs, { isometric: true, format: 'hex' });
    assert.ok(o.ok);
    assert.deepEqual(Object.keys(o.hashes), [KEY, 'pdq', hasherKey({ name: 'wavelet' })]);
    for (const k of Object.keys(o.hashes)) {
      assert.match(o.hashes[k]!, /^[0-9a-f]{64}$/);
      assert.equal(o.isometric![k].r0, o.hashes[k]);
      assert.equal(Object.keys(o.isometric![k]).length, 8);
    }
  });

  test('bad hasher settings fail at once, before any file', async () => {
    await assert.rejects(hashFiles(files, [{ name: 'phash', hashSize: 1 }]), /Expected an integer between 2 and 64 for hash-size but received 1/);
    await assert.rejects(hashFiles(files, []), /at least one hasher/);
    await assert.rejects(hashFiles(files, [{ name: 'phash' }], { concurrency: 0 }), /for concurrency but received 0/);
  });

  test('every in-flight count gives the same outcomes', async () => {
    const a = await hashFiles(files, [{ name: 'dhash' }], { concurrency: 1 });
    const b = await hashFiles(files, [{ name: 'dhash' }], { concurrency: 7 });
    assert.deepEqual(b, a);
  });

  test('the worker-thread pipeline gives the same outcomes as the main-thread one', async () => {
    const main = await hashFiles(files, [{ name: 'phash' }, { name: 'ahash' }], { isometric: true });
    const seen = new Set<number>();
    const workers = await hashFiles(files, [{ name: 'phash' }, { name: 'ahash' }], {
      isometric: true,
      pipeline: 'workers',
      workers: 2,
      concurrency: 2,
      onResult: (_o, i) => seen.add(i),
    });
    assert.deepEqual(workers, main);
    assert.equal(seen.size, files.length);
  });

  test('a bad setting reported by a worker rejects', async () => {
    await assert.rejects(hashFiles(files, [{ name: 'nope' }], { pipeline: 'workers' }), /for hasher but received "nope"/);
  });

  test('cancel: files not started are left out, what was done is kept', async () => {
    const many = Array.from({ length: 40 }, (_, i) => files[i % 3]);
    const signal = { cancelled: false };
    let reported = 0;
    const out = await hashFiles(many, [{ name: 'phash' }], {
      signal,
      concurrency: 2,
      onResult: () => {
        reported++;
        if (reported === 3) signal.cancelled = true;
      },
    });
    assert.ok(out.length >= 3 && out.length < many.length, `got ${out.length}`);
    assert.equal(out.length, reported);
    assert.ok(out.every((o) => o.ok));
  });

  test('cancel before start: nothing is hashed', async () => {
    const out = await hashFiles(files, [{ name: 'phash' }], { signal: { cancelled: true } });
    assert.deepEqual(out, []);
  });

  test('hashFilesIter yields every outcome with its index', async () => {
    const got: number[] = [];
    for await (const { outcome, index } of hashFilesIter(files, [{ name: 'phash' }])) {
      assert.equal(outcome.path, files[index]);
      got.push(index);
    }
    assert.deepEqual(
      got.sort((a, b) => a - b),
      files.map((_, i) => i),
    );
  });

  test('an empty list is fine', async () => {
    assert.deepEqual(await hashFiles([], [{ name: 'phash' }]), []);
    assert.deepEqual(await hashFiles([], [{ name: 'phash' }], { pipeline: 'workers' }), []);
  });
});

describe('hashFiles: bad files become records, the rest go on', () => {
  let bad: BadFiles;
  const p = (name: string): string => bad.p(name);
  before(async () => {
    bad = await makeBadFiles();
  });
  after(() => bad.cleanup());

  // Several bad files decode at once here: libvips shares one error buffer between them, so this also checks
  // that the codes come from each file's structure and not from whichever message the decoder left.
  for (let round = 0; round < 5; round++)
    test(`one outcome per file, in input order, with the decoder codes (round ${round + 1}, 8 in flight)`, async () => {
      const names = ['good.jpg', ...CASES.map(([f]) => f), 'good.jpg'];
      const seen: number[] = [];
      const out = await hashFiles(names.map(p), [{ name: 'phash' }], { concurrency: 8, onResult: (_o, i) => seen.push(i) });
      assert.equal(out.length, names.length);
      assert.deepEqual(
        seen.sort((a, b) => a - b),
        names.map((_, i) => i),
      );
      out.forEach((o, i) => assert.equal(o.path, p(names[i])));
      assert.ok(out[0].ok && out[out.length - 1].ok);
      for (let i = 0; i < CASES.length; i++) {
        const o = out[i + 1];
        assert.ok(!o.ok);
        assert.equal(o.error.code, CASES[i][1], `${CASES[i][0]}: ${o.error.message}`);
        assert.match(o.error.message, CASES[i][2]);
      }
    });
});
