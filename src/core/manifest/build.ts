/**
 * Builds a version 2 manifest from two halves: what a scan measured (files, pairs, identical-hash
 * groups, skipped files, settings; `Measurement`) and what people decided (`Facts`). decisions/decide.ts
 * derives everything else. The measurement comes from a fresh scan (`measureScan`) or from a manifest
 * already on disk (`measurementOf`), which is how a gallery's decision is written without rewriting the
 * scan from a stale copy.
 */
import { createHash } from 'node:crypto';
import { posix, relative, sep } from 'node:path';
import { decide } from '../decisions/decide.js';
import { decisionsOfClusters, reusableClusters, scanDecisionsOf, type ScanDecisions } from '../decisions/scanDecisions.js';
import { DEFAULT_KEEP_POLICY, isDefaultPolicy } from '../decisions/keepPolicy.js';
import type { DecideEdge, DecideFile, Decisions, Facts, RemoveMode } from '../decisions/types.js';
import { compileProtect } from '../files/filters.js';
import { comparePairs, comparePaths } from '../files/paths.js';
import { GENERATOR } from '../generator.js';
import type { ScanResult } from '../types.js';
import { dropFromOf, dropOrderFor, leaksOf } from './leaks.js';
import { groupLabels } from '../files/groups.js';
import { insideSplit } from '../files/splits.js';
import { canonicalize } from './canonical.js';
import {
  PAIRS_LIMIT,
  type Manifest,
  type ManifestCluster,
  type ManifestFile,
  type ManifestHasher,
  type ManifestPair,
  type ManifestSettings,
  type ManifestSkipped,
} from './types.js';

export type ScanSettings = Omit<ManifestSettings, 'remove' | 'keepPolicy' | 'dropFrom'>;

export interface DecisionSettings {
  readonly remove: RemoveMode;
  /** Criteria in order; the default when absent. */
  readonly keepPolicy?: readonly string[];
  /** With splits: the split leaks are dropped from first (default: the training split, leaks.ts defaultDropFrom). */
  readonly dropFrom?: string;
}

export const DEFAULT_DECISION_SETTINGS: DecisionSettings = { remove: 'all' };

/** What a scan measured, in manifest paths. */
export interface Measurement {
  readonly root: string;
  readonly settings: ScanSettings;
  /** Usable files (for a fresh scan every one; from a manifest, those it describes). */
  readonly files: ReadonlyMap<string, ManifestFile>;
  /** Every pair, or undefined when only the clusters' links are known (a manifest written without pairs). */
  readonly pairs: readonly ManifestPair[] | undefined;
  readonly edges: readonly DecideEdge[];
  readonly identical: readonly (readonly string[])[];
  readonly skipped: readonly ManifestSkipped[];
  /** With splits: media files in no split, left out of the search. */
  readonly outsideSplits?: readonly string[];
  readonly fileCount: number;
  readonly pairCount: number;
  readonly scanHash: string;
  /** The scan's own decisions, when this is the measurement of a scan, and how its paths became the manifest's (undefined: unchanged). */
  readonly scanDecisions?: ScanDecisions;
  readonly scanPathMap?: (scanPath: string) => string;
}

/** Turns scan-relative paths into manifest-relative ones (identity when the manifest sits in the scanned folder). */
export function manifestPathMapper(root: string, manifestDir: string | undefined): { root: string; map: (p: string) => string } {
  const rel = manifestDir === undefined ? '' : relative(manifestDir, root).split(sep).join('/');
  if (rel === '') return { root: '.', map: (p) => p };
  return { root: rel, map: (p) => posix.normalize(`${rel}/${p}`) };
}

/** The scan-relative path of a manifest path (the inverse of manifestPathMapper's map). */
export function scanPathOf(root: string, path: string): string {
  return root === '.' ? path : path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
}

