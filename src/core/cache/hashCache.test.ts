import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, linkSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheFileName, HashCache, listCaches, type CacheEntry } from './hashCache.js';
import { ISOMETRIC_KEYS } from '../hashers/types.js';
import { tempDir } from '../testing/tempDir.js';
import { spareCacheDir } from './cacheDir.js';

const opts = (log?: (m: string) => void) => ({ settingsKey: 'cache-v1|engine-test|phash:hashSize=16', hashKeys: ['phash:hashSize=16'], log });
const entry = (path: string, extra: Partial<CacheEntry> = {}): CacheEntry => ({
  path,
  size: 100,
  mtimeMs: 1700000000000.5,
  width: 64,
  height: 48,
  fingerprint: 'ab'.repeat(32),
  hashes: { 'phash:hashSize=16': 'AAAA' },
  ...extra,
});
const fileOf = (root: string): string => join(root, '.media-dedupe', cacheFileName(opts().settingsKey));

test('cache: entries written during a scan are found by the next one, keyed by path, size and mtime', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const c = await HashCache.open(dir, opts());
    c.put(entry('a.jpg'));
    // All eight variants: an entry missing one is a miss (the pair search reads every variant).
    c.put(entry('b.jpg', { isometric: { 'phash:hashSize=16': Object.fromEntries(ISOMETRIC_KEYS.map((k) => [k, 'AAAA'])) } }));
    c.put({ path: 'bad.jpg', size: 3, mtimeMs: 1, error: { code: 'CORRUPT_IMAGE', message: 'broken' } });
    c.put({ path: 'locked.jpg', size: 3, mtimeMs: 1, error: { code: 'UNREADABLE', message: 'permission denied' } }); // not worth caching
    await c.close();
    assert.equal(readFileSync(join(dir, '.media-dedupe', '.gitignore'), 'utf8'), '*\n');

    const again = await HashCache.open(dir, opts());
    assert.equal(again.size, 3);
    assert.deepEqual(again.lookup('a.jpg', 100, 1700000000000.5, false), entry('a.jpg'));
    assert.equal(again.lookup('a.jpg', 101, 1700000000000.5, false), undefined, 'size changed');
    assert.equal(again.lookup('a.jpg', 100, 1700000000001, false), undefined, 'mtime changed');
    assert.equal(again.lookup('a.jpg', 100, 1700000000000.5, true), undefined, 'isometric variants needed but not cached');
    assert.ok(again.lookup('b.jpg', 100, 1700000000000.5, true));
    assert.equal(again.lookup('bad.jpg', 3, 1, false)?.error?.code, 'CORRUPT_IMAGE');
    assert.equal(again.lookup('locked.jpg', 3, 1, false), undefined);
    await again.close();
  } finally {
    cleanup();
  }
});

test('cache: a results batch reaches the disk before close, so a killed scan keeps its work', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const c = await HashCache.open(dir, opts());
    for (let i = 0; i < 100; i++) c.put(entry(`f${i}.jpg`));
    // No close(): as if the process died here. 64 entries were flushed in one batch.
    const lines = readFileSync(fileOf(dir), 'utf8').split('\n').filter(Boolean);
    assert.ok(lines.length >= 65, `${lines.length} lines on disk`);
    await c.close();
  } finally {
    cleanup();
  }
});

test('cache: a torn last line and corrupt lines are dropped (and logged), the file is rebuilt clean', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const c = await HashCache.open(dir, opts());
    c.put(entry('a.jpg'));
    c.put(entry('b.jpg'));
    c.put(entry('c.jpg'));
    await c.close();
    const file = fileOf(dir);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[2] = lines[2].replace('"b.jpg"', '"B.jpg"'); // bit rot: valid JSON, wrong checksum
    writeFileSync(file, lines.join('\n'));
    appendFileSync(file, '{"p":"half-writ'); // killed mid-write

    const logs: string[] = [];
    const again = await HashCache.open(
      dir,
      opts((m) => logs.push(m)),
    );
    assert.equal(again.size, 2);
    assert.ok(again.lookup('a.jpg', 100, 1700000000000.5, false));
    assert.equal(again.lookup('b.jpg', 100, 1700000000000.5, false), undefined);
    assert.equal(again.lookup('B.jpg', 100, 1700000000000.5, false), undefined, 'a damaged line is never trusted');
    assert.ok(
      logs.some((l) => /1 corrupt line/.test(l)),
      logs.join('\n'),
    );
    assert.ok(
      logs.some((l) => /half-written last line/.test(l)),
      logs.join('\n'),
    );
    await again.close();
    const clean = readFileSync(file, 'utf8');
    assert.ok(clean.endsWith('\n'));
    assert.equal(clean.split('\n').filter(Boolean).length, 3); // header + 2 entries

    writeFileSync(file, 'garbage\x00\x01 not a cache at all');
    const logs2: string[] = [];
    const rebuilt = await HashCache.open(
      dir,
      opts((m) => logs2.push(m)),
    );
    assert.equal(rebuilt.size, 0);
    assert.ok(
      logs2.some((l) => /rebuilding/.test(l)),
      logs2.join('\n'),
    );
    await rebuilt.close();
  } finally {
    cleanup();
  }
});

