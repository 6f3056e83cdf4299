import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setKernelLevel } from '../kernels/kernels.js';
import { plantedFile } from '../testing/plantedHashes.js';
import { randomRows } from '../testing/pairFixtures.js';
import { tempDir } from '../testing/tempDir.js';
import { lshPairs, type LshOptions, type LshRowSource } from './lsh.js';
import { nativeLsh, NativeKeep, nativePassPlan, nativeThreads } from './lshNative.js';
import { restReadRate } from './lshCost.js';
import { planLsh, sampleTableBits, type LshPlan } from './lshParams.js';
import { PackedHashes } from './packed.js';
import { PairSet, type FoundPairs } from './pairSet.js';

// The native table loop must find exactly the WebAssembly kernel's pairs (same plan, same tables): the
// WebAssembly kernel is its oracle. CI builds the addon and sets MEDIA_DEDUPE_REQUIRE_NATIVE, so there a
// missing addon fails instead of skipping.
const required = process.env.MEDIA_DEDUPE_REQUIRE_NATIVE === '1';
const native = nativeLsh();
const skip = native.run ? false : required ? false : `the native LSH loop is unavailable here (${native.why})`;

type Data = PackedHashes | LshRowSource;

async function run(
  data: Data,
  radius: number,
  opts: LshOptions,
  items?: ArrayLike<number>,
  select?: ArrayLike<number>,
  plan?: Partial<LshPlan>,
): Promise<{ pairs: FoundPairs; engine: string; hits: number; passes: number; tails: number; candidates: number }> {
  const n = select ? select.length : data.count;
  const bits = data instanceof PackedHashes ? data.bits : 256;
  const set = new PairSet();
  const r = await lshPairs(data, { ...planLsh(n, bits, radius, { seed: 5, keyBits: plan?.keyBits }), ...plan }, items, { workers: 1, ...opts }, set);
  return { pairs: set.toPairs(), engine: r.engine, hits: r.hits, passes: r.passes, tails: r.tails ?? 0, candidates: r.candidates };
}

/** Native and WebAssembly give the same pairs (i, j, distance) on this input; returns how many. */
async function same(
  what: string,
  data: Data,
  radius: number,
  opts: LshOptions = {},
  items?: ArrayLike<number>,
  select?: ArrayLike<number>,
  plan?: Partial<LshPlan>,
): Promise<number> {
  const wasm = await run(data, radius, { ...opts, engine: 'wasm' }, items, select, plan);
  const c = await run(data, radius, { ...opts, engine: 'native' }, items, select, plan);
  assert.equal(c.engine, 'native');
  assert.match(wasm.engine, /^WebAssembly/);
  assert.equal(c.pairs.count, wasm.pairs.count, `${what}: as many pairs`);
  assert.deepEqual(c.pairs.i, wasm.pairs.i, `${what}: same i`);
  assert.deepEqual(c.pairs.j, wasm.pairs.j, `${what}: same j`);
  assert.deepEqual(c.pairs.distance, wasm.pairs.distance, `${what}: same distances`);
  assert.equal(c.hits, wasm.hits, `${what}: the same hits before deduplication (the same tables and buckets)`);
  return c.pairs.count;
}

test('native LSH = WebAssembly LSH: planted 256-bit hashes, threads, table shards, passes, items, selections', { skip }, async () => {
  const set = plantedFile(6000, undefined, { seed: 11 });
  const hashes = new PackedHashes(set.n, 256, new Uint8Array(set.words.buffer, 0, set.words.byteLength));
  const radius = 52;
  const found = await same('one thread', hashes, radius);
  assert.ok(found >= set.planted.length / 3, `the planted copies are found (${found} pairs)`);
  await same('two threads', hashes, radius, { workers: 2 });
  for (let index = 0; index < 3; index++) await same(`table shard ${index}/3`, hashes, radius, { tableShard: { index, count: 3 } });
  // Small budgets: many passes per table, the native loop keeping each row's coarse byte, or nothing (keys recomputed in every pass).
  const low = planLsh(set.n, 256, radius);
  assert.equal(nativePassPlan(6000, 16000, low).keep, NativeKeep.Coarse);
  assert.equal(nativePassPlan(6000, 4000, low).keep, NativeKeep.Nothing);
  assert.equal(nativePassPlan(6000, 40000, low).keep, NativeKeep.Keys);
  for (const passBytes of [4000, 16000]) await same(`many passes (${passBytes} bytes)`, hashes, radius, { passBytes });
  const items = Int32Array.from({ length: set.n }, (_, r) => (set.sourceOf[r] >= 0 ? set.sourceOf[r] : r));
  await same('items (no pair of one item)', hashes, radius, {}, items);
  const select = Array.from({ length: 3000 }, (_, k) => (k * 7) % set.n);
  await same(
    'a selection of rows',
    hashes,
    radius,
    {},
    undefined,
    Array.from(new Set(select)).sort((a, b) => a - b),
  );
});

