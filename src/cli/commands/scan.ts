import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { invalidOption, writeFailure } from '../../core/errors.js';
import { DEFAULT_KEEP_POLICY, parseKeepPolicy } from '../../core/decisions/keepPolicy.js';
import type { RemoveMode } from '../../core/decisions/types.js';
import { checkManifestWritable, commitManifest, MANIFEST_FILE_NAME, type CommitResult, type DecisionSettings } from '../../core/manifest/index.js';
import { DEFAULT_EXCLUDE, DEFAULT_INCLUDE } from '../../core/files/filters.js';
import { writeFileAtomic } from '../../core/files/atomicWrite.js';
import { parseSizeLimit } from '../../core/image/sizeLimits.js';
import { scanFolder } from '../../core/scan/scanFolder.js';
import { parseSplitArg, splitsFromNames } from '../../core/files/splits.js';
import { PhaseProfile, processCpuMs } from '../../core/profile/phaseProfile.js';
import { formatProfileReport, profileReport, type ProfileReport } from '../../core/profile/report.js';
import { VIDEO_EXTENSIONS } from '../../core/video/extensions.js';
import { PAIRS_LIMIT } from '../../core/manifest/types.js';
import { formatLeakCounts, type LeakSummary } from '../../core/manifest/leaks.js';
import type { GroupBy, HasherConfig, ScanOptions, ScanResult } from '../../core/types.js';
import { parseCommandArgs, type OptionSpecs } from '../args.js';
import { EXIT, type CliIo } from '../io.js';
import { progressBar } from './progressBar.js';
import { csvField, parseHasherArg } from './scanArgs.js';

/** Exit status when a scan is interrupted (Ctrl-C): 128 + SIGINT, as shells report it. */
export const EXIT_CANCELLED = 130;

const SPECS: OptionSpecs = {
  hasher: { kind: 'strings', expected: 'NAME[:SIZE][@THRESHOLD] such as phash:16@0.2' },
  isometric: { kind: 'boolean' },
  'group-by': { kind: 'string', choices: ['none', 'folder', 'parent'] },
  splits: { kind: 'string', expected: 'comma-separated top-level folder names such as train,val,test' },
  split: { kind: 'strings', expected: 'NAME=GLOB such as train=images/train/**' },
  'drop-from': { kind: 'string', expected: 'the name of a split such as train' },
  strict: { kind: 'boolean' },
  protect: { kind: 'strings', expected: 'a glob such as "originals/**"' },
  include: { kind: 'strings', expected: 'an extension (jpg) or a glob' },
  exclude: { kind: 'strings', expected: 'a glob such as "tmp/**"' },
  manifest: { kind: 'string', expected: 'a file path' },
  'pairs-csv': { kind: 'string', expected: 'a file path' },
  json: { kind: 'boolean' },
  cache: { kind: 'boolean' },
  'approximate-above': { kind: 'number', expected: 'a file count such as 200000' },
  videos: { kind: 'boolean' },
  ffmpeg: { kind: 'string', expected: 'the path of an ffmpeg executable' },
  'color-check': { kind: 'boolean' },
  'crop-resistant': { kind: 'boolean' },
  remove: { kind: 'string', choices: ['all', 'reviewed'] },
  'keep-policy': { kind: 'string', expected: 'comma-separated keep criteria such as not-reencoded,resolution,largest' },
  'all-pairs': { kind: 'boolean' },
  parity: { kind: 'boolean' },
  'follow-outside': { kind: 'boolean' },
  'max-file-size': { kind: 'strings', expected: 'a size such as 2G, or FORMAT=SIZE such as png=600M' },
  profile: { kind: 'boolean' },
};

const KEEP_POLICY_HELP = DEFAULT_KEEP_POLICY.join(',');

