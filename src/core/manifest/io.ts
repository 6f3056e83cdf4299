/**
 * Reading a manifest from disk, in one place: parse, validate (version 1 or 2), upgrade version 1, and
 * find hand edits (handEdits.ts). Writing is store.ts's job (under the lock, merged); `writeManifestFile`
 * here is only its last atomic step.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { basename } from 'node:path';
import type { FactChange } from '../decisions/facts.js';
import { applyFactChanges } from '../decisions/facts.js';
import { pairKey } from '../decisions/verdict.js';
import type { Facts, PairReview } from '../decisions/types.js';
import { MediaError } from '../errors.js';
import { writeFileAtomic } from '../files/atomicWrite.js';
import { GENERATOR } from '../generator.js';
import { assembleManifest, decisionSettingsOf, factsOf, measurementOf, DEFAULT_DECISION_SETTINGS, type Measurement } from './build.js';
import { canonicalize, serializeManifest } from './canonical.js';
import { detectHandEdits } from './handEdits.js';
import type { Manifest, ManifestFile, ManifestV1 } from './types.js';
import { validateManifest } from './validate.js';

export interface ManifestOnDisk {
  /** The bytes read, and their SHA-256 (what a writer compares to tell the file changed). */
  readonly text: string;
  readonly contentHash: string;
  readonly version: 1 | 2;
  /** The manifest with the facts it stores (a version 1 file upgraded), hand edits not yet applied. */
  readonly manifest: Manifest;
  /** Hand edits found, as fact changes to merge. */
  readonly handEdits: readonly FactChange[];
  /** Hand edits that cannot be honoured, each naming the file and line; non-empty means: do not write. */
  readonly problems: readonly string[];
}

export const contentHashOf = (text: string): string => createHash('sha256').update(text).digest('hex');

// Files this process wrote (or already checked): their hand-edit check is skipped, it would find nothing.
const verified = new Set<string>();
const remember = (hash: string): void => {
  verified.add(hash);
  if (verified.size > 64) verified.delete(verified.values().next().value!);
};

/**
 * Reads, validates and upgrades a manifest. Returns null when the file does not exist; throws a
 * MediaError naming the file and the problem when it is not valid JSON, fails the schema, or comes from
 * a newer version: a broken manifest stops the command rather than being replaced, since it holds decisions.
 */
export async function readManifestFile(path: string): Promise<ManifestOnDisk | null> {
  const text = await readManifestText(path);
  return text === null ? null : parseManifestText(text, path);
}

/** A manifest's bytes as text, unparsed; null when the file does not exist (other failures throw, as readManifestFile says). */
export async function readManifestText(path: string): Promise<string | null> {
  try {
    return await fsp.readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'EISDIR') throw new MediaError('INVALID_OPTION', `${path} is a folder, not a manifest file; move it or pass --manifest FILE`, path);
    throw new MediaError('UNREADABLE', `The manifest cannot be read (${code ?? String(e)})`, path);
  }
}

export function parseManifestText(text: string, path: string): ManifestOnDisk {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new MediaError(
      'INVALID_OPTION',
      `${path} is not valid JSON (${(e as Error).message}); fix it (git diff shows what changed) or delete it to start over`,
      path,
    );
  }
  const version = (value as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > 2) {
    throw new MediaError('INVALID_OPTION', `${path} is a version ${version} manifest, written by a newer media-dedupe; this one reads versions 1 and 2`, path);
  }
  const errors = validateManifest(value);
  if (errors.length > 0) {
    const more = errors.length > 5 ? ` (and ${errors.length - 5} more)` : '';
    throw new MediaError('INVALID_OPTION', `${path} is not a valid dedupe manifest: ${errors.slice(0, 5).join('; ')}${more}`, path);
  }
  const contentHash = contentHashOf(text);
  const file = basename(path);
  if (version === 1) return { text, contentHash, version: 1, ...upgradeV1(value as ManifestV1, text, file) };
  const manifest = canonicalize(value as Manifest);
  if (verified.has(contentHash)) return { text, contentHash, version: 2, manifest, handEdits: [], problems: [] };
  const same = manifest.generator.name === GENERATOR.name && manifest.generator.version === GENERATOR.version;
  const derived = same
    ? assembleManifest(measurementOf(manifest), factsOf(manifest), decisionSettingsOf(manifest), { previousFiles: manifest.files })
    : undefined;
  const found = detectHandEdits({
    text,
    file,
    remove: (value as Manifest).remove,
    clusters: (value as Manifest).clusters,
    known: new Set(manifest.files.map((f) => f.path)),
    protectedPaths: new Set(manifest.files.filter((f) => f.protected).map((f) => f.path)),
    ...(derived ? { derived: { remove: new Set(derived.decisions.remove), by: new Map(derived.decisions.files.map((f) => [f.path, f.by])) } } : {}),
  });
  if (found.changes.length === 0 && found.problems.length === 0) remember(contentHash);
  return { text, contentHash, version: 2, manifest, handEdits: found.changes, problems: found.problems };
}