export function measureScan(result: ScanResult, manifestDir?: string): Measurement {
  const { root, map: mapOnce } = manifestPathMapper(result.root, manifestDir);
  // Each path normalised once, not once per pair naming it (a manifest outside the scanned folder).
  const mapped = new Map<string, string>();
  const map =
    root === '.'
      ? mapOnce
      : (p: string): string => {
          let m = mapped.get(p);
          if (m === undefined) mapped.set(p, (m = mapOnce(p)));
          return m;
        };
  const isProtected = compileProtect(result.options.protect);
  const files = new Map<string, ManifestFile>();
  for (const f of result.files) {
    const path = map(f.path);
    files.set(path, {
      path,
      size: f.size,
      sha256: f.fingerprint,
      width: f.width,
      height: f.height,
      // Durations rounded to the millisecond: the manifest stays byte-identical across ffprobe builds' float noise.
      ...(f.kind === 'video' ? { kind: 'video' as const, durationSec: Math.round((f.durationSec ?? 0) * 1000) / 1000 } : {}),
      ...(f.format !== undefined ? { format: f.format } : {}),
      ...(f.jpegQuality !== undefined ? { jpegQuality: f.jpegQuality } : {}),
      ...(f.reencoded ? { reencoded: true as const } : {}),
      ...(f.contentWidth !== undefined && f.contentHeight !== undefined ? { contentWidth: f.contentWidth, contentHeight: f.contentHeight } : {}),
      mtimeMs: f.mtimeMs,
      ...(isProtected(f.path) ? { protected: true as const } : {}),
      ...(f.split !== undefined ? { split: f.split } : {}),
    });
  }
  const pairs: ManifestPair[] = result.pairs.map((p) => {
    const [a, b] = [map(p.a), map(p.b)].sort(comparePaths);
    const transform = p.transform && p.transform !== 'r0' ? p.transform : undefined;
    return { a, b, distance: p.distance, hasher: p.hasher, ...(transform ? { transform } : {}), ...(p.via !== undefined ? { via: p.via } : {}) };
  });
  pairs.sort(comparePairs);
  const identical = (result.identical ?? []).map((g) => g.map(map).sort(comparePaths)).sort((x, y) => comparePaths(x[0], y[0]));
  const o = result.options;
  const hashers: ManifestHasher[] = o.hashers.map((h) => ({
    name: h.name,
    ...(h.hashSize !== undefined ? { hashSize: h.hashSize } : {}),
    threshold: h.threshold,
    ...(h.params && Object.keys(h.params).length > 0 ? { params: { ...h.params } } : {}),
  }));
  const settings: ScanSettings = {
    hashers,
    isometric: o.isometric,
    groupBy: o.groupBy,
    strict: o.strict,
    protect: [...o.protect],
    include: [...o.include],
    exclude: [...o.exclude],
    ...(o.videos === false ? { videos: false as const } : {}),
    colorCheck: o.colorCheck === true,
    ...(o.cropResistant === true ? { cropResistant: true as const } : {}),
    ...(o.splits ? { splits: o.splits.map((r) => ({ name: r.name, glob: r.glob })) } : {}),
  };
  const skipped: ManifestSkipped[] = result.skipped.map((s) => ({ path: map(s.path), code: s.code, message: portableMessage(s.message, result.root) }));
  return {
    root,
    settings,
    files,
    pairs,
    edges: pairs,
    identical,
    skipped,
    ...(result.outsideSplits ? { outsideSplits: result.outsideSplits.map(map) } : {}),
    fileCount: result.files.length,
    pairCount: pairs.length,
    scanHash: scanHashOf(settings, files, pairs, identical),
    // The same edges and identical groups as the scan decided on, in the manifest's paths: its clusters may be reused.
    ...(scanDecisionsOf(result) ? { scanDecisions: scanDecisionsOf(result), ...(root === '.' ? {} : { scanPathMap: map }) } : {}),
  };
}

