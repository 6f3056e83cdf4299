/**
 * What the last scan's commit wrote, so that a re-scan of the same inputs can tell, without parsing,
 * merging, deciding and serialising everything again, that the manifest would come out byte for byte as
 * it is: `.media-dedupe/written-<name>.json` beside the manifest records the SHA-256 of the bytes written,
 * the digest of the scan's inputs (ScanResult.inputs), the decision settings and --all-pairs of that
 * write, and the history journal's size and mtime then. The store (store.ts) reuses the write only when
 * all of them still hold; a manifest changed in any way (a decision from the gallery, an undo, a hand
 * edit), a changed journal, another setting or other inputs take the full path, which merges as always.
 */
import { writeFileAtomic } from '../files/atomicWrite.js';
import { fileKey } from '../files/fileKey.js';
import { fileStamp } from '../files/fileStamp.js';
import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { DecisionTotals } from '../decisions/types.js';
import type { DecisionSettings } from './build.js';
import type { LeakSummary } from './leaks.js';
import { historyPathFor } from './history.js';
import { LOCK_DIR_NAME } from './lock.js';

const MEMO_FORMAT = 'media-dedupe-commit-memo';
/** 3: the history stamp is a fileStamp (size, inode, mtime, ctime), not size and mtime; 4: the leak summary. */
const MEMO_VERSION = 4;

export interface CommitMemo {
  /** SHA-256 of the manifest bytes the commit left on disk. */
  readonly contentHash: string;
  /** The committed scan's ScanResult.inputs. */
  readonly inputs: string;
  readonly allPairs: boolean;
  /** The decision settings the manifest was written with. */
  readonly settings: DecisionSettings;
  readonly totals: DecisionTotals;
  /** The manifest's leak summary (with splits), so a reused commit answers it without deriving the manifest. */
  readonly leaks?: LeakSummary;
  /** The history journal's fileStamp after the write ("none" when there was none). */
  readonly history: string;
  /** The manifest file's stat after the write (fileStamp): a cheap first check before a scan; the commit still compares the bytes. */
  readonly manifest: string;
}

export const memoPathFor = (manifestPath: string): string => join(dirname(manifestPath), LOCK_DIR_NAME, `written-${fileKey(basename(manifestPath))}.json`);

/** The history journal's fileStamp. */
export function historyStamp(manifestDir: string): string {
  return fileStamp(historyPathFor(manifestDir));
}

/** The memo of the manifest at `manifestPath`, or undefined (none, damaged, another version, a field of another shape). */
export async function readCommitMemo(manifestPath: string): Promise<CommitMemo | undefined> {
  let v: unknown;
  try {
    v = JSON.parse(await fsp.readFile(memoPathFor(manifestPath), 'utf8'));
  } catch {
    return undefined;
  }
  const m = v as { [K in keyof CommitMemo]?: unknown } & { format?: unknown; version?: unknown };
  const ok =
    m.format === MEMO_FORMAT &&
    m.version === MEMO_VERSION &&
    typeof m.contentHash === 'string' &&
    typeof m.inputs === 'string' &&
    typeof m.allPairs === 'boolean' &&
    typeof m.history === 'string' &&
    typeof m.manifest === 'string' &&
    isSettings(m.settings) &&
    isTotals(m.totals) &&
    (m.leaks === undefined || isLeakSummary(m.leaks));
  return ok ? (m as CommitMemo) : undefined;
}

type Fields = Readonly<Record<string, unknown>>;
const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const TOTALS: readonly (keyof DecisionTotals)[] = [
  'files',
  'clusters',
  'remove',
  'removeReviewed',
  'removeAuto',
  'suggested',
  'doubtful',
  'conflicts',
  'orphaned',
];

function isSettings(v: unknown): v is DecisionSettings {
  return (
    isObject(v) &&
    (v.remove === 'all' || v.remove === 'reviewed') &&
    (v.keepPolicy === undefined || (Array.isArray(v.keepPolicy) && v.keepPolicy.every((c) => typeof c === 'string'))) &&
    (v.dropFrom === undefined || typeof v.dropFrom === 'string')
  );
}

function isTotals(v: unknown): v is DecisionTotals {
  return isObject(v) && TOTALS.every((k) => isCount(v[k]));
}

/** Counts by split pair, as leakCounts gives them. */
const isCounts = (v: unknown): boolean => isObject(v) && Object.values(v).every(isCount);

function isLeakSummary(v: unknown): v is LeakSummary {
  return isObject(v) && typeof v.dropFrom === 'string' && isCounts(v.leaks) && isCounts(v.leaksUnresolved) && isCount(v.unresolved) && isCount(v.outsideSplits);
}

/** Records a scan's commit (writeFileAtomic). A failure only costs the next re-scan its shortcut. */
export async function writeCommitMemo(manifestPath: string, memo: CommitMemo): Promise<void> {
  const file = memoPathFor(manifestPath);
  try {
    await fsp.mkdir(dirname(file), { recursive: true });
    await writeFileAtomic(file, JSON.stringify({ format: MEMO_FORMAT, version: MEMO_VERSION, ...memo }));
  } catch {
    // Nothing to undo: writeFileAtomic leaves the old memo, or none, and no temporary file.
  }
}

/** Whether a commit asking for `requested` (on top of the manifest's) would write the settings the memo's manifest has. */
export function sameSettings(memo: DecisionSettings, requested: Partial<DecisionSettings> | undefined): boolean {
  const key = (s: Partial<DecisionSettings>): string => JSON.stringify([s.remove, s.keepPolicy ?? null, s.dropFrom ?? null]);
  return key({ ...memo, ...requested }) === key(memo);
}

/** Whether the memo says that committing `inputs` now would leave `contentHash`'s bytes as they are. */
export function memoHolds(
  memo: CommitMemo | undefined,
  contentHash: string,
  manifestDir: string,
  req: { inputs?: string; allPairs?: boolean; settings?: Partial<DecisionSettings> },
): memo is CommitMemo {
  return (
    memo !== undefined &&
    req.inputs !== undefined &&
    memo.contentHash === contentHash &&
    memo.inputs === req.inputs &&
    memo.allPairs === (req.allPairs === true) &&
    sameSettings(memo.settings, req.settings) &&
    memo.history === historyStamp(manifestDir)
  );
}