test('a thread spends its budget the cheapest way by the cost model; a task keeps coarse bytes on fewer threads rather than nothing on more (nativeThreads)', () => {
  const gb = 2 ** 30;
  // Key bits and partition bits: 19 and 12 at 10M, 26 and 16 at 1B (lshParams).
  const split10M = { keyBits: 19, partitionBits: 12 };
  const at1B = { keyBits: 26, partitionBits: 16 };
  const at20M = { keyBits: 20, partitionBits: 12 };
  const wide18 = { keyBits: 26, partitionBits: 8 };
  assert.equal(nativeThreads(10_000_000, 2, 1.75 * gb, split10M), 2, '10M: both threads keep their keys');
  assert.equal(nativeThreads(1_000_000_000, 2, 1.75 * gb, at1B), 1, '1B: one thread keeps coarse bytes, two would keep nothing');
  const oneB = nativePassPlan(1_000_000_000, 1.75 * gb, at1B);
  assert.equal(oneB.keep, NativeKeep.Coarse);
  assert.ok(oneB.copied, '1B: the passes copy their rows (past COPY_ROWS_FROM)');
  assert.equal(oneB.rowBytes, 6 + 24, '1B: a pass row is its index, 10 low key bits in 2 bytes and the first 24 bytes of the row');
  assert.equal(oneB.passes, 37, '1B on 1.75 GB: 37 passes a table (7 of the 256 coarse units a pass; 35 if a pass could split a unit)');
  const whole = nativePassPlan(1_000_000_000, 1.75 * gb, at1B, { copyBytes: 32 });
  assert.ok(whole.rowBytes === 38 && whole.passes === 52, `whole rows copied: 38 bytes a pass row, 52 passes (${whole.passes})`);
  const gathered = nativePassPlan(1_000_000_000, 1.75 * gb, at1B, { copyBytes: 0 });
  assert.equal(gathered.rowBytes, 6, 'rows not copied: 6 bytes a pass row');
  assert.ok(gathered.passes <= 7, `1B on 1.75 GB, rows gathered: at most 7 passes a table (${gathered.passes})`);
  assert.ok(!nativePassPlan(10_000_000, 20 * 2 ** 20, split10M).copied, '10M on its 1B budget share: rows gathered (copying costs more there)');
  // 1B on 5 GB: keeping the keys fits (rows gathered, 5 passes), but by the cost model copying the first 24
  // bytes of each row (coarse bytes, 7 passes) costs less: the gathers of 1B's rows cost more than the copies.
  const fiveGb = nativePassPlan(1_000_000_000, 5 * gb, at1B);
  const keysAt5 = nativePassPlan(1_000_000_000, 5 * gb, at1B, { keep: NativeKeep.Keys });
  assert.equal(keysAt5.keep, NativeKeep.Keys);
  assert.ok(
    fiveGb.copied && fiveGb.keep === NativeKeep.Coarse && fiveGb.costPerHash < keysAt5.costPerHash,
    `1B on 5 GB: rows copied (${fiveGb.passes} passes)`,
  );
  assert.ok(!nativePassPlan(100_000_000, 0.875 * gb, split10M, { keep: NativeKeep.Keys }).copied, 'keys kept: nothing to copy');
  assert.ok(!nativePassPlan(20_000_000, 1.75 * gb, at20M).copied, 'below COPY_ROWS_FROM: rows gathered whatever the budget');
  assert.equal(nativePassPlan(1_000_000_000, 1.75 * gb, wide18, { copyBytes: 0 }).rowBytes, 8, 'low key bits past 16: 4 bytes of them');
  // Knowing the search, the model picks the prefix by its rest-reads (lshCost.ts restReadRate, perRest): at the
  // 0.2 threshold (radius 51 of 256 bits, 26 key bits at 1B) 20 bytes (about 2e-4 of the tests read the rest,
  // 32 passes), not 16 (about 10 %); at 0.3 (radius 77) 20 and 24 bytes would send percents of them: longer.
  const search = { bits: 256, keyBits: 26, radius: 51 };
  const picked = nativePassPlan(1_000_000_000, 1.75 * gb, at1B, { search });
  assert.ok(
    picked.copied && picked.copyBytes === 20 && picked.rowBytes === 26 && picked.passes === 32,
    `1B, 0.2: 20 bytes copied, 32 passes (${picked.copyBytes}, ${picked.passes})`,
  );
  assert.ok(picked.restRate > 0 && picked.restRate < 1e-3, `1B, 0.2: rest-reads ${picked.restRate}`);
  assert.ok(picked.costPerHash < oneB.costPerHash, '1B: 20 bytes cost less than 24 by the model');
  const at10M = { bits: 256, keyBits: 19, radius: 51 };
  const rates = [16, 20, 24, 28, 32].map((b) => restReadRate(b, at10M));
  assert.ok(rates.every((r, q) => q === 0 || r < rates[q - 1]) && rates[4] === 0, `rest-reads fall with the prefix: ${rates.join(', ')}`);
  assert.ok(rates[0] > 0.04 && rates[0] < 0.08, `16 bytes at 10M: ${rates[0]} (measured 7.3 %)`);
  assert.ok(rates[1] > 2e-5 && rates[1] < 2e-4, `20 bytes at 10M: ${rates[1]} (measured 8e-5 more than 24 bytes)`);
  const wide = nativePassPlan(1_000_000_000, 1.75 * gb, at1B, { search: { ...search, radius: 77 } });
  assert.ok(wide.copied && wide.copyBytes >= 28, `1B, 0.3: a longer prefix (${wide.copyBytes} bytes)`);
  assert.equal(nativeThreads(1_000_000_000, 2, 1.75 * gb, at1B, search), 1, '1B with the search: still one thread');
  assert.equal(nativeThreads(1_000_000_000, 2, 12 * gb, at1B), 2, '1B, 12 GB: two threads copying rows (6 passes) cost within 10 % of one (3 passes)');
  assert.equal(nativeThreads(1_000_000_000, 8, 12 * gb, at1B), 3, '1B, 12 GB: three threads copying rows (10 passes) within 10 % of one, four (15 passes) not');
  assert.equal(
    nativeThreads(10_000_000_000, 2, 1.75 * gb, at1B),
    1,
    'nothing fits either way: one thread, whose budget recomputes the keys in half the passes of two',
  );
});

