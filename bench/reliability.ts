/**
 * Reliability under hostile folders (README "Reliability"): each case of the torture suite run through the
 * CLI as a whole process, as a user runs it, under `/usr/bin/time -v` with a time limit and a heap cap, so
 * a build that hangs or explodes is measured instead of taking the machine down. Per case: exit status,
 * wall time, peak RSS, manifest size and what happened to the files and decisions.
 *
 * `npm run bench -- --only reliability` measures this checkout's dist/cli.js. Standalone, it can measure
 * any build, which is how the "before" column was taken:
 * `npx tsx bench/reliability.ts [--cli path/to/dist/cli.js] [--cases a,b] [--timeout S] [--heap-mb N]`.
 * Cases that need root (a read-only bind mount, a small tmpfs) say so and are skipped without it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from '../src/cli/args.js';
import {
  awkwardNames,
  forgeCacheLine,
  identicalCopies,
  onePixelVariants,
  outsideLink,
  pairedDataset,
  sparseFakeJpeg,
  symlinkLadder,
  systemLinks,
} from '../src/core/testing/hostileFolders.js';
import { makePng } from '../src/core/testing/png.js';
import { runCli, type CliLimits as Limits, type RunOutcome } from '../src/core/testing/runCli.js';
import { type BenchContext, runsAlone } from './context.js';
import { formatTable } from './table.js';

interface Row {
  readonly name: string;
  readonly outcome: RunOutcome;
  readonly manifestBytes: number | undefined;
  readonly note: string;
}

interface Case {
  readonly name: string;
  readonly what: string;
  readonly needsRoot?: boolean;
  readonly run: (dir: string, cli: string, limits: Limits) => Promise<Row[]>;
}

const scanArgs = (dir: string, extra: readonly string[] = []): string[] => ['scan', dir, '--json', ...extra];
const fileSize = (p: string): number | undefined => (existsSync(p) && statSync(p).isFile() ? statSync(p).size : undefined);
const manifestOf = (dir: string): string => join(dir, 'dedupe-manifest.json');

interface Summary {
  files?: number;
  pairs?: number;
  remove?: number;
  skipped?: number;
  skippedByCode?: Record<string, number>;
  hashed?: number;
}
function summaryOf(o: RunOutcome): Summary | undefined {
  try {
    return JSON.parse(o.stdout) as Summary;
  } catch {
    return undefined;
  }
}

/** "3 files, 2 pairs, skipped SYMLINK_LOOP 2" from the --json summary, else the first line of stderr. */
function describe(o: RunOutcome): string {
  const s = summaryOf(o);
  if (!s) {
    // The command's own verdict ("media-dedupe scan: ...") rather than its progress log lines.
    const lines = o.stderr.split('\n').filter((l) => l.trim() !== '');
    const line = lines.find((l) => /^media-dedupe \w+: /.test(l)) ?? lines[0] ?? '';
    return `${line.slice(0, 140)}${lines.length > 1 ? ` (+${lines.length - 1} lines)` : ''}`;
  }
  const codes = Object.entries(s.skippedByCode ?? {})
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `${s.files} files, ${s.pairs} pairs, ${s.remove} remove${codes ? `, skipped: ${codes}` : ''}`;
}

/** How much of a scan came from the cache, from its log ("cache: N of M files unchanged"). */
function reuse(o: RunOutcome): string {
  const m = /cache: (\d+) of (\d+) files unchanged/.exec(o.stderr);
  return m ? `${m[1]} of ${m[2]} files from the cache` : 'nothing from the cache';
}

function row(name: string, dir: string, outcome: RunOutcome, note = describe(outcome)): Row {
  return { name, outcome, manifestBytes: fileSize(manifestOf(dir)), note };
}

interface ManifestFacts {
  reviews: { a: string; b: string; decision: string }[];
  notDuplicates: [string, string][];
  pairs?: unknown[];
  files: { path: string }[];
}
const readFacts = (dir: string): ManifestFacts | undefined => {
  try {
    return JSON.parse(readFileSync(manifestOf(dir), 'utf8')) as ManifestFacts;
  } catch {
    return undefined;
  }
};

