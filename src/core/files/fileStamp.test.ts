import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileStamp } from './fileStamp.js';

test('fileStamp: "none" for no file; changes with the content even when the mtime is set back; stable otherwise', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'md-stamp-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'a');
  assert.equal(fileStamp(file), 'none');
  writeFileSync(file, 'abc');
  const first = fileStamp(file);
  assert.match(first, /^3:\d+:[\d.]+:[\d.]+$/);
  assert.equal(fileStamp(file), first);
  const { atime, mtime } = statSync(file);
  await new Promise((r) => setTimeout(r, 20));
  writeFileSync(file, 'xyz');
  utimesSync(file, atime, mtime);
  assert.notEqual(fileStamp(file), first, 'same size and mtime, but the ctime moved');
});
