import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../testing/plantedHashes.js';
import { bruteForcePairs } from './bruteForce.js';
import { closeNodes } from './closeNodes.js';
import { findPairs, type FindPairsInput, type IdenticalGroups } from './findPairs.js';
import { hammingBits, PackedHashes, radiusFor } from './packed.js';

const BITS = 256;

/**
 * Clouds of near-copies around a few random hashes (each copy `spread` random bits flipped, so two copies
 * are up to 2 x spread apart), plus random hashes: the dense case, with rows inside, at the edge of and
 * outside the threshold of each other.
 */
function clouds(sizes: readonly number[], spread: number, noise: number, seed: number): PackedHashes {
  const rand = rng(seed);
  const randomRow = (): Uint8Array => Uint8Array.from({ length: BITS / 8 }, () => Math.floor(rand() * 256));
  const rows: Uint8Array[] = [];
  for (const n of sizes) {
    const base = randomRow();
    for (let k = 0; k < n; k++) {
      const row = Uint8Array.from(base);
      const flips = Math.floor(rand() * (spread + 1));
      for (let f = 0; f < flips; f++) {
        const b = Math.floor(rand() * BITS);
        row[b >> 3] ^= 0x80 >> (b & 7);
      }
      rows.push(row);
    }
  }
  for (let k = 0; k < noise; k++) rows.push(randomRow());
  // Interleaved, as paths would mix them.
  for (let k = rows.length - 1; k > 0; k--) {
    const j = Math.floor(rand() * (k + 1));
    [rows[k], rows[j]] = [rows[j]!, rows[k]!];
  }
  return PackedHashes.fromBytes(rows, BITS);
}

const key = (i: number, j: number): string => `${i},${j}`;

/** The nodes' pairs are implied, the rest listed: together exactly the brute-force pairs, with their distances. */
function assertComplete(
  input: FindPairsInput,
  pairs: { i: Uint32Array; j: Uint32Array; distance: Float64Array; count: number },
  close: IdenticalGroups | undefined,
) {
  const expected = bruteForcePairs(input);
  const want = new Map<string, number>();
  for (let k = 0; k < expected.count; k++) want.set(key(expected.i[k]!, expected.j[k]!), expected.distance[k]!);
  const nodeOf = new Map<number, number>();
  for (let g = 0; g < (close?.count ?? 0); g++) for (let x = close!.start[g]!; x < close!.start[g + 1]!; x++) nodeOf.set(close!.items[x]!, g);
  const listed = new Set<string>();
  for (let k = 0; k < pairs.count; k++) {
    const kk = key(pairs.i[k]!, pairs.j[k]!);
    assert.equal(pairs.distance[k], want.get(kk), `listed pair ${kk} is a real pair at its real distance`);
    listed.add(kk);
  }
  for (const kk of want.keys()) {
    if (listed.has(kk)) continue;
    const [i, j] = kk.split(',').map(Number);
    assert.ok(nodeOf.has(i!) && nodeOf.get(i!) === nodeOf.get(j!), `pair ${kk} is listed or implied by one node`);
  }
  return { expected: expected.count, listed: pairs.count };
}

test('close nodes: every two members of a node are within threshold, a member is in one node, small nodes are dissolved', () => {
  const hashes = clouds([300, 120, 10], 30, 200, 7);
  const radius = radiusFor(0.2, BITS);
  const nodes = closeNodes(hashes, radius, 16);
  assert.ok(nodes.count >= 2, `the two large clouds are nodes (${nodes.count})`);
  const seen = new Set<number>();
  for (let k = 0; k < nodes.count; k++) {
    const rows = Array.from(nodes.rows.subarray(nodes.start[k], nodes.start[k + 1]));
    assert.ok(rows.length >= 16);
    for (const r of rows) {
      assert.ok(!seen.has(r), `row ${r} in one node only`);
      seen.add(r);
      assert.ok(hammingBits(hashes, r, nodes.centres, k) <= nodes.reach[k]!, 'reach bounds every member');
    }
    for (let x = 0; x < rows.length; x++)
      for (let y = x + 1; y < rows.length; y++)
        assert.ok(hammingBits(hashes, rows[x]!, hashes, rows[y]!) < radius, `rows ${rows[x]} and ${rows[y]} within threshold`);
  }
});

test('close nodes in findPairs: listed pairs plus the pairs inside nodes are exactly the brute-force pairs, and far fewer are listed', async () => {
  for (const [sizes, spread, noise, seed] of [
    [[400], 24, 50, 1],
    [[300, 200], 30, 100, 2],
    [[250, 250, 40], 36, 0, 3],
    [[60, 17, 15], 20, 300, 4],
  ] as const) {
    const hashes = clouds(sizes, spread, noise, seed);
    for (const threshold of [0.1, 0.2]) {
      const input: FindPairsInput = { hashers: [{ hashes, threshold }] };
      const r = await findPairs(input, { method: 'exact', workers: 1, identical: 'nodes', nodeMin: 16, close: true });
      const c = assertComplete(input, r.pairs, r.close);
      if (threshold === 0.2 && spread <= 30 && sizes[0] >= 250) assert.ok(c.listed * 5 < c.expected, `${sizes}: ${c.listed} listed for ${c.expected} pairs`);
    }
  }
});

test('close nodes respect groups (pairs only inside a group) and item ids', async () => {
  const hashes = clouds([200], 20, 20, 9);
  const groups = Array.from({ length: hashes.count }, (_, k) => (k % 3 === 0 ? 'a' : 'b'));
  const input: FindPairsInput = { hashers: [{ hashes, threshold: 0.2 }], groups };
  const r = await findPairs(input, { method: 'exact', workers: 1, identical: 'nodes', nodeMin: 16, close: true });
  const close = r.close;
  assert.ok(close && close.count >= 2, 'one node per group at least');
  for (let g = 0; g < close.count; g++) {
    const members: number[] = Array.from(close.items.subarray(close.start[g], close.start[g + 1]));
    assert.equal(new Set(members.map((m) => groups[m])).size, 1, 'a node never spans two groups');
  }
  assertComplete(input, r.pairs, r.close);
});

test('no close node on a dataset of distinct pictures: the pairs are exactly the plain search’s', async () => {
  const hashes = clouds([], 0, 500, 11);
  const input: FindPairsInput = { hashers: [{ hashes, threshold: 0.3 }] };
  const r = await findPairs(input, { method: 'exact', workers: 1, identical: 'nodes', nodeMin: 16, close: true });
  assert.equal(r.close, undefined);
  assertComplete(input, r.pairs, undefined);
});
