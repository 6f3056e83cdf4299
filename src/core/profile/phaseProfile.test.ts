import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PHASES, PhaseProfile } from './phaseProfile.js';
import { formatProfileReport, profileReport } from './report.js';

test('PhaseProfile: sums per phase and thread, counts, lists phases in scan order', async () => {
  const p = new PhaseProfile();
  p.add('hash', 2);
  p.add('decode', 5, 'pool');
  p.add('hash', 3);
  p.add('walk', 1);
  assert.equal(
    p.time('colour check', () => 42),
    42,
  );
  assert.equal(await p.timeAsync('manifest write', async () => 'ok'), 'ok');
  const rows = p.phases();
  assert.deepEqual(
    rows.map((r) => r.phase),
    ['walk', 'decode', 'hash', 'colour check', 'manifest write'],
  );
  const hash = rows.find((r) => r.phase === 'hash')!;
  assert.equal(hash.ms, 5);
  assert.equal(hash.count, 2);
  assert.equal(rows.find((r) => r.phase === 'decode')!.thread, 'pool');
  // Only main-thread time counts as the main thread's.
  assert.ok(p.mainMs() >= 6 && p.mainMs() < 5 + 1 + 50, String(p.mainMs()));
});

test('PhaseProfile: a stopwatch charges each lap to its phase; a throwing step is still timed', () => {
  const p = new PhaseProfile();
  const w = p.stopwatch();
  const until = performance.now() + 3;
  while (performance.now() < until);
  w.lap('read');
  w.lap('fingerprint');
  assert.throws(() => p.time('search', () => assert.fail('boom')));
  const read = p.phases().find((r) => r.phase === 'read')!;
  assert.ok(read.ms >= 3, String(read.ms));
  assert.ok(p.phases().find((r) => r.phase === 'fingerprint')!.ms < read.ms);
  assert.ok(p.phases().some((r) => r.phase === 'search'));
});

test('profileReport: per-file figures for per-file phases only, process CPU and peak RSS; the table names every phase', () => {
  const p = new PhaseProfile();
  p.add('decode', 400, 'pool', 4);
  p.add('hash', 2, 'main', 4);
  p.add('search', 10);
  const r = profileReport(p, { files: 5, hashed: 4 });
  assert.equal(r.phases.find((x) => x.phase === 'decode')!.usPerFile, 100_000);
  assert.equal(r.phases.find((x) => x.phase === 'hash')!.usPerFile, 500);
  assert.equal(r.phases.find((x) => x.phase === 'search')!.usPerFile, undefined);
  assert.ok(r.cpu.processMs > 0 && r.cpu.peakRssBytes > 0);
  if (process.platform === 'linux') assert.ok(r.cpu.mainMs !== undefined && r.cpu.mainMs <= r.cpu.processMs + 20);
  assert.ok(r.wallMs > 0);
  const text = formatProfileReport(r);
  assert.match(text, /^profile: 5 files, 4 hashed; wall /);
  assert.match(text, /decode\s+libuv pool, in flight\s+400\.0\s+100000 us\s+overlaps/);
  assert.match(text, /search\s+main\s+10\.0\s+\d+\.\d %/);
  assert.ok(PHASES.includes('manifest write') && PHASES.includes('index build'));
});
