/**
 * `media-dedupe pairs` against perception's own dedupe results (reference/perception/dedup/dedup_results.json):
 * the hashes perception computed for 23 images, the pairs its deduplicate found at several thresholds
 * (which runs deduplicate_hashes underneath), its full pairwise distance tables, and a
 * deduplicate_hashes call with several hashes per id.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/commands/pairs.js';
import { findPairs } from '../../src/core/pairs/findPairs.js';
import { PackedHashes } from '../../src/core/pairs/packed.js';
import { runInProcess } from '../../src/cli/testing/runInProcess.js';
import { REFERENCE_DIR, sharedSkipReason } from '../../src/core/testing/dataDirs.js';

interface DedupResults {
  files: string[];
  runs: Record<string, { pairs_normalized: [string, string][] }>;
  pairwise_distances: Record<string, { hashes: Record<string, string>; distance_metric: string; pairs: Record<string, number> }>;
  deduplicate_hashes_multi_example: { input_ids_and_files: [string, string][]; threshold: number; pairs: [string, string][] };
}

const skip = sharedSkipReason('reference/perception/dedup/dedup_results.json');
const load = (): DedupResults => JSON.parse(readFileSync(join(REFERENCE_DIR, 'dedup', 'dedup_results.json'), 'utf8')) as DedupResults;

async function pairsCli(records: { id: string; hash: string }[], args: string[]): Promise<{ id1: string; id2: string; distance: number }[]> {
  const dir = mkdtempSync(join(tmpdir(), 'md-golden-pairs-'));
  try {
    const file = join(dir, 'hashes.jsonl');
    writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const { code, stdout, stderr } = await runInProcess(run, [file, '--json', ...args], dir);
    assert.equal(code, 0, stderr);
    return (JSON.parse(stdout) as { pairs: { id1: string; id2: string; distance: number }[] }).pairs;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const normalised = (pairs: { id1: string; id2: string }[]): string[] => [...new Set(pairs.map((p) => [p.id1, p.id2].sort().join('|')))].sort();

// run name -> the hashes it was made with (pairwise_distances key) and pairs options
const RUNS: Record<string, { table: string; args: string[] }> = {
  'phash16_0.2': { table: 'phash16', args: ['--threshold', '0.2'] },
  'phash16_0.25': { table: 'phash16', args: ['--threshold', '0.25'] },
  'phash8_0.2': { table: 'phash', args: ['--threshold', '0.2'] },
  'dhash16_0.07': { table: 'dhash16', args: ['--threshold', '0.07'] },
  'pdq_0.2': { table: 'pdq', args: ['--threshold', '0.2'] },
  'phashu8_16_euclid10 (cython path)': { table: 'phashu8_16', args: ['--hasher', 'phashu8', '--threshold', '10'] },
};

test('the pairs perception found, from the hashes it computed', { skip }, async () => {
  const ref = load();
  for (const [name, { table, args }] of Object.entries(RUNS)) {
    const hashes = ref.pairwise_distances[table].hashes;
    const found = await pairsCli(
      ref.files.map((f) => ({ id: f, hash: hashes[f] })),
      args,
    );
    assert.deepEqual(
      normalised(found),
      ref.runs[name].pairs_normalized.map((p) => p.join('|')),
      name,
    );
  }
});

test("every pairwise distance equals perception's (Hamming exactly, Euclidean to float32 precision)", { skip }, async () => {
  const ref = load();
  const options: Record<string, string[]> = {
    phash16: ['--threshold', '1.01'],
    phash: ['--threshold', '1.01'],
    dhash16: ['--threshold', '1.01'],
    pdq: ['--threshold', '1.01'],
    phashu8_16: ['--hasher', 'phashu8', '--threshold', '1e9'],
    phashf16: ['--hasher', 'phashf', '--threshold', '1e12'],
    colormoment: ['--hasher', 'colormoment', '--threshold', '1e9'],
  };
  for (const [table, t] of Object.entries(ref.pairwise_distances)) {
    const files = Object.keys(t.hashes).sort();
    const found = await pairsCli(
      files.map((f) => ({ id: f, hash: t.hashes[f] })),
      options[table],
    );
    assert.equal(found.length, (files.length * (files.length - 1)) / 2, table);
    for (const p of found) {
      const want = t.pairs[`${p.id1}|${p.id2}`];
      if (t.distance_metric === 'hamming') assert.equal(p.distance, want, `${table} ${p.id1} ${p.id2}`);
      // perception's compute_distance works in float32; deduplicate_hashes (scipy pdist) and we in float64
      else assert.ok(Math.abs(p.distance - want) <= 1e-6 * Math.max(1, want), `${table} ${p.id1} ${p.id2}: ${p.distance} vs ${want}`);
    }
  }
});

test('deduplicate_hashes with several hashes per id: same-id rows never pair, each pair named once', { skip }, async () => {
  const ref = load();
  const ex = ref.deduplicate_hashes_multi_example;
  const hashes = ref.pairwise_distances.phash16.hashes;
  const found = await pairsCli(
    ex.input_ids_and_files.map(([id, file]) => ({ id, hash: hashes[file] })),
    ['--threshold', String(ex.threshold)],
  );
  assert.deepEqual(
    found.map((p) => [p.id1, p.id2]),
    ex.pairs,
  );
  assert.equal(found[0].distance, 0); // A's first hash is C's hash
});

test('two hashers: the union of their pairs, as deduplicate with [(phash16, 0.2), (dhash16, 0.07)]', { skip }, async () => {
  const ref = load();
  const pack = (table: string) =>
    PackedHashes.fromStrings(
      ref.files.map((f) => ref.pairwise_distances[table].hashes[f]),
      256,
    );
  const { pairs } = await findPairs(
    {
      hashers: [
        { hashes: pack('phash16'), threshold: 0.2 },
        { hashes: pack('dhash16'), threshold: 0.07 },
      ],
    },
    { workers: 1 },
  );
  const names = Array.from({ length: pairs.count }, (_, k) => [ref.files[pairs.i[k]], ref.files[pairs.j[k]]].sort().join('|')).sort();
  assert.deepEqual(
    names,
    ref.runs['phash16_0.2 + dhash16_0.07 (union)'].pairs_normalized.map((p) => p.join('|')),
  );
});
