import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { run } from '../../src/cli/commands/pairs.js';
import { runInProcess, type CapturedRun } from '../helpers/runInProcess.js';
import { main } from '../../src/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'md-pairs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function jsonl(records: readonly unknown[]): string {
  const path = join(dir, `h${files++}.jsonl`);
  writeFileSync(path, records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n');
  return path;
}

const pairs = (argv: string[]): Promise<CapturedRun> => runInProcess(run, argv, dir);

/** A base64 hash of `bits` bits (bytes of the pattern), with the first `flip` bits inverted. */
function hash(seed: number, flip = 0, bits = 256): string {
  const b = Buffer.alloc(Math.ceil(bits / 8));
  for (let k = 0; k < b.length; k++) b[k] = (seed * 73 + k * 151 + ((k * seed) >> 2)) & 0xff;
  for (let k = 0; k < flip; k++) b[k >> 3] ^= 0x80 >> (k & 7);
  if (bits % 8) b[b.length - 1] &= (0xff << (8 - (bits % 8))) & 0xff;
  return b.toString('base64');
}

test('prints id1,id2,distance for pairs below the threshold, sorted, strictly below', async () => {
  const file = jsonl([
    { id: 'c', hash: hash(1, 51) }, // 51/256 < 0.2
    { id: 'a', hash: hash(1) },
    { id: 'b', hash: hash(2) },
    { id: 'd', hash: hash(1, 52) }, // 52/256 > 0.2 from a; 1/256 from c
    { id: 'e', hash: hash(2, 52) }, // 52/256 = 0.203 from b: not a pair
  ]);
  const r = await pairs([file]);
  assert.equal(r.code, 0, r.stderr);
  // (earlier line, later line), as perception names pairs; sorted by id1 then id2
  assert.equal(r.stdout, ['id1,id2,distance', 'c,a,0.19921875', 'c,d,0.00390625'].join('\n') + '\n');
  assert.match(r.stderr, /5 hashes \(256 bool\), threshold 0.2: 2 pairs/);
  const strict = await pairs([file, '--threshold', String(51 / 256)]);
  assert.equal(strict.stdout, 'id1,id2,distance\nc,d,0.00390625\n', 'distance equal to the threshold is not a pair');
});

test('several hashes per id: lines of one id never pair; each named pair once, with its smallest distance', async () => {
  // perception's deduplicate_hashes: rows compared in order, (id of earlier row, id of later row), set of names
  const file = jsonl([
    { id: 'A', hash: hash(5) },
    { id: 'A', hash: hash(5, 3) },
    { id: 'B', hash: hash(9) },
    { id: 'C', hash: hash(5, 10) },
    { id: 'A', hash: hash(5, 20) },
  ]);
  const r = await pairs([file]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, ['id1,id2,distance', 'A,C,0.02734375', 'C,A,0.0390625'].join('\n') + '\n');
});

test('--json, numeric ids, CSV quoting', async () => {
  const file = jsonl([
    { id: 10, hash: hash(3) },
    { id: 9, hash: hash(3, 4) },
    { id: 'x,"y"', hash: hash(3, 8) },
  ]);
  const csv = await pairs([file]);
  assert.equal(csv.stdout, ['id1,id2,distance', '9,"x,""y""",0.015625', '10,9,0.015625', '10,"x,""y""",0.03125'].join('\n') + '\n');
  const js = await pairs([file, '--json']);
  const out = JSON.parse(js.stdout) as { threshold: number; hashLength: number; dtype: string; pairs: { id1: unknown; id2: unknown; distance: number }[] };
  assert.equal(out.threshold, 0.2);
  assert.equal(out.hashLength, 256);
  assert.equal(out.dtype, 'bool');
  assert.deepEqual(out.pairs[0], { id1: 9, id2: 'x,"y"', distance: 0.015625 });
  assert.equal(out.pairs.length, 3);
});

test('--hash-length normalises by the real length (255 bits in 32 bytes)', async () => {
  const file = jsonl([
    { id: 'a', hash: hash(4, 0, 255) },
    { id: 'b', hash: hash(4, 51, 255) },
  ]);
  assert.equal((await pairs([file])).stdout, 'id1,id2,distance\na,b,0.19921875\n', '51/256 when the length is taken from the bytes');
  assert.equal((await pairs([file, '--hash-length', '255'])).stdout, 'id1,id2,distance\n', '51/255 is exactly 0.2: not a pair');
});

test('--hasher sets length, dtype and the default threshold; bool hashes may be arrays of bits', async () => {
  const bits = (flip: number): number[] => Array.from({ length: 64 }, (_, k) => (k % 3 === 0 ? 1 : 0) ^ (k < flip ? 1 : 0));
  const file = jsonl([
    { id: 'a', hash: bits(0) },
    { id: 'b', hash: bits(12) },
    { id: 'c', hash: Array.from({ length: 64 }, (_, k) => (k % 2 ? 1 : 0)) },
  ]);
  const r = await pairs([file, '--hasher', 'phash', '--hash-size', '8']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'id1,id2,distance\na,b,0.1875\n');
  await assert.rejects(
    pairs([file, '--hasher', 'phash']),
    /Expected 256 values \(the hash length\) for the hash of id "a" on line 1 of .* but received "an array of 64 numbers"/,
  );
  await assert.rejects(pairs([file, '--hasher', 'phash', '--hash-length', '100']), /Expected 256 \(what phash makes\) or nothing for --hash-length/);
});

test('uint8 and float32 hashes: Euclidean distance, threshold required', async () => {
  const u8 = (v: number[]): string => Buffer.from(v).toString('base64');
  const file = jsonl([
    { id: 'a', hash: u8([10, 10, 10, 10]) },
    { id: 'b', hash: u8([13, 14, 10, 10]) }, // 5 from a
    { id: 'c', hash: u8([10, 10, 10, 30]) },
  ]);
  await assert.rejects(pairs([file, '--dtype', 'uint8']), /Expected a threshold \(there is no default for uint8 hashes\) for --threshold/);
  assert.equal((await pairs([file, '--dtype', 'uint8', '--threshold', '5'])).stdout, 'id1,id2,distance\n');
  assert.equal((await pairs([file, '--dtype', 'uint8', '--threshold', '5.01'])).stdout, 'id1,id2,distance\na,b,5\n');
  const f32 = (v: number[]): string => Buffer.from(new Float32Array(v).buffer).toString('base64');
  const ff = jsonl([
    { id: 'p', hash: f32([0.5, 1]) },
    { id: 'q', hash: f32([0.5, 1.25]) },
  ]);
  assert.equal((await pairs([ff, '--dtype', 'float32', '--threshold', '0.3'])).stdout, 'id1,id2,distance\np,q,0.25\n');
});

test('bad input fails with the line and what was expected; through main, exit status 2', async () => {
  const bad = jsonl([{ id: 'a', hash: hash(1) }, 'not json', { id: 'b', hash: hash(2) }]);
  await assert.rejects(pairs([bad]), /Expected a JSON object \{"id": \.\.\., "hash": \.\.\.\} for line 2 of .* but received "not json"/);
  const noId = jsonl([{ hash: hash(1) }]);
  await assert.rejects(pairs([noId]), /Expected a string or a number for "id" on line 1/);
  const mixed = jsonl([
    { id: 'a', hash: hash(1) },
    { id: 'b', hash: hash(1, 0, 64) },
  ]);
  await assert.rejects(pairs([mixed]), /Expected 32 bytes \(256 bits, the hash length\) for the hash of id "b" on line 2 .* but received "8 bytes"/);
  const notB64 = jsonl([{ id: 'a', hash: 'abc$' }]);
  await assert.rejects(pairs([notB64]), /base64/);

  const sink = () => new Writable({ write: (_c, _e, cb) => cb() });
  let err = '';
  const io = { stdout: sink(), stderr: new Writable({ write: (c, _e, cb) => ((err += String(c)), cb()) }), cwd: dir };
  assert.equal(await main(['pairs', bad], io), 2);
  assert.match(err, /line 2/);
  assert.equal(await main(['pairs', join(dir, 'missing.jsonl')], io), 2);
  assert.match(err, /cannot read/);
  assert.equal(await main(['pairs'], io), 2);
  assert.equal(await main(['pairs', bad, '--threshold', 'x'], io), 2);
  assert.equal(await main(['pairs', bad, '--bogus'], io), 2);
});

test('an empty file has no pairs; --help explains the format', async () => {
  assert.equal((await pairs([jsonl([])])).stdout, 'id1,id2,distance\n');
  const h = await pairs(['--help']);
  assert.match(h.stdout, /deduplicate_hashes/);
  assert.match(h.stdout, /distance < threshold/);
});
