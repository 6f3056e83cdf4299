import { once } from 'node:events';
import { resolve } from 'node:path';
import { expectInt, expectNumber, invalidOption } from '../../core/errors.js';
import { hashStringToBytes, type HashFormat } from '../../core/hashers/format.js';
import { createHasher, HASHER_NAMES } from '../../core/hashers/registry.js';
import type { DistanceMetric, HashDtype } from '../../core/hashers/types.js';
import { describeSearch, type SearchMethod } from '../../core/pairs/choose.js';
import { findPairs } from '../../core/pairs/findPairs.js';
import { DEFAULT_APPROXIMATE_ABOVE } from '../../core/pairs/lshParams.js';
import { PackedHashes } from '../../core/pairs/packed.js';
import type { FoundPairs } from '../../core/pairs/pairSet.js';
import { VectorHashes } from '../../core/pairs/vectors.js';
import { parseCommandArgs, type OptionSpecs } from '../args.js';
import { EXIT, type CliIo } from '../io.js';
import type { Id, IdTable } from './idTable.js';
import { readHashRows, UnreadableInput, type HashRows, type Shape } from './pairsInput.js';

const SPECS: OptionSpecs = {
  threshold: { kind: 'number', expected: 'a distance threshold such as 0.2' },
  hasher: { kind: 'string', expected: `a hasher name (${HASHER_NAMES.join(', ')})` },
  'hash-size': { kind: 'number', expected: 'an integer between 2 and 64' },
  'hash-length': { kind: 'number', expected: 'the number of values in a hash (bits for bool hashes)' },
  dtype: { kind: 'string', choices: ['bool', 'uint8', 'float32'] },
  format: { kind: 'string', choices: ['base64', 'hex'] },
  workers: { kind: 'number', expected: 'a number of threads between 1 and 256' },
  exact: { kind: 'boolean' },
  approximate: { kind: 'boolean' },
  'approximate-above': { kind: 'number', expected: 'a number of hashes such as 200000' },
  json: { kind: 'boolean' },
  'from-shards': { kind: 'string', expected: 'the folder of the hash shards and their plan' },
  tables: { kind: 'string', expected: 'I/N, e.g. 3/16 (0-based)' },
  'shard-count': { kind: 'number', expected: 'the number of table shards (with JOB_COMPLETION_INDEX)' },
  out: { kind: 'string', expected: 'a folder for the pair shard' },
  memory: { kind: 'number', expected: 'GB of scratch for the task, such as 1.75' },
};

const HELP = `media-dedupe pairs <hashes.jsonl> [options]
media-dedupe pairs --from-shards DIR --tables I/N --out DIR [--workers N] [--memory GB]

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
  --workers N            threads for the search (default: every core; 2 for the approximate search)
  --exact                always search exactly (all pairs)
  --approximate          always use the approximate search (bool hashes of 8 to 256 bits)
  --approximate-above N  above N hashes, bool hashes of up to 256 bits go through the approximate search
                         (default ${DEFAULT_APPROXIMATE_ABOVE}); exact search is used up to N
  --json                 print {"pairs": [{"id1", "id2", "distance"}], ...} instead of CSV

Search: exact (every pair, popcount on every core) up to ${DEFAULT_APPROXIMATE_ABOVE} hashes; above, bit-sampling LSH
proposes candidates and each one is checked with its exact distance, so no printed pair is wrong
but a true pair may be missed: the plan makes a pair at the threshold found with probability 99.9%
(closer pairs more often). Standard error names the search that ran and its parameters.

Sharded search (one task of an array job, after "media-dedupe plan --from-shards DIR"):
  --from-shards DIR      the hash shards and the plan written by plan
  --tables I/N           run the plan's LSH tables t with t % N == I (default: from SLURM_ARRAY_TASK_ID/
                         SLURM_ARRAY_TASK_COUNT, or JOB_COMPLETION_INDEX/--shard-count); the N shards'
                         pairs together are one process's pairs
  --out DIR              write pairs-0000I-of-0000N.parquet (i, j, distance) and its .json sidecar there
  --memory GB            the task's scratch besides the memory-mapped hashes (default 1.75): enough to
                         keep each table's keys (4 bytes a distinct hash a thread) saves passes

Exit status: 0 on success (with or without pairs), 2 for bad options or input.
`;

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, SPECS, HELP, io);
  if (!args) return EXIT.ok;
  const { positionals, options } = args;
  if (options['from-shards'] !== undefined) {
    if (positionals.length) throw invalidOption('arguments', 'either a hashes file or --from-shards, not both', positionals.join(' '));
    const { runPairsShard } = await import('./pairsShard.js');
    return runPairsShard(options, io);
  }
  if (positionals.length !== 1)
    throw invalidOption('the hashes file', 'one path to a JSON-lines file (or - for standard input)', positionals.length ? positionals.join(' ') : undefined);
  const file = positionals[0];
  const format = (options.format as HashFormat | undefined) ?? 'base64';
  if (options.exact && options.approximate) throw invalidOption('--exact', 'either --exact or --approximate, not both', '--approximate as well');
  const method: SearchMethod = options.exact ? 'exact' : options.approximate ? 'approximate' : 'auto';
  const approximateAbove =
    options['approximate-above'] === undefined
      ? DEFAULT_APPROXIMATE_ABOVE
      : expectInt('--approximate-above', options['approximate-above'], 1, Number.MAX_SAFE_INTEGER);
  const workers = options.workers === undefined ? undefined : expectInt('--workers', options.workers, 1, 256);
  const started = performance.now();

  let input: HashRows;
  try {
    input = await readHashRows(file, file === '-' ? undefined : resolve(io.cwd, file), format, (first) => {
      const shape = resolveShape(options, first, format);
      // Said at the first line rather than after reading a million.
      if (method === 'approximate' && shape.dtype !== 'bool')
        throw invalidOption('--approximate', 'bool hashes (the approximate search is for Hamming distance)', `${shape.dtype} hashes`);
      return shape;
    });
  } catch (e) {
    if (!(e instanceof UnreadableInput)) throw e;
    io.stderr.write(`media-dedupe pairs: cannot read ${file}: ${e.message}\n`);
    return EXIT.usage;
  }
  const { shape, count: n } = input;
  const items = input.ids.items();
  const readSec = (performance.now() - started) / 1000;

  const values = shape.dtype === 'float32' ? new Float32Array(input.bytes.buffer, input.bytes.byteOffset, n * shape.length) : input.bytes;
  const hashes = shape.dtype === 'bool' ? new PackedHashes(n, shape.length, input.bytes) : new VectorHashes(n, shape.length, values);
  const found = await findPairs({ hashers: [{ hashes, threshold: shape.threshold, items }] }, { method, approximateAbove, workers });
  const search = found.searches[0];
  io.stderr.write(`media-dedupe pairs: ${describeSearch(search)}\n`);
  const pairs = namePairs(found.pairs, input.ids);
  await writePairs(io, pairs, input, options.json === true);
  const total = (performance.now() - started) / 1000;
  io.stderr.write(
    `media-dedupe pairs: ${input.count} hashes (${shape.length} ${shape.dtype}), threshold ${shape.threshold}: ${pairs.order.length} pairs; ` +
      `read ${readSec.toFixed(2)} s, search ${search.seconds.toFixed(2)} s on ${search.threads} thread${search.threads === 1 ? '' : 's'}, total ${total.toFixed(2)} s\n`,
  );
  return EXIT.ok;
}

