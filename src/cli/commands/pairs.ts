import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { expectInt, expectNumber, invalidOption } from '../../core/errors.js';
import { hashStringToBytes, packBits, type HashFormat } from '../../core/hashers/format.js';
import { createHasher, HASHER_NAMES } from '../../core/hashers/registry.js';
import type { DistanceMetric, HashDtype } from '../../core/hashers/types.js';
import { searchPairs } from '../../core/search/engine.js';
import { euclideanPairs, VectorHashes } from '../../core/search/euclidean.js';
import { PackedHashes, radiusFor } from '../../core/search/packed.js';
import { parseArgs, type OptionSpecs } from '../args.js';
import { EXIT, type CliIo } from '../io.js';

const SPECS: OptionSpecs = {
  threshold: { kind: 'number', expected: 'a distance threshold such as 0.2' },
  hasher: { kind: 'string', expected: `a hasher name (${HASHER_NAMES.join(', ')})` },
  'hash-size': { kind: 'number', expected: 'an integer between 2 and 64' },
  'hash-length': { kind: 'number', expected: 'the number of values in a hash (bits for bool hashes)' },
  dtype: { kind: 'string', choices: ['bool', 'uint8', 'float32'] },
  format: { kind: 'string', choices: ['base64', 'hex'] },
  workers: { kind: 'number', expected: 'a number of threads between 1 and 256' },
  json: { kind: 'boolean' },
  help: { kind: 'boolean' },
};

const HELP = `media-dedupe pairs <hashes.jsonl> [options]

Finds duplicate pairs among hashes computed elsewhere, as perception's deduplicate_hashes does.
Each input line is a JSON object {"id": ..., "hash": ...}; the hash is a string in perception's
format (base64 by default) or an array of numbers. "-" reads standard input.

Output (stdout): a CSV with the header id1,id2,distance and one line per pair, sorted by id1 then id2.
  - A pair is a duplicate when distance < threshold (strict): normalised Hamming distance
    (differing bits / hash length) for bool hashes, Euclidean distance otherwise.
  - Lines are compared in file order and each pair is named (earlier line's id, later line's id),
    as perception names them. An id may appear on several lines (e.g. video frames): a pair of ids
    is printed once, with its smallest distance; lines with the same id are never paired.

Options:
  --threshold T          distance threshold (default: the hasher's recommended one with --hasher, else 0.2)
  --hasher NAME          the hasher that made the hashes: sets dtype, length and metric (${HASHER_NAMES.join(', ')})
  --hash-size N          with --hasher: its hash size (default 16)
  --hash-length N        values per hash (bits for bool hashes); default: from the first hash's length
                         (a bool hash whose length is not a multiple of 8, e.g. 255 bits, needs it)
  --dtype bool|uint8|float32   hash type without --hasher (default bool)
  --format base64|hex    hash string encoding (default base64)
  --workers N            threads for the search (default: every core)
  --json                 print {"pairs": [{"id1", "id2", "distance"}], ...} instead of CSV

Exit status: 0 on success (with or without pairs), 2 for bad options or input.
`;

type Id = string | number;

interface Input {
  readonly ids: Id[];
  readonly hashes: (string | number[])[];
  /** 1-based line of each record, for messages */
  readonly lines: number[];
  readonly file: string;
}