/** Identifies a scan's measurement: same settings, same files (by content) and same pairs give the same hash. */
function scanHashOf(
  settings: ScanSettings,
  files: ReadonlyMap<string, ManifestFile>,
  pairs: readonly ManifestPair[],
  identical: readonly (readonly string[])[],
): string {
  const h = createHash('sha256').update(JSON.stringify(settings));
  // The same bytes as one update per line, handed over about 64 KB at a time (an update a line was most of this function).
  let chunk = '';
  const line = (s: string): void => {
    chunk += s;
    if (chunk.length >= 65536) {
      h.update(chunk);
      chunk = '';
    }
  };
  for (const f of [...files.values()].sort((x, y) => comparePaths(x.path, y.path))) line(`\n${f.path}\u0000${f.sha256}`);
  for (const p of pairs) line(`\n${p.a}\u0000${p.b}\u0000${p.distance}`);
  for (const g of identical) line(`\n=${g.join('\u0000')}`);
  h.update(chunk);
  return h.digest('hex').slice(0, 16);
}

/** The measurement a manifest carries: its pairs, or when they were left out, the links its clusters record. */
export function measurementOf(m: Manifest): Measurement {
  const files = new Map<string, ManifestFile>();
  for (const f of m.files) if (!f.orphaned) files.set(f.path, f);
  const { remove: _remove, keepPolicy: _policy, dropFrom: _dropFrom, ...scan } = m.settings;
  return {
    root: m.root,
    settings: scan,
    files,
    pairs: m.pairs,
    // A split scan finds only pairs across splits, and the leaks list every one of them even when pairs are omitted.
    edges: m.pairs ?? (m.leaks ? m.leaks.map((l) => ({ a: l.a, b: l.b, distance: l.distance })) : clusterEdges(m.clusters)),
    identical: m.identical ?? [],
    skipped: m.skipped,
    ...(m.outsideSplits ? { outsideSplits: m.outsideSplits } : {}),
    fileCount: m.summary.files,
    pairCount: m.summary.pairs,
    scanHash: m.summary.scanHash,
  };
}

/** Without pairs, a cluster's links: each direct member to the kept file, each chained member to the file it is linked through. */
function clusterEdges(clusters: readonly ManifestCluster[]): DecideEdge[] {
  const out: DecideEdge[] = [];
  for (const c of clusters) {
    for (const x of c.members) {
      if (x.chained && x.via !== undefined && typeof x.viaDistance === 'number') out.push({ a: x.path, b: x.via, distance: x.viaDistance });
      else if (!x.chained && x.distance !== null) out.push({ a: c.keep, b: x.path, distance: x.distance });
    }
  }
  return out;
}

export interface AssembleOptions {
  /** Write every pair even above the limit (--all-pairs). */
  readonly allPairs?: boolean;
  /** Most pairs listed without --all-pairs (default PAIRS_LIMIT). */
  readonly pairsLimit?: number;
  /** Last known records of files the facts name but the measurement lacks (they become `orphaned`). */
  readonly previousFiles?: readonly ManifestFile[];
}

