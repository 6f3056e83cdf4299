import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decide } from '../decisions/decide.js';
import { REENCODED_GRID } from '../image/keepStats.js';
import { NO_FACTS, type DecidedCluster } from '../decisions/types.js';
import { recordScanDecisions, scanDecideFiles } from '../decisions/scanDecisions.js';
import { CACHE_DIR_NAME } from '../cache/cacheDir.js';
import { entryOfOutcome, HashCache, type CacheEntry } from '../cache/hashCache.js';
import { decodeColorSignature } from '../hashers/colorSignature.js';
import type { HashOutcome } from '../hashing/types.js';
import type { CancelSignal, Cluster, FileRecord, Pair, ScanOptions, ScanProgress, ScanResult, SkippedRecord } from '../types.js';
import { settingsKey } from '../cache/settingsKey.js';
import { findFlatPairs } from '../colorcheck/flatPairs.js';
import { colourClasses } from '../colorcheck/identicalNodes.js';
import { compileExclude, compileInclude } from '../files/filters.js';
import { groupLabels } from '../files/groups.js';
import { insideSplit, splitLabels } from '../files/splits.js';
import { comparePaths, mergeSortedPairs } from '../files/paths.js';
import { walk, type WalkEntry } from '../files/walk.js';
import { prepareTables, type TableSpec } from '../hashers/configure.js';
import { hashByteLength } from '../hashers/format.js';
import { CropColorCheck } from '../colorcheck/cropColors.js';
import { findTablePairs, type HashTable } from '../pairs/tablePairs.js';
import { recentreClose } from '../pairs/recentre.js';
import { normalizeScanOptions } from './options.js';
import { ProgressTracker } from './progress.js';
import { checkPairColors } from './colorStage.js';
import type { VideoStageResult } from './videos.js';
import { isVideoPath } from '../video/extensions.js';
import { processCpuMs, type Phase, type PhaseProfile } from '../profile/phaseProfile.js';
import { inputsDigest, readSnapshot, snapshotPath, walkDigest, writeSnapshot, type SavedCounts, type SavedScan } from './rescanSnapshot.js';

/**
 * Groups of at least this many files with identical hashes are one node in the search, the decisions and
 * the manifest: n copies of one picture (a logo repeated thousands of times, blank scans, thumbnails of
 * one frame) would otherwise be n(n-1)/2 pairs, each listed, checked and written (20,000 copies: 200
 * million). Smaller groups stay listed pair by pair, so everyday pair lists (and perception parity) are
 * unchanged.
 */
export const IDENTICAL_NODE_MIN = 16;

export interface ScanHooks {
  onProgress?(p: ScanProgress): void;
  signal?: CancelSignal;
  log?(msg: string): void;
  /** Records the time of each phase (`scan --profile`). */
  profile?: PhaseProfile;
}

interface Hashed {
  readonly record: FileRecord;
  readonly hashes: Readonly<Record<string, string | null>>;
  readonly isometric?: unknown;
  /** Crop-resistant hashes per hasher key (cache/hashCache.ts CachedCrops), when the file was hashed so. */
  readonly crops?: Readonly<Record<string, readonly (string | null)[]>>;
  /** Its view colours (crops/viewColors.ts), with the crop hashes. */
  readonly cropColors?: string;
  /** The colour signature as cached (base64): decoded only for files in a candidate pair. */
  readonly color?: string;
}

/**
 * Scans a folder end to end: walk, hash (only what the cache does not already hold), find pairs,
 * cluster and choose what to keep. Every file that cannot be used is in `skipped` with a code.
 * Cancelling (hooks.signal) stops hashing new files; what was hashed is cached and returned, and the
 * result says `cancelled`. Bad options throw before any file is touched.
 */
