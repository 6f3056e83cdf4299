import { dirname, join, resolve } from 'node:path';
import { pairKey } from '../../core/decisions/verdict.js';
import { hasEscapedBytes } from '../../core/files/nameBytes.js';
import { manifestPathMapper, MANIFEST_FILE_NAME, readManifest, scanOptionsOf, type Manifest } from '../../core/manifest/index.js';
import type { FileRecord, Pair, ScanOptions, ScanResult } from '../../core/types.js';
import { parseCommandArgs, type OptionSpecs } from '../args.js';
import { EXIT, type CliIo } from '../io.js';
import { formatLeakCounts, leakCounts } from '../../core/manifest/leaks.js';
import { checkDropOrder, leakSummaryLine, unresolvedLeaks } from './checkLeaks.js';
import { EXIT_CANCELLED, folderArg, reportOutsideSplits, runScanWithUi, scanOptionsFromArgs } from './scan.js';

const SPECS: OptionSpecs = {
  manifest: { kind: 'string', expected: 'a file path' },
  json: { kind: 'boolean' },
  cache: { kind: 'boolean' },
  ffmpeg: { kind: 'string', expected: 'the path of an ffmpeg executable' },
  splits: { kind: 'string', expected: 'comma-separated top-level folder names such as train,val,test' },
  split: { kind: 'strings', expected: 'NAME=GLOB such as train=images/train/**' },
};

const HELP = `media-dedupe check <dir> [--manifest FILE] [--json] [--no-cache] [--ffmpeg PATH] [--splits LIST | --split NAME=GLOB ...]

For CI: scans <dir> with the settings stored in its manifest (default <dir>/${MANIFEST_FILE_NAME}) and
lists every duplicate pair the manifest does not already resolve: a pair is resolved when the manifest's
decisions account for it (both files in one of its clusters or identical-hash groups, or the pair in its
pairs, reviews or notDuplicates) and both files still have the size and SHA-256 it recorded. Works on
manifests written without their pairs list. The manifest is not changed; run "media-dedupe scan <dir>". --ffmpeg PATH: the ffmpeg that
decodes videos (machine-specific, so not part of the manifest's settings).

With splits (--splits train,val,test or --split NAME=GLOB, or the manifest's own settings.splits) check
looks for leaks: pairs across splits. A leak is resolved when both files are unchanged and one of them is
in the manifest's "remove" (the drop policy, --drop-from, put it there), or a person answered the pair
(keep both, not a duplicate). Each unresolved leak is a line (a, b, distance, reason, the file to drop);
the last line counts them per split pair: "leaks: val↔train: 12, test↔train: 31".

Reviews that contradict each other (keep A over B, B over C, C over A; a file kept and removed by
review) are conflicts: the files involved are kept until a person chooses, so check reports each one as
a line "conflict<TAB>reason" and counts them as unresolved.

Exit status: 0 nothing unresolved, 1 unresolved pairs or conflicts (listed on stdout), 2 bad options or a broken
manifest, 3 internal error, 130 interrupted.
`;

export type UnresolvedReason = 'new-pair' | 'file-changed' | 'no-manifest';

export interface Unresolved extends Pair {
  readonly reason: UnresolvedReason;
}

/**
 * The pairs of a fresh scan that the manifest does not account for. Pure, so the rule is testable:
 * known pair + both files unchanged = resolved; anything else is reported with why.
 */
export function unresolvedPairs(result: ScanResult, manifest: Manifest | null, manifestDir: string): Unresolved[] {
  if (!manifest) return result.pairs.map((p) => ({ ...p, reason: 'no-manifest' as const }));
  const { map } = manifestPathMapper(result.root, manifestDir);
  const recorded = new Map(manifest.files.filter((f) => !f.orphaned).map((f) => [f.path, f]));
  const known = new Set<string>([
    ...(manifest.pairs ?? []).map((p) => pairKey(p.a, p.b)),
    ...manifest.reviews.map((r) => pairKey(r.a, r.b)),
    ...manifest.notDuplicates.map(([a, b]) => pairKey(a, b)),
  ]);
  // A cluster (or an identical-hash group) accounts for every pair inside it: its decisions say which file stays.
  const groupOf = new Map<string, number>();
  manifest.clusters.forEach((c, i) => {
    groupOf.set(c.keep, i);
    for (const m of c.members) groupOf.set(m.path, i);
  });
  (manifest.identical ?? []).forEach((g, i) => {
    for (const p of g) if (!groupOf.has(p)) groupOf.set(p, -1 - i);
  });
  const together = (a: string, b: string): boolean => groupOf.has(a) && groupOf.get(a) === groupOf.get(b);
  const files = new Map<string, FileRecord>(result.files.map((f) => [f.path, f]));
  const unchanged = (p: string): boolean => {
    const now = files.get(p);
    const then = recorded.get(map(p));
    return !!now && !!then && now.size === then.size && now.fingerprint === then.sha256;
  };
  const out: Unresolved[] = [];
  for (const p of result.pairs) {
    const [a, b] = [map(p.a), map(p.b)];
    if (!known.has(pairKey(a, b)) && !together(a, b)) out.push({ ...p, reason: 'new-pair' });
    else if (!unchanged(p.a) || !unchanged(p.b)) out.push({ ...p, reason: 'file-changed' });
  }
  return out;
}

