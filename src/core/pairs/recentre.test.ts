import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pair } from '../types.js';
import { recentreClose } from './recentre.js';

/** 64-bit hashes as base64 strings: `flips` bits set on a zero hash. */
const hash = (...flips: number[]): string => {
  const b = new Uint8Array(8);
  for (const f of flips) b[f >> 3] ^= 0x80 >> (f & 7);
  return Buffer.from(b).toString('base64');
};
const HASHES: Record<string, string> = { 'a.png': hash(1), 'b.png': hash(2, 3), 'c.png': hash(), 'd.png': hash(4), 'e.png': hash(5), 'x.png': hash(60) };
const h = { hashOf: (p: string) => HASHES[p]!, bits: 64, label: 'phash8' };
const p = (a: string, b: string, bits: number): Pair => ({ a, b, distance: bits / 64, hasher: 'phash8' });

test('recentreClose: a node listed against its centre is listed against the kept file instead, each distance measured', () => {
  // Node: centre c, members a, b, d, e; e's pair with the centre was dropped (the colour check), x is outside.
  const pairs = [p('a.png', 'c.png', 1), p('b.png', 'c.png', 2), p('c.png', 'd.png', 1), p('d.png', 'x.png', 2)];
  const out = recentreClose(pairs, [['c.png', 'a.png', 'b.png', 'd.png', 'e.png']], () => 'b.png', h);
  assert.deepEqual(out, [p('a.png', 'b.png', 3), p('b.png', 'c.png', 2), p('b.png', 'd.png', 3), p('d.png', 'x.png', 2)]);
});

test('recentreClose: nothing moves when the centre is kept, or the node has no kept file', () => {
  const pairs = [p('a.png', 'c.png', 1), p('c.png', 'd.png', 1)];
  assert.equal(
    recentreClose(pairs, [['c.png', 'a.png', 'd.png']], () => 'c.png', h),
    pairs,
  );
  assert.equal(
    recentreClose(pairs, [['c.png', 'a.png', 'd.png']], () => undefined, h),
    pairs,
  );
});