export async function scanFolder(root: string, options: Partial<ScanOptions> = {}, hooks: ScanHooks = {}): Promise<ScanResult> {
  const t0 = performance.now();
  const opts = normalizeScanOptions(options);
  const absRoot = resolve(root);
  const log = hooks.log ?? (() => {});
  const signal = hooks.signal;
  const specs = prepareTables(opts.hashers);
  const profile = hooks.profile;
  const phases: Record<string, number> = {};
  let lapStart = performance.now();
  let lapCpu = profile ? processCpuMs() : 0;
  /** Ends a stage: its seconds go into stats.phaseSeconds and, when it is one profile phase, into the profile. */
  const lap = (name: string, phase?: Phase): void => {
    const now = performance.now();
    phases[name] = Math.round(now - lapStart) / 1000;
    if (profile) {
      const cpu = processCpuMs();
      if (phase) profile.add(phase, now - lapStart, 'main', 1, cpu - lapCpu);
      lapCpu = cpu;
    }
    lapStart = now;
  };

  hooks.onProgress?.({ phase: 'walk', done: 0, total: 0 });
  const walked = await walk(absRoot, {
    include: withVideos(compileInclude(opts.include), opts.videos !== false),
    exclude: compileExclude(opts.exclude),
    signal,
    onFound: (n) => hooks.onProgress?.({ phase: 'walk', done: n, total: 0 }),
    followOutside: opts.followOutside === true,
  });

  lap('walk', 'walk');
  // With splits, only files of a split take part; the others are listed, never silently dropped.
  const { inSplits, splitOf, outsideSplits } = assignSplits(walked.files, opts);
  const key = settingsKey(specs.map((s) => s.key));
  // A re-scan of unchanged files returns the last scan's saved result (rescanSnapshot.ts). A folder with
  // videos always takes the full path (their stage has a cache and a decoder of its own); GIFs do not stop
  // it: a snapshot is saved only when none was animated, and unchanged files are still not.
  const snapshot =
    opts.useCache && !walked.cancelled && !inSplits.some((f) => isVideoPath(f.rel))
      ? { file: snapshotPath(absRoot, key, opts), walk: walkDigest(absRoot, key, opts, walked.files, walked.skipped) }
      : undefined;
  if (snapshot) {
    const digest = inputsDigest(absRoot, key, snapshot.walk);
    const found = digest === undefined ? undefined : await readSnapshot(snapshot.file, digest);
    lap('snapshot', 'snapshot read');
    if (found) {
      log(`re-scan: ${inSplits.length} files unchanged since the last scan, with the same settings; its pairs and clusters are reused`);
      const seconds = (performance.now() - t0) / 1000;
      hooks.onProgress?.({ phase: 'done', done: found.counts.files, total: inSplits.length });
      return resultOf(absRoot, opts, found.saved, { ...found.counts, hashed: 0, cached: inSplits.length, seconds, phaseSeconds: phases }, digest!);
    }
  }
  // Videos (and animated GIFs) go through their own stage below; the image pipeline never sees them.
  // The video engine (ffmpeg wrappers, frame reader) is loaded only when that stage has work to do.
  const videoStage = needsVideoStage(absRoot, inSplits, opts, !walked.cancelled) ? await import('./videos.js') : undefined;
  const split = videoStage ? await videoStage.splitVideos(inSplits, opts.videos !== false) : { images: inSplits, videos: [] };
  const cacheOpts = {
    settingsKey: key,
    hashKeys: specs.map((s) => s.key),
    hashBytes: Object.fromEntries(specs.map((s) => [s.key, hashByteLength(s.hasher.dtype, s.hasher.hashLength)])),
    log,
  };
  const cache = opts.useCache && !walked.cancelled ? await HashCache.open(absRoot, cacheOpts) : HashCache.memory(cacheOpts);
  const hashed = new Map<string, Hashed>();
  const skipped: SkippedRecord[] = [...walked.skipped];
  const toHash: WalkEntry[] = [];
  // Hard links (one device and inode under several names) are read and hashed once; every name gets the result.
  const namesOf = new Map<string, WalkEntry[]>();
  for (const f of split.images) {
    const hit = cache.lookup(f.rel, f.size, f.mtimeMs, opts.isometric, opts.cropResistant === true, opts.colorCheck === true);
    if (!hit) {
      const names = namesOf.get(f.id);
      if (names) names.push(f);
      else {
        namesOf.set(f.id, [f]);
        toHash.push(f);
      }
    } else if (hit.error) skipped.push({ path: f.rel, code: hit.error.code, message: hit.error.message });
    else hashed.set(f.rel, fromCache(hit));
  }
  const cachedCount = split.images.length - [...namesOf.values()].reduce((n, names) => n + names.length, 0);
  if (cachedCount > 0) log(`cache: ${cachedCount} of ${inSplits.length} files unchanged since the last scan`);

  lap('cache', 'cache read');

  // Images and videos are hashed in phases of their own, each with its own count and rate.
  const progress = new ProgressTracker(split.images.length, cachedCount, hooks.onProgress);
  progress.begin();
  let outcomes = 0;
  const onResult = (o: HashOutcome, index: number): void => {
    outcomes++;
    for (const entry of namesOf.get(toHash[index].id)!) record(o, entry);
  };
  const record = (o: HashOutcome, entry: WalkEntry): void => {
    if (!o.ok) {
      skipped.push({ path: entry.rel, code: o.error.code, message: o.error.message });
      cache.put({ path: entry.rel, size: entry.size, mtimeMs: entry.mtimeMs, error: o.error });
      progress.fileHashed();
      return;
    }
    const e = entryOfOutcome(entry.rel, o);
    if (profile) profile.time('cache write', () => cache.put(e));
    else cache.put(e);
    hashed.set(entry.rel, fromCache(e));
    progress.fileHashed();
  };
  // The main thread's time in the stage that is not any per-file phase: waiting for decodes.
  const stageStart = performance.now();
  const mainBefore = profile?.mainMs() ?? 0;
  try {
    if (toHash.length > 0 && !signal?.cancelled) {
      // Loaded here, not at start-up: it brings the decoder (sharp, libvips), which a re-scan of unchanged files never needs.
      const load = (): Promise<typeof import('../hashing/hashFiles.js')> => import('../hashing/hashFiles.js');
      const { hashFiles } = await (profile ? profile.timeAsync('start-up', load) : load());
      await hashFiles(
        toHash.map((f) => f.abs),
        specs.map((s) => s.spec),
        // The colour signature only for the colour check (opt-in): 0.1-0.3 ms of this thread per file that a
        // default scan never reads. Turning the check on later re-hashes the files cached without one.
        {
          isometric: opts.isometric,
          cropResistant: opts.cropResistant === true,
          colorSignature: opts.colorCheck === true,
          fingerprint: true,
          keepStats: true,
          signal,
          onResult,
          profile,
          ...(opts.maxFileBytes ? { decode: { maxFileBytes: opts.maxFileBytes } } : {}),
        },
      );
    }
  } finally {
    // Files outside the splits keep their cache entries: they were left out, not deleted.
    const close = (): Promise<void> => cache.close(walked.cancelled ? undefined : new Set([...split.images.map((f) => f.rel), ...(outsideSplits ?? [])]));
    await (profile ? profile.timeAsync('cache write', close) : close());
  }
  profile?.add('waiting', Math.max(0, performance.now() - stageStart - (profile.mainMs() - mainBefore)));
  const videoProgress = new ProgressTracker(split.videos.length, 0, hooks.onProgress, 'video');
  const video: VideoStageResult = !videoStage
    ? noVideos()
    : await videoStage.runVideoStage(absRoot, split.videos, opts, !walked.cancelled, {
        signal,
        log,
        onHashed: () => videoProgress.fileHashed(),
        onCached: (n) => {
          videoProgress.addDone(n);
          if (split.videos.length > 0) videoProgress.begin();
        },
      });
  skipped.push(...video.skipped);
  // Files the signal stopped before they were started have no outcome at all.
  const cancelled = walked.cancelled || outcomes < toHash.length || video.cancelled;

  lap('hash');

  const withSplit = (f: FileRecord): FileRecord => (splitOf ? { ...f, split: splitOf.get(f.path) } : f);
  const imageFiles = [...hashed.values()].map((h) => withSplit(h.record)).sort((a, b) => comparePaths(a.path, b.path));
  const files = [...imageFiles, ...video.files.map(withSplit)].sort((a, b) => comparePaths(a.path, b.path));
  skipped.sort((a, b) => comparePaths(a.path, b.path));

  hooks.onProgress?.({ phase: 'search', done: 0, total: files.length });
  const allPaths = imageFiles.map((f) => f.path);
  const inside = splitOf && insideSplit(opts.splits!, (p) => splitOf.get(p));
  const allGroups = groupLabels(allPaths, opts.groupBy, inside);
  const allTables: HashTable[] = specs.map((s) => tableFor(s, allPaths, hashed, opts.isometric, opts.cropResistant === true));
  // Large groups of files with identical hashes (copies, one-pixel variants) are one node each: only their
  // first file is searched and named. Not in a split scan, which looks only for pairs across splits, nor
  // when every pair is asked for (--parity, --all-pairs: perception lists the pairs among copies too).
  const found = await findTablePairs({
    paths: allPaths,
    tables: allTables,
    groups: allGroups,
    splits: splitOf && allPaths.map((p) => splitOf.get(p)!),
    isometric: opts.isometric,
    cropResistant: opts.cropResistant === true,
    // every pair the views add is checked in colour on the views that matched (grey-identical recolourings)
    ...(opts.cropResistant === true ? { cropCheck: new CropColorCheck((p) => hashed.get(p)?.cropColors).agree } : {}),
    approximateAbove: opts.approximateAbove ?? Number.MAX_SAFE_INTEGER,
    ...(splitOf || opts.everyPair === true ? {} : { nodeMin: IDENTICAL_NODE_MIN, close: true }),
    log,
  });
  if (found.identical.length > 0)
    log(
      `identical: ${found.identical.reduce((n, g) => n + g.length, 0)} files with identical hashes in ${found.identical.length} groups searched as one node each`,
    );
  if (found.close.length > 0)
    log(
      `near-identical: ${found.close.reduce((n, g) => n + g.length, 0)} files in ${found.close.length} nodes within half the threshold of a centre, each listed once (the pairs between them implied)`,
    );
  lap('search', 'search');
  // Image pairs whose colours differ (same drawing, other colours) are dropped here, before clustering.
  let imagePairsKept = found.pairs;
  let identical = found.identical;
  let colorRejected: number | undefined;
  if (opts.colorCheck !== false) {
    const signatures = new Map<string, Uint8Array | undefined>();
    const signatureOf = (p: string): Uint8Array | undefined => {
      if (!signatures.has(p)) signatures.set(p, decodeColorSignature(hashed.get(p)?.color));
      return signatures.get(p);
    };
    // Inside a node nothing is listed to check: its members are split into colour classes instead.
    const classes = colourClasses(identical, found.pairs, signatureOf);
    identical = classes.identical;
    const imagePairs = classes.pairs;
    hooks.onProgress?.({ phase: 'verify', done: 0, total: imagePairs.length });
    // The pairs' colours, on every core (colorStage.ts); the near-flat path below decodes the signatures it reads once each.
    const checked = await checkPairColors(imagePairs, (p) => hashed.get(p)?.color);
    imagePairsKept = checked.kept;
    colorRejected = checked.rejected;
    if (checked.rejected > 0) log(`colour check: ${checked.rejected} of ${imagePairs.length} image pairs dropped (alike in grey, different in colour)`);
    // Near-flat images (fog, sky, blank scans) whose hashes are noise but whose colours agree: part of the colour check.
    // A node's members other than its leaders are represented by them, as in the search.
    const hidden = new Set(found.identical.flatMap((g) => g.filter((p) => !classes.leaders.has(p))));
    const paths = hidden.size === 0 ? allPaths : allPaths.filter((p) => !hidden.has(p));
    const tables = paths === allPaths ? allTables : specs.map((s) => tableFor(s, paths, hashed, opts.isometric, false));
    const groups = paths === allPaths ? allGroups : groupLabels(paths, opts.groupBy, inside);
    const flat = findFlatPairs({ paths, tables, groups, isometric: opts.isometric, found: imagePairs, signatureOf, sizeOf: (p) => hashed.get(p)?.record });
    imagePairsKept = mergeSortedPairs(imagePairsKept, acrossSplits(flat.pairs, splitOf));
    if (flat.pairs.length > 0)
      log(`colour check: ${flat.pairs.length} pairs of near-flat images added (${flat.flatFiles} near-flat files; hashes too far apart, colours alike)`);
  }
  let pairs: readonly Pair[] = mergeSortedPairs(imagePairsKept, acrossSplits(sameGroup(video.pairs, opts.groupBy, inside), splitOf));
  lap('color', 'colour check');
  // No query index here: `query` and Find Similar build it when they first need it (query/queryIndex.ts).

  hooks.onProgress?.({ phase: 'cluster', done: 0, total: pairs.length });
  // The scan's own clusters are the automatic decisions (no facts); the manifest adds what people decided.
  const decideFiles = scanDecideFiles(files, opts.protect);
  const decideOn = (edges: readonly Pair[], nodes: readonly (readonly string[])[] = identical) =>
    decide({ files: decideFiles, edges, ...(nodes.length > 0 ? { identical: nodes } : {}), facts: NO_FACTS, strict: opts.strict });
  let decided: readonly DecidedCluster[] = decideOn(pairs).clusters;
  if (found.close.length > 0) {
    // Each near-identical node listed against the file its cluster keeps, so every member is directly its duplicate (pairs/recentre.ts).
    const keepOf = new Map<string, string>();
    for (const c of decided) {
      keepOf.set(c.keep, c.keep);
      for (const m of c.members) keepOf.set(m.path, c.keep);
    }
    const t = allTables[0];
    const moved = recentreClose(pairs, found.close, (node) => keepOf.get(node[0]), {
      hashOf: (p) => hashed.get(p)!.hashes[t.key]!,
      bits: t.length,
      label: t.label,
    });
    if (moved !== pairs) {
      pairs = moved;
      decided = opts.strict ? decideOn(pairs).clusters : redecide(decided, found.close, pairs, identical, decideOn);
    }
  }
  const clusters: Cluster[] = decided.map((c) => ({
    keep: c.keep,
    members: c.members.map((m) => ({ path: m.path, distance: m.distance, decision: m.decision, by: m.by, ...(m.chained ? { chained: true } : {}) })),
  }));

  lap('cluster', 'clustering');
  const saved: SavedScan = {
    files,
    skipped,
    pairs,
    ...(identical.length > 0 ? { identical } : {}),
    clusters,
    ...(outsideSplits ? { outsideSplits } : {}),
    ...(colorRejected !== undefined ? { colorRejected } : {}),
  };
  // Saved for the next re-scan under the digest of this scan's inputs, the cache file as it is now included.
  const digest = snapshot && !cancelled && split.videos.length === 0 ? inputsDigest(absRoot, key, snapshot.walk) : undefined;
  if (digest !== undefined) {
    await writeSnapshot(snapshot!.file, digest, saved);
    lap('snapshot', 'snapshot write');
  }
  const seconds = (performance.now() - t0) / 1000;
  hooks.onProgress?.({ phase: 'done', done: files.length, total: inSplits.length });
  const counts = {
    files: files.length,
    pairs: pairs.length,
    clusters: clusters.length,
    hashed: progress.filesHashed + videoProgress.filesHashed,
    cached: cachedCount + video.cached,
    seconds,
    phaseSeconds: phases,
  };
  const result: ScanResult = { ...resultOf(absRoot, opts, saved, counts, digest), cancelled };
  // The manifest written from this result decides nothing again when its decide input is this one (decisions/scanDecisions.ts).
  recordScanDecisions(result, { files: decideFiles, clusters: decided, strict: opts.strict });
  return result;
}