test(
  'native LSH past 256 partitions: passes by coarse byte (a group of partitions), kept keys and nothing kept give the WebAssembly pairs',
  { skip },
  async () => {
    const set = plantedFile(6000, undefined, { seed: 12 });
    const hashes = new PackedHashes(set.n, 256, new Uint8Array(set.words.buffer, 0, set.words.byteLength));
    // 1024 partitions of ~6 rows: a coarse byte stands for 4 of them; the budgets force 2 to 6 passes a table.
    const plan = { keyBits: 12, partitionBits: 10 };
    for (const [passBytes, keep] of [
      [12000, NativeKeep.Coarse],
      [40000, NativeKeep.Keys],
      [4000, NativeKeep.Nothing],
    ] as const) {
      const p = nativePassPlan(set.n, passBytes, plan);
      assert.equal(p.keep, keep);
      assert.ok(p.passes >= 2, `${passBytes} bytes: several passes (${p.passes})`);
      const found = await same(`${passBytes} bytes, ${p.passes} passes`, hashes, 52, { passBytes }, undefined, undefined, plan);
      assert.ok(found >= set.planted.length / 3, `the planted copies are found (${found} pairs)`);
    }
    // Coarse bytes kept, each row copied into its pass (38 bytes a pass row) instead of gathered: 6 passes a table.
    const copied = nativePassPlan(set.n, 30000, plan, { copyBytes: 32 });
    assert.ok(copied.copied && copied.keep === NativeKeep.Coarse && copied.rowBytes === 38 && copied.passes >= 5, `copied rows, ${copied.passes} passes`);
    await same(`rows copied, ${copied.passes} passes`, hashes, 52, { passBytes: 30000, copyBytes: 32 }, undefined, undefined, plan);
    const items = Int32Array.from({ length: set.n }, (_, r) => (set.sourceOf[r] >= 0 ? set.sourceOf[r] : r));
    await same('rows copied, items', hashes, 52, { passBytes: 30000, copyBytes: 32 }, items, undefined, plan);
    // Only a prefix of each row copied (8, 16, 24 bytes): the pair tests reject on it and read the rest from the hashes.
    for (const copyBytes of [8, 16, 24]) {
      const p = nativePassPlan(set.n, 30000, plan, { copyBytes: copyBytes });
      assert.ok(p.copied && p.copyBytes === copyBytes && p.rowBytes === 6 + copyBytes, `${copyBytes} bytes a row copied`);
      await same(
        `the first ${copyBytes} bytes of each row copied, ${p.passes} passes`,
        hashes,
        52,
        { passBytes: 30000, copyBytes },
        undefined,
        undefined,
        plan,
      );
      await same(`${copyBytes} bytes copied, items`, hashes, 52, { passBytes: 30000, copyBytes }, items, undefined, plan);
    }
  },
);