/** Adds a not-duplicate answer and a review to the manifest on disk (temp file + rename, as any writer does). */
function addDecisions(dir: string, notDup: [string, string], review: { a: string; b: string; decision: string }): void {
  const m = readFacts(dir)!;
  m.notDuplicates = [...m.notDuplicates, notDup].sort((x, y) => (x[0] + '\0' + x[1] < y[0] + '\0' + y[1] ? -1 : 1));
  m.reviews = [...m.reviews, review].sort((x, y) => (x.a + '\0' + x.b < y.a + '\0' + y.b ? -1 : 1));
  const tmp = `${manifestOf(dir)}.edit.tmp`;
  writeFileSync(tmp, JSON.stringify(m, null, 2) + '\n');
  renameSync(tmp, manifestOf(dir));
}
const hasNotDup = (m: ManifestFacts | undefined, [a, b]: [string, string]): boolean => !!m?.notDuplicates.some(([x, y]) => x === a && y === b);
const hasReview = (m: ManifestFacts | undefined, r: { a: string; b: string }): boolean => !!m?.reviews.some((x) => x.a === r.a && x.b === r.b);

const isRoot = (): boolean => process.getuid?.() === 0;

const CASES: readonly Case[] = [
  ...[8, 10, 12].map((levels): Case => ({
    name: `ladder-${2 * levels}`,
    what: `symlink ladder of ${2 * levels} links (one picture reachable by ${2 ** (levels + 1) - 1} paths)`,
    run: async (dir, cli, limits) => {
      symlinkLadder(dir, levels);
      return [row(`ladder, ${2 * levels} links`, dir, await runCli(cli, scanArgs(dir), limits))];
    },
  })),
  {
    name: 'system-links',
    what: 'links to /, /proc, /sys and /dev beside one picture',
    run: async (dir, cli, limits) => {
      systemLinks(dir);
      return [row('links to / and /proc', dir, await runCli(cli, scanArgs(dir), limits))];
    },
  },
  {
    name: 'outside-link',
    what: 'a link to a folder outside the dataset (two pictures there)',
    run: async (dir, cli, limits) => {
      const outside = `${dir}-outside`;
      try {
        outsideLink(dir, outside);
        const o = await runCli(cli, scanArgs(dir), limits);
        const named = (readFacts(dir)?.files ?? []).filter((f) => f.path.startsWith('external/')).length;
        return [row('link outside the folder', dir, o, `${describe(o)}; outside files named in the manifest: ${named}`)];
      } finally {
        rmSync(outside, { recursive: true, force: true });
      }
    },
  },
  {
    name: 'decision-during-scan',
    what: 'a not-duplicate answer and a review saved while a scan of 4,000 files runs',
    run: async (dir, cli, limits) => {
      pairedDataset(dir, 3600);
      await runCli(cli, scanArgs(dir), limits);
      rmSync(join(dir, '.media-dedupe'), { recursive: true, force: true }); // the next scan hashes everything again
      const before = readFacts(dir);
      const pair = (before?.pairs as { a: string; b: string }[] | undefined)?.slice(0, 2) ?? [];
      if (pair.length < 2) return [row('decision saved during a scan', dir, await runCli(cli, scanArgs(dir), limits), 'no pairs to decide about')];
      const notDup: [string, string] = [pair[0].a, pair[0].b];
      const review = { a: pair[1].a, b: pair[1].b, decision: 'keep-b' };
      const running = runCli(cli, scanArgs(dir), limits);
      await waitFor(() => cacheBytes(dir) > 0, 60_000); // hashing has started
      addDecisions(dir, notDup, review);
      const o = await running;
      const after = readFacts(dir);
      const kept = Number(hasNotDup(after, notDup)) + Number(hasReview(after, review));
      return [row('decision saved during a scan', dir, o, `decisions kept ${kept} of 2`)];
    },
  },
  {
    name: 'offline-folder',
    what: 'a sub-folder holding reviewed pairs is offline (moved away) for one scan, then back',
    run: async (dir, cli, limits) => {
      pairedDataset(dir, 200, 'b');
      writeFileSync(join(dir, 'a.png'), makePng(7));
      await runCli(cli, scanArgs(dir), limits);
      const pairs = (readFacts(dir)?.pairs as { a: string; b: string }[] | undefined) ?? [];
      const notDup: [string, string] = [pairs[0].a, pairs[0].b];
      const review = { a: pairs[1].a, b: pairs[1].b, decision: 'keep-a' };
      addDecisions(dir, notDup, review);
      renameSync(join(dir, 'b'), `${dir}-b-offline`);
      const offline = await runCli(cli, scanArgs(dir), limits);
      const m1 = readFacts(dir);
      const kept1 = Number(hasNotDup(m1, notDup)) + Number(hasReview(m1, review));
      renameSync(`${dir}-b-offline`, join(dir, 'b'));
      const back = await runCli(cli, scanArgs(dir), limits);
      const m2 = readFacts(dir);
      const kept2 = Number(hasNotDup(m2, notDup)) + Number(hasReview(m2, review));
      return [
        row('offline folder: scan while away', dir, offline, `decisions kept ${kept1} of 2`),
        row('offline folder: scan when back', dir, back, `decisions kept ${kept2} of 2`),
      ];
    },
  },
  {
    name: 'awkward-names',
    what: 'names with a backslash, a newline, a leading dash and a non-UTF-8 byte, each a copy of one picture',
    run: async (dir, cli, limits) => {
      awkwardNames(dir);
      const first = await runCli(cli, scanArgs(dir), limits);
      const second = await runCli(cli, scanArgs(dir), limits);
      const check = await runCli(cli, ['check', dir], limits);
      return [
        row('awkward names: first scan', dir, first),
        row('awkward names: second scan', dir, second),
        row(
          'awkward names: check',
          dir,
          check,
          `exit ${check.exit}: ${check.stdout.trim().split('\n')[0] ?? ''}${check.stderr.trim().split('\n')[0] ?? ''}`.slice(0, 160),
        ),
      ];
    },
  },
  {
    name: 'forged-cache',
    what: 'a cache line with a valid checksum and a 3-byte hash',
    run: async (dir, cli, limits) => {
      pairedDataset(dir, 50);
      await runCli(cli, scanArgs(dir), limits);
      const forged = forgeCacheLine(dir, 'p0/img00001.png');
      const o = await runCli(cli, scanArgs(dir), limits);
      return [row('forged cache line', dir, o, forged ? describe(o) : 'no cache entry to forge')];
    },
  },
  {
    name: 'manifest-is-folder',
    what: 'a folder where the manifest should be',
    run: async (dir, cli, limits) => {
      pairedDataset(dir, 50);
      mkdirSync(manifestOf(dir));
      return [row('folder at the manifest path', dir, await runCli(cli, scanArgs(dir), limits))];
    },
  },
  {
    name: 'read-only',
    what: 'a read-only dataset (read-only bind mount) of 500 files',
    needsRoot: true,
    run: async (dir, cli, limits) => {
      const src = `${dir}-src`;
      pairedDataset(src, 450);
      mkdirSync(dir, { recursive: true });
      mount(['--bind', src, dir]);
      try {
        mount(['-o', 'remount,bind,ro', dir]);
        const first = await runCli(cli, scanArgs(dir), limits, { XDG_CACHE_HOME: `${dir}-xdg` });
        const again = await runCli(cli, scanArgs(dir), limits, { XDG_CACHE_HOME: `${dir}-xdg` });
        return [row('read-only folder: first scan', dir, first), row('read-only folder: second scan', dir, again, `${describe(again)}; ${reuse(again)}`)];
      } finally {
        spawnSync('umount', [dir]);
        rmSync(src, { recursive: true, force: true });
        rmSync(`${dir}-xdg`, { recursive: true, force: true });
      }
    },
  },
  {
    name: 'full-disk',
    what: 'a dataset on a full 3 MiB tmpfs',
    needsRoot: true,
    run: async (dir, cli, limits) => {
      mkdirSync(dir, { recursive: true });
      mount(['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', dir]);
      try {
        let i = 0;
        // Fill it with distinct 64x64 pictures until the disk refuses (the last, cut-off one is removed).
        try {
          for (; i < 10_000; i++) writeFileSync(join(dir, `f${String(i).padStart(5, '0')}.png`), makePng(20_000 + i, 64));
        } catch {
          rmSync(join(dir, `f${String(i).padStart(5, '0')}.png`), { force: true });
        }
        const o = await runCli(cli, scanArgs(dir), limits, { XDG_CACHE_HOME: `${dir}-xdg` });
        return [row(`full disk (${i} files)`, dir, o)];
      } finally {
        spawnSync('umount', [dir]);
        rmSync(`${dir}-xdg`, { recursive: true, force: true });
      }
    },
  },
  {
    name: 'huge-fake-jpegs',
    what: 'six 1 GiB files named .jpg (sparse), beside one picture',
    run: async (dir, cli, limits) => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'real.png'), makePng(8));
      for (let i = 0; i < 6; i++) sparseFakeJpeg(join(dir, `big${i}.jpg`), 1 << 30);
      return [row('six 1 GiB files named .jpg', dir, await runCli(cli, scanArgs(dir), limits))];
    },
  },
  ...[1000, 2000, 20_000].map((n): Case => ({
    name: `identical-${n}`,
    what: `${n.toLocaleString('en-US')} identical copies of one picture`,
    run: async (dir, cli, limits) => {
      identicalCopies(dir, n);
      return [row(`${n.toLocaleString('en-US')} identical copies`, dir, await runCli(cli, scanArgs(dir), limits))];
    },
  })),
  ...[1000, 2000, 20_000].map((n): Case => ({
    name: `variants-${n}`,
    what: `${n.toLocaleString('en-US')} one-pixel variants of one picture`,
    run: async (dir, cli, limits) => {
      onePixelVariants(dir, n);
      return [row(`${n.toLocaleString('en-US')} one-pixel variants`, dir, await runCli(cli, scanArgs(dir), limits))];
    },
  })),
  // At 32 x 32 one pixel moves a few hash bits: near-duplicates with distinct hashes, every two within
  // threshold (2,000: about 2 million pairs), one near-identical node (pairs/closeNodes.ts).
  ...[2000, 20_000].map((n): Case => ({
    name: `variants32-${n}`,
    what: `${n.toLocaleString('en-US')} one-pixel variants of a 32 x 32 picture (hashes a few bits apart)`,
    run: async (dir, cli, limits) => {
      onePixelVariants(dir, n, 6, 32);
      return [row(`${n.toLocaleString('en-US')} one-pixel variants, 32 x 32`, dir, await runCli(cli, scanArgs(dir), limits))];
    },
  })),
];