/**
 * The clusters after a close node's pairs moved onto its kept file (pairs/recentre.ts): only the clusters
 * holding a close node's files are decided again, on their own pairs and identical groups, and the others
 * kept as they were. Clusters are connected components and a scan's decisions have no reviews, so each
 * cluster's decisions depend on its own files and pairs only: the same clusters as deciding everything
 * again (not so with --strict, whose clusters follow one global ranking; it decides everything), at the
 * cost of the few clusters touched (on the 13,200-file speed set, one of 705) instead of a second pass
 * over all of them.
 */
export function redecide(
  clusters: readonly DecidedCluster[],
  close: readonly (readonly string[])[],
  pairs: readonly Pair[],
  identical: readonly (readonly string[])[],
  decideOn: (edges: readonly Pair[], identical: readonly (readonly string[])[]) => { clusters: readonly DecidedCluster[] },
): DecidedCluster[] {
  const inClose = new Set(close.flat());
  const touched = new Set<string>();
  for (const c of clusters)
    if (inClose.has(c.keep) || c.members.some((m) => inClose.has(m.path))) for (const p of [c.keep, ...c.members.map((m) => m.path)]) touched.add(p);
  const again = decideOn(
    pairs.filter((p) => touched.has(p.a) && touched.has(p.b)),
    identical.filter((g) => g.some((p) => touched.has(p))),
  );
  return [...clusters.filter((c) => !touched.has(c.keep)), ...again.clusters].sort((x, y) => comparePaths(x.keep, y.keep));
}

