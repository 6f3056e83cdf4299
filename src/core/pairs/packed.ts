import { invalidOption } from '../errors.js';
import { hashStringToBytes, packBits, POP8, type HashFormat } from '../hashers/format.js';

/**
 * Bit hashes packed for popcount: row i is the hash's bytes as perception packs them (MSB-first,
 * np.packbits), zero-padded to whole 64-bit words. Hamming distance does not care about bit order,
 * so a row's words are simply its bytes read as little-endian u64; padding is zero in every row and
 * never adds to a distance.
 */
export class PackedHashes {
  /** 64-bit words per hash */
  readonly words: number;

  constructor(
    readonly count: number,
    /** hash length in bits (perception's hash_length), which normalises distances */
    readonly bits: number,
    /** count * words * 8 bytes */
    readonly bytes: Uint8Array = new Uint8Array(count * Math.ceil(bits / 64) * 8),
  ) {
    if (!Number.isInteger(bits) || bits < 1) throw invalidOption('hash length', 'a positive whole number of bits', bits);
    this.words = Math.ceil(bits / 64);
    if (bytes.length !== count * this.words * 8) throw invalidOption('packed hashes', `${count * this.words * 8} bytes`, `${bytes.length} bytes`);
  }

  get strideBytes(): number {
    return this.words * 8;
  }

  /** Bytes a hash of this length takes as a perception string (before padding to words). */
  get hashBytes(): number {
    return Math.ceil(this.bits / 8);
  }

  /** The row's bytes, padded (a view, not a copy). */
  row(i: number): Uint8Array {
    const s = this.strideBytes;
    return this.bytes.subarray(i * s, (i + 1) * s);
  }

  /**
   * Stores a hash given as perception's packed bytes. Bits past the hash length in the last byte are
   * cleared, because perception unpacks and truncates to hash_length before comparing.
   */
  setRow(i: number, hash: Uint8Array): void {
    const n = this.hashBytes;
    if (hash.length !== n) throw invalidOption('hash', `${n} bytes (${this.bits} bits)`, `${hash.length} bytes`);
    const at = i * this.strideBytes;
    this.bytes.set(hash, at);
    const extra = n * 8 - this.bits;
    if (extra) this.bytes[at + n - 1] &= (0xff << extra) & 0xff;
  }

  /** Copies rows `indices` (in that order) into a new set. */
  select(indices: ArrayLike<number>): PackedHashes {
    const out = new PackedHashes(indices.length, this.bits);
    const s = this.strideBytes;
    for (let k = 0; k < indices.length; k++) out.bytes.set(this.bytes.subarray(indices[k] * s, indices[k] * s + s), k * s);
    return out;
  }

  static fromBytes(hashes: readonly Uint8Array[], bits?: number): PackedHashes {
    const b = bits ?? (hashes.length ? hashes[0].length * 8 : 64);
    const out = new PackedHashes(hashes.length, b);
    hashes.forEach((h, i) => out.setRow(i, h));
    return out;
  }

  /** perception's hash strings (base64 by default). Without `bits`, every byte counts (length = bytes x 8). */
  static fromStrings(hashes: readonly string[], bits?: number, format: HashFormat = 'base64'): PackedHashes {
    return PackedHashes.fromBytes(
      hashes.map((s) => hashStringToBytes(s, format)),
      bits,
    );
  }

  /** Bool vectors, one 0/1 byte per bit in perception's vector order. */
  static fromBoolVectors(vectors: readonly ArrayLike<number>[], bits?: number): PackedHashes {
    const b = bits ?? (vectors.length ? vectors[0].length : 64);
    const out = new PackedHashes(vectors.length, b);
    vectors.forEach((v, i) => {
      if (v.length !== b) throw invalidOption('hash', `a vector of ${b} bits`, `${v.length} values`);
      out.setRow(i, packBits(Uint8Array.from(v, (x) => (x ? 1 : 0))));
    });
    return out;
  }

  /** Several sets of one hash length, one after the other. */
  static concat(sets: readonly PackedHashes[]): PackedHashes {
    const bits = sets.length ? sets[0].bits : 64;
    const out = new PackedHashes(
      sets.reduce((n, s) => n + s.count, 0),
      bits,
    );
    let at = 0;
    for (const s of sets) {
      if (s.bits !== bits) throw invalidOption('hashes', `one hash length (${bits} bits)`, `${s.bits} bits`);
      out.bytes.set(s.bytes, at);
      at += s.bytes.length;
    }
    return out;
  }
}

/**
 * THE radius convention of every search here (exact, LSH, isometric, brute force): perception's rule,
 * a pair when `distance < threshold`, i.e. for bit hashes `bits < radius` with the exclusive integer
 * radius this returns. It holds exactly when perception's `bits / length < threshold` holds in float64.
 * Multiplying instead (`bits < threshold * length`) is not the same: 51/255 < 0.2 is false but
 * 51 < 0.2 * 255 = 51.00000000000001 is true.
 */
export function radiusFor(threshold: number, bits: number): number {
  if (!Number.isFinite(threshold)) throw invalidOption('threshold', 'a finite number', threshold);
  let r = Math.min(bits + 1, Math.max(0, Math.ceil(threshold * bits)));
  while (r > 0 && !((r - 1) / bits < threshold)) r--;
  while (r <= bits && r / bits < threshold) r++;
  return r;
}

/**
 * A test of whether row i of `a` and row j of `b` differ in at most `max` bits: hammingBits(a, i, b, j) <= max,
 * counted 32 bits at a time and stopped at the first word past `max` (rows of distinct pictures are about
 * half their bits apart, so two words of eight tell). Both sets of one hash length; bytes that do not start
 * on a 4-byte boundary are counted by hammingBits.
 */
export function withinBits(a: PackedHashes, b: PackedHashes): (i: number, j: number, max: number) => boolean {
  const aligned = (p: PackedHashes): Uint32Array | undefined =>
    p.bytes.byteOffset % 4 === 0 ? new Uint32Array(p.bytes.buffer, p.bytes.byteOffset, p.bytes.length >> 2) : undefined;
  const x = aligned(a);
  const y = aligned(b);
  if (!x || !y) return (i, j, max) => hammingBits(a, i, b, j) <= max;
  const n = a.words * 2;
  return (i, j, max) => {
    const ai = i * n;
    const bj = j * n;
    let d = 0;
    for (let k = 0; k < n; k++) {
      let v = x[ai + k] ^ y[bj + k];
      v -= (v >>> 1) & 0x55555555;
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      d += Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
      if (d > max) return false;
    }
    return true;
  };
}

/** Differing bits of row i of `a` and row j of `b`, a byte at a time: the oracle the kernels are tested against. */
export function hammingBits(a: PackedHashes, i: number, b: PackedHashes, j: number): number {
  const s = a.strideBytes;
  const x = a.bytes;
  const y = b.bytes;
  const ai = i * s;
  const bj = j * b.strideBytes;
  let d = 0;
  for (let k = 0; k < s; k++) d += POP8[x[ai + k] ^ y[bj + k]];
  return d;
}