function mount(args: readonly string[]): void {
  const r = spawnSync('mount', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mount ${args.join(' ')} failed: ${r.stderr.trim()}`);
}

function cacheBytes(dir: string): number {
  try {
    const cacheDir = join(dir, '.media-dedupe');
    return spawnSync('du', ['-sb', cacheDir], { encoding: 'utf8' }).stdout.split('\t').map(Number)[0] || 0;
  } catch {
    return 0;
  }
}

async function waitFor(ok: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

export async function benchReliability(
  ctx: BenchContext,
  opts: { cli?: string; cases?: readonly string[]; timeoutSec?: number; heapMb?: number } = {},
): Promise<void> {
  const cli = resolve(opts.cli ?? join(ctx.repoRoot, 'dist', 'cli.js'));
  const limits: Limits = { timeoutSec: opts.timeoutSec ?? 120, heapMb: opts.heapMb ?? 4096 };
  const cases = CASES.filter((c) => !opts.cases || opts.cases.includes(c.name));
  ctx.out(`\n## reliability: hostile folders through ${cli} (limits: ${limits.timeoutSec} s, ${limits.heapMb} MB heap)\n`);
  const rows: Row[] = [];
  for (const c of cases) {
    if (c.needsRoot && !isRoot()) {
      ctx.out(`${c.name}: skipped: needs root (a bind mount or a tmpfs)\n`);
      continue;
    }
    const base = mkdtempSync(join(tmpdir(), `md-reliability-${c.name}-`));
    const dir = join(base, 'data');
    try {
      ctx.out(`${c.name}: ${c.what}\n`);
      rows.push(...(await c.run(dir, cli, limits)));
    } catch (e) {
      ctx.out(`${c.name}: failed: ${e instanceof Error ? e.message : String(e)}\n`);
    } finally {
      chmodSafe(base);
      rmSync(base, { recursive: true, force: true });
    }
  }
  ctx.out(
    formatTable(
      'whole process (exit status, wall, peak RSS from /usr/bin/time -v)',
      ['case', 'exit', 'wall s', 'peak RSS MB', 'manifest KB', 'outcome'],
      rows.map((r) => [
        r.name,
        String(r.outcome.exit),
        Math.round(r.outcome.wallSec * 100) / 100,
        Math.round(r.outcome.rssMb),
        r.manifestBytes === undefined ? '-' : Math.round(r.manifestBytes / 102.4) / 10,
        r.note,
      ]),
    ),
  );
}

/** Lets rmSync remove what a case made read-only. */
function chmodSafe(dir: string): void {
  spawnSync('chmod', ['-R', 'u+rwx', dir]);
}

if (runsAlone('reliability')) {
  const { options } = parseArgs(process.argv.slice(2), {
    cli: { kind: 'string', expected: 'the path of a built dist/cli.js' },
    cases: { kind: 'string', expected: `a comma-separated list of ${CASES.map((c) => c.name).join(', ')}` },
    timeout: { kind: 'number', expected: 'seconds per run' },
    'heap-mb': { kind: 'number', expected: 'MB of V8 heap per run' },
  });
  const repoRoot = resolve(__dirname, '..');
  void benchReliability(
    { benchDir: '', repoRoot, rounds: 1, explore: false, out: (t) => process.stdout.write(t) },
    {
      cli: options.cli as string | undefined,
      cases: options.cases ? String(options.cases).split(',') : undefined,
      timeoutSec: options.timeout as number | undefined,
      heapMb: options['heap-mb'] as number | undefined,
    },
  );
}
