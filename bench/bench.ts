/**
 * `npm run bench`: accuracy and speed over ../shared/bench. Each section is its own module in bench/ and
 * registers below; `npm run bench -- --only hashing,search` runs a subset. Section modules only export
 * functions (their standalone entry, for `npx tsx bench/<name>.ts`, is guarded by runsAlone, which is
 * false inside this bundle), so loading one runs nothing by itself.
 *
 * Options: --only a,b   sections to run (default: every section not marked heavy)
 *          --rounds N   timing rounds per configuration (default 3)
 *          --explore    sweep more configurations (design measurements; slower)
 *          --bench-dir  benchmark folder (default ../shared/bench or MEDIA_DEDUPE_SHARED/bench)
 *          --keep-dirs  more folders with a ground_truth.json for the keep-policy section (comma-separated)
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from '../src/cli/args.js';
import type { BenchContext } from './context.js';

interface Section {
  readonly name: string;
  readonly description: string;
  readonly needs: readonly string[]; // sub-paths of the bench folder
  /** Heavy sections run only when --only names them; the default run says how. */
  readonly heavy?: string;
  readonly run: (ctx: BenchContext) => Promise<void>;
}

// To add a section: a module in bench/ exporting a function of BenchContext, registered here. Imports are
// lazy so the bundle only initialises what --only asks for.
const SECTIONS: readonly Section[] = [
  {
    name: 'hashing',
    description: 'phash16 images/s vs the sharp decode floor, and the CLI as a process',
    needs: ['images'],
    run: async (ctx) => (await import('./hashing.js')).benchHashing(ctx),
  },
  {
    name: 'accuracy',
    description: 'precision/recall of media-dedupe scan against the ground truth; golden dedup vs perception',
    needs: ['images'],
    run: async (ctx) => (await import('./accuracy.js')).benchAccuracy(ctx),
  },
  {
    name: 'color-check',
    description: 'colour check: distances of candidate pairs vs thresholds, hold-out, synthetic recolourings of other images',
    needs: ['images'],
    run: async (ctx) => (await import('./colorCheck.js')).benchColorCheck(ctx),
  },
  {
    name: 'holdout',
    description: 'colour check, leave-one-source-family-out: thresholds fitted on all families but one, scored on it (--bench-dir a held-out benchmark)',
    needs: [],
    run: async (ctx) => (await import('./holdout.js')).benchHoldout(ctx),
  },
  {
    name: 'verify-study',
    description:
      "pair verifiers on the default pairs (the phash16 grey grid, DCT block, sizes and content box; aligned colour grids; pixels at the smaller file's resolution), leave-one-source-family-out (--bench-dir a held-out benchmark)",
    needs: [],
    heavy: 'one decode of every file the first time (about 1 min per 10,000 files; kept in the temp folder)',
    run: async (ctx) => (await import('./verifyStudy.js')).benchVerifyStudy(ctx),
  },
  {
    name: 'crop-resistant',
    description: 'crop-resistant matching (content box + 9 windows per file) per transform family beside parity (--bench-dir a held-out benchmark)',
    needs: [],
    heavy: 'about 20 s per 1,000 files on one core the first time (hashes kept in the temp folder)',
    run: async (ctx) => (await import('./cropResistant.js')).benchCropResistant(ctx),
  },
  {
    name: 'flat',
    description: 'near-flat path of the colour check: signature spread and distances of near-flat pairs, synthetic low-contrast pictures (~30 s)',
    needs: ['images'],
    run: async (ctx) => (await import('./flatCheck.js')).benchFlatCheck(ctx),
  },
  {
    name: 'keep-policy',
    description: 'share of clusters whose kept file is the original, version 1 policy vs the default; re-encode flag; cost (--keep-dirs A,B adds folders)',
    needs: ['images'],
    run: async (ctx) => (await import('./keepPolicy.js')).benchKeepPolicy(ctx),
  },
  {
    name: 'scan',
    description: 'end-to-end scan rate and re-scan of 10,000 unchanged files',
    needs: ['images'],
    run: async (ctx) => (await import('./scan.js')).benchScan(ctx),
  },
  {
    name: 'scan-profile',
    description: 'a first scan vs hash --json and perception deduplicate as whole processes, re-scan, peak RSS, time by phase',
    needs: ['images'],
    heavy: 'about 2 minutes on bench/images with perception; 15-30 more with MEDIA_DEDUPE_BENCH_LARGE',
    run: async (ctx) => (await import('./scanProfile.js')).benchScanProfile(ctx),
  },
  {
    name: 'rescan',
    description:
      're-scan of unchanged files as a whole process, reusing the last scan against the full path: wall, CPU, peak RSS (bench/images; the speed set with MEDIA_DEDUPE_BENCH_LARGE)',
    needs: ['images'],
    heavy: 'a first scan of each set: ~15 s on bench/images, ~1 minute on the 13,200-file speed set',
    run: async (ctx) => (await import('./rescan.js')).benchRescan(ctx),
  },
  {
    name: 'search',
    description: 'exact pair search over 100k hashes (media-dedupe pairs) vs a C popcount loop',
    needs: [],
    run: async (ctx) => (await import('./search.js')).benchSearch({ repoRoot: ctx.repoRoot, rounds: ctx.rounds, explore: ctx.explore, out: ctx.out }),
  },
  {
    name: 'search-1m',
    description: '1M hashes through media-dedupe pairs (approximate path): time, peak RSS, recall and false pairs against exact',
    needs: [],
    run: async (ctx) => (await import('./search1m.js')).benchSearch1m({ repoRoot: ctx.repoRoot, rounds: ctx.rounds, out: ctx.out }),
  },
  {
    name: 'scale',
    description:
      'sharded search (union of table shards vs one process at 1M, CPU ratio), pairs at 4M and 10M (time, peak RSS, recall), fitted cost model for 100M and 1B',
    needs: [],
    heavy: 'about 30 minutes on 2 cores; npx tsx bench/scale.ts --sizes 1000000 for the 1M part alone',
    run: async (ctx) => (await import('./scale.js')).benchScale({ repoRoot: ctx.repoRoot, out: ctx.out }),
  },
  {
    name: 'lsh-engines',
    description:
      'the native LSH table loop vs WebAssembly: pairs at 1M, 4M and 10M (time, peak RSS, recall, same pairs), and the cost model fitted on table shards of 10M-30M, extrapolated to 100M and 1B',
    needs: [],
    heavy: 'about 40 minutes on 2 cores; npx tsx bench/lshEngines.ts --sizes 1000000 --fit 2000000 for a short run',
    run: async (ctx) => (await import('./lshEngines.js')).benchLshEngines({ repoRoot: ctx.repoRoot, out: ctx.out }),
  },
  {
    name: 'isometric',
    description: "isometric search at 100k hashes: perception's every-variant rule vs the variants-against-upright join it replaced",
    needs: [],
    heavy: 'about 3 minutes per round on 2 cores',
    run: async (ctx) => (await import('./isometric.js')).benchIsometric(ctx),
  },
  {
    name: 'reliability',
    description:
      'hostile folders through the CLI (symlink ladders, links to /, read-only and full disks, many identical files): exit, time, peak RSS, manifest size, decisions kept',
    needs: [],
    heavy: 'up to 20 minutes on 2 cores (the 20,000-file cases); npx tsx bench/reliability.ts --cases NAME for one case, --cli to measure another build',
    run: async (ctx) => (await import('./reliability.js')).benchReliability(ctx),
  },
  {
    name: 'video',
    description: 'video dedupe: accuracy on the bench videos, hashing throughput, parity with perception',
    needs: [],
    run: async (ctx) => (await import('./video.js')).benchVideo(ctx),
  },
  {
    name: 'formats',
    description: 'decode time of BMP, PNM (TypeScript) and TIFF (native) against PNG on one 2000x1500 picture',
    needs: [],
    run: async (ctx) => (await import('./formats.js')).benchFormats(ctx),
  },
  {
    name: 'leakage',
    description:
      'split dataset from the bench images: planted cross-split pairs found by scan --splits vs a plain scan, per family; no within-split pair; drops follow the policy',
    needs: ['images'],
    run: async (ctx) => (await import('./leakage.js')).benchLeakage(ctx),
  },
  {
    name: 'ingest',
    description:
      'compare: 10,000 new hashes vs 1,000,000 dataset hashes (time, recall, peak RSS); 200 images vs a cached 100k dataset as a process (files opened, strace)',
    needs: ['images'],
    run: async (ctx) => (await import('./ingest.js')).benchIngest(ctx),
  },
  {
    name: 'annoy',
    description: 'Annoy index (annoy-node) recall and speed vs exact at 10k and 100k hashes',
    needs: [],
    heavy: 'about 2 minutes on 2 cores',
    run: async (ctx) => (await import('./annoy.js')).benchAnnoy(ctx.out),
  },
  {
    name: 'lsh',
    description: 'LSH candidate generator in-process at 10k, 100k and 1M hashes vs exact, recall target 0.995 (--explore: key-length sweep)',
    needs: [],
    run: async (ctx) => (await import('./annoy.js')).benchApproximate(ctx.out, { sweep: ctx.explore }),
  },
];

