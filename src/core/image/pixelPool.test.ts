import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BufferPool } from './pixelPool.js';

test('BufferPool: the smallest pooled buffer that fits is reused; bytes it never gave are not kept', () => {
  const pool = new BufferPool(4);
  const small = pool.take(100);
  const large = pool.take(1000);
  pool.release(small);
  pool.release(large);
  assert.equal(pool.take(50).buffer, small.buffer);
  assert.equal(pool.take(50).buffer, large.buffer);
  pool.release(Buffer.alloc(64));
  assert.equal(pool.size, 0);
});

test('BufferPool: kept buffers are capped in count, in total bytes and per buffer; clear() drops them all', () => {
  const pool = new BufferPool(3, 1000, 400);
  const [a, b, c, d] = [100, 200, 300, 350].map((n) => pool.take(n));
  const huge = pool.take(500);
  pool.release(huge); // over the per-buffer cap: dropped, never kept
  assert.equal(pool.size, 0);
  assert.equal(pool.keptBytes, 0);
  for (const x of [a, b, c]) pool.release(x);
  assert.equal(pool.keptBytes, 600);
  pool.release(d); // a fourth: over the count, the smallest (a) goes
  assert.deepEqual([pool.size, pool.keptBytes], [3, 850]);
  const e = pool.take(400);
  pool.release(e); // a fourth again (b goes), then 1050 bytes: over the total, so c goes too
  assert.deepEqual([pool.size, pool.keptBytes], [2, 350 + 400]);
  assert.equal(pool.take(400).buffer, e.buffer, 'the largest stays');
  pool.clear();
  assert.deepEqual([pool.size, pool.keptBytes], [0, 0]);
  // A buffer taken before clear() and given back after is kept again: clear() loses nothing in flight.
  pool.release(b);
  assert.equal(pool.take(200).buffer, b.buffer);
});