/** The decision model's input for a measurement and facts (the one mapping from manifest records to decide). */
export function decideInput(meas: Measurement, facts: Facts, ds: DecisionSettings, orphans: readonly ManifestFile[] = []) {
  const globs = meas.settings.protect;
  const matchers = globs.map((g) => ({ g, test: compileProtect([g]) }));
  const splits = meas.settings.splits;
  // With splits a group is a folder inside the split (train/cat and val/cat are both cat); split of a scan path:
  const splitOfScanPath = new Map([...meas.files.values()].map((f) => [scanPathOf(meas.root, f.path), f.split]));
  const inside = splits && insideSplit(splits, (s) => splitOfScanPath.get(s));
  const groupOf = (p: string): string | undefined =>
    meas.settings.groupBy === 'none' ? undefined : groupLabels([scanPathOf(meas.root, p)], meas.settings.groupBy, inside)![0];
  const toDecide = (f: ManifestFile, orphaned: boolean): DecideFile => ({
    path: f.path,
    size: f.size,
    width: f.width,
    height: f.height,
    ...(f.mtimeMs !== undefined ? { mtimeMs: f.mtimeMs } : {}),
    kind: f.kind === 'video' ? 'video' : 'image',
    ...(f.durationSec !== undefined ? { durationSec: f.durationSec } : {}),
    ...(f.format !== undefined ? { format: f.format } : {}),
    ...(f.jpegQuality !== undefined ? { jpegQuality: f.jpegQuality } : {}),
    ...(f.reencoded ? { reencoded: true } : {}),
    ...(f.contentWidth !== undefined ? { contentWidth: f.contentWidth, contentHeight: f.contentHeight } : {}),
    sha256: f.sha256,
    // The glob is named in reasons; a file marked protected by a glob no longer in the settings still is.
    ...(f.protected ? { protectedBy: matchers.find((x) => x.test(scanPathOf(meas.root, f.path)))?.g ?? '(a glob of an earlier scan)' } : {}),
    ...(orphaned ? { orphaned: true } : {}),
    ...(groupOf(f.path) !== undefined ? { group: groupOf(f.path) } : {}),
    ...(f.split !== undefined ? { split: f.split } : {}),
  });
  return {
    files: [...[...meas.files.values()].map((f) => toDecide(f, false)), ...orphans.map((f) => toDecide(f, true))],
    edges: meas.edges,
    identical: meas.identical,
    facts,
    policy: ds.keepPolicy ?? DEFAULT_KEEP_POLICY,
    strict: meas.settings.strict,
    removeMode: ds.remove,
    ...(meas.settings.splits ? { dropOrder: dropOrderFor(meas.settings.splits, ds.dropFrom) } : {}),
  };
}

