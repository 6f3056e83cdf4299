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

/** The list rebuilt in full (every pair looked up, everything sorted again): what the merge must equal. */
function recentreByFullSort(
  pairs: readonly Pair[],
  nodes: readonly (readonly string[])[],
  keepOf: (n: readonly string[]) => string | undefined,
): readonly Pair[] {
  const key = (a: string, b: string): string => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);
  const listed = new Set(pairs.map((q) => key(q.a, q.b)));
  const drop = new Set<string>();
  const added: Pair[] = [];
  for (const node of nodes) {
    const centre = node[0];
    const keep = keepOf(node);
    if (keep === undefined || keep === centre || !listed.has(key(centre, keep))) continue;
    const linked = node.filter((m) => m === centre || listed.has(key(centre, m)));
    for (const m of linked) {
      if (m !== centre) drop.add(key(centre, m));
      if (m === keep) continue;
      added.push(keep < m ? p(keep, m, 0) : p(m, keep, 0));
    }
  }
  if (added.length === 0) return pairs;
  return pairs
    .filter((q) => !drop.has(key(q.a, q.b)))
    .concat(added)
    .sort((x, y) => (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0));
}

test('recentreClose: the same list as rebuilding and sorting everything, ties (a pair listed and added) in the same order', () => {
  const names = Object.keys(HASHES);
  let seed = 12345;
  const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
  for (let round = 0; round < 300; round++) {
    const set = new Map<string, Pair>();
    for (let k = 0; k < 8; k++) {
      const a = names[rnd(names.length)];
      const b = names[rnd(names.length)];
      if (a !== b) set.set(a < b ? `${a} ${b}` : `${b} ${a}`, a < b ? p(a, b, rnd(5)) : p(b, a, rnd(5)));
    }
    const pairs = [...set.values()].sort((x, y) => (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : 1));
    const node = [...new Set([names[rnd(names.length)], ...Array.from({ length: 3 }, () => names[rnd(names.length)])])];
    const keep = node[rnd(node.length)];
    const got = recentreClose(pairs, [node], () => keep, h);
    const want = recentreByFullSort(pairs, [node], () => keep);
    // Order and identity of the listed pairs; the added pairs by their names (their distances are the module's).
    assert.deepEqual(
      got.map((q) => [q.a, q.b, pairs.includes(q)]),
      want.map((q) => [q.a, q.b, pairs.includes(q)]),
      JSON.stringify({ pairs, node, keep }),
    );
  }
});
