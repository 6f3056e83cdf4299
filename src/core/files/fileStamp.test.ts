import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileStamp } from './fileStamp.js';

test('fileStamp: "none" for no file; changes with the content even when the mtime is set back; stable otherwise', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'md-stamp-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'a');
  assert.equal(fileStamp(file), 'none');
  writeFileSync(file, 'abc');
  // A whole second, which every file system and utimes hold exactly, so setting it back below is exact.
  const second = 1_700_000_000;
  utimesSync(file, second, second);
  const first = fileStamp(file);
  assert.match(first, /^3:\d+:[\d.]+:[\d.]+$/);
  assert.equal(fileStamp(file), first);
  await new Promise((r) => setTimeout(r, 20));
  writeFileSync(file, 'xyz');
  utimesSync(file, second, second);
  const now = fileStamp(file).split(':');
  const was = first.split(':');
  if (now[2] !== was[2]) return t.skip(`this file system did not take the mtime back exactly (${now[2]} vs ${was[2]})`);
  assert.deepEqual(now.slice(0, 3), was.slice(0, 3), 'same size, inode and mtime');
  assert.notEqual(now[3], was[3], 'but the ctime moved, and the stamp says so');
  assert.notEqual(fileStamp(file), first);
});
