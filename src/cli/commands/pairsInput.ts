/**
 * Reads a hashes file for `media-dedupe pairs` line by line into compact storage: ids in an IdTable,
 * hash bytes decoded straight into one growing buffer laid out as the search wants it (bool hashes
 * padded to whole 64-bit words, as PackedHashes). A million 256-bit hashes then take ~45 MB instead of
 * the ~600 MB that the whole text, a million record objects and their strings would.
 */
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { invalidOption } from '../../core/errors.js';
import type { HashFormat } from '../../core/hashers/format.js';
import type { DistanceMetric, HashDtype } from '../../core/hashers/types.js';
import { IdTable, type Id } from './idTable.js';

export interface Shape {
  readonly dtype: HashDtype;
  readonly length: number;
  readonly metric: DistanceMetric;
  readonly threshold: number;
}

export interface HashRows {
  readonly file: string;
  readonly ids: IdTable;
  readonly count: number;
  readonly shape: Shape;
  /** Bytes per row in `bytes`. */
  readonly stride: number;
  /** count x stride bytes (8-byte aligned at offset 0, so typed views of any width fit). */
  readonly bytes: Uint8Array;
}

/** Turns the first hash (undefined for an empty file) into the shape every hash must have. */
export type ShapeOf = (first: string | number[] | undefined) => Shape;

export class UnreadableInput extends Error {}

const clip = (s: string): string => (s.length > 80 ? `${s.slice(0, 77)}...` : s);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

export async function readHashRows(file: string, path: string | undefined, format: HashFormat, shapeOf: ShapeOf): Promise<HashRows> {
  let lines: AsyncIterable<string>;
  let close = async (): Promise<void> => {};
  if (path === undefined) lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  else {
    const handle = await open(path, 'r').catch((e: Error) => {
      throw new UnreadableInput(e.message);
    });
    lines = handle.readLines({ encoding: 'utf8' });
    close = () => handle.close().catch(() => undefined);
  }
  try {
    return await parse(lines, file, format, shapeOf);
  } catch (e) {
    // A read that fails part way (a folder, an I/O error) is the file's fault, not a bug.
    if (e instanceof Error && 'syscall' in e) throw new UnreadableInput(e.message);
    throw e;
  } finally {
    await close();
  }
}

async function parse(lines: AsyncIterable<string>, file: string, format: HashFormat, shapeOf: ShapeOf): Promise<HashRows> {
  const ids = new IdTable();
  let shape: Shape | undefined;
  let size = 0; // bytes of one hash as given
  let stride = 0;
  let bytes = new Uint8Array(0);
  let store = Buffer.alloc(0);
  let count = 0;
  let lineNo = 0;
  for await (const raw of lines) {
    lineNo++;
    const line = raw.trim();
    if (!line) continue;
    const where = `line ${lineNo} of ${file}`;
    let r: { id?: unknown; hash?: unknown } | undefined;
    try {
      r = JSON.parse(line) as typeof r;
    } catch {
      r = undefined;
    }
    if (!r || typeof r !== 'object' || Array.isArray(r)) throw invalidOption(where, 'a JSON object {"id": ..., "hash": ...}', clip(line));
    const { id, hash } = r;
    if (typeof id !== 'string' && typeof id !== 'number') throw invalidOption(`"id" on ${where}`, 'a string or a number', id);
    if (typeof hash !== 'string' && !(Array.isArray(hash) && hash.every((x) => typeof x === 'number'))) {
      throw invalidOption(`"hash" on ${where}`, 'a hash string or an array of numbers', hash);
    }
    if (!shape) {
      shape = shapeOf(hash as string | number[]);
      size = shape.dtype === 'bool' ? Math.ceil(shape.length / 8) : shape.dtype === 'uint8' ? shape.length : shape.length * 4;
      stride = shape.dtype === 'bool' ? Math.ceil(shape.length / 64) * 8 : size;
    }
    if ((count + 1) * stride > bytes.length) {
      // Doubling keeps appends linear; the spare half is dropped by the final subarray.
      const next = new Uint8Array(Math.max(4096 * stride, bytes.length * 2));
      next.set(bytes);
      bytes = next;
      store = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    const at = count * stride;
    const described = `the hash of id ${JSON.stringify(id)} on line ${lineNo} of ${file}`;
    if (Array.isArray(hash)) writeArray(bytes, at, hash as number[], shape, described);
    else writeString(store, at, hash as string, format, size, shape, described);
    if (shape.dtype === 'bool' && shape.length % 8) bytes[at + size - 1] &= (0xff << (8 - (shape.length % 8))) & 0xff;
    ids.add(id as Id);
    count++;
  }
  shape ??= shapeOf(undefined);
  return { file, ids, count, shape, stride, bytes: bytes.subarray(0, count * stride) };
}

/** Decodes into the row's place in the store, after checking what Node's decoders would silently skip. */
function writeString(store: Buffer, at: number, s: string, format: HashFormat, size: number, shape: Shape, where: string): void {
  let decoded: number;
  if (format === 'hex') {
    if (!HEX.test(s)) throw invalidOption(where, 'a hex string', clip(s));
    decoded = s.length / 2;
  } else {
    if (s.length % 4 !== 0 || !BASE64.test(s)) throw invalidOption(where, 'a standard base64 string with = padding', clip(s));
    decoded = (s.length / 4) * 3 - (s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0);
  }
  if (decoded !== size) {
    const unit = shape.dtype === 'bool' ? 'bits' : `${shape.dtype} values`;
    throw invalidOption(where, `${size} bytes (${shape.length} ${unit}, the hash length)`, `${decoded} bytes`);
  }
  store.write(s, at, size, format);
}

function writeArray(bytes: Uint8Array, at: number, h: number[], shape: Shape, where: string): void {
  if (h.length !== shape.length) throw invalidOption(where, `${shape.length} values (the hash length)`, `an array of ${h.length} numbers`);
  if (shape.dtype === 'bool') {
    if (h.some((v) => v !== 0 && v !== 1)) throw invalidOption(where, 'an array of 0 and 1', clip(JSON.stringify(h)));
    for (let b = 0; b < h.length; b++) if (h[b]) bytes[at + (b >> 3)] |= 0x80 >> (b & 7);
    return;
  }
  if (shape.dtype === 'uint8') bytes.set(h, at);
  else new Uint8Array(bytes.buffer, bytes.byteOffset + at, h.length * 4).set(new Uint8Array(Float32Array.from(h).buffer));
}

export type { Id };
