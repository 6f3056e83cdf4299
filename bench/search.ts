/**
 * Exact pair search: `media-dedupe pairs` on 100k random 256-bit hashes with planted near-copies,
 * timed as a whole process, against a plain C popcount all-pairs loop (one core) on the same data in
 * the same run. Runs inside `npm run bench` (benchSearch) or alone: `npx tsx bench/search.ts [--n N]`
 * after `npm run build`.
 *
 * The machine is shared, so each configuration runs `rounds` times, interleaved, and medians are
 * reported; CPU seconds (user + sys) are printed beside wall seconds because they hardly move when
 * other processes compete for the cores.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runsAlone } from './context.js';
import { rng } from '../src/core/testing/plantedHashes.js';
import { formatTable, median } from './table.js';
import { type ProcessTiming, timedProcess } from './timedProcess.js';

export interface SearchBenchOptions {
  /** repository root (dist/cli.js lives here); default: the folder above this file's bundle */
  readonly repoRoot?: string;
  /** timing rounds per configuration (default 3) */
  readonly rounds?: number;
  /** also time other sizes (for design decisions) */
  readonly explore?: boolean;
  /** hashes (default 100,000) */
  readonly n?: number;
  readonly out?: (text: string) => void;
}

const BITS = 256;
const THRESHOLD = 0.2;
const SEED = 20240611;

export async function benchSearch(opts: SearchBenchOptions = {}): Promise<void> {
  const out = opts.out ?? ((t: string) => process.stdout.write(t));
  const repoRoot = opts.repoRoot ?? resolve(__dirname, '..');
  const rounds = opts.rounds ?? 3;
  const cli = join(repoRoot, 'dist', 'cli.js');
  if (!existsSync(cli)) {
    out(`search: skipped: ${cli} is missing (run npm run build first)\n`);
    return;
  }
  const sizes = opts.n ? [opts.n] : opts.explore ? [25_000, 50_000, 100_000] : [100_000];
  const dir = join(tmpdir(), 'media-dedupe-bench-search');
  mkdirSync(dir, { recursive: true });
  const cBinary = compileBaseline(dir, out);
  out(
    `\nsearch: exact pairs at threshold ${THRESHOLD} (radius ${radius()} bits) over ${BITS}-bit hashes; ${availableParallelism()} cores; load average before ${loadavg()[0].toFixed(2)}\n`,
  );

  for (const n of sizes) {
    const data = makeData(n);
    const jsonl = join(dir, `hashes-${n}-${BITS}.jsonl`);
    const bin = join(dir, `hashes-${n}-${BITS}.bin`);
    writeFileSync(jsonl, data.jsonl);
    writeFileSync(bin, data.bytes);

    const configs: { name: string; cmd: string[]; parse: (s: string) => Set<string> }[] = [
      { name: 'media-dedupe pairs (all cores)', cmd: [process.execPath, cli, 'pairs', jsonl, '--threshold', String(THRESHOLD)], parse: parseCsv },
      {
        name: 'media-dedupe pairs --workers 1',
        cmd: [process.execPath, cli, 'pairs', jsonl, '--threshold', String(THRESHOLD), '--workers', '1'],
        parse: parseCsv,
      },
    ];
    if (cBinary) configs.push({ name: 'C popcount loop, 1 core (gcc -O2)', cmd: [cBinary, bin, String(radius())], parse: parseC });

    const times = configs.map(() => [] as ProcessTiming[]);
    for (let r = 0; r < rounds; r++) configs.forEach((c, k) => times[k].push(timedProcess(c.cmd)));

    const reference = cBinary ? parseC(times[configs.length - 1][0].stdout) : undefined;
    const cWall = cBinary ? median(times[configs.length - 1].map((t) => t.wall)) : undefined;
    const rows = configs.map((c, k) => {
      const found = c.parse(times[k][0].stdout);
      const recalled = data.planted.filter((p) => found.has(p)).length;
      const exact = reference ? (sameSet(found, reference) ? 'yes' : 'NO') : '-';
      const wall = median(times[k].map((t) => t.wall));
      const cpus = times[k].map((t) => t.cpu).filter((x): x is number => x !== undefined);
      return [c.name, n, BITS, found.size, `${recalled}/${data.planted.length}`, exact, wall, cpus.length ? median(cpus) : '-', cWall ? wall / cWall : '-'];
    });
    out(
      formatTable(
        `Exact search, ${n.toLocaleString('en-US')} hashes (median of ${rounds}; ratio = wall time / C's wall time)`,
        ['program', 'n', 'bits', 'pairs found', 'planted recalled', 'same pairs as C', 'seconds', 'CPU s', 'ratio to C'],
        rows,
      ),
    );
    if (n === 100_000) {
      const ours = rows[0][6] as number;
      out(
        `target: 100k exact in <= 5 s: ${ours.toFixed(2)} s ${ours <= 5 ? 'met' : 'NOT met'}` +
          (cWall ? `; no slower than 1.5x the C loop: ${(ours / cWall).toFixed(2)}x ${ours / cWall <= 1.5 ? 'met' : 'NOT met'}` : '') +
          '\n',
      );
    }
  }
  const load = loadavg()[0];
  out(
    `load average after: ${load.toFixed(2)}${load > availableParallelism() ? ' (above the core count: wall times then measure the other processes too; CPU s hardly move)' : ''}\n`,
  );
}