const HELP = `media-dedupe scan <dir> [options]

Finds duplicate and near-duplicate images and videos under <dir> and writes dedupe-manifest.json.
Videos (${VIDEO_EXTENSIONS.join(' ')}, and animated GIFs) are compared frame by frame, only with videos.

Options:
  --hasher NAME[:SIZE][@THRESHOLD]  hasher, repeatable: pairs are the union (default phash:16@0.2).
                                    SIZE defaults to 16, THRESHOLD to perception's recommended value.
  --isometric                       flips and rotations also match
  --group-by none|folder|parent     compare only within each top-level folder / parent folder
  --splits train,val,test           leakage search: only pairs between different splits (top-level folders);
                                    with --group-by, same group and different split. Files in no split are
                                    listed and left out.
  --split NAME=GLOB                 a split by glob, repeatable, for other layouts (train=images/train/**)
  --drop-from SPLIT                 which file of a leak goes: the one in SPLIT (default the training split:
                                    train, else the first split), so the evaluation splits stay fixed; a pair
                                    of two other splits drops the file of the split listed first. Kept in the manifest.
  --strict                          clusters without chaining (every member within threshold of the kept file)
  --protect GLOB                    never mark matching files for removal, repeatable ("originals/**")
  --include EXT|GLOB                media to scan, repeatable (default: ${DEFAULT_INCLUDE.join(' ')})
  --exclude GLOB                    skip matching files and folders, repeatable (default: ${DEFAULT_EXCLUDE.join(' ')})
  --manifest FILE                   where to write the manifest (default <dir>/${MANIFEST_FILE_NAME})
  --pairs-csv FILE                  also write file1,file2,distance (paths relative to <dir>)
  --json                            print a summary object on stdout
  --no-cache                        hash everything again; read and write no cache in <dir>/.media-dedupe
  --approximate-above N             above N files use the approximate candidate search (default 200000)
  --no-videos                       images only: leave videos and animated GIFs out
  --ffmpeg PATH                     ffmpeg to decode videos (default: ffmpeg on PATH, then the bundled one);
                                    without ffmpeg, videos are listed as skipped (FFMPEG_MISSING)
  --color-check                     drop image pairs whose colours differ (an emoji and its skin tones, light and
                                    dark wallpapers) and pair near-flat images by colour; opt-in: it can also drop
                                    a few strongly resized or brightened copies (docs/color-check.md)
  --parity                          exactly perception's pairs (deduplicate; with --isometric, isometric=True);
                                    the default, named to make it explicit
  --no-color-check                  the same as --parity
  --crop-resistant                  also pair copies with borders added or trimmed and copies cropped by up to
                                    ~10 % a side: each image is hashed again on its content box and on 9 crop
                                    windows, matched against whole images; such pairs say how they matched
                                    (via "content-box" / "crop-window"). Opt-in: it adds some false pairs and
                                    hashes each image ten more times (docs/crop-resistant.md). Kept in the manifest.
  --remove all|reviewed             all (default): automatic removals enter "remove"; reviewed: only the ones
                                    a person made (automatic ones are listed as suggested). Kept in the manifest.
  --keep-policy LIST                which file of a cluster is kept, criteria in order (default
                                    ${KEEP_POLICY_HELP}); also folder:GLOB, format, oldest,
                                    smallest (docs/decisions.md). Kept in the manifest.
  --all-pairs                       list every pair in the manifest even above ${PAIRS_LIMIT.toLocaleString('en-US')} (otherwise clusters
                                    with each member's distance to the kept file), and search without
                                    identical or near-identical nodes (whose inner pairs are otherwise implied)
  --follow-outside                  follow symbolic links that lead out of <dir> (default: listed as skipped,
                                    SYMLINK_OUTSIDE); /proc, /sys and /dev are never entered
  --max-file-size [FORMAT=]SIZE     largest file read, per format as sniffed from its first bytes (defaults:
                                    JPEG/WebP/GIF 256M, PNG 512M, TIFF/BMP/PNM 1G; docs/cli-scan.md), repeatable;
                                    a bigger file is skipped as TOO_LARGE without being read
  --profile                         print where the time went, by phase, to stderr (with --json also as
                                    "profile" in the summary)

Decisions already in the manifest (reviews, notDuplicates, fileDecisions) are kept, also for files absent
from this scan (orphaned; "media-dedupe prune" drops them). The manifest is written under a lock and merged
with decisions saved while the scan ran. Progress goes to stderr.
Exit status: 0 done, 2 bad options or a manifest that cannot be merged, 3 internal error, 130 interrupted
(what was hashed is cached).
`;

