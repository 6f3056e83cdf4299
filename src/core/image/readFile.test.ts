import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sparseFakeJpeg } from '../testing/hostileFolders.js';
import { makePng } from '../testing/png.js';
import { tempDir } from '../testing/tempDir.js';
import { BufferPool } from './pixelPool.js';
import { readFileBytes, SNIFF_BYTES } from './readFile.js';
import { DEFAULT_SIZE_LIMITS, limitFor, normalizeSizeLimits, parseSizeLimit } from './sizeLimits.js';

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
};

test('readFileBytes: the first bytes are sniffed before the rest is read; over the limit for the real format is TOO_LARGE', () => {
  const { dir, cleanup } = tempDir();
  try {
    const big = join(dir, 'big.jpg');
    sparseFakeJpeg(big, 2 ** 30 + 1); // one byte over 1 GiB, sparse: no disk space
    let err: (Error & { code?: string }) | undefined;
    const t0 = performance.now();
    try {
      readFileBytes(big);
    } catch (e) {
      err = e as typeof err;
    }
    assert.equal(err?.code, 'TOO_LARGE');
    assert.match(err!.message, /1\.0 GiB.*256\.0 MiB limit for one JPEG file.*--max-file-size jpeg=SIZE/);
    // Reading 1 GiB of zeros takes far longer than one 4 KiB read; a generous bound that still tells them apart.
    assert.ok(performance.now() - t0 < 500, `refused in ${performance.now() - t0} ms`);

    // Limits are per sniffed format, settable per format or for all.
    const png = join(dir, 'small.png');
    writeFileSync(png, makePng(1));
    const size = makePng(1).length;
    assert.equal(readFileBytes(png).size, size);
    assert.equal(
      codeOf(() => readFileBytes(png, { png: size - 1 })),
      'TOO_LARGE',
    );
    assert.equal(
      codeOf(() => readFileBytes(png, { '*': size - 1 })),
      'TOO_LARGE',
    );
    assert.equal(readFileBytes(png, { jpeg: 10 }).size, size);
    assert.equal(
      codeOf(() => readFileBytes(png, size - 1)),
      'TOO_LARGE',
    );

    // A file that is not an image stops after its first bytes, whatever its name says.
    const text = join(dir, 'notes.jpg');
    writeFileSync(text, 'x'.repeat(3 * SNIFF_BYTES));
    assert.equal(
      codeOf(() => readFileBytes(text)),
      'NOT_AN_IMAGE',
    );
    // Files shorter than the sniff window and longer than it read whole, byte for byte.
    const data = Buffer.concat([makePng(2), Buffer.alloc(SNIFF_BYTES * 2, 7)]);
    writeFileSync(join(dir, 'long.png'), data);
    assert.deepEqual(readFileBytes(join(dir, 'long.png')).data, data);
  } finally {
    cleanup();
  }
});

test('readFileBytes into a pool: the same bytes in a reused buffer; a refused file gives its buffer back', () => {
  const { dir, cleanup } = tempDir('media-dedupe-readpool-');
  try {
    const pool = new BufferPool(2);
    const long = Buffer.concat([makePng(2), Buffer.alloc(SNIFF_BYTES * 2, 7)]);
    const short = makePng(2);
    writeFileSync(join(dir, 'long.png'), long);
    writeFileSync(join(dir, 'short.png'), short);
    writeFileSync(join(dir, 'notes.png'), 'x'.repeat(SNIFF_BYTES + 100));
    const first = readFileBytes(join(dir, 'long.png'), undefined, pool).data;
    assert.deepEqual(first, long);
    pool.release(first);
    // The next file, smaller, is read into the same memory, whole.
    const second = readFileBytes(join(dir, 'short.png'), undefined, pool).data;
    assert.deepEqual(second, short);
    assert.equal(second.buffer, first.buffer);
    pool.release(second);
    // Refused after its first bytes: the buffer it was read into is back in the pool for the next file.
    assert.equal(
      codeOf(() => readFileBytes(join(dir, 'notes.png'), undefined, pool)),
      'NOT_AN_IMAGE',
    );
    assert.equal(pool.take(10).buffer, first.buffer);
    // Releasing bytes the pool never gave is a no-op: the next buffer is a fresh one, not those bytes.
    const foreign = Buffer.alloc(10);
    pool.release(foreign);
    assert.notEqual(pool.take(10).buffer, foreign.buffer);
  } finally {
    cleanup();
  }
});