async function main(argv: string[]): Promise<number> {
  // A child the lsh section started to measure one configuration alone (see bench/annoy.ts).
  if (process.env.MEDIA_DEDUPE_BENCH_LSH_CHILD && (await (await import('./annoy.js')).runLshChild())) return 0;
  const { options } = parseArgs(argv, {
    only: { kind: 'string', expected: `a comma-separated list of ${SECTIONS.map((s) => s.name).join(', ')}` },
    rounds: { kind: 'number', expected: 'an integer between 1 and 20' },
    explore: { kind: 'boolean' },
    'bench-dir': { kind: 'string', expected: 'a folder' },
    'keep-dirs': { kind: 'string', expected: 'comma-separated folders with a ground_truth.json' },
    help: { kind: 'boolean' },
  });
  if (options.help) {
    process.stdout.write(`npm run bench -- [--only ${SECTIONS.map((s) => s.name).join(',')}] [--rounds N] [--explore] [--bench-dir DIR] [--keep-dirs A,B]\n`);
    for (const s of SECTIONS) process.stdout.write(`  ${s.name.padEnd(10)} ${s.description}${s.heavy ? ` (heavy: ${s.heavy}; only with --only)` : ''}\n`);
    return 0;
  }
  const repoRoot = resolve(__dirname, '..');
  const shared = process.env.MEDIA_DEDUPE_SHARED ?? join(repoRoot, '..', 'shared');
  const benchDir = resolve((options['bench-dir'] as string | undefined) ?? join(shared, 'bench'));
  const rounds = (options.rounds as number | undefined) ?? 3;
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20) {
    process.stderr.write(`bench: Expected an integer between 1 and 20 for --rounds but received ${rounds}\n`);
    return 2;
  }
  const names = options.only
    ? String(options.only)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : SECTIONS.filter((s) => !s.heavy).map((s) => s.name);
  const unknown = names.filter((n) => !SECTIONS.some((s) => s.name === n));
  if (unknown.length) {
    process.stderr.write(`bench: Expected one of ${SECTIONS.map((s) => s.name).join(', ')} for --only but received ${JSON.stringify(unknown.join(','))}\n`);
    return 2;
  }
  if (!existsSync(benchDir)) {
    process.stdout.write(
      `bench: the benchmark folder ${benchDir} is absent (it lives in ../shared/bench beside the checkout, or set MEDIA_DEDUPE_SHARED): sections that need it are skipped.\n`,
    );
  }
  const keepDirs = String(options['keep-dirs'] ?? '')
    .split(',')
    .filter(Boolean);
  const ctx: BenchContext = { benchDir, repoRoot, rounds, explore: options.explore === true, keepDirs, out: (t) => process.stdout.write(t) };
  ctx.out(`# media-dedupe bench (node ${process.version}, ${cpus().length} cores, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'})\n`);
  let failed = 0;
  for (const s of SECTIONS.filter((x) => names.includes(x.name))) {
    const missing = s.needs.filter((n) => !existsSync(join(benchDir, n)));
    if (missing.length) {
      ctx.out(`\n## ${s.name}: skipped: ${missing.map((m) => join(benchDir, m)).join(', ')} not found\n`);
      continue;
    }
    // One failing section is reported and the others still run.
    try {
      await s.run(ctx);
    } catch (e) {
      failed++;
      process.stderr.write(`\nbench ${s.name}: failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    }
  }
  const skipped = SECTIONS.filter((s) => s.heavy && !names.includes(s.name));
  if (skipped.length)
    ctx.out(
      `\nNot run (heavy, opt-in): ${skipped.map((s) => `${s.name} (${s.heavy})`).join(', ')}: npm run bench -- --only ${skipped.map((s) => s.name).join(',')}\n`,
    );
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
