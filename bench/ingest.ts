/**
 * Ingest-gate bench (media-dedupe compare):
 *  1. 10,000 new hashes against 1,000,000 dataset hashes with planted near-copies, through findPairs' query
 *     search, exact and LSH (which compare picks is printed): time, recall against the exact search's
 *     pairs and of the planted near-copies, false pairs (every pair recomputed from the hashes), peak RSS.
 *  2. 200 new images against a cached 100,000-file dataset, as a whole process (dist/cli.js compare) under
 *     strace: the dataset folder holds only its hash cache (100,000 entries: the real hashes of 100 of the
 *     bench originals and 99,900 planted ones; its media files are absent, so reading one would fail), and
 *     strace counts the files the process opened in it.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HashCache } from '../src/core/cache/hashCache.js';
import { settingsKey } from '../src/core/cache/settingsKey.js';
import { prepareTables } from '../src/core/hashers/configure.js';
import { chooseSearch, describeSearch } from '../src/core/pairs/choose.js';
import { findPairs } from '../src/core/pairs/findPairs.js';
import { hammingBits, PackedHashes } from '../src/core/pairs/packed.js';
import type { FoundPairs } from '../src/core/pairs/pairSet.js';
import { plantedFile } from '../src/core/testing/plantedHashes.js';
import type { BenchContext } from './context.js';
import { formatTable } from './table.js';

const THRESHOLD = 0.2;

export async function benchIngest(ctx: BenchContext, opts: { data?: number; queries?: number } = {}): Promise<void> {
  ctx.out('\n## ingest\n');
  const nd = opts.data ?? 1_000_000;
  const nq = opts.queries ?? 10_000;
  // Rows after the first nd are the new hashes; 5 % of all rows are near-copies of an earlier row (plantedHashes.ts).
  const set = plantedFile(nd + nq, undefined, { seed: 14 });
  const bytes = new Uint8Array(set.words.buffer);
  const rows = (a: number, b: number): Uint8Array[] => Array.from({ length: b - a }, (_, k) => bytes.subarray((a + k) * 32, (a + k) * 32 + 32));
  const data = PackedHashes.fromBytes(rows(0, nd), 256);
  const queries = PackedHashes.fromBytes(rows(nd, nd + nq), 256);
  // The search compare runs (auto), and both methods forced: the exact one is the truth LSH's recall is measured against.
  const hashers = [{ hashes: data, queries, threshold: THRESHOLD }];
  const auto = chooseSearch({ hashes: data, queries, threshold: THRESHOLD }, {});
  const runs: { method: 'exact' | 'approximate'; seconds: number; pairs: FoundPairs; search: string; rssMb: number }[] = [];
  for (const method of ['exact', 'approximate'] as const) {
    const t0 = performance.now();
    const found = await findPairs({ hashers }, { method });
    runs.push({
      method,
      seconds: (performance.now() - t0) / 1000,
      pairs: found.pairs,
      search: describeSearch(found.searches[0]),
      rssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    });
  }
  const key = (p: FoundPairs, k: number): number => p.i[k] * nd + p.j[k];
  const exactPairs = new Set(Array.from({ length: runs[0].pairs.count }, (_, k) => key(runs[0].pairs, k)));
  const rowsOut = runs.map((r) => {
    const got = new Set<number>();
    let falsePairs = 0;
    let inExact = 0;
    for (let k = 0; k < r.pairs.count; k++) {
      got.add(key(r.pairs, k));
      if (exactPairs.has(key(r.pairs, k))) inExact++;
      if (!(hammingBits(queries, r.pairs.i[k], data, r.pairs.j[k]) / 256 < THRESHOLD)) falsePairs++;
    }
    let planted = 0;
    let plantedFound = 0;
    for (let k = 0; k < set.planted.length; k += 3) {
      const [src, copy] = [set.planted[k], set.planted[k + 1]];
      if (copy < nd || src >= nd) continue;
      planted++;
      if (got.has((copy - nd) * nd + src)) plantedFound++;
    }
    return [
      `${r.method}${r.method === auto.method ? " (compare's choice)" : ''}`,
      r.seconds,
      r.pairs.count,
      `${inExact}/${exactPairs.size} (${((inExact / Math.max(1, exactPairs.size)) * 100).toFixed(2)} %)`,
      `${plantedFound}/${planted}`,
      falsePairs,
      r.rssMb,
    ];
  });
  ctx.out(
    formatTable(
      `${nq.toLocaleString('en-US')} new hashes against ${nd.toLocaleString('en-US')} dataset hashes (256-bit, threshold ${THRESHOLD}), findPairs' query search`,
      ['search', 'seconds', 'pairs', 'recall against exact', 'planted near-copies found', 'false pairs', 'peak RSS MB (process, so far)'],
      rowsOut,
    ),
  );
  ctx.out(`compare's choice: ${auto.method} (${auto.reason}); LSH: ${runs[1].search}\n`);
  await wholeProcess(ctx);
}

/** 200 bench images against a 100,000-entry dataset cache, as one process under strace. */
async function wholeProcess(ctx: BenchContext): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'md-ingest-'));
  try {
    const originals = join(ctx.benchDir, 'images', 'originals');
    const variants = join(ctx.benchDir, 'images', 'variants');
    const dataset = join(dir, 'dataset');
    const incoming = join(dir, 'incoming');
    mkdirSync(dataset);
    mkdirSync(incoming);
    // The dataset's real part: hash 100 bench originals once, in a scratch folder, then move their hashes into a 100k cache.
    const scratch = join(dir, 'scratch');
    mkdirSync(scratch);
    const origs = readdirSync(originals).sort();
    for (const f of origs) copyFileSync(join(originals, f), join(scratch, f));
    const cli = join(ctx.repoRoot, 'dist', 'cli.js');
    spawnSync(process.execPath, [cli, 'scan', scratch], { encoding: 'utf8' });
    const tables = prepareTables([{ name: 'phash', hashSize: 16, threshold: THRESHOLD }]);
    const opts = { settingsKey: settingsKey(tables.map((t) => t.key)), hashKeys: tables.map((t) => t.key) };
    const scanned = await HashCache.readOnly(scratch, opts);
    const cache = await HashCache.open(dataset, opts);
    const real = [...scanned.all()];
    const planted = plantedFile(100_000 - real.length, undefined, { seed: 15 });
    const pb = new Uint8Array(planted.words.buffer);
    for (const e of real) cache.put({ ...e, path: `photos/${e.path}` });
    for (let k = 0; k < planted.n; k++)
      cache.put({
        path: `planted/${String(k).padStart(6, '0')}.jpg`,
        size: 1000,
        mtimeMs: 0,
        width: 64,
        height: 64,
        fingerprint: '0'.repeat(64),
        hashes: { [tables[0].key]: Buffer.from(pb.subarray(k * 32, k * 32 + 32)).toString('base64') },
      });
    await cache.close();
    // New: 200 files, the variants of the bench (re-encodes, crops, resizes... of the originals) first, then originals.
    const news = [
      ...readdirSync(variants)
        .sort()
        .map((f) => join(variants, f)),
      ...origs.map((f) => join(originals, f)),
    ].slice(0, 200);
    news.forEach((f, k) => copyFileSync(f, join(incoming, `${String(k).padStart(3, '0')}_${f.split('/').pop()}`)));
    const run = (cold: boolean) => {
      if (cold) rmSync(join(incoming, '.media-dedupe'), { recursive: true, force: true });
      const t = performance.now();
      const r = spawnSync(
        'strace',
        [
          '-f',
          '-qq',
          '-e',
          'trace=open,openat',
          '-o',
          join(dir, 'strace.txt'),
          '/usr/bin/time',
          '-f',
          '%M',
          process.execPath,
          cli,
          'compare',
          incoming,
          '--against',
          dataset,
          '--json',
        ],
        { encoding: 'utf8', maxBuffer: 1 << 28 },
      );
      const seconds = (performance.now() - t) / 1000;
      const trace = spawnSync('cat', [join(dir, 'strace.txt')], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout;
      const opened = new Set(
        trace
          .split('\n')
          .filter((l) => l.includes(dataset) && !/= -1 /.test(l) && !l.includes('O_DIRECTORY'))
          .map((l) => /"([^"]+)"/.exec(l)?.[1] ?? ''),
      );
      const json = JSON.parse(r.stdout) as { files: { matches: unknown[] }[]; hashed: number; cached: number; datasetFilesOpened: number; searched: number };
      const peak = Number(r.stderr.trim().split('\n').pop());
      return { seconds, opened: [...opened], json, peak, code: r.status };
    };
    const cold = run(true);
    const warm = run(false);
    ctx.out(
      formatTable(
        `200 new images against a cached ${(100_000).toLocaleString('en-US')}-file dataset (${real.length} real bench originals + planted hashes), node dist/cli.js compare as one process under strace`,
        ['run', 'seconds', 'new files hashed', 'from cache', 'matched', 'dataset files opened (strace)', 'internal counter', 'peak RSS MB', 'exit'],
        [cold, warm].map((r, k) => [
          k === 0 ? 'first (hashes the new files)' : 'again (their cache)',
          r.seconds,
          r.json.hashed,
          r.json.cached,
          r.json.files.filter((f) => f.matches.length > 0).length,
          `${r.opened.length}: ${r.opened.map((p) => p.slice(dataset.length + 1)).join(', ')}`,
          r.json.datasetFilesOpened,
          Math.round(r.peak / 1024),
          r.code ?? -1,
        ]),
      ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
