/**
 * Exact Hamming distances for the index module's own verification (every Annoy or LSH candidate is
 * re-checked here or in the WASM kernel), and packing of hash bytes into 32-bit words for the kernel.
 */
import { invalidOption } from '../errors.js';

/** Set bits of every byte value: the byte-at-a-time Hamming distances of the engine all read this table. */
export const POP8 = new Uint8Array(256);
for (let v = 1; v < 256; v++) POP8[v] = POP8[v >> 1] + (v & 1);

/** Differing bits between two packed hashes of the same length. */
export function hammingBytes(a: Uint8Array, b: Uint8Array): number {
  let d = 0;
  for (let q = 0; q < a.length; q++) d += POP8[a[q] ^ b[q]];
  return d;
}

/** Differing bits between hash a and hash b, both `bytes` long, stored back to back in `store`. */
export function hammingInStore(store: Uint8Array, bytes: number, a: number, b: number): number {
  let d = 0;
  const pa = a * bytes;
  const pb = b * bytes;
  for (let q = 0; q < bytes; q++) d += POP8[store[pa + q] ^ store[pb + q]];
  return d;
}

/** Differing bits between a stored hash and an outside one of the same length. */
export function hammingToStored(store: Uint8Array, bytes: number, a: number, hash: Uint8Array): number {
  let d = 0;
  const pa = a * bytes;
  for (let q = 0; q < bytes; q++) d += POP8[store[pa + q] ^ hash[q]];
  return d;
}

export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Differing bits between rows i and j of packed words (w words per row). */
export function hammingWords(words: Uint32Array, w: number, i: number, j: number): number {
  let d = 0;
  for (let q = 0; q < w; q++) d += popcount32(words[i * w + q] ^ words[j * w + q]);
  return d;
}

/**
 * Packs equal-length hashes (perception's bytes, e.g. from hashStringToBytes) into rows of 32-bit words,
 * zero-padded: Hamming distance only needs the same layout for every row, not a particular bit order.
 */
export function packHashWords(hashes: readonly Uint8Array[]): { words: Uint32Array; wordsPerRow: number; bits: number } {
  const bytes = hashes.length ? hashes[0].length : 0;
  const wordsPerRow = Math.max(1, Math.ceil(bytes / 4));
  const buf = new Uint8Array(hashes.length * wordsPerRow * 4);
  hashes.forEach((h, r) => {
    if (h.length !== bytes) throw invalidOption(`hash ${r}`, `${bytes} bytes like the first hash`, `${h.length} bytes`);
    buf.set(h, r * wordsPerRow * 4);
  });
  return { words: new Uint32Array(buf.buffer), wordsPerRow, bits: bytes * 8 };
}
