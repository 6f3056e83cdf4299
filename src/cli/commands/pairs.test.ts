import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { rng } from '../../core/testing/plantedHashes.js';
import { runInProcess, type CapturedRun } from '../testing/runInProcess.js';
import { main } from '../main.js';
import { run } from './pairs.js';

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

// `media-dedupe pairs` through the approximate (LSH) path: same semantics as the exact path, which is the
// reference. LSH is probabilistic, so the data and the table seed are fixed and recall is asserted as a
// bound, never as equality; false pairs must be zero whatever the seed, since every candidate is verified.

function flipped(src: Uint8Array, flips: number, rand: () => number): Uint8Array {
  const row = Uint8Array.from(src);
  const done = new Set<number>();
  while (done.size < flips) {
    const b = Math.floor(rand() * src.length * 8);
    if (done.has(b)) continue;
    done.add(b);
    row[b >> 3] ^= 0x80 >> (b & 7);
  }
  return row;
}

const b64 = (row: Uint8Array): string => Buffer.from(row).toString('base64');

/** n random 256-bit rows; 10% near-copies at 0-51 bits (planted), 3% near misses at 52-64 bits. */
function planted(n: number, seed: number): { records: { id: string; hash: string }[]; planted: string[] } {
  const rand = rng(seed);
  const rows: Uint8Array[] = [];
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    const u = rand();
    if (k > 10 && u < 0.13) {
      const src = Math.floor(rand() * k);
      const near = u < 0.1;
      rows.push(flipped(rows[src], near ? Math.floor(rand() * 52) : 52 + Math.floor(rand() * 13), rand));
      if (near) out.push(`r${src},r${k}`);
    } else rows.push(Uint8Array.from({ length: 32 }, () => Math.floor(rand() * 256)));
  }
  return { records: rows.map((r, k) => ({ id: `r${k}`, hash: b64(r) })), planted: out };
}

/** "id1,id2" -> distance from the CSV */
function parse(csv: string): Map<string, number> {
  const lines = csv.trimEnd().split('\n');
  assert.equal(lines[0], 'id1,id2,distance');
  return new Map(lines.slice(1).map((l) => [l.slice(0, l.lastIndexOf(',')), Number(l.slice(l.lastIndexOf(',') + 1))]));
}

test('--approximate finds the exact pairs of 3,000 planted hashes: recall >= 0.99, no false pairs, distances exact', async () => {
  const data = planted(3000, 11);
  const file = jsonl(data.records);
  const exact = await pairs([file, '--exact']);
  assert.equal(exact.code, 0, exact.stderr);
  assert.match(exact.stderr, /exact search \(exact search asked for\)/);
  const approx = await pairs([file, '--approximate']);
  assert.equal(approx.code, 0, approx.stderr);
  // stderr names the method and its parameters, and the recall it guarantees at the threshold
  assert.match(approx.stderr, /approximate search \(approximate search asked for\): bit-sampling LSH, \d+ tables of \d+ sampled bits \(seed 1\)/);
  assert.match(approx.stderr, /a pair at the threshold \(51 of 256 bits\) is found with probability 99\.9\d%/);

  const truth = parse(exact.stdout);
  const found = parse(approx.stdout);
  for (const p of data.planted) assert.ok(truth.has(p), `exact search misses planted pair ${p}`);
  for (const [k, d] of found) assert.equal(truth.get(k), d, `approximate pair ${k} at ${d} is not an exact pair with that distance`);
  const plantedHits = data.planted.filter((p) => found.has(p)).length;
  assert.ok(plantedHits / data.planted.length >= 0.99, `planted recall ${plantedHits}/${data.planted.length}`);
  assert.ok(found.size / truth.size >= 0.99, `recall ${found.size}/${truth.size}`);
  // Output order is the exact path's order (sorted by id1, then id2), restricted to what was found.
  assert.deepEqual(
    [...found.keys()],
    [...truth.keys()].filter((k) => found.has(k)),
  );

  // The same seed gives the same answer; the size cutoff picks the method when neither flag is given.
  assert.equal((await pairs([file, '--approximate'])).stdout, approx.stdout);
  const auto = await pairs([file, '--approximate-above', '2999']);
  assert.match(auto.stderr, /approximate search \(more than 2,999 hashes\)/);
  assert.equal(auto.stdout, approx.stdout);
  assert.match((await pairs([file])).stderr, /exact search \(3,000 hashes, at most 200,000\)/);
});

/** perception's deduplicate_hashes, by brute force: rows in order, (earlier id, later id), each name once at its smallest distance. */
function reference(records: readonly { id: string | number; hash: string }[], threshold = 0.2): Map<string, number> {
  const bytes = records.map((r) => Buffer.from(r.hash, 'base64'));
  const out = new Map<string, number>();
  for (let i = 0; i < records.length; i++) {
    for (let j = i + 1; j < records.length; j++) {
      if (records[i].id === records[j].id) continue;
      let bits = 0;
      for (let k = 0; k < bytes[i].length; k++) for (let x = bytes[i][k] ^ bytes[j][k]; x; x &= x - 1) bits++;
      const d = bits / (bytes[i].length * 8);
      const key = JSON.stringify([records[i].id, records[j].id]);
      if (d < threshold && !(out.get(key)! <= d)) out.set(key, d);
    }
  }
  return out;
}

