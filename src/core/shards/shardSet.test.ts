import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseShard, shardFromEnv, shardRange } from './shardSet.js';

test('shard indexes: I/N, Slurm arrays, Kubernetes Indexed Jobs, contiguous ranges', () => {
  assert.deepEqual(parseShard('3/16', '--shard'), { index: 3, count: 16 });
  assert.throws(() => parseShard('16/16', '--shard'), /Expected I\/N with 0 <= I < N/);
  assert.deepEqual(shardFromEnv(undefined, undefined, { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '0' }, '--shard'), {
    index: 2,
    count: 4,
  });
  assert.throws(
    () => shardFromEnv(undefined, undefined, { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '1' }, '--shard'),
    /starts at 0/,
  );
  assert.deepEqual(shardFromEnv(undefined, 5, { JOB_COMPLETION_INDEX: '4' }, '--shard'), { index: 4, count: 5 });
  assert.throws(() => shardFromEnv(undefined, undefined, { JOB_COMPLETION_INDEX: '4' }, '--shard'), /--shard-count/);
  assert.throws(() => shardFromEnv(undefined, undefined, {}, '--shard'), /Slurm array task or Kubernetes Indexed Job/);
  for (const count of [1, 2, 3, 7]) {
    let next = 0;
    for (let index = 0; index < count; index++) {
      const r = shardRange(10, { index, count });
      assert.equal(r.start, next);
      next = r.end;
    }
    assert.equal(next, 10);
  }
});