const radius = (): number => Math.ceil(THRESHOLD * BITS); // 51.2 -> pairs have at most 51 differing bits

/**
 * n random hashes; 1% are near-copies of an earlier original (0-51 bits flipped: must be found) and
 * 0.2% are near misses (52-70 bits flipped: must not be found unless chained through another copy).
 */
function makeData(n: number): { jsonl: string; bytes: Uint8Array; planted: string[] } {
  const rand = rng(SEED + n);
  const size = BITS / 8;
  const bytes = new Uint8Array(n * size);
  const isCopy = new Uint8Array(n);
  const planted: string[] = [];
  const lines: string[] = [];
  for (let k = 0; k < n; k++) {
    const row = bytes.subarray(k * size, (k + 1) * size);
    const u = rand();
    if (k > 100 && u < 0.012) {
      let src = Math.floor(rand() * k);
      while (isCopy[src]) src = Math.floor(rand() * k);
      row.set(bytes.subarray(src * size, (src + 1) * size));
      const near = u < 0.01;
      const flips = near ? Math.floor(rand() * 52) : 52 + Math.floor(rand() * 19);
      const bits = new Set<number>();
      while (bits.size < flips) bits.add(Math.floor(rand() * BITS));
      for (const b of bits) row[b >> 3] ^= 0x80 >> (b & 7);
      isCopy[k] = 1;
      if (near) planted.push(`${src},${k}`);
    } else for (let b = 0; b < size; b++) row[b] = Math.floor(rand() * 256);
    lines.push(JSON.stringify({ id: `h${String(k).padStart(7, '0')}`, hash: Buffer.from(row).toString('base64') }));
  }
  return { jsonl: lines.join('\n') + '\n', bytes, planted };
}

/** "i,j" keys from the CLI's CSV (ids are h + row number). */
function parseCsv(csv: string): Set<string> {
  const set = new Set<string>();
  for (const line of csv.split('\n').slice(1)) {
    const [a, b] = line.split(',');
    if (a && b) set.add(`${Number(a.slice(1))},${Number(b.slice(1))}`);
  }
  return set;
}

function parseC(text: string): Set<string> {
  const set = new Set<string>();
  for (const line of text.split('\n')) {
    const [a, b] = line.trim().split(' ');
    if (a && b) set.add(`${a},${b}`);
  }
  return set;
}

const sameSet = (a: Set<string>, b: Set<string>): boolean => a.size === b.size && [...a].every((x) => b.has(x));

/**
 * The baseline the issue sets: all pairs, __builtin_popcountll per word, nothing clever. The word count is
 * a compile-time constant (-DW=4) so gcc unrolls the word loop: with a run-time count the loop is twice
 * as slow, which would flatter us.
 */
const C_SOURCE = `#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
int main(int argc, char **argv) {
  FILE *f = fopen(argv[1], "rb");
  int r = atoi(argv[2]);
  if (!f) return 2;
  fseek(f, 0, SEEK_END); long size = ftell(f); fseek(f, 0, SEEK_SET);
  long n = size / (8 * W);
  uint64_t *h = malloc(size);
  if (fread(h, 1, size, f) != (size_t)size) return 2;
  fclose(f);
  for (long i = 0; i < n; i++) {
    const uint64_t *a = h + i * W;
    for (long j = i + 1; j < n; j++) {
      const uint64_t *b = h + j * W;
      int d = 0;
      for (int k = 0; k < W; k++) d += __builtin_popcountll(a[k] ^ b[k]);
      if (d < r) printf("%ld %ld %d\\n", i, j, d);
    }
  }
  return 0;
}
`;

function compileBaseline(dir: string, out: (t: string) => void): string | undefined {
  const src = join(dir, 'popcount_pairs.c');
  const exe = join(dir, 'popcount_pairs');
  writeFileSync(src, C_SOURCE);
  const r = spawnSync('gcc', ['-O2', '-march=native', `-DW=${BITS / 64}`, '-o', exe, src], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    out(`search: no C baseline (gcc ${r.error ? 'not found' : `failed: ${r.stderr}`}); timing media-dedupe alone\n`);
    return undefined;
  }
  return exe;
}

// Alone: npx tsx bench/search.ts (inside dist/bench.js, bench.ts runs it)
if (runsAlone('search')) {
  const argv = process.argv.slice(2);
  const at = argv.indexOf('--n');
  const rounds = argv.indexOf('--rounds');
  benchSearch({
    n: at >= 0 ? Number(argv[at + 1]) : undefined,
    rounds: rounds >= 0 ? Number(argv[rounds + 1]) : undefined,
    explore: argv.includes('--explore'),
  }).catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  });
}