test('readFileBytes into a pool: a non-image or over-limit file gets the codes it gets without one, and no buffer of its size', () => {
  const { dir, cleanup } = tempDir('media-dedupe-readpool-');
  try {
    class CountingPool extends BufferPool {
      readonly sizes: number[] = [];
      override take(bytes: number): Buffer {
        this.sizes.push(bytes);
        return super.take(bytes);
      }
    }
    const pool = new CountingPool(2);
    const big = join(dir, 'big.jpg');
    sparseFakeJpeg(big, 2 ** 30 + 1); // over the default 1 GiB: TOO_LARGE, sparse so no disk space
    const video = join(dir, 'clip.jpg');
    writeFileSync(video, Buffer.concat([Buffer.from('\0\0\0\x18ftypmp42\0\0\0\0mp42isom', 'latin1'), Buffer.alloc(SNIFF_BYTES * 4)]));
    const overLimit = join(dir, 'over.png');
    writeFileSync(overLimit, Buffer.concat([makePng(2), Buffer.alloc(SNIFF_BYTES * 2)]));
    const cases: Array<[string, number | undefined, string]> = [
      [big, undefined, 'TOO_LARGE'],
      [video, undefined, 'NOT_AN_IMAGE'],
      [overLimit, SNIFF_BYTES, 'TOO_LARGE'],
    ];
    for (const [path, limit, code] of cases) {
      assert.equal(
        codeOf(() => readFileBytes(path, limit)),
        code,
        path,
      );
      assert.equal(
        codeOf(() => readFileBytes(path, limit, pool)),
        code,
        `${path} with a pool`,
      );
    }
    assert.deepEqual(pool.sizes, [], 'nothing was taken from the pool for a refused file');
    // A file that passes is still read whole into one pooled buffer of its size.
    const ok = readFileBytes(overLimit, undefined, pool).data;
    assert.deepEqual(pool.sizes, [SNIFF_BYTES * 2 + makePng(2).length]);
    assert.equal(ok.length, pool.sizes[0]);
  } finally {
    cleanup();
  }
});

test('readFileBytes: every file is sniffed in one scratch, but what it returns is its own (a later read does not change it)', () => {
  const { dir, cleanup } = tempDir();
  try {
    const pool = new BufferPool(2);
    const files = [makePng(1), makePng(3), Buffer.concat([makePng(2), Buffer.alloc(SNIFF_BYTES, 9)]), makePng(5)];
    files.forEach((b, i) => writeFileSync(join(dir, `${i}.png`), b));
    for (const withPool of [undefined, pool]) {
      const read = files.map((_, i) => readFileBytes(join(dir, `${i}.png`), undefined, withPool).data);
      read.forEach((d, i) => assert.deepEqual(d, files[i], `file ${i}${withPool ? ' pooled' : ''} still holds its bytes after the others were read`));
      // Nothing returned shares memory with another file's bytes.
      for (let i = 0; i < read.length; i++)
        for (let j = i + 1; j < read.length; j++) {
          const [a, b] = [read[i]!, read[j]!];
          const overlap = a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.length && b.byteOffset < a.byteOffset + a.length;
          assert.equal(overlap, false, `files ${i} and ${j}`);
        }
    }
  } finally {
    cleanup();
  }
});

test('size limits: defaults per format, the * entry for all, parsing of --max-file-size', () => {
  assert.equal(limitFor(undefined, 'jpeg'), 256 * 2 ** 20);
  assert.equal(limitFor(undefined, 'tiff'), 2 ** 30);
  assert.equal(limitFor(undefined, 'somethingnew'), DEFAULT_SIZE_LIMITS['*']);
  assert.equal(limitFor({ '*': 5 }, 'tiff'), 5);
  assert.equal(limitFor({ '*': 5, tiff: 9 }, 'tiff'), 9);
  assert.equal(limitFor(7, 'png'), 7);
  assert.deepEqual(parseSizeLimit('2G'), ['*', 2 * 2 ** 30]);
  assert.deepEqual(parseSizeLimit('png=600M'), ['png', 600 * 2 ** 20]);
  assert.deepEqual(parseSizeLimit('jpeg=1.5GiB'), ['jpeg', 1.5 * 2 ** 30]);
  assert.deepEqual(parseSizeLimit('4096'), ['*', 4096]);
  for (const bad of ['', 'big', 'png=', '=5M', '-1', '0', 'png=5X']) assert.throws(() => parseSizeLimit(bad), /--max-file-size/, bad);
  assert.deepEqual(normalizeSizeLimits({ png: 10, '*': 20 }), { png: 10, '*': 20 });
  assert.throws(() => normalizeSizeLimits({ png: -1 }), /maxFileBytes\.png/);
  assert.throws(() => normalizeSizeLimits([1]), /maxFileBytes/);
});
