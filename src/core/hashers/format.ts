import { invalidOption } from '../errors.js';
import type { DistanceMetric, HashDtype, HashVector } from './types.js';

export type HashFormat = 'base64' | 'hex';

/** Bytes of a hash as perception stores them: bool vectors packed MSB-first (np.packbits), others raw little-endian. */
export function hashToBytes(vec: HashVector, dtype: HashDtype): Uint8Array {
  if (dtype === 'bool') return packBits(vec as Uint8Array);
  if (dtype === 'uint8') return new Uint8Array(vec as Uint8Array);
  const f = vec as Float32Array;
  return new Uint8Array(f.buffer.slice(f.byteOffset, f.byteOffset + f.byteLength));
}

/** np.packbits: element 0 becomes the 0x80 bit of byte 0; the tail is padded with zero bits. */
export function packBits(bits: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(bits.length / 8));
  for (let i = 0; i < bits.length; i++) if (bits[i]) out[i >> 3] |= 0x80 >> (i & 7);
  return out;
}

export function unpackBits(bytes: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (bytes[i >> 3] >> (7 - (i & 7))) & 1;
  return out;
}

export function encodeHash(vec: HashVector, dtype: HashDtype, format: HashFormat = 'base64'): string {
  const bytes = hashToBytes(vec, dtype);
  return format === 'hex' ? Buffer.from(bytes).toString('hex') : Buffer.from(bytes).toString('base64');
}

/** Bytes of a hash of `length` elements: bits packed for bool, one per uint8, four per float32. */
export function hashByteLength(dtype: HashDtype, length: number): number {
  return dtype === 'bool' ? Math.ceil(length / 8) : dtype === 'uint8' ? length : length * 4;
}

/** Whether `s` is standard padded base64 of exactly `bytes` bytes (checked without decoding). */
export function isBase64OfLength(s: string, bytes: number): boolean {
  if (s.length !== 4 * Math.ceil(bytes / 3) || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return false;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return (s.length / 4) * 3 - pad === bytes;
}

/** Parses a perception hash string (base64 by default) back into a vector of the given dtype and length. */
export function decodeHash(s: string, dtype: HashDtype, length: number, format: HashFormat = 'base64'): HashVector {
  const bytes = hashStringToBytes(s, format);
  const want = hashByteLength(dtype, length);
  if (bytes.length !== want) throw invalidOption('hash', `${want} bytes (${length} ${dtype} values)`, `${bytes.length} bytes in ${JSON.stringify(s)}`);
  if (dtype === 'bool') return unpackBits(bytes, length);
  if (dtype === 'uint8') return bytes;
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

export function hashStringToBytes(s: string, format: HashFormat = 'base64'): Uint8Array {
  if (format === 'hex') {
    if (!/^([0-9a-fA-F]{2})*$/.test(s)) throw invalidOption('hash', 'a hex string', s);
    return new Uint8Array(Buffer.from(s, 'hex'));
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) throw invalidOption('hash', 'a standard base64 string with = padding', s);
  return new Uint8Array(Buffer.from(s, 'base64'));
}

/** Set bits of every byte value: the byte-at-a-time Hamming distances all read this table. */
export const POP8 = new Uint8Array(256);
for (let v = 1; v < 256; v++) POP8[v] = POP8[v >> 1] + (v & 1);

/** Differing bits between two packed hashes of the same length (the slow obvious way: the oracle of the kernels). */
export function hammingBytes(a: Uint8Array, b: Uint8Array): number {
  let d = 0;
  for (let q = 0; q < a.length; q++) d += POP8[a[q] ^ b[q]];
  return d;
}

/** Normalised Hamming (differing bits / length) for bool vectors, Euclidean otherwise. */
export function vectorDistance(a: HashVector, b: HashVector, metric: DistanceMetric): number {
  if (a.length !== b.length) throw invalidOption('hash', `a vector of length ${a.length}`, `length ${b.length}`);
  if (metric === 'hamming') {
    let d = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) d++;
    return d / a.length;
  }
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const t = a[i] - b[i];
    s += t * t;
  }
  return Math.sqrt(s);
}
