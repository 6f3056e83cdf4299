/**
 * Approximate pair search measured against exact search: the Annoy index (annoy-node, src/core/annoy) and
 * the bit-sampling LSH of src/core/pairs, on random 256-bit hashes with planted near-copies.
 *
 *   npx tsx bench/annoy.ts [--only annoy|approximate] [--quick] [--sizes 10000,100000,1000000]
 *
 * Data: n rows; the last 10% are copies of random earlier rows with d bits flipped, d uniform in 0..51
 * (distance < 0.2 x 256, perception's phash threshold). Random 256-bit rows are ~128 bits apart, so the
 * true pairs are the planted ones plus the few planted rows that land near each other; the exact search
 * (findPairs, method exact) finds them all at 10k and 100k. At 1M exact all-pairs is too slow to run here: the
 * exact neighbours of 2,000 random query rows give the reference for recall of all true pairs and, scaled
 * by the pair count, the exact all-pairs time (marked "extrapolated").
 * Heavy 1M runs go to a child process each, so their peak RSS is their own. Also from the bundle:
 *   npm run bench -- --only annoy,lsh
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { annoyAvailable } from '../src/core/annoy/annoyAddon.js';
import { AnnoyHashIndex } from '../src/core/annoy/annoyIndex.js';
import { findPairs, type FindPairsOptions } from '../src/core/pairs/findPairs.js';
import { hammingBits, PackedHashes } from '../src/core/pairs/packed.js';
import { runsAlone } from './context.js';
import { formatTable } from './table.js';
import { xorshift32 } from '../src/core/testing/plantedHashes.js';

const BITS = 256;
const THRESHOLD = 0.2;
const RADIUS = 52; // d < 52  <=>  d / 256 < 0.2 (exclusive, as everywhere in src/core/pairs)
const W = BITS / 32;

export interface PlantedSet {
  readonly n: number;
  readonly words: Uint32Array;
  /** planted (original, copy, distance) */
  readonly planted: Uint32Array;
}

export function plantedHashes(n: number, seed = 7, plantFraction = 0.1): PlantedSet {
  const next = xorshift32(seed);
  const words = new Uint32Array(n * W);
  for (let q = 0; q < words.length; q++) words[q] = next();
  const p = Math.floor(n * plantFraction);
  const planted = new Uint32Array(p * 3);
  const flip = new Uint8Array(BITS);
  for (let c = 0; c < p; c++) {
    const copy = n - p + c;
    const orig = next() % (n - p);
    const d = next() % RADIUS;
    words.copyWithin(copy * W, orig * W, orig * W + W);
    flip.fill(0);
    for (let f = 0; f < d;) {
      const b = next() & 255;
      if (flip[b]) continue;
      flip[b] = 1;
      words[copy * W + (b >>> 5)] ^= 1 << (b & 31);
      f++;
    }
    planted.set([orig, copy, d], c * 3);
  }
  return { n, words, planted };
}

function packed(set: PlantedSet): PackedHashes {
  return new PackedHashes(set.n, BITS, new Uint8Array(set.words.buffer, set.words.byteOffset, set.words.byteLength));
}

const key = (i: number, j: number) => (i < j ? i * 4294967296 + j : j * 4294967296 + i);

function pairKeys(i: ArrayLike<number>, j: ArrayLike<number>, count = i.length): Set<number> {
  const s = new Set<number>();
  for (let q = 0; q < count; q++) s.add(key(i[q], j[q]));
  return s;
}

/** Recall of the planted pairs, overall and for those at 46..51 bits (the hardest for LSH). */
function plantedRecall(set: PlantedSet, found: Set<number>): { all: number; edge: number } {
  let hit = 0;
  let edge = 0;
  let edgeHit = 0;
  const p = set.planted.length / 3;
  for (let c = 0; c < p; c++) {
    const ok = found.has(key(set.planted[3 * c], set.planted[3 * c + 1]));
    if (ok) hit++;
    if (set.planted[3 * c + 2] >= 46) {
      edge++;
      if (ok) edgeHit++;
    }
  }
  return { all: hit / p, edge: edge ? edgeHit / edge : 1 };
}

function recallOf(truth: Set<number>, found: Set<number>): number {
  let hit = 0;
  for (const k of truth) if (found.has(k)) hit++;
  return truth.size ? hit / truth.size : 1;
}

const fmtRecall = (r: number) => r.toFixed(4);
const mb = (bytes: number) => Math.round(bytes / 1e6);
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** dist/, where the bundled worker entries are; undefined from sources before a build (one thread then). */
function workerDir(): string | undefined {
  const dir = resolve(__dirname, '..', 'dist');
  return existsSync(join(dir, 'exactWorker.js')) ? dir : undefined;
}