/** What to do when the manifest cannot be written; the hashes are in a cache by then (the dataset's, or a spare one). */
const MANIFEST_ADVICE = 'every hash is cached, so scanning again with --manifest pointing somewhere writable takes seconds';

/** Scan options from the command line (shared with `check`, which takes them from the manifest instead). */
export function scanOptionsFromArgs(options: Record<string, unknown>): Partial<ScanOptions> {
  const out: { -readonly [K in keyof ScanOptions]?: ScanOptions[K] } = {};
  const hashers = options.hasher as string[] | undefined;
  if (hashers) out.hashers = hashers.map(parseHasherArg) as HasherConfig[];
  if (options.isometric !== undefined) out.isometric = options.isometric as boolean;
  if (options['group-by'] !== undefined) out.groupBy = options['group-by'] as GroupBy;
  if (options.strict !== undefined) out.strict = options.strict as boolean;
  const splits = [
    ...(options.splits !== undefined ? splitsFromNames(options.splits as string) : []),
    ...((options.split as string[] | undefined) ?? []).map(parseSplitArg),
  ];
  if (splits.length > 0) out.splits = splits;
  if (options.protect) out.protect = options.protect as string[];
  if (options.include) out.include = options.include as string[];
  if (options.exclude) out.exclude = options.exclude as string[];
  if (options.cache !== undefined) out.useCache = options.cache as boolean;
  if (options['approximate-above'] !== undefined) out.approximateAbove = options['approximate-above'] as number;
  if (options.videos !== undefined) out.videos = options.videos as boolean;
  if (options.ffmpeg !== undefined) out.ffmpegPath = options.ffmpeg as string;
  if (options['color-check'] !== undefined) out.colorCheck = options['color-check'] as boolean;
  if (options.parity === true) {
    if (options['color-check'] === true)
      throw invalidOption('--parity', "no --color-check (parity mode is perception's pairs, unchecked)", '--color-check too');
    out.colorCheck = false;
  }
  if (options['crop-resistant'] !== undefined) out.cropResistant = options['crop-resistant'] as boolean;
  // Every pair listed: near-identical nodes would leave the pairs inside them implied.
  if (options.parity === true || options['all-pairs'] === true) out.everyPair = true;
  if (options.parity === true && out.cropResistant === true)
    throw invalidOption('--parity', "no --crop-resistant (parity mode is perception's pairs only)", '--crop-resistant too');
  if (options['follow-outside'] !== undefined) out.followOutside = options['follow-outside'] as boolean;
  if (options['max-file-size']) out.maxFileBytes = Object.fromEntries((options['max-file-size'] as string[]).map(parseSizeLimit));
  return out;
}

export function folderArg(positionals: readonly string[], io: CliIo, command: string): string {
  if (positionals.length !== 1)
    throw invalidOption('<dir>', `one folder (usage: media-dedupe ${command} <dir>)`, positionals.length === 0 ? undefined : positionals.join(' '));
  const dir = resolve(io.cwd, positionals[0]);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw invalidOption('<dir>', 'an existing folder', positionals[0]);
  return dir;
}

/**
 * Runs a scan with a progress bar on a terminal, and Ctrl-C cancelling it gracefully (a second
 * Ctrl-C exits at once). Shared by scan and check.
 */