test(
  'rows copied by their first 4 to 28 bytes: the prefix rejects a pair only past the radius, pairs exactly at it are decided on the whole row',
  { skip },
  async () => {
    // Random rows, and copies of some with d bits flipped: p of them in the first 24 bytes and d - p in the
    // last 8, around the radius (52: pairs have at most 51 differing bits); and split at 20 bytes, the rest
    // in the half word past it (bytes 20-23, read alone) and in the last word.
    let seed = 77;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 2 ** 24;
    const rows: Uint8Array[] = [];
    const flip = (row: Uint8Array, from: number, to: number, count: number): void => {
      const bits = new Set<number>();
      while (bits.size < count) bits.add(from * 8 + Math.floor(rand() * (to - from) * 8));
      for (const b of bits) row[b >> 3] ^= 0x80 >> (b & 7);
    };
    // [bits flipped in the first 24 bytes, in the last 8]: found (51), rejected after the rest is read (52),
    // rejected by the prefix alone (52 in it), and splits of 51 and 52 across both parts
    const cases = [
      [51, 0],
      [51, 1],
      [52, 0],
      [40, 11],
      [40, 12],
      [45, 6],
      [45, 7],
      [30, 21],
    ];
    // [bits flipped in the first 20 bytes, in bytes 20-23, in the last 8]
    const cases20 = [
      [51, 0, 0],
      [50, 1, 0],
      [50, 0, 1],
      [52, 0, 0],
      [47, 2, 2],
      [48, 2, 2],
      [45, 4, 2],
      [45, 4, 3],
    ];
    for (let r = 0; r < 300; r++) rows.push(Uint8Array.from({ length: 32 }, () => Math.floor(rand() * 256)));
    for (const [head, tail] of cases)
      for (let c = 0; c < 4; c++) {
        const row = rows[Math.floor(rand() * 300)].slice();
        flip(row, 0, 24, head);
        flip(row, 24, 32, tail);
        rows.push(row);
      }
    for (const [head, half, tail] of cases20)
      for (let c = 0; c < 4; c++) {
        const row = rows[Math.floor(rand() * 300)].slice();
        flip(row, 0, 20, head);
        flip(row, 20, 24, half);
        flip(row, 24, 32, tail);
        rows.push(row);
      }
    const hashes = PackedHashes.fromBytes(rows, 256);
    const exact = new Map<string, number>();
    for (let i = 0; i < rows.length; i++)
      for (let j = i + 1; j < rows.length; j++) {
        let d = 0;
        for (let b = 0; b < 32; b++) for (let v = rows[i][b] ^ rows[j][b]; v; v &= v - 1) d++;
        if (d < 52) exact.set(`${i},${j}`, d);
      }
    assert.ok([...exact.values()].filter((d) => d === 51).length >= 24, 'pairs exactly at the radius are in the set');
    // 10 key bits, 16 partitions, 80 tables: every pair within the radius shares a key in some table
    const plan = { keyBits: 10, partitionBits: 4, tables: 80 };
    for (const copyBytes of [4, 8, 12, 16, 20, 24, 28]) {
      const p = nativePassPlan(rows.length, 2000, plan, { copyBytes });
      assert.ok(p.copied && p.copyBytes === copyBytes && p.passes >= 3, `${copyBytes} bytes: copied, ${p.passes} passes`);
      const found = await same(
        `the first ${copyBytes} bytes copied, pairs around the radius`,
        hashes,
        52,
        { passBytes: 2000, copyBytes },
        undefined,
        undefined,
        plan,
      );
      const c = await run(hashes, 52, { passBytes: 2000, copyBytes, engine: 'native' }, undefined, undefined, plan);
      const got = new Map<string, number>();
      for (let q = 0; q < c.pairs.count; q++) got.set(`${c.pairs.i[q]},${c.pairs.j[q]}`, c.pairs.distance[q]);
      assert.equal(found, exact.size, `${copyBytes} bytes: every pair within the radius, none past it`);
      assert.deepEqual([...got.entries()].sort(), [...exact.entries()].sort(), `${copyBytes} bytes: the exact pairs and distances`);
      assert.ok(
        c.tails > 0 && c.tails <= c.candidates && (copyBytes <= 8 || c.tails < c.candidates),
        `${copyBytes} bytes: some tests read the rest of the rows (${c.tails} of ${c.candidates})`,
      );
    }
  },
);