/**
 * A scan's result from its parts, computed now or saved by the last scan of the same inputs. A saved
 * result's lists are parsed when first read (rescanSnapshot.ts): the result reads them through, never
 * before, so `counts` gives their sizes.
 */
function resultOf(
  root: string,
  options: ScanOptions,
  s: SavedScan,
  counts: SavedCounts & { hashed: number; cached: number; seconds: number; phaseSeconds: Record<string, number> },
  inputs: string | undefined,
): ScanResult {
  const result = {
    root,
    options,
    skipped: s.skipped,
    ...(s.outsideSplits ? { outsideSplits: s.outsideSplits } : {}),
    stats: {
      files: counts.files,
      hashed: counts.hashed,
      cached: counts.cached,
      skipped: s.skipped.length,
      pairs: counts.pairs,
      ...(s.colorRejected !== undefined ? { colorRejected: s.colorRejected } : {}),
      clusters: counts.clusters,
      seconds: Math.round(counts.seconds * 1000) / 1000,
      phaseSeconds: counts.phaseSeconds,
    },
    ...(inputs !== undefined ? { inputs } : {}),
    cancelled: false,
  };
  // Copied as they are: values stay values, a saved result's getters stay getters.
  for (const k of ['files', 'pairs', 'identical', 'clusters'] as const) {
    const d = Object.getOwnPropertyDescriptor(s, k);
    if (d) Object.defineProperty(result, k, d);
  }
  return result as unknown as ScanResult;
}