export async function runScanWithUi(dir: string, options: Partial<ScanOptions>, io: CliIo, profile?: PhaseProfile): Promise<ScanResult> {
  const bar = progressBar(io);
  const signal = { cancelled: false };
  const onSigint = (): void => {
    if (signal.cancelled) process.exit(EXIT_CANCELLED);
    signal.cancelled = true;
    bar.clear();
    io.stderr.write('media-dedupe: interrupted; finishing the files in flight (Ctrl-C again to quit now)\n');
  };
  process.on('SIGINT', onSigint);
  try {
    return await scanFolder(dir, options, {
      onProgress: bar.update,
      signal,
      profile,
      log: (m) => {
        bar.clear();
        io.stderr.write(`media-dedupe: ${m}\n`);
      },
    });
  } finally {
    process.off('SIGINT', onSigint);
    bar.clear();
  }
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, SPECS, HELP, io);
  if (!args) return EXIT.ok;
  const { positionals, options } = args;
  // Everything before this line (node's start, loading the CLI) is the profile's start-up.
  const profile = options.profile === true ? new PhaseProfile() : undefined;
  profile?.add('start-up', performance.now(), 'main', 1, processCpuMs());
  const dir = folderArg(positionals, io, 'scan');
  const scanOptions = scanOptionsFromArgs(options);
  const manifestPath = resolve(io.cwd, (options.manifest as string | undefined) ?? join(dir, MANIFEST_FILE_NAME));
  const settings = decisionSettingsFromArgs(options);
  if (settings.dropFrom !== undefined && !scanOptions.splits?.some((s) => s.name === settings.dropFrom))
    throw invalidOption(
      '--drop-from',
      `one of the splits (${scanOptions.splits?.map((s) => s.name).join(', ') || 'none given: use --splits'})`,
      settings.dropFrom,
    );
  // A broken manifest, or a hand edit that cannot be merged, stops here, before any hashing: it may hold
  // decisions a rewrite would lose. The manifest is read again (under the lock) when it is written.
  const check = (): Promise<void> => checkManifestWritable(manifestPath);
  await (profile ? profile.timeAsync('manifest write', check) : check());

  const result = await runScanWithUi(dir, scanOptions, io, profile);
  if (result.cancelled) {
    io.stderr.write(
      `media-dedupe scan: interrupted after ${result.stats.hashed} files were hashed (they are cached: run the scan again to continue); the manifest was not written\n`,
    );
    return EXIT_CANCELLED;
  }
  const write = (): Promise<CommitResult> =>
    commitManifest(manifestPath, { scan: result, settings, allPairs: options['all-pairs'] === true, purpose: 'media-dedupe scan' });
  let committed: CommitResult;
  try {
    committed = await (profile ? profile.timeAsync('manifest write', write) : write());
  } catch (e) {
    throw writeFailure(e, manifestPath, MANIFEST_ADVICE) ?? e;
  }
  const csvPath = options['pairs-csv'] === undefined ? undefined : resolve(io.cwd, options['pairs-csv'] as string);
  if (csvPath) await writePairsCsv(csvPath, result);
  const timing = profile ? profileReport(profile, { files: result.stats.files, hashed: result.stats.hashed }) : undefined;
  report(io, options.json === true, result, committed, manifestPath, csvPath, timing);
  if (timing) io.stderr.write(formatProfileReport(timing));
  return EXIT.ok;
}

/** --remove and --keep-policy, when given: they change the manifest's decision settings (which otherwise stay). */
export function decisionSettingsFromArgs(options: Record<string, unknown>): Partial<DecisionSettings> {
  return {
    ...(options.remove !== undefined ? { remove: options.remove as RemoveMode } : {}),
    ...(options['keep-policy'] !== undefined ? { keepPolicy: parseKeepPolicy(options['keep-policy'] as string) } : {}),
    ...(options['drop-from'] !== undefined ? { dropFrom: options['drop-from'] as string } : {}),
  };
}

function leakLine(l: LeakSummary): string {
  return `leaks (pairs across splits; dropped from ${l.dropFrom}): ${formatLeakCounts(l.leaks)}; ${l.unresolved} unresolved\n`;
}

/** Files in no split were left out of the search: say so, never drop them silently. */
export function reportOutsideSplits(io: CliIo, r: ScanResult): void {
  const outside = r.outsideSplits ?? [];
  if (outside.length === 0) return;
  const shown = outside.slice(0, 20);
  io.stderr.write(
    `media-dedupe: ${outside.length} files are in no split and were left out (${r.options.splits!.map((s) => `${s.name}=${s.glob}`).join(', ')}):\n`,
  );
  for (const p of shown) io.stderr.write(`  ${p}\n`);
  if (outside.length > shown.length)
    io.stderr.write(`  ... and ${outside.length - shown.length} more (all are listed in the manifest's leaks.outsideSplits)\n`);
}