test('native LSH with more than 16 key bits below the partition (pass rows of 8 bytes) gives the WebAssembly pairs', { skip }, async () => {
  const set = plantedFile(3000, undefined, { seed: 13 });
  const hashes = new PackedHashes(set.n, 256, new Uint8Array(set.words.buffer, 0, set.words.byteLength));
  // 4 partitions, 18 bits below them; few tables (short keys would need thousands for the recall).
  const plan = { keyBits: 20, partitionBits: 2, tables: 12 };
  for (const passBytes of [6000, 2000, 40000]) {
    const p = nativePassPlan(set.n, passBytes, plan);
    assert.equal(p.rowBytes, 8);
    await same(`wide rows, ${passBytes} bytes, ${p.passes} passes`, hashes, 52, { passBytes }, undefined, undefined, plan);
  }
  const copied = nativePassPlan(set.n, 15000, plan, { copyBytes: 32 });
  assert.ok(copied.copied && copied.rowBytes === 40 && copied.passes >= 2, `wide rows copied: 40 bytes a pass row, ${copied.passes} passes`);
  await same(`wide rows copied, ${copied.passes} passes`, hashes, 52, { passBytes: 15000, copyBytes: 32 }, undefined, undefined, plan);
  await same(`wide rows, 24 bytes of them copied`, hashes, 52, { passBytes: 15000, copyBytes: 24 }, undefined, undefined, plan);
});

test('the native loop returns each pair once, sorted by (i, j), on two threads (a table-shard task writes them as they come)', { skip }, () => {
  const set = plantedFile(6000, undefined, { seed: 14 });
  const plan = planLsh(set.n, 256, 52, { seed: 5 });
  const rows = new Uint8Array(set.words.buffer, 0, set.words.byteLength);
  const r = native.run!(rows, set.n, 32, null, plan.keyBits, plan.partitionBits, plan.radius, sampleTableBits(plan), set.n, NativeKeep.Keys, 2);
  assert.ok(r.i.length > 100, `pairs found (${r.i.length})`);
  let sorted = true;
  for (let q = 1; q < r.i.length; q++) if (!(r.i[q - 1] < r.i[q] || (r.i[q - 1] === r.i[q] && r.j[q - 1] < r.j[q]))) sorted = false;
  assert.ok(sorted, 'strictly increasing (i, j): sorted, no pair twice');
});

