import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildManifest, readManifest, serializeManifest } from './index.js';
import { writeManifestFile } from './io.js';
import { fakeResult } from '../testing/manifestFixtures.js';
import { tempDir } from '../testing/tempDir.js';

test('writeManifestFile: canonical bytes, no temp file left behind, an identical file is left untouched', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'dedupe-manifest.json');
    const m = buildManifest(fakeResult());
    assert.equal((await writeManifestFile(path, m, undefined)).written, true);
    assert.equal(readFileSync(path, 'utf8'), serializeManifest(m));
    assert.deepEqual(readdirSync(dir), ['dedupe-manifest.json']);
    const before = statSync(path).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    assert.equal((await writeManifestFile(path, m, readFileSync(path, 'utf8'))).written, false);
    assert.equal(statSync(path).mtimeMs, before);
  } finally {
    cleanup();
  }
});

test('readManifest: null when absent; round-trips what writeManifestFile wrote', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'dedupe-manifest.json');
    assert.equal(await readManifest(path), null);
    const m = buildManifest(fakeResult());
    await writeManifestFile(path, m, undefined);
    const back = await readManifest(path);
    assert.equal(serializeManifest(back!), serializeManifest(m));
  } finally {
    cleanup();
  }
});

test('readManifest: a broken file gives a clear error naming the file and the problem', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'dedupe-manifest.json');
    writeFileSync(path, '{"version": 1, "remove": [');
    await assert.rejects(
      readManifest(path),
      (e: Error & { code?: string }) => e.code === 'INVALID_OPTION' && e.message.includes(path) && /is not valid JSON/.test(e.message),
    );
    writeFileSync(path, JSON.stringify({ version: 1, remove: [] }));
    await assert.rejects(readManifest(path), /is not a valid dedupe manifest: \(root\): missing required field "generator"/);
    writeFileSync(path, JSON.stringify({ version: 7 }));
    await assert.rejects(readManifest(path), /version 7 manifest, written by a newer media-dedupe/);
  } finally {
    cleanup();
  }
});