/** Assembles the manifest (and returns the decisions it was derived from, which the gallery shows). */
export function assembleManifest(
  meas: Measurement,
  facts: Facts,
  ds: DecisionSettings,
  opts: AssembleOptions = {},
): { manifest: Manifest; decisions: Decisions } {
  const named = new Set<string>();
  for (const r of facts.reviews) named.add(r.a).add(r.b);
  for (const [a, b] of facts.notDuplicates) named.add(a).add(b);
  for (const d of facts.fileDecisions) named.add(d.path);
  const previous = new Map((opts.previousFiles ?? []).map((f) => [f.path, f]));
  const orphanRecords = [...named]
    .filter((p) => !meas.files.has(p))
    .map((p) => previous.get(p))
    .filter((f): f is ManifestFile => f !== undefined);
  const input = decideInput(meas, facts, ds, orphanRecords);
  // A first scan (no facts, default settings) already decided exactly this input: its clusters are used, not decided again.
  const reused = reusableClusters(meas.scanDecisions, input, meas.scanPathMap);
  const decisions = reused ? decisionsOfClusters(input, reused) : decide(input);
  const splits = meas.settings.splits;
  const leaks = splits ? leaksOf(meas.edges, (p) => meas.files.get(p)?.split, input.dropOrder!, decisions, facts) : undefined;

  const clusters: ManifestCluster[] = decisions.clusters.map((c) => ({
    keep: c.keep,
    keepReason: c.keepReason,
    ...(c.keepBy !== 'auto' ? { keepBy: c.keepBy } : {}),
    ...(c.doubtful.length > 0 ? { doubtful: [...c.doubtful] } : {}),
    ...(c.conflicts.length > 0 ? { conflicts: [...c.conflicts] } : {}),
    members: c.members.map((x) => ({
      path: x.path,
      distance: x.distance,
      ...(x.chained ? { chained: true as const, via: x.via, viaDistance: x.viaDistance } : {}),
      decision: x.decision,
      by: x.by,
      reason: x.reason,
      ...(x.suggested ? { suggested: x.suggested } : {}),
      ...(x.conflict ? { conflict: true as const } : {}),
    })),
  }));
  const writePairs = meas.pairs !== undefined && (opts.allPairs === true || meas.pairs.length <= (opts.pairsLimit ?? PAIRS_LIMIT));
  const described = new Set<string>(named);
  for (const c of clusters) {
    described.add(c.keep);
    for (const x of c.members) described.add(x.path);
  }
  if (writePairs) for (const p of meas.pairs!) described.add(p.a).add(p.b);
  for (const l of leaks ?? []) described.add(l.a).add(l.b);
  for (const g of meas.identical) for (const p of g) described.add(p);
  const keepMtime = (ds.keepPolicy ?? DEFAULT_KEEP_POLICY).includes('oldest');
  const files: ManifestFile[] = [];
  for (const p of described) {
    const present = meas.files.get(p);
    const f = present ?? previous.get(p);
    if (!f) continue;
    // mtime changes with every checkout; it is written only when the keep policy reads it.
    const { mtimeMs, orphaned: _o, ...rest } = f;
    files.push({ ...rest, ...(keepMtime && mtimeMs !== undefined ? { mtimeMs } : {}), ...(present ? {} : { orphaned: true as const }) });
  }
  const t = decisions.totals;
  const manifest: Manifest = {
    version: 2,
    generator: GENERATOR,
    root: meas.root,
    settings: {
      ...meas.settings,
      remove: ds.remove,
      ...(ds.keepPolicy && !isDefaultPolicy(ds.keepPolicy) ? { keepPolicy: [...ds.keepPolicy] } : {}),
      ...(splits ? { dropFrom: dropFromOf(splits, ds.dropFrom) } : {}),
    },
    summary: {
      files: meas.fileCount,
      pairs: meas.pairCount,
      ...(writePairs ? {} : { pairsOmitted: true as const }),
      clusters: t.clusters,
      remove: t.remove,
      removeReviewed: t.removeReviewed,
      removeAuto: t.removeAuto,
      doubtful: t.doubtful,
      conflicts: t.conflicts,
      orphaned: t.orphaned,
      skipped: meas.skipped.length,
      ...(leaks ? { leaks: leaks.length, leaksUnresolved: leaks.filter((l) => !l.resolved).length } : {}),
      scanHash: meas.scanHash,
    },
    clusters,
    notDuplicates: facts.notDuplicates,
    reviews: facts.reviews,
    fileDecisions: facts.fileDecisions,
    remove: decisions.remove,
    orphaned: decisions.orphaned,
    skipped: [...meas.skipped],
    files,
    ...(meas.identical.length > 0 ? { identical: meas.identical } : {}),
    ...(writePairs ? { pairs: meas.pairs } : {}),
    ...(leaks ? { leaks, outsideSplits: meas.outsideSplits ?? [] } : {}),
  };
  return { manifest: canonicalize(manifest), decisions };
}

/** The facts a manifest holds. */
export function factsOf(m: Manifest): Facts {
  return { reviews: m.reviews, notDuplicates: m.notDuplicates, fileDecisions: m.fileDecisions };
}

export function decisionSettingsOf(m: Manifest): DecisionSettings {
  return {
    remove: m.settings.remove,
    ...(m.settings.keepPolicy ? { keepPolicy: m.settings.keepPolicy } : {}),
    ...(m.settings.dropFrom !== undefined ? { dropFrom: m.settings.dropFrom } : {}),
  };
}

/** Builds the manifest of a fresh scan with the given facts (no previous manifest: `buildManifest(result)` for a first scan). */
export function buildManifest(
  result: ScanResult,
  facts: Facts = { reviews: [], notDuplicates: [], fileDecisions: [] },
  opts: AssembleOptions & { manifestDir?: string; decisionSettings?: DecisionSettings } = {},
): Manifest {
  return assembleManifest(measureScan(result, opts.manifestDir), facts, opts.decisionSettings ?? DEFAULT_DECISION_SETTINGS, opts).manifest;
}

/** Messages must not carry the absolute location of the dataset: the manifest is committed and read on other machines. */
function portableMessage(message: string, root: string): string {
  const prefixes = [root + sep, root + '/'];
  let out = message;
  for (const p of prefixes) out = out.split(p).join('');
  return out.split(root).join('.');
}