/** The manifest's conflicts (decide's text: "path: conflict: ..."), every cluster's, in cluster order. */
export function manifestConflicts(manifest: Manifest | null): string[] {
  return manifest ? manifest.clusters.flatMap((c) => c.conflicts ?? []) : [];
}

/**
 * A path for a line of text output: as it is, unless it holds a tab, a newline, another control character
 * or bytes that are not UTF-8, which would break the line format; those are printed as a JSON string
 * (quoted, escaped: the manifest's own form).
 */
export function printablePath(p: string): string {
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0x22) return JSON.stringify(p);
  }
  return hasEscapedBytes(p) ? JSON.stringify(p) : p;
}

/** The scan settings a manifest was made with, so check finds exactly what scan found. */
function optionsFromManifest(m: Manifest | null, useCache: boolean | undefined): Partial<ScanOptions> {
  const base: Partial<ScanOptions> = useCache === undefined ? {} : { useCache };
  if (!m) return base;
  return { ...base, ...scanOptionsOf(m.settings) };
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, SPECS, HELP, io);
  if (!args) return EXIT.ok;
  const { positionals, options } = args;
  const dir = folderArg(positionals, io, 'check');
  const manifestPath = resolve(io.cwd, (options.manifest as string | undefined) ?? join(dir, MANIFEST_FILE_NAME));
  const manifest = await readManifest(manifestPath);
  if (!manifest)
    io.stderr.write(`media-dedupe check: no manifest at ${manifestPath}; every duplicate pair counts as unresolved (run "media-dedupe scan" to create one)\n`);

  const { splits } = scanOptionsFromArgs({ splits: options.splits, split: options.split });
  const result = await runScanWithUi(
    dir,
    {
      ...optionsFromManifest(manifest, options.cache as boolean | undefined),
      ...(options.ffmpeg !== undefined ? { ffmpegPath: options.ffmpeg as string } : {}),
      ...(splits ? { splits } : {}),
    },
    io,
  );
  if (result.cancelled) {
    io.stderr.write('media-dedupe check: interrupted; nothing was checked\n');
    return EXIT_CANCELLED;
  }
  if (result.options.splits) return reportLeaks(io, result, manifest, manifestPath, options.json === true);
  const unresolved = unresolvedPairs(result, manifest, dirname(manifestPath));
  const conflicts = manifestConflicts(manifest);
  if (options.json === true) {
    io.stdout.write(
      JSON.stringify(
        {
          manifest: manifestPath,
          files: result.stats.files,
          pairs: result.stats.pairs,
          skipped: result.stats.skipped,
          unresolved: unresolved.map((u) => ({ a: u.a, b: u.b, distance: u.distance, hasher: u.hasher, reason: u.reason })),
          conflicts,
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    for (const u of unresolved) io.stdout.write(`${printablePath(u.a)}\t${printablePath(u.b)}\t${u.distance}\t${u.reason}\n`);
    for (const c of conflicts) io.stdout.write(`conflict\t${c.replace(/[\t\n\r]/g, ' ')}\n`);
    if (conflicts.length > 0)
      io.stderr.write(
        `media-dedupe check: ${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}: reviews contradict each other; those files are kept until you choose which to keep (Clusters view of the gallery, or edit the reviews)\n`,
      );
    io.stderr.write(
      unresolved.length === 0
        ? `media-dedupe check: ${conflicts.length === 0 ? 'OK: ' : ''}all ${result.stats.pairs} duplicate pairs are resolved by ${manifestPath}\n`
        : `media-dedupe check: ${unresolved.length} of ${result.stats.pairs} duplicate pairs are not resolved by the manifest (run "media-dedupe scan" and review them)\n`,
    );
  }
  return unresolved.length > 0 || conflicts.length > 0 ? EXIT.findings : EXIT.ok;
}

/** check in split mode: the leaks the manifest does not resolve, one line each, then the count per split pair. */
function reportLeaks(io: CliIo, result: ScanResult, manifest: Manifest | null, manifestPath: string, json: boolean): number {
  const order = checkDropOrder(result.options.splits!, manifest);
  const leaks = unresolvedLeaks(result, manifest, dirname(manifestPath), order);
  reportOutsideSplits(io, result);
  if (json) {
    const out = {
      manifest: manifestPath,
      files: result.stats.files,
      leaks: result.stats.pairs,
      outsideSplits: result.outsideSplits ?? [],
      unresolvedBySplits: leakCounts(leaks, order),
      unresolved: leaks.map((l) => ({ a: l.a, b: l.b, splitA: l.splitA, splitB: l.splitB, distance: l.distance, drop: l.drop, reason: l.reason })),
    };
    io.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } else {
    for (const l of leaks) io.stdout.write(`${printablePath(l.a)}\t${printablePath(l.b)}\t${l.distance}\t${l.reason}\tdrop ${printablePath(l.drop)}\n`);
    io.stdout.write(`leaks: ${formatLeakCounts(leakCounts(leaks, order))}\n`);
    io.stderr.write(
      leaks.length === 0
        ? `media-dedupe check: OK: all ${result.stats.pairs} leaks (pairs across splits) are resolved by ${manifestPath}\n`
        : `media-dedupe check: ${leakSummaryLine(leaks, order)} (of ${result.stats.pairs} pairs across splits; run "media-dedupe scan" with the same splits, or review them)\n`,
    );
  }
  return leaks.length > 0 ? EXIT.findings : EXIT.ok;
}