test('native LSH = WebAssembly LSH on 64-, 128- and 200-bit hashes (rows of 8, 16 and 32 bytes)', { skip }, async () => {
  for (const bits of [64, 128, 200]) {
    const rows = randomRows(4000, bits, bits);
    const hashes = PackedHashes.fromBytes(rows, bits);
    const radius = Math.floor(bits * 0.15);
    assert.ok((await same(`${bits} bits`, hashes, radius)) > 0, `${bits} bits: pairs found`);
  }
});

test('native LSH reads a file of packed rows in place (memory-mapped) and finds what the buffer gives', { skip }, async () => {
  const set = plantedFile(3000, undefined, { seed: 4 });
  const bytes = new Uint8Array(set.words.buffer, 0, set.words.byteLength);
  const { dir, cleanup } = tempDir('md-lsh-');
  try {
    const path = join(dir, 'rows.bin');
    writeFileSync(path, bytes);
    const fromFile: LshRowSource = { count: set.n, fill: () => assert.fail('the native loop maps the file, it never fills a buffer'), path };
    const a = await run(fromFile, 52, { engine: 'native' });
    const b = await run(new PackedHashes(set.n, 256, bytes), 52, { engine: 'wasm' });
    assert.deepEqual([a.pairs.i, a.pairs.j, a.pairs.distance], [b.pairs.i, b.pairs.j, b.pairs.distance]);
    writeFileSync(path, bytes.subarray(0, 32 * 100));
    await assert.rejects(run(fromFile, 52, { engine: 'native' }), /shorter than n \* stride/);
  } finally {
    cleanup();
  }
});

test('the LSH engine: MEDIA_DEDUPE_KERNELS=wasm (or no addon) runs WebAssembly and says why; engine native there is an error', async () => {
  const hashes = PackedHashes.fromBytes(randomRows(500, 256, 2), 256);
  try {
    setKernelLevel('wasm');
    const r = await run(hashes, 40, {});
    assert.equal(r.engine, 'WebAssembly (MEDIA_DEDUPE_KERNELS=wasm)');
    await assert.rejects(run(hashes, 40, { engine: 'native' }), /native only where the kernels addon is built/);
  } finally {
    setKernelLevel(undefined);
  }
});

test("the passes the cost model counts are the passes the native loop makes (whole coarse units a pass), on 1B's budget a hash", { skip }, async () => {
  // 2^18 random rows, 26 key bits, 16 of them partition bits: 256 coarse units of ~1,024 rows, as at 1B
  // (3.9M rows a unit); a pass holds whole units, so n / passRows undercounts (35 for 37 at 24 bytes).
  const n = 2 ** 18;
  const bytes = new Uint8Array(n * 32);
  let x = 0x9e3779b9;
  for (let b = 0; b < bytes.length; b++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[b] = x & 255;
  }
  const hashes = new PackedHashes(n, 256, bytes);
  const plan = { keyBits: 26, partitionBits: 16, tables: 1 };
  const passBytes = Math.floor((n * 1.75 * 2 ** 30) / 1e9);
  // (not 32 bytes here: 5.92 units of room a pass, so at 2^18 rows a unit's count, +-32 rows, decides between 5 and 6
  // a pass; at 1B, +-2,000 rows of 3.9M, it does not)
  for (const copyBytes of [0, 20, 24]) {
    const model = nativePassPlan(n, passBytes, plan, { keep: NativeKeep.Coarse, copyBytes });
    const r = await run(hashes, 51, { engine: 'native', passBytes, keep: NativeKeep.Coarse, copyBytes }, undefined, undefined, plan);
    assert.equal(r.passes, model.passes, `${copyBytes} bytes copied: the loop made ${r.passes} passes, the model counts ${model.passes}`);
  }
});