/** perception's output shape: one row per pair, file1,file2,distance, paths relative to the scanned folder. */
async function writePairsCsv(path: string, result: ScanResult): Promise<void> {
  const rows = ['file1,file2,distance', ...result.pairs.map((p) => `${csvField(p.a)},${csvField(p.b)},${p.distance}`)];
  await writeFileAtomic(path, rows.join('\n') + '\n');
}

function report(
  io: CliIo,
  json: boolean,
  r: ScanResult,
  c: CommitResult,
  manifestPath: string,
  csvPath: string | undefined,
  profile: ProfileReport | undefined,
): void {
  const byCode: Record<string, number> = {};
  for (const s of r.skipped) byCode[s.code] = (byCode[s.code] ?? 0) + 1;
  const t = c.totals;
  if (json) {
    const summary = {
      root: r.root,
      manifest: manifestPath,
      manifestChanged: c.written,
      ...(csvPath ? { pairsCsv: csvPath } : {}),
      files: r.stats.files,
      hashed: r.stats.hashed,
      cached: r.stats.cached,
      skipped: r.stats.skipped,
      skippedByCode: byCode,
      pairs: r.stats.pairs,
      ...(r.stats.colorRejected !== undefined ? { colorRejected: r.stats.colorRejected } : {}),
      clusters: t.clusters,
      remove: t.remove,
      removeReviewed: t.removeReviewed,
      removeAuto: t.removeAuto,
      suggested: t.suggested,
      doubtful: t.doubtful,
      conflicts: t.conflicts,
      orphaned: t.orphaned,
      // Only a split scan has leaks.
      ...(c.leaks ? { leaks: c.leaks.leaks, leaksUnresolved: c.leaks.leaksUnresolved, outsideSplits: c.leaks.outsideSplits } : {}),
      seconds: r.stats.seconds,
      ...(r.stats.phaseSeconds ? { phases: r.stats.phaseSeconds } : {}),
      ...(profile ? { profile } : {}),
    };
    io.stdout.write(JSON.stringify(summary, null, 2) + '\n');
    return;
  }
  const shown = r.skipped.slice(0, 50);
  reportOutsideSplits(io, r);
  for (const s of shown) io.stderr.write(`skipped ${s.path}: ${s.code}: ${s.message}\n`);
  if (r.skipped.length > shown.length) io.stderr.write(`... and ${r.skipped.length - shown.length} more skipped files (all are listed in the manifest)\n`);
  if (c.handEdits.length > 0) io.stderr.write(`media-dedupe scan: merged ${c.handEdits.length} hand edits of the manifest as file decisions\n`);
  const s = r.stats;
  const extra = [
    t.suggested > 0 ? `${t.suggested} suggested (--remove reviewed)` : '',
    t.doubtful > 0 ? `${t.doubtful} doubtful clusters` : '',
    t.conflicts > 0 ? `${t.conflicts} conflicts` : '',
    t.orphaned > 0 ? `${t.orphaned} orphaned (media-dedupe prune drops them)` : '',
  ].filter((x) => x !== '');
  io.stdout.write(
    `${s.files} files (${s.hashed} hashed, ${s.cached} from cache), ${s.skipped} skipped, ${s.pairs} pairs, ${t.clusters} clusters, ${t.remove} to remove (${t.removeReviewed} reviewed, ${t.removeAuto} automatic)${extra.length > 0 ? `, ${extra.join(', ')}` : ''} (${s.seconds.toFixed(1)} s)\n` +
      (c.leaks ? leakLine(c.leaks) : '') +
      `manifest: ${manifestPath}${c.written ? '' : ' (unchanged)'}\n` +
      (csvPath ? `pairs: ${csvPath}\n` : ''),
  );
}
