import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ScanProgress } from '../types.js';
import { PHASE_LABEL, ProgressTracker } from './progress.js';

test('progress: files done/total, then a rate and an ETA once hashing has run a moment', async () => {
  const seen: ScanProgress[] = [];
  const t = new ProgressTracker(10, 4, (p) => seen.push(p));
  t.fileHashed();
  assert.deepEqual(seen[0], { phase: 'hash', done: 5, total: 10, cached: 4 });
  await new Promise((r) => setTimeout(r, 250));
  t.fileHashed();
  t.fileHashed();
  const last = seen.at(-1)!;
  assert.equal(last.done, 7);
  assert.ok(last.ratePerSec! > 0 && last.ratePerSec! < 20, String(last.ratePerSec));
  assert.ok(last.etaSec! >= 1);
  assert.equal(t.filesHashed, 3);
});

test('progress: videos are a phase of their own; begin() reports the cache hits before the first file ends', () => {
  const seen: ScanProgress[] = [];
  const t = new ProgressTracker(3, 0, (p) => seen.push(p), 'video');
  t.addDone(1);
  t.begin();
  assert.deepEqual(seen, [{ phase: 'video', done: 1, total: 3, cached: 1 }]);
  t.fileHashed();
  assert.deepEqual(seen[1], { phase: 'video', done: 2, total: 3, cached: 1 });
  assert.equal(t.filesHashed, 1);
});

test('progress: every phase has a label', () => {
  for (const phase of ['walk', 'hash', 'video', 'search', 'verify', 'cluster', 'done'] as const) assert.ok(PHASE_LABEL[phase].length > 0);
});