/** The exact pairs of `queries` (or of the whole set) over the planted set, on two threads. */
async function exactPairs(data: PackedHashes, queries?: PackedHashes) {
  const opts: FindPairsOptions = { method: 'exact', workers: 2, workerDir: workerDir() };
  return (await findPairs({ hashers: [{ hashes: data, threshold: THRESHOLD, ...(queries ? { queries } : {}) }] }, opts)).pairs;
}

interface ExactResult {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly truth: Set<number>;
  readonly extrapolated: boolean;
  readonly threads: string;
}

/** Exact all pairs (n <= 100k), or at 1M the exact neighbours of `sample` rows, scaled to all pairs. */
async function exactReference(set: PlantedSet, sample = 2000): Promise<ExactResult & { queryRows?: Uint32Array }> {
  const data = packed(set);
  const threads = workerDir() ? '2 workers' : '1 thread (no dist/exactWorker.js: run npm run build for 2)';
  const cpu0 = process.cpuUsage();
  const cpuSince = () => {
    const c = process.cpuUsage(cpu0);
    return (c.user + c.system) / 1e6;
  };
  if (set.n <= 200_000) {
    const t0 = performance.now();
    const r = await exactPairs(data);
    return { seconds: (performance.now() - t0) / 1000, cpuSeconds: cpuSince(), truth: pairKeys(r.i, r.j, r.count), extrapolated: false, threads };
  }
  const next = xorshift32(99);
  const rows = new Uint32Array(sample);
  for (let q = 0; q < sample; q++) rows[q] = next() % set.n;
  const queries = data.select(rows);
  const t0 = performance.now();
  const r = await exactPairs(data, queries);
  const seconds = (performance.now() - t0) / 1000;
  const cpuSeconds = cpuSince();
  const truth = new Set<number>();
  for (let q = 0; q < r.count; q++) {
    const a = rows[r.i[q]];
    const b = r.j[q];
    if (a !== b) truth.add(key(a, b));
  }
  // all pairs = n(n-1)/2 comparisons; the sample did sample x n.
  const scale = (set.n - 1) / (2 * sample);
  return { seconds: seconds * scale, cpuSeconds: cpuSeconds * scale, truth, extrapolated: true, threads, queryRows: rows };
}

/** Pairs of `found` that involve one of the sampled rows, for recall against the sampled exact reference. */
function restrictToRows(i: Uint32Array, j: Uint32Array, rows: Uint32Array): Set<number> {
  const want = new Set<number>(rows);
  const s = new Set<number>();
  for (let q = 0; q < i.length; q++) if (want.has(i[q]) || want.has(j[q])) s.add(key(i[q], j[q]));
  return s;
}

// ---------------------------------------------------------------------------------------------- Annoy