interface Shape {
  readonly dtype: HashDtype;
  readonly length: number;
  readonly metric: DistanceMetric;
  readonly threshold: number;
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { positionals, options } = parseArgs(argv, SPECS);
  if (options.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw invalidOption('the hashes file', 'one path to a JSON-lines file (or - for standard input)', positionals.length ? positionals.join(' ') : undefined);
  const file = positionals[0];
  const format = (options.format as HashFormat | undefined) ?? 'base64';
  const started = performance.now();

  let text: string;
  try {
    text = file === '-' ? await readStdin() : await readFile(resolve(io.cwd, file), 'utf8');
  } catch (e) {
    io.stderr.write(`media-dedupe pairs: cannot read ${file}: ${(e as Error).message}\n`);
    return EXIT.usage;
  }
  const input = parseLines(text, file);
  const shape = resolveShape(options, input, format);
  const itemOf = itemIds(input.ids);

  const searchStart = performance.now();
  const rows = await findRowPairs(input, shape, format, itemOf, options.workers === undefined ? undefined : expectInt('--workers', options.workers, 1, 256));
  const searchSec = (performance.now() - searchStart) / 1000;

  // perception names a pair (id of the earlier line, id of the later line) and keeps each name once.
  const best = new Map<string, { id1: Id; id2: Id; distance: number }>();
  for (let k = 0; k < rows.count; k++) {
    const id1 = input.ids[rows.i[k]];
    const id2 = input.ids[rows.j[k]];
    const key = `${itemOf[rows.i[k]]},${itemOf[rows.j[k]]}`;
    const old = best.get(key);
    if (!old || rows.distance(k) < old.distance) best.set(key, { id1, id2, distance: rows.distance(k) });
  }
  const pairs = [...best.values()].sort((a, b) => compareIds(a.id1, b.id1) || compareIds(a.id2, b.id2));

  if (options.json) {
    io.stdout.write(JSON.stringify({ threshold: shape.threshold, dtype: shape.dtype, hashLength: shape.length, distanceMetric: shape.metric, hashes: input.ids.length, pairs }) + '\n');
  } else {
    const lines = ['id1,id2,distance'];
    for (const p of pairs) lines.push(`${csv(p.id1)},${csv(p.id2)},${p.distance}`);
    io.stdout.write(lines.join('\n') + '\n');
  }
  const total = (performance.now() - started) / 1000;
  io.stderr.write(
    `media-dedupe pairs: ${input.ids.length} hashes (${shape.length} ${shape.dtype}), threshold ${shape.threshold}: ${pairs.length} pairs; search ${searchSec.toFixed(2)} s on ${rows.threads} thread${rows.threads === 1 ? '' : 's'}, total ${total.toFixed(2)} s\n`,
  );
  return EXIT.ok;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseLines(text: string, file: string): Input {
  const ids: Id[] = [];
  const hashes: (string | number[])[] = [];
  const at: number[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (!line) continue;
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch {
      rec = undefined;
    }
    const r = rec as { id?: unknown; hash?: unknown } | undefined;
    const where = `line ${n + 1} of ${file}`;
    if (!r || typeof r !== 'object' || Array.isArray(r)) throw invalidOption(where, 'a JSON object {"id": ..., "hash": ...}', clip(line));
    if (typeof r.id !== 'string' && typeof r.id !== 'number') throw invalidOption(`"id" on ${where}`, 'a string or a number', r.id);
    if (typeof r.hash !== 'string' && !(Array.isArray(r.hash) && r.hash.every((x) => typeof x === 'number'))) {
      throw invalidOption(`"hash" on ${where}`, 'a hash string or an array of numbers', r.hash);
    }
    ids.push(r.id);
    hashes.push(r.hash as string | number[]);
    at.push(n + 1);
  }
  return { ids, hashes, lines: at, file };
}

const clip = (s: string): string => (s.length > 80 ? `${s.slice(0, 77)}...` : s);

/** Element count of one hash as given (string or array), for inferring the length. */
function lengthOf(hash: string | number[], dtype: HashDtype, format: HashFormat): number {
  if (Array.isArray(hash)) return hash.length;
  const bytes = hashStringToBytes(hash, format).length;
  return dtype === 'bool' ? bytes * 8 : dtype === 'uint8' ? bytes : bytes / 4;
}

/** perception takes either a hasher or hash_length + dtype + distance_metric; so do we, with defaults. */
function resolveShape(options: Record<string, unknown>, input: Input, format: HashFormat): Shape {
  const given = {
    dtype: options.dtype as HashDtype | undefined,
    length: options['hash-length'] === undefined ? undefined : expectInt('--hash-length', options['hash-length'], 1, 1 << 24),
  };
  let dtype: HashDtype;
  let length: number | undefined;
  let metric: DistanceMetric;
  let defaultThreshold: number | undefined;
  if (options.hasher !== undefined) {
    const params: Record<string, number> = options['hash-size'] === undefined ? {} : { hashSize: options['hash-size'] as number };
    const h = createHasher(String(options.hasher), params);
    if (given.dtype && given.dtype !== h.dtype) throw invalidOption('--dtype', `${h.dtype} (what ${h.name} makes) or nothing`, given.dtype);
    if (given.length && given.length !== h.hashLength) throw invalidOption('--hash-length', `${h.hashLength} (what ${h.name} makes) or nothing`, given.length);
    ({ dtype, hashLength: length, distanceMetric: metric, defaultThreshold } = h);
  } else {
    if (options['hash-size'] !== undefined) throw invalidOption('--hash-size', 'a --hasher to apply it to', options['hash-size']);
    dtype = given.dtype ?? 'bool';
    metric = dtype === 'bool' ? 'hamming' : 'euclidean';
    length = given.length ?? (input.hashes.length ? lengthOf(input.hashes[0], dtype, format) : 1);
    defaultThreshold = dtype === 'bool' ? 0.2 : undefined;
  }
  if (!Number.isInteger(length) || length < 1) throw invalidOption('--hash-length', 'a whole number of values', length);
  if (options.threshold === undefined && defaultThreshold === undefined) throw invalidOption('--threshold', `a threshold (there is no default for ${dtype} hashes)`, undefined);
  const threshold = options.threshold === undefined ? defaultThreshold! : expectNumber('--threshold', options.threshold, 0, Number.MAX_VALUE);
  return { dtype, length, metric, threshold };
}

/** Equal ids share an item number: their lines are never paired. */
function itemIds(ids: readonly Id[]): Int32Array {
  const seen = new Map<string, number>();
  return Int32Array.from(ids, (id) => {
    const key = typeof id === 'number' ? `n${id}` : `s${id}`;
    let k = seen.get(key);
    if (k === undefined) seen.set(key, (k = seen.size));
    return k;
  });
}

interface RowPairs {
  readonly count: number;
  /** threads the search ran on */
  readonly threads: number;
  readonly i: Uint32Array;
  readonly j: Uint32Array;
  distance(k: number): number;
}

async function findRowPairs(input: Input, shape: Shape, format: HashFormat, items: Int32Array, workers: number | undefined): Promise<RowPairs> {
  const n = input.hashes.length;
  const size = shape.dtype === 'bool' ? Math.ceil(shape.length / 8) : shape.dtype === 'uint8' ? shape.length : shape.length * 4;
  const unit = shape.dtype === 'bool' ? 'bits' : `${shape.dtype} values`;
  /** The bytes of record k, checked against the hash length. */
  const bytesOf = (k: number): Uint8Array => {
    const h = input.hashes[k];
    const where = `the hash of id ${JSON.stringify(input.ids[k])} on line ${input.lines[k]} of ${input.file}`;
    if (Array.isArray(h)) {
      if (h.length !== shape.length) throw invalidOption(where, `${shape.length} values (the hash length)`, `an array of ${h.length} numbers`);
      if (shape.dtype === 'bool') {
        if (h.some((v) => v !== 0 && v !== 1)) throw invalidOption(where, 'an array of 0 and 1', clip(JSON.stringify(h)));
        return packBits(Uint8Array.from(h));
      }
      const v = shape.dtype === 'uint8' ? Uint8Array.from(h) : Float32Array.from(h);
      return new Uint8Array(v.buffer);
    }
    let b: Uint8Array;
    try {
      b = hashStringToBytes(h, format);
    } catch {
      throw invalidOption(where, format === 'hex' ? 'a hex string' : 'a standard base64 string with = padding', clip(h));
    }
    if (b.length !== size) throw invalidOption(where, `${size} bytes (${shape.length} ${unit}, the hash length)`, `${b.length} bytes`);
    return b;
  };
  if (shape.dtype === 'bool') {
    const packed = new PackedHashes(n, shape.length);
    for (let k = 0; k < n; k++) packed.setRow(k, bytesOf(k));
    let threads = 1;
    const found = await searchPairs(packed, { radius: radiusFor(shape.threshold, shape.length), items, workers, report: (info) => (threads = info.threads) });
    return { count: found.count, i: found.i, j: found.j, distance: (k) => found.d[k] / shape.length, threads };
  }
  const all = new Uint8Array(n * size);
  for (let k = 0; k < n; k++) all.set(bytesOf(k), k * size);
  const values = shape.dtype === 'uint8' ? all : new Float32Array(all.buffer);
  const found = euclideanPairs(new VectorHashes(n, shape.length, values), shape.threshold, { items });
  return { count: found.count, i: found.i, j: found.j, distance: (k) => found.distance[k], threads: 1 };
}

/** Python's order for sorted(): numbers by value, strings by code point (JS's < compares UTF-16 units). */
function compareIds(a: Id, b: Id): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) {
    const x = a.codePointAt(k)!;
    const y = b.codePointAt(k)!;
    if (x !== y) return x - y;
    if (x > 0xffff) k++;
  }
  return a.length - b.length;
}

/** RFC 4180: quote a field holding a comma, quote or line break. */
function csv(id: Id): string {
  const s = String(id);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