/**
 * Whether the video stage has anything to do: a walked file that may be a video (by extension, or a
 * GIF, which may be animated), or a video cache in the folder that the stage would prune (it drops the
 * entries of videos no longer there, also when none is left). Otherwise its result is empty and the
 * scan skips loading it.
 */
function needsVideoStage(absRoot: string, files: readonly WalkEntry[], opts: ScanOptions, complete: boolean): boolean {
  if (opts.videos !== false && files.some((f) => isVideoPath(f.rel) || f.rel.toLowerCase().endsWith('.gif'))) return true;
  if (!opts.useCache || !complete) return false;
  try {
    return readdirSync(join(absRoot, CACHE_DIR_NAME)).some((n) => n.startsWith('videos-'));
  } catch {
    return false; // no cache folder: no video cache either
  }
}

/** The video stage's result when it has nothing to do. */
function noVideos(): VideoStageResult {
  return { files: [], skipped: [], pairs: [], cached: 0, hashed: 0, cancelled: false };
}

/** Lets the walk's filter pass video files too (and GIFs, which the default include already has). */
function withVideos(include: (rel: string) => boolean, videos: boolean): (rel: string) => boolean {
  return videos ? (rel) => include(rel) || isVideoPath(rel) : include;
}

/** The walked files of a split, each file's split, and the files of none (sorted); everything when there are no splits. */
function assignSplits(files: readonly WalkEntry[], opts: ScanOptions) {
  if (!opts.splits) return { inSplits: files, splitOf: undefined, outsideSplits: undefined };
  const labels = splitLabels(
    files.map((f) => f.rel),
    opts.splits,
  );
  const splitOf = new Map<string, string>();
  const inSplits: WalkEntry[] = [];
  const outsideSplits: string[] = [];
  files.forEach((f, k) => {
    const label = labels[k];
    if (label === undefined) outsideSplits.push(f.rel);
    else {
      splitOf.set(f.rel, label);
      inSplits.push(f);
    }
  });
  return { inSplits, splitOf, outsideSplits: outsideSplits.sort(comparePaths) };
}