/** Element count of one hash as given (string or array), for inferring the length. */
function lengthOf(hash: string | number[], dtype: HashDtype, format: HashFormat): number {
  if (Array.isArray(hash)) return hash.length;
  const bytes = hashStringToBytes(hash, format).length;
  return dtype === 'bool' ? bytes * 8 : dtype === 'uint8' ? bytes : bytes / 4;
}

/** perception takes either a hasher or hash_length + dtype + distance_metric; so do we, with defaults. */
function resolveShape(options: Record<string, unknown>, first: string | number[] | undefined, format: HashFormat): Shape {
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
    length = given.length ?? (first !== undefined ? lengthOf(first, dtype, format) : 1);
    defaultThreshold = dtype === 'bool' ? 0.2 : undefined;
  }
  if (!Number.isInteger(length) || length < 1) throw invalidOption('--hash-length', 'a whole number of values', length);
  if (options.threshold === undefined && defaultThreshold === undefined)
    throw invalidOption('--threshold', `a threshold (there is no default for ${dtype} hashes)`, undefined);
  const threshold = options.threshold === undefined ? defaultThreshold! : expectNumber('--threshold', options.threshold, 0, Number.MAX_VALUE);
  return { dtype, length, metric, threshold };
}

/** The pairs in output order, with the id of each row that names one. */
interface NamedPairs {
  readonly pairs: FoundPairs;
  readonly order: Uint32Array;
  readonly idOf: (row: number) => Id;
}

/**
 * findPairs names a pair as perception does, (item of the earlier line, item of the later line), each
 * name once with its smallest distance; an item is the first line of its id. Output is sorted by id1
 * then id2 in Python's order: ids decoded for the rows that name a pair only, ranked once.
 */
function namePairs(pairs: FoundPairs, ids: IdTable): NamedPairs {
  const decoded = new Map<number, Id>();
  for (const rows of [pairs.i, pairs.j]) for (const row of rows) if (!decoded.has(row)) decoded.set(row, ids.get(row));
  const ranked = [...decoded.keys()].sort((x, y) => compareIds(decoded.get(x)!, decoded.get(y)!));
  const rank = new Map<number, number>(ranked.map((row, q) => [row, q]));
  const order = Uint32Array.from({ length: pairs.count }, (_, k) => k).sort(
    (x, y) => rank.get(pairs.i[x])! - rank.get(pairs.i[y])! || rank.get(pairs.j[x])! - rank.get(pairs.j[y])!,
  );
  return { pairs, order, idOf: (row) => decoded.get(row)! };
}

const CHUNK_CHARS = 1 << 16;

/** Output in chunks that respect back-pressure: a million pairs never become one string. */
async function writePairs(io: CliIo, p: NamedPairs, input: HashRows, asJson: boolean): Promise<void> {
  const { shape } = input;
  const { i, j, distance } = p.pairs;
  let buf = '';
  const put = async (text: string): Promise<void> => {
    buf += text;
    if (buf.length < CHUNK_CHARS) return;
    const ok = io.stdout.write(buf);
    buf = '';
    if (!ok) await once(io.stdout, 'drain');
  };
  if (asJson) {
    const head = { threshold: shape.threshold, dtype: shape.dtype, hashLength: shape.length, distanceMetric: shape.metric, hashes: input.count };
    await put(`${JSON.stringify(head).slice(0, -1)},"pairs":[`);
    for (const [q, k] of p.order.entries()) await put(`${q ? ',' : ''}${JSON.stringify({ id1: p.idOf(i[k]), id2: p.idOf(j[k]), distance: distance[k] })}`);
    await put(']}\n');
  } else {
    await put('id1,id2,distance\n');
    for (const k of p.order) await put(`${csv(p.idOf(i[k]))},${csv(p.idOf(j[k]))},${distance[k]}\n`);
  }
  if (buf) io.stdout.write(buf);
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