async function jsonPairs(argv: string[]): Promise<Map<string, number>> {
  const r = await pairs([...argv, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { pairs: { id1: string | number; id2: string | number; distance: number }[] };
  return new Map(out.pairs.map((p) => [JSON.stringify([p.id1, p.id2]), p.distance]));
}

test("--approximate keeps perception's semantics: lines of one id never pair, each name once with its smallest distance", async () => {
  const rand = rng(5);
  const random = (): Uint8Array => Uint8Array.from({ length: 32 }, () => Math.floor(rand() * 256));
  const base = random();
  const other = random();
  const records = [
    { id: 'A', hash: b64(base) },
    { id: 'A', hash: b64(flipped(base, 3, rand)) }, // same id: never a pair, however close
    { id: 'B', hash: b64(other) },
    ...Array.from({ length: 300 }, (_, k) => ({ id: `n${k}`, hash: b64(random()) })),
    { id: 'C', hash: b64(flipped(base, 10, rand)) },
    { id: 'A', hash: b64(flipped(base, 20, rand)) }, // after C: names the pair (C, A) besides (A, C)
    { id: 7, hash: b64(flipped(other, 4, rand)) },
    { id: 7.0, hash: b64(flipped(other, 6, rand)) }, // JSON 7.0 is the id 7 (as in Python): not paired with it
    { id: '7', hash: b64(flipped(other, 8, rand)) }, // the string "7" is another id
  ];
  const file = jsonl(records);
  const want = reference(records);
  assert.deepEqual(new Set(want.keys()), new Set(['["A","C"]', '["C","A"]', '["B",7]', '["B","7"]', '[7,"7"]']));
  assert.equal(want.get('["A","C"]'), 10 / 256, 'the smallest distance over the lines of A');
  for (const method of ['--exact', '--approximate']) assert.deepEqual(await jsonPairs([file, method]), want, method);
  // The same through the automatic choice, and as CSV: identical output from both methods.
  assert.equal((await pairs([file, '--approximate-above', '10'])).stdout, (await pairs([file])).stdout);
});

test('--approximate is strict at the threshold, as the exact search: distance == threshold is not a pair', async () => {
  const rand = rng(9);
  const noise = Array.from({ length: 200 }, (_, k) => ({ id: `n${k}`, hash: b64(Uint8Array.from({ length: 32 }, () => Math.floor(rand() * 256))) }));
  const a = Uint8Array.from({ length: 32 }, () => Math.floor(rand() * 256));
  const file = jsonl([{ id: 'a', hash: b64(a) }, { id: 'b51', hash: b64(flipped(a, 51, rand)) }, { id: 'c52', hash: b64(flipped(a, 52, rand)) }, ...noise]);
  for (const method of ['--exact', '--approximate']) {
    const r = parse((await pairs([file, method])).stdout);
    assert.equal(r.get('a,b51'), 51 / 256, `${method}: 51/256 < 0.2 is a pair`);
    assert.ok(!r.has('a,c52'), `${method}: 52/256 > 0.2 is not`);
    const at = parse((await pairs([file, method, '--threshold', String(51 / 256)])).stdout);
    assert.ok(!at.has('a,b51'), `${method}: 51/256 is not below a threshold of 51/256`);
  }
  // 255-bit hashes (32 bytes, last bit padding): 51/255 is exactly 0.2, so not a pair; the radius comes from the real length.
  const a255 = a.map((v, k) => (k === 31 ? v & 0xfe : v));
  const b255 = Uint8Array.from(a255);
  for (let bit = 0; bit < 51; bit++) b255[bit >> 3] ^= 0x80 >> (bit & 7);
  const file255 = jsonl([{ id: 'a', hash: b64(a255) }, { id: 'b', hash: b64(b255) }, ...noise]);
  for (const method of ['--exact', '--approximate']) {
    assert.ok(!parse((await pairs([file255, method, '--hash-length', '255'])).stdout).has('a,b'), `${method}: 51/255 is not below 0.2`);
    assert.equal(parse((await pairs([file255, method, '--hash-length', '255', '--threshold', '0.2001'])).stdout).get('a,b'), 51 / 255, method);
  }
});

test('the method flags fail clearly where they cannot apply', async () => {
  const file = jsonl([
    { id: 'a', hash: b64(new Uint8Array(32)) },
    { id: 'b', hash: b64(new Uint8Array(32)) },
  ]);
  await assert.rejects(pairs([file, '--exact', '--approximate']), /Expected either --exact or --approximate, not both/);
  await assert.rejects(
    pairs([file, '--approximate', '--dtype', 'uint8', '--threshold', '3']),
    /Expected bool hashes .* for --approximate but received "uint8 hashes"/,
  );
  await assert.rejects(pairs([file, '--approximate', '--threshold', '0.6']), /too wide for bit sampling/);
  // Two different hashes: identical ones would be one distinct hash, which is searched exactly for that reason.
  const wide = jsonl([
    { id: 'a', hash: b64(new Uint8Array(72)) },
    { id: 'b', hash: b64(Uint8Array.from({ length: 72 }, (_, k) => (k ? 0 : 1))) },
  ]);
  await assert.rejects(pairs([wide, '--approximate']), /up to 256 bits, these have 576/);
  // Automatic choice: hashes LSH cannot serve stay exact, and the reason is printed.
  const auto = await pairs([wide, '--approximate-above', '1']);
  assert.equal(auto.code, 0, auto.stderr);
  assert.match(auto.stderr, /exact search \(LSH handles hashes of up to 256 bits, these have 576\)/);
  assert.equal(auto.stdout, `id1,id2,distance\na,b,${1 / 576}\n`);
});