test('cache: close() with the walked paths compacts away deleted files and superseded lines', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const c = await HashCache.open(dir, opts());
    c.put(entry('a.jpg'));
    c.put(entry('gone.jpg'));
    c.put(entry('a.jpg', { size: 200 })); // re-hashed after a change: supersedes the first line
    await c.close(new Set(['a.jpg']));
    const lines = readFileSync(fileOf(dir), 'utf8').split('\n').filter(Boolean);
    assert.equal(lines.length, 2);
    const again = await HashCache.open(dir, opts());
    assert.equal(again.lookup('a.jpg', 200, 1700000000000.5, false)?.size, 200);
    assert.equal(again.size, 1);
    await again.close(new Set(['a.jpg']));
    // Unchanged: not rewritten.
    assert.equal(readdirSync(join(dir, '.media-dedupe')).filter((n) => n.endsWith('.tmp')).length, 0);
  } finally {
    cleanup();
  }
});

test('cache: one file per hasher configuration; listCaches finds them by their headers; readOnly writes nothing', async () => {
  const { dir, cleanup } = tempDir();
  try {
    assert.deepEqual(await listCaches(dir), []);
    const ro = await HashCache.readOnly(dir, opts());
    assert.equal(ro.size, 0);
    assert.equal(existsSync(join(dir, '.media-dedupe')), false);
    const other = { settingsKey: 'cache-v1|engine-test|dhash:hashSize=16', hashKeys: ['dhash:hashSize=16'] };
    const a = await HashCache.open(dir, opts());
    a.put(entry('a.jpg'));
    await a.close();
    const b = await HashCache.open(dir, other);
    await b.close();
    const found = await listCaches(dir);
    assert.deepEqual(found.map((f) => f.settingsKey).sort(), [opts().settingsKey, other.settingsKey].sort());
    const read = await HashCache.readOnly(dir, opts());
    assert.equal([...read.all()].length, 1);
  } finally {
    cleanup();
  }
});

test('cache: a line that passes its checksum but holds a wrong field is a miss, never fatal (forged or foreign writer)', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const key = 'phash:hashSize=16';
    const strict = { ...opts(), hashBytes: { [key]: 32 } };
    const good = Buffer.alloc(32, 7).toString('base64');
    const c = await HashCache.open(dir, strict);
    c.put(entry('ok.jpg', { hashes: { [key]: good } }));
    c.put(entry('short-hash.jpg', { hashes: { [key]: 'AAAA' } })); // 3 bytes, not 32
    c.put(entry('bad-fingerprint.jpg', { hashes: { [key]: good }, fingerprint: 'not-a-sha256' }));
    c.put(entry('zero-width.jpg', { hashes: { [key]: good }, width: 0 }));
    c.put(entry('missing-variant.jpg', { hashes: { [key]: good }, isometric: { [key]: { r0: good } } }));
    await c.close();
    const again = await HashCache.open(dir, strict);
    assert.deepEqual(
      [...again.all()].map((e) => e.path),
      ['ok.jpg'],
    );
    for (const p of ['short-hash.jpg', 'bad-fingerprint.jpg', 'zero-width.jpg', 'missing-variant.jpg'])
      assert.equal(again.lookup(p, 100, 1700000000000.5, false), undefined, p);
    await again.close();
  } finally {
    cleanup();
  }
});

test('cache: a folder that stops taking writes moves the entries to the spare cache by replacing it whole, not writing into the file there', async () => {
  const { dir, cleanup } = tempDir();
  const xdg = process.env.XDG_CACHE_HOME;
  try {
    process.env.XDG_CACHE_HOME = join(dir, 'xdg');
    const root = join(dir, 'data');
    mkdirSync(root);
    const logs: string[] = [];
    const c = await HashCache.open(
      root,
      opts((m) => logs.push(m)),
    );
    c.put(entry('a.jpg'));
    c.flush();
    // An earlier spare file, hard-linked elsewhere (a reader holding the old one sees the same): a write
    // into it would change the other name too; a replace leaves that file as it was.
    const spare = join(spareCacheDir(root), cacheFileName(opts().settingsKey));
    mkdirSync(spareCacheDir(root), { recursive: true });
    const other = join(dir, 'other');
    writeFileSync(other, 'an older spare cache\n');
    linkSync(other, spare);
    // The folder's cache is gone and cannot be reopened: the next flush fails and moves to the spare.
    rmSync(join(root, '.media-dedupe'), { recursive: true });
    writeFileSync(join(root, '.media-dedupe'), 'a file where the folder was');
    (c as unknown as { closeFd(): void }).closeFd();
    c.put(entry('b.jpg'));
    c.flush();
    assert.match(logs.join('\n'), /hashes are saved in .* instead/);
    assert.equal(readFileSync(other, 'utf8'), 'an older spare cache\n');
    assert.deepEqual(readdirSync(spareCacheDir(root)).sort(), ['folder.txt', cacheFileName(opts().settingsKey)].sort());
    await c.close();
    const saved = await HashCache.readOnly(root, opts());
    assert.deepEqual(saved.lookup('b.jpg', 100, 1700000000000.5, false), entry('b.jpg'));
    assert.deepEqual(saved.lookup('a.jpg', 100, 1700000000000.5, false), entry('a.jpg'));
  } finally {
    if (xdg === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = xdg;
    cleanup();
  }
});
