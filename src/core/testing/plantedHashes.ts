/**
 * Planted hashes shared by the tests and the benchmarks (seeded generators, the same data on every
 * machine), and deterministic hashes files for the search benchmarks: n random 256-bit hashes in perception's JSONL
 * form ({"id": "h0000042", "hash": base64}), where some rows are near-copies of an earlier row (0-51
 * bits flipped: distance < 0.2, must be found) and some are near misses (52-70 bits: must not be found,
 * unless another copy links them). The file is written in chunks, so 1M rows never become one string.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export const BITS = 256;
export const WORDS = BITS / 32;

export interface PlantedFile {
  readonly n: number;
  /** n rows of 8 32-bit words: the hash bytes (perception's packing) read as little-endian words */
  readonly words: Uint32Array;
  /** (original, copy, bits flipped) triples of the near-copies */
  readonly planted: Uint32Array;
  readonly nearMisses: number;
  /** the row each near-copy or near miss was made from; -1 for random rows */
  readonly sourceOf: Int32Array;
}

export interface PlantOptions {
  readonly seed?: number;
  /** share of rows that are near-copies (default 0.05) and near misses (default 0.01) */
  readonly copies?: number;
  readonly misses?: number;
}

/** xorshift32, uint32 values (seed 0 is taken as 1): the planted hashes of bench/annoy.ts and the index and video tests, and the test and bench images. */
export function xorshift32(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/** mulberry32: the same data on every machine */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const rowId = (k: number): string => `h${String(k).padStart(7, '0')}`;

/** Builds the hashes and, with `path`, writes them as JSONL. */
export function plantedFile(n: number, path: string | undefined, opts: PlantOptions = {}): PlantedFile {
  const rand = rng(opts.seed ?? 20240611);
  const copies = opts.copies ?? 0.05;
  const misses = opts.misses ?? 0.01;
  const bytes = new Uint8Array(n * 32);
  const sourceOf = new Int32Array(n).fill(-1);
  const planted: number[] = [];
  let nearMisses = 0;
  const fd = path === undefined ? undefined : openSync(path, 'w');
  let chunk = '';
  const flip = new Uint8Array(BITS);
  for (let k = 0; k < n; k++) {
    const row = bytes.subarray(k * 32, k * 32 + 32);
    const u = rand();
    if (k >= 100 && u < copies + misses) {
      let src = Math.floor(rand() * k);
      while (sourceOf[src] >= 0) src = Math.floor(rand() * k);
      row.set(bytes.subarray(src * 32, src * 32 + 32));
      const near = u < copies;
      const flips = near ? Math.floor(rand() * 52) : 52 + Math.floor(rand() * 19);
      flip.fill(0);
      for (let f = 0; f < flips;) {
        const b = Math.floor(rand() * BITS);
        if (flip[b]) continue;
        flip[b] = 1;
        row[b >> 3] ^= 0x80 >> (b & 7);
        f++;
      }
      sourceOf[k] = src;
      if (near) planted.push(src, k, flips);
      else nearMisses++;
    } else for (let b = 0; b < 32; b++) row[b] = Math.floor(rand() * 256);
    if (fd !== undefined) {
      chunk += `{"id": "${rowId(k)}", "hash": "${Buffer.from(row.buffer, row.byteOffset, 32).toString('base64')}"}\n`;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
  }
  if (fd !== undefined) {
    writeSync(fd, chunk);
    closeSync(fd);
  }
  return { n, words: new Uint32Array(bytes.buffer), planted: Uint32Array.from(planted), nearMisses, sourceOf };
}

const POP8 = Uint8Array.from({ length: 256 }, (_, b) => {
  let c = 0;
  for (let x = b; x; x >>= 1) c += x & 1;
  return c;
});

/** Differing bits of rows i and j, the slow obvious way (nothing of the engine): the oracle for "no false pairs". */
export function distanceBits(words: Uint32Array, i: number, j: number): number {
  let d = 0;
  for (let w = 0; w < WORDS; w++) {
    const x = (words[i * WORDS + w] ^ words[j * WORDS + w]) >>> 0;
    d += POP8[x & 255] + POP8[(x >>> 8) & 255] + POP8[(x >>> 16) & 255] + POP8[x >>> 24];
  }
  return d;
}

/**
 * Every pair closer than `radius` bits, without a search: only rows of one family (a source row and the
 * copies made from it) can be that close, because two independent random 256-bit rows are within 51
 * bits with probability ~1e-23 (for 5e11 pairs of 1M rows: ~1e-11 expected). Keys i * 2^32 + j, i < j.
 */
export function familyPairs(set: PlantedFile, radius: number): Set<number> {
  const members = new Map<number, number[]>();
  for (let k = 0; k < set.n; k++) {
    const s = set.sourceOf[k];
    if (s < 0) continue;
    let m = members.get(s);
    if (!m) members.set(s, (m = [s]));
    m.push(k);
  }
  const out = new Set<number>();
  for (const m of members.values()) {
    for (let a = 0; a < m.length; a++) for (let b = a + 1; b < m.length; b++) if (distanceBits(set.words, m[a], m[b]) < radius) out.add(pairKey(m[a], m[b]));
  }
  return out;
}

export const pairKey = (i: number, j: number): number => (i < j ? i * 4294967296 + j : j * 4294967296 + i);