/** Pairs found outside the split-aware search (near-flat colour matches, videos) keep the same rule: different splits only. */
function acrossSplits(pairs: readonly Pair[], splitOf: ReadonlyMap<string, string> | undefined): Pair[] {
  return splitOf ? pairs.filter((p) => splitOf.get(p.a) !== splitOf.get(p.b)) : [...pairs];
}

/** --group-by applies to videos as to images: only files of one group are compared. */
function sameGroup(pairs: readonly Pair[], groupBy: ScanOptions['groupBy'], inside?: (path: string) => string): Pair[] {
  if (groupBy === 'none') return [...pairs];
  return pairs.filter((p) => {
    const [ga, gb] = groupLabels([p.a, p.b], groupBy, inside)!;
    return ga === gb;
  });
}

function fromCache(e: CacheEntry): Hashed {
  const k = e.keep;
  return {
    record: {
      path: e.path,
      kind: 'image',
      size: e.size,
      mtimeMs: e.mtimeMs,
      width: e.width!,
      height: e.height!,
      fingerprint: e.fingerprint!,
      ...(e.format !== undefined ? { format: e.format } : {}),
      ...(k?.jpegQuality !== undefined ? { jpegQuality: k.jpegQuality } : {}),
      ...(k?.blockGrid !== undefined && k.blockGrid >= REENCODED_GRID ? { reencoded: true } : {}),
      ...(k?.contentWidth !== undefined && k.contentHeight !== undefined ? { contentWidth: k.contentWidth, contentHeight: k.contentHeight } : {}),
    },
    hashes: e.hashes!,
    ...(e.isometric !== undefined ? { isometric: e.isometric } : {}),
    ...(e.crops !== undefined ? { crops: e.crops.hashes } : {}),
    ...(e.crops?.colors !== undefined ? { cropColors: e.crops.colors } : {}),
    ...(e.color !== undefined ? { color: e.color } : {}),
  };
}

function tableFor(s: TableSpec, paths: readonly string[], hashed: ReadonlyMap<string, Hashed>, isometric: boolean, crops: boolean): HashTable {
  const rows = paths.map((p) => hashed.get(p)!);
  return {
    key: s.key,
    label: s.label,
    threshold: s.threshold,
    dtype: s.hasher.dtype,
    metric: s.hasher.distanceMetric,
    length: s.hasher.hashLength,
    hashes: rows.map((r) => r.hashes[s.key] ?? null),
    ...(isometric ? { isometric: rows.map((r) => (r.isometric as Record<string, never> | undefined)?.[s.key]) } : {}),
    ...(crops ? { crops: rows.map((r) => r.crops?.[s.key]) } : {}),
  };
}
