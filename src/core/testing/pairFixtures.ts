// Hashes and pair checks for the pair search's tests. Like all of src/core/testing, nothing of the engine is
// imported here: the tests pack these rows with the code under test.
import assert from 'node:assert/strict';
import { rng, xorshift32 } from './plantedHashes.js';

/**
 * n random hashes of `bits` bits as perception's packed bytes, about a third of them copies of an earlier
 * one with up to `maxFlips` bits flipped, so pairs land on both sides of any radius.
 */
export function randomRows(n: number, bits: number, seed: number, maxFlips = Math.ceil(bits * 0.3)): Uint8Array[] {
  const rand = rng(seed);
  const bytes = Math.ceil(bits / 8);
  const rows: Uint8Array[] = [];
  for (let k = 0; k < n; k++) {
    const row = new Uint8Array(bytes);
    if (k > 0 && rand() < 0.35) {
      row.set(rows[Math.floor(rand() * k)]);
      const flips = Math.floor(rand() * (maxFlips + 1));
      for (let f = 0; f < flips; f++) {
        const b = Math.floor(rand() * bits);
        row[b >> 3] ^= 0x80 >> (b & 7);
      }
    } else for (let b = 0; b < bytes; b++) row[b] = Math.floor(rand() * 256);
    rows.push(row);
  }
  return rows;
}

/** Pairs as findPairs returns them (parallel arrays). */
interface PairColumns {
  readonly count: number;
  readonly i: ArrayLike<number>;
  readonly j: ArrayLike<number>;
  readonly distance: ArrayLike<number>;
  readonly tag: ArrayLike<number>;
}

/** Equal pair lists: same pairs in the same order, same distances, same hasher and variant tags. */
export function samePairs(actual: PairColumns, expected: PairColumns, what: string): void {
  assert.equal(actual.count, expected.count, `${what}: pair count`);
  for (const key of ['i', 'j', 'distance', 'tag'] as const) assert.deepEqual(Array.from(actual[key]), Array.from(expected[key]), `${what}: ${key}`);
}

/** n random hashes of `words` 32-bit words; the last quarter are copies of earlier rows with up to maxFlip bits flipped. */
export function wordHashes(n: number, words = 8, maxFlip = 20, seed = 3): Uint32Array {
  const next = xorshift32(seed);
  const h = new Uint32Array(n * words);
  for (let q = 0; q < h.length; q++) h[q] = next();
  const bits = words * 32;
  for (let c = Math.floor((n * 3) / 4); c < n; c++) {
    const src = next() % Math.floor((n * 3) / 4);
    h.copyWithin(c * words, src * words, src * words + words);
    const flips = next() % (maxFlip + 1);
    for (let f = 0; f < flips; f++) {
      const b = next() % bits;
      h[c * words + (b >>> 5)] ^= 1 << (b & 31);
    }
  }
  return h;
}
