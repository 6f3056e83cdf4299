import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../testing/runInProcess.js';
import { PAIR_BYTES } from '../../core/shards/sizing.js';
import { plantedFile } from '../../core/testing/plantedHashes.js';
import { tempDir } from '../../core/testing/tempDir.js';

// The four sharded commands as a user types them: a run over stored hashes, and the refusals a merge makes.

test('hash --from-hashes, plan, pairs --from-shards --tables, cluster: the same pairs as one pairs process', async () => {
  const { dir, cleanup } = tempDir('md-shard-cli-');
  try {
    plantedFile(3000, join(dir, 'h.jsonl'), { seed: 5, copies: 0.2 });
    for (const i of [0, 1]) assert.equal((await runCli(['hash', '--from-hashes', 'h.jsonl', '--shard', `${i}/2`, '--out', 'hs'], dir)).code, 0);
    const plan = await runCli(['plan', '--from-shards', 'hs', '--tasks', '3'], dir);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /2 hash shards, 3,000 files, 3,000 hashed/);
    assert.match(plan.stdout, /\| 3 \| \d+ \| /);
    // The task index from the scheduler's environment: a Slurm array of 3.
    const { main } = await import('../main.js');
    const { runInProcess } = await import('../testing/runInProcess.js');
    for (const i of [0, 1, 2]) {
      const env = { SLURM_ARRAY_TASK_ID: String(i), SLURM_ARRAY_TASK_COUNT: '3' };
      const r = await runInProcess(
        (argv, io) => main(argv, { ...io, env }),
        ['pairs', '--from-shards', 'hs', '--out', 'ps', '--workers', '1', ...(i === 1 ? ['--memory', '0.5'] : [])],
        dir,
      );
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`tables ${i}/3`));
    }
    assert.equal(readdirSync(join(dir, 'ps')).filter((f) => f.endsWith('.parquet')).length, 3);
    const merged = await runCli(
      ['cluster', '--from-shards', 'hs', '--pairs', 'ps', '--manifest', 'out/dedupe-manifest.json', '--pairs-csv', 'sharded.csv'],
      dir,
    );
    assert.equal(merged.code, 0, merged.stderr);
    const single = await runCli(['pairs', 'h.jsonl', '--approximate', '--workers', '1'], dir);
    const { readFileSync } = await import('node:fs');
    const sorted = (t: string) => t.trim().split('\n').slice(1).sort();
    assert.deepEqual(sorted(readFileSync(join(dir, 'sharded.csv'), 'utf8')), sorted(single.stdout));
    assert.ok(sorted(single.stdout).length > 100);

    // A missing shard, and a plan asked for without shards, are refused with exit 2 and a line saying what to do.
    mkdirSync(join(dir, 'empty'));
    const none = await runCli(['plan', '--from-shards', 'empty'], dir);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no hashes shards in/);
    writeFileSync(join(dir, 'ps', 'pairs-00005-of-00009.json'), '{"format":"media-dedupe-shard","version":1,"kind":"pairs","shard":5,"shards":9}');
    writeFileSync(join(dir, 'ps', 'pairs-00005-of-00009.parquet'), '');
    const stale = await runCli(['cluster', '--from-shards', 'hs', '--pairs', 'ps', '--manifest', 'out/m.json'], dir);
    assert.equal(stale.code, 2);
    assert.match(stale.stderr, /mixes pairs shards of runs split 3 and 9 ways/);
    const noIndex = await runInProcess((argv, io) => main(argv, { ...io, env: {} }), ['pairs', '--from-shards', 'hs', '--out', 'ps'], dir);
    assert.equal(noIndex.code, 2);
    assert.match(noIndex.stderr, /Expected I\/N, or a Slurm array task or Kubernetes Indexed Job/);
  } finally {
    cleanup();
  }
});

test('plan --for sizes a run before hashing', async () => {
  const r = await runCli(['plan', '--for', '10000000,1000000000', '--tasks', '64']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\| 10,000,000 \| \d+ tables x 19 bits \| 64 \|/);
  assert.match(r.stdout, /\| 1,000,000,000 \| \d+ tables x 26 bits \| 64 \|/);
  // 1B on one thread: 1.75 GB cannot keep a table's 4 GB of keys (passes, copying their rows); 5 GB can, but
  // the cost model puts gathering 1B's rows above copying them, so 5 GB copies them too, in fewer passes, for less.
  const cpuHours = (out: string): number => Number(/\| ([\d.]+) CPU-h \|/.exec(out)?.[1]);
  const passes = (out: string): number => Number(/(\d+) passes a table, coarse bytes kept, rows copied/.exec(out)?.[1]);
  const small = await runCli(['plan', '--for', '1000000000', '--tasks', '256', '--workers', '1']);
  const large = await runCli(['plan', '--for', '1000000000', '--tasks', '256', '--workers', '1', '--memory', '5']);
  assert.ok(passes(large.stdout) > 1 && passes(large.stdout) < passes(small.stdout), `${large.stdout}\n${small.stdout}`);
  assert.ok(cpuHours(large.stdout) < cpuHours(small.stdout), `${large.stdout}\n${small.stdout}`);
  // The pairs a task finds: left out (and said so) by default, PAIR_BYTES each with --pairs.
  const working = (out: string): number => Number(/GB \+ ([\d.]+) GB/.exec(out)?.[1]);
  const none = await runCli(['plan', '--for', '10000000', '--tasks', '64']);
  const some = await runCli(['plan', '--for', '10000000', '--tasks', '64', '--pairs', '10000000']);
  assert.match(none.stdout, new RegExp(`excludes the pairs a task finds: up to ${PAIR_BYTES} bytes each`));
  assert.match(some.stdout, /includes 10,000,000 pairs a task/);
  assert.ok(Math.abs(working(some.stdout) - working(none.stdout) - (1e7 * PAIR_BYTES) / 2 ** 30) < 0.01, `${none.stdout}\n${some.stdout}`);
});
