import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ScanProgress } from '../types.js';
import { ProgressTracker } from './progress.js';

test('progress: files done/total, then a rate and an ETA once hashing has run a moment', async () => {
  const seen: ScanProgress[] = [];
  const t = new ProgressTracker(10, 4, (p) => seen.push(p));
  t.fileHashed();
  assert.deepEqual(seen[0], { phase: 'hash', done: 5, total: 10 });
  await new Promise((r) => setTimeout(r, 250));
  t.fileHashed();
  t.fileHashed();
  const last = seen.at(-1)!;
  assert.equal(last.done, 7);
  assert.ok(last.ratePerSec! > 0 && last.ratePerSec! < 20, String(last.ratePerSec));
  assert.ok(last.etaSec! >= 1);
  assert.equal(t.filesHashed, 3);
});