export async function benchAnnoy(out: (s: string) => void = (s) => process.stdout.write(s), opts: { sizes?: number[]; trees?: number[] } = {}): Promise<void> {
  if (!annoyAvailable()) {
    out('\nAnnoy: annoy-node is not available here (npm install builds it); skipped.\n');
    return;
  }
  const rows: (string | number)[][] = [];
  const sample = 1000;
  for (const n of opts.sizes ?? [10_000, 100_000]) {
    const set = plantedHashes(n);
    // Reference: exact neighbours (<= 51 bits) of `sample` random rows, and of the planted copies below.
    const data = packed(set);
    const next = xorshift32(5);
    const rowsSample = Uint32Array.from({ length: sample }, () => next() % n);
    const ex = await exactPairs(data, data.select(rowsSample));
    const truth: Set<number>[] = Array.from({ length: sample }, () => new Set<number>());
    for (let q = 0; q < ex.count; q++) if (rowsSample[ex.i[q]] !== ex.j[q]) truth[ex.i[q]].add(ex.j[q]);
    const truthCount = truth.reduce((s, t) => s + t.size, 0);
    const bytes = new Uint8Array(set.words.buffer);
    const items = Array.from({ length: n }, (_, q) => ({ path: `f${q}`, hash: bytes.subarray(q * 32, q * 32 + 32) }));
    const planted = Math.min(sample, set.planted.length / 3);
    for (const trees of opts.trees ?? [8, 16, 32, 64]) {
      const rssBefore = process.memoryUsage().rss;
      let t0 = performance.now();
      const index = AnnoyHashIndex.build(items, { hasherKey: 'bench', trees, threads: 2 });
      const buildS = (performance.now() - t0) / 1000;
      const rss = process.memoryUsage().rss - rssBefore;
      const dir = mkdtempSync(join(tmpdir(), 'annoy-bench-'));
      t0 = performance.now();
      index.save(dir);
      const saveS = (performance.now() - t0) / 1000;
      const size = readdirSync(dir)
        .filter((f) => f.endsWith('.ann'))
        .reduce((s, f) => s + statSync(join(dir, f)).size, 0);
      index.close();
      t0 = performance.now();
      const loaded = AnnoyHashIndex.load(dir, { hasherKey: 'bench', bits: BITS });
      const loadS = (performance.now() - t0) / 1000;
      for (const ask of [10, 50, 200]) {
        // Query-by-example: does a planted copy's k=10 answer contain its original?
        t0 = performance.now();
        let hit = 0;
        for (let c = 0; c < planted; c++) {
          const orig = set.planted[3 * c];
          if (loaded.query(items[set.planted[3 * c + 1]].hash, 10, { searchNeighbours: ask }).some((h) => h.id === orig)) hit++;
        }
        const queryMs = (performance.now() - t0) / planted;
        // Candidate generation: each sampled row's `ask` nearest, verified exactly, against its exact neighbours.
        let found = 0;
        for (let q = 0; q < sample; q++) {
          for (const h of loaded.queryItem(rowsSample[q], ask, { searchNeighbours: ask })) if (h.distance < RADIUS && truth[q].has(h.id)) found++;
        }
        rows.push([
          n,
          trees,
          ask,
          buildS,
          saveS + loadS,
          mb(size),
          mb(rss),
          queryMs,
          fmtRecall(hit / planted),
          fmtRecall(truthCount ? found / truthCount : 1),
          (queryMs * n) / 1000,
          peakRssMb(),
        ]);
      }
      loaded.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  out(
    formatTable(
      `Annoy (annoy-node 0.1.8, -O3; Manhattan on 0/1 vectors = Hamming) vs exact search, fewer than ${RADIUS} of ${BITS} bits differing. ` +
        '"ask": neighbours asked of Annoy per query, its only search_k knob (the binding fixes search_k = ask x trees); ' +
        'query@10: a planted copy finds its original among its 10 nearest; radius recall: exact pairs <= 51 bits of 1,000 random rows found in ' +
        'their ask-nearest; all-pairs s: query time x n (candidate generation for every row)',
      ['n', 'trees', 'ask', 'build s', 'save+load s', 'index MB', 'RSS +MB', 'query ms', 'query@10 recall', 'radius recall', 'all-pairs s', 'peak RSS MB'],
      rows,
    ),
  );
}

// ---------------------------------------------------------------------------------------- LSH (1M)

interface LshRun {
  readonly n: number;
  readonly keyBits?: number;
  readonly workers: number;
}

interface LshRunResult {
  readonly params: string;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly recallAtRadius: number;
  readonly plantedAll: number;
  readonly plantedEdge: number;
  readonly allPairs: number;
  readonly pairs: number;
  readonly candidates: number;
  readonly exactSeconds: number;
  readonly exactCpuSeconds: number;
  readonly exactNote: string;
  readonly peakRssMb: number;
}

/** One LSH configuration against the exact reference, in this process. */
async function runLsh(cfg: LshRun): Promise<LshRunResult> {
  const set = plantedHashes(cfg.n);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const data = packed(set);
  const opts: FindPairsOptions = { method: 'approximate', workers: cfg.workers, workerDir: workerDir(), lsh: { keyBits: cfg.keyBits, seed: 1 } };
  const { pairs: r, searches } = await findPairs({ hashers: [{ hashes: data, threshold: THRESHOLD }] }, opts);
  const plan = searches[0].plan!;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // Peak RSS before the exact reference runs in this process: hashes + LSH only, what the product would hold.
  const lshPeak = peakRssMb();
  const exact = await exactReference(set);
  for (let q = 0; q < Math.min(r.count, 100_000); q++) {
    const d = hammingBits(data, r.i[q], data, r.j[q]);
    if (d / BITS !== r.distance[q] || d >= RADIUS) throw new Error(`false pair ${r.i[q]},${r.j[q]}`);
  }
  const found = pairKeys(r.i, r.j);
  const pr = plantedRecall(set, found);
  const vsTruth = exact.queryRows ? restrictToRows(r.i, r.j, exact.queryRows) : found;
  return {
    params: `k=${plan.keyBits} L=${plan.tables} P=${plan.partitionBits} workers=${cfg.workers}`,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    recallAtRadius: plan.recallAtRadius,
    plantedAll: pr.all,
    plantedEdge: pr.edge,
    allPairs: recallOf(exact.truth, vsTruth),
    pairs: r.count,
    candidates: searches[0].candidates ?? 0,
    exactSeconds: exact.seconds,
    exactCpuSeconds: exact.cpuSeconds,
    exactNote: `${exact.extrapolated ? 'extrapolated from 2,000 query rows' : 'measured'}, ${exact.threads}`,
    peakRssMb: lshPeak,
  };
}

const CHILD_ENV = 'MEDIA_DEDUPE_BENCH_LSH_CHILD';

/**
 * Runs a configuration in a child process (fresh peak RSS): the same entry script again (bench/annoy.ts
 * under tsx, or dist/bench.js), told by an environment variable to run just that configuration.
 */
function runIsolated(cfg: LshRun): Promise<LshRunResult> {
  const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1]], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, [CHILD_ENV]: JSON.stringify(cfg) },
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`bench child failed (exit ${r.status}): ${r.stdout}`);
  return Promise.resolve(JSON.parse(line) as LshRunResult);
}