/**
 * Version 1 to version 2: reviews and notDuplicates carry over; a member someone marked `"by": "review"`
 * becomes a pair review with the kept file (version 1's documented hand edit); a `remove` list that
 * disagrees with the members is a hand edit. The rest is derived again with version 2's rules.
 */
function upgradeV1(v1: ManifestV1, text: string, file: string): { manifest: Manifest; handEdits: FactChange[]; problems: string[] } {
  const reviews: PairReview[] = [...v1.reviews];
  const reviewed = new Set(reviews.map((r) => pairKey(r.a, r.b)));
  const explained = new Set(reviews.flatMap((r) => [r.a, r.b]));
  const carried = new Set<string>();
  for (const c of v1.clusters) {
    for (const m of c.members) {
      if (m.by !== 'review' || explained.has(m.path) || reviewed.has(pairKey(c.keep, m.path))) continue;
      const [a, b] = [c.keep, m.path].sort();
      reviews.push({ a, b, decision: m.decision === 'keep' ? 'keep-both' : a === c.keep ? 'keep-a' : 'keep-b' });
      reviewed.add(pairKey(a, b));
      carried.add(m.path);
    }
  }
  const found = detectHandEdits({
    text,
    file,
    remove: v1.remove,
    clusters: v1.clusters,
    known: new Set(v1.files.map((f) => f.path)),
    protectedPaths: new Set(v1.files.filter((f) => f.protected).map((f) => f.path)),
    carried,
  });
  const facts: Facts = { reviews, notDuplicates: v1.notDuplicates, fileDecisions: [] };
  const meas: Measurement = {
    root: v1.root,
    settings: v1.settings,
    files: new Map<string, ManifestFile>(v1.files.map((f) => [f.path, f])),
    pairs: v1.pairs,
    edges: v1.pairs,
    identical: [],
    skipped: v1.skipped,
    fileCount: v1.summary.files,
    pairCount: v1.pairs.length,
    scanHash: contentHashOf(JSON.stringify([v1.settings, v1.files, v1.pairs])).slice(0, 16),
  };
  return { manifest: assembleManifest(meas, facts, DEFAULT_DECISION_SETTINGS).manifest, handEdits: found.changes, problems: found.problems };
}

/** The manifest with its hand edits applied, as the next write will make it; throws (naming the lines) when an edit is refused. */
export function withHandEdits(d: ManifestOnDisk, path: string): Manifest {
  if (d.problems.length > 0) throw refusedEdits(d.problems, path);
  if (d.handEdits.length === 0) return d.manifest;
  const m = d.manifest;
  return assembleManifest(measurementOf(m), applyFactChanges(factsOf(m), d.handEdits), decisionSettingsOf(m), { previousFiles: m.files }).manifest;
}

export function refusedEdits(problems: readonly string[], path: string): MediaError {
  return new MediaError('INVALID_OPTION', `hand edits of ${path} cannot be applied, so it was left untouched:\n  ${problems.join('\n  ')}`, path);
}

/** Reads a manifest as the next write would make it (hand edits merged). Null when there is none. */
export async function readManifest(path: string): Promise<Manifest | null> {
  const d = await readManifestFile(path);
  return d ? withHandEdits(d, path) : null;
}

/**
 * Writes manifest bytes atomically (writeFileAtomic), so a reader or a crash
 * never sees half a file; an identical file is left untouched (its mtime does not change). Only the
 * store calls this, under the lock. Returns whether the file was written.
 */
export async function writeManifestFile(
  path: string,
  manifest: Manifest,
  current: string | undefined,
): Promise<{ written: boolean; text: string; contentHash: string }> {
  const text = serializeManifest(manifest);
  // Hashed once here; the caller's commit memo and result take it (SHA-256 of a 13,200-file manifest's text is not free).
  const contentHash = contentHashOf(text);
  remember(contentHash);
  if (current === text) return { written: false, text, contentHash };
  await writeFileAtomic(path, text);
  return { written: true, text, contentHash };
}