/** In a child started by runIsolated: runs its configuration, prints the result as JSON and returns true. */
export async function runLshChild(): Promise<boolean> {
  const cfg = process.env[CHILD_ENV];
  if (!cfg) return false;
  process.stdout.write(JSON.stringify(await runLsh(JSON.parse(cfg) as LshRun)) + '\n');
  return true;
}

export async function benchApproximate(
  out: (s: string) => void = (s) => process.stdout.write(s),
  opts: { sizes?: number[]; sweep?: boolean } = {},
): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const n of opts.sizes ?? [10_000, 100_000, 1_000_000]) {
    const configs: LshRun[] = [{ n, workers: 2 }];
    if (opts.sweep && n >= 100_000) for (const d of [-2, -1, 1]) configs.push({ n, workers: 2, keyBits: Math.round(Math.log2(n)) - 4 + d });
    if (n >= 1_000_000) configs.push({ n, workers: 1 });
    let exactShown = false;
    for (const cfg of configs) {
      const r = await runIsolated(cfg);
      if (!exactShown) {
        rows.push([n, 'exact all-pairs', r.exactNote, '-', '1.0000', '1.0000', '1.0000', '-', r.exactSeconds, r.exactCpuSeconds, '-', '-', '-']);
        exactShown = true;
      }
      rows.push([
        n,
        'LSH bit-sampling',
        r.params,
        fmtRecall(r.recallAtRadius),
        fmtRecall(r.plantedAll),
        fmtRecall(r.plantedEdge),
        fmtRecall(r.allPairs),
        r.candidates,
        r.seconds,
        r.cpuSeconds,
        (r.seconds / r.exactSeconds).toFixed(2),
        (r.cpuSeconds / r.exactCpuSeconds).toFixed(2),
        r.peakRssMb,
      ]);
    }
  }
  out(
    formatTable(
      `Approximate pairs (findPairs, LSH) vs exact, fewer than ${RADIUS} of ${BITS} bits differing, every candidate verified exactly. ` +
        '"expected@51": planned recall of a pair exactly at the radius; "planted 46-51": planted pairs at 46..51 bits; ' +
        '"all-pairs": every exact pair (at 1M: every exact pair of 2,000 sampled rows); "x exact": LSH time / exact time, wall and CPU ' +
        '(CPU time is the fairer ratio on a shared machine); peak RSS of the process running that configuration (the 1M ones run alone)',
      [
        'n',
        'method',
        'params',
        'expected@51',
        'planted recall',
        'planted 46-51',
        'all-pairs recall',
        'candidates',
        'seconds',
        'CPU s',
        'x exact',
        'x exact CPU',
        'peak RSS MB',
      ],
      rows,
    ),
  );
}

async function main(argv: string[]): Promise<void> {
  if (await runLshChild()) return;
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
  const sizes = argv.includes('--sizes') ? argv[argv.indexOf('--sizes') + 1].split(',').map(Number) : undefined;
  const quick = argv.includes('--quick');
  if (!only || only === 'annoy')
    await benchAnnoy(undefined, { sizes: sizes?.filter((n) => n <= 100_000) ?? (quick ? [10_000] : undefined), trees: quick ? [16] : undefined });
  if (!only || only === 'approximate')
    await benchApproximate(undefined, { sizes: sizes ?? (quick ? [10_000, 100_000] : undefined), sweep: argv.includes('--sweep') });
}

// Alone: npx tsx bench/annoy.ts (inside dist/bench.js, bench.ts runs it)
if (runsAlone('annoy')) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
