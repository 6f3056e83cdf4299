/**
 * The one way a manifest is written, by the CLI and the extension alike: take the lock, re-read the file
 * on disk, merge, write atomically, journal, release. What a writer brings is applied on top of what the
 * disk holds at that moment, never a snapshot it read earlier:
 * - a scan brings its new measurement (files, pairs): it replaces the disk's, while the disk's facts stay,
 *   so a decision saved by the gallery during the scan survives the scan's write;
 * - a gallery brings fact changes (its decisions since it last wrote); the measurement stays the disk's,
 *   so a gallery revived from an older scan never rolls the manifest back (its own copy of the scan is
 *   used only when it is the very scan on disk: same scanHash);
 * - hand edits found in the file are merged as facts (or refused, naming their lines, and nothing is written);
 * - facts about files absent from the scan are kept (orphaned) until prune.
 *
 * For the gallery (docs/decisions.md): `loadDecisions` to show, `commitManifest({ changes })` to decide,
 * `undoDecision` / `redoDecision`, and the change builders of decisions/facts.ts for bulk actions.
 */
import { dirname } from 'node:path';
import { FactTable, keyText, type FactChange, type RecordedChange } from '../decisions/facts.js';
import { NO_FACTS, type DecisionTotals, type Decisions } from '../decisions/types.js';
import { MediaError } from '../errors.js';
import { fileStamp } from '../files/fileStamp.js';
import { comparePaths } from '../files/paths.js';
import type { ScanResult } from '../types.js';
import {
  assembleManifest,
  decisionSettingsOf,
  factsOf,
  measureScan,
  measurementOf,
  DEFAULT_DECISION_SETTINGS,
  type DecisionSettings,
  type Measurement,
} from './build.js';
import { appendHistory, historyStacks, readHistory, type DoEntry, type HistoryEntry } from './history.js';
import {
  contentHashOf,
  parseManifestText,
  readManifestFile,
  readManifestText,
  refusedEdits,
  withHandEdits,
  writeManifestFile,
  type ManifestOnDisk,
} from './io.js';
import { historyStamp, memoHolds, readCommitMemo, writeCommitMemo, type CommitMemo } from './commitMemo.js';
import { leakSummaryOf, type LeakSummary } from './leaks.js';
import { withManifestLock } from './lock.js';
import type { Manifest } from './types.js';

export interface CommitRequest {
  /** A finished scan: its measurement replaces the disk's (a cancelled scan must not be passed: it has not seen everything). */
  readonly scan?: ScanResult;
  /** The scan a gallery shows: its pairs are used only when it is the scan the manifest was written from, or when there is no manifest yet. */
  readonly snapshot?: ScanResult;
  /** Fact changes (decisions) to apply on top of the disk's facts, journaled as one operation. */
  readonly changes?: readonly FactChange[];
  /** What the operation was, for the history ("keep left: a.jpg | b.jpg"). */
  readonly label?: string;
  /** Decision settings to change (remove mode, keep policy); the disk's stay otherwise. */
  readonly settings?: Partial<DecisionSettings>;
  /** Drop the facts about orphaned files (media-dedupe prune); a function chooses which orphaned paths. */
  readonly prune?: boolean | ((path: string) => boolean);
  /** Write every pair even above PAIRS_LIMIT. */
  readonly allPairs?: boolean;
  /** Who is writing, shown to a writer that has to wait for the lock. */
  readonly purpose?: string;
  /** How long to wait for another writer's lock (default 30 s). */
  readonly lockWaitMs?: number;
}

export interface HistoryState {
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  readonly undoLabel?: string;
  readonly redoLabel?: string;
}

export interface CommitResult {
  /** When a re-scan's commit is reused (commitMemo.ts), `manifest` and `decisions` are computed when first read: use `totals` for counts. */
  readonly manifest: Manifest;
  readonly decisions: Decisions;
  /** decisions.totals, known without computing the decisions. */
  readonly totals: DecisionTotals;
  /** The manifest's leak summary, known without deriving the manifest; undefined without splits. */
  readonly leaks?: LeakSummary;
  /** False when the file already held exactly these bytes. */
  readonly written: boolean;
  /** SHA-256 of the file as it is now: a gallery compares it with the file watcher's to tell an outside change. */
  readonly contentHash: string;
  /** The writer's changes as applied, with the values they replaced. */
  readonly applied: readonly RecordedChange[];
  /** Hand edits found in the file and merged. */
  readonly handEdits: readonly RecordedChange[];
  /** Paths whose facts prune dropped. */
  readonly pruned: readonly string[];
  readonly history: HistoryState;
}

const measured = new WeakMap<ScanResult, Map<string, Measurement>>();
/** measureScan, once per scan result and manifest folder (a gallery commits on every key press). */
function measure(result: ScanResult, manifestDir: string): Measurement {
  let byDir = measured.get(result);
  if (!byDir) measured.set(result, (byDir = new Map()));
  let m = byDir.get(manifestDir);
  if (!m) byDir.set(manifestDir, (m = measureScan(result, manifestDir)));
  return m;
}

function measurementFor(disk: ManifestOnDisk | null, req: { scan?: ScanResult; snapshot?: ScanResult }, manifestDir: string): Measurement {
  if (req.scan) {
    if (req.scan.cancelled) throw new MediaError('INTERNAL', 'a cancelled scan has not seen every file; it cannot replace the manifest’s measurement');
    return measure(req.scan, manifestDir);
  }
  if (!disk) {
    if (req.snapshot && !req.snapshot.cancelled) return measure(req.snapshot, manifestDir);
    throw new MediaError('NOT_FOUND', 'there is no manifest yet; run a scan first');
  }
  // A manifest without pairs only knows its clusters' links; the gallery's copy of that very scan knows them all.
  if (req.snapshot && disk.manifest.summary.pairsOmitted) {
    const snap = measure(req.snapshot, manifestDir);
    if (snap.scanHash === disk.manifest.summary.scanHash) return snap;
  }
  return measurementOf(disk.manifest);
}

const stateOf = (entries: readonly HistoryEntry[]): HistoryState => {
  const { undo, redo } = historyStacks(entries);
  return {
    canUndo: undo.length > 0,
    canRedo: redo.length > 0,
    ...(undo.length > 0 ? { undoLabel: undo[undo.length - 1].label } : {}),
    ...(redo.length > 0 ? { redoLabel: redo[redo.length - 1].label } : {}),
  };
};

/** Whether undo/redo are possible for the manifest in `manifestDir`, from its history journal (no lock: a read). */
export async function historyState(manifestDir: string): Promise<HistoryState> {
  return stateOf(await readHistory(manifestDir));
}

type Step = (ctx: { table: FactTable; history: readonly HistoryEntry[]; disk: ManifestOnDisk | null }) => {
  changes: readonly FactChange[];
  label?: string;
  entry?: { type: 'undo' | 'redo'; of: number };
};

/**
 * `plain`: the commit brings nothing but a scan (and settings): when the commit memo says the very same
 * scan was committed onto the very bytes on disk, the result is reused instead of merged and rewritten.
 */
async function locked(path: string, req: CommitRequest, step: Step, plain = false): Promise<CommitResult> {
  const dir = dirname(path);
  return withManifestLock(
    dir,
    async () => {
      const onDisk = await readManifestText(path);
      if (plain && onDisk !== null && req.scan?.inputs !== undefined && !req.scan.cancelled) {
        const contentHash = contentHashOf(onDisk);
        const memo = await readCommitMemo(path);
        if (memoHolds(memo, contentHash, dir, { inputs: req.scan.inputs, allPairs: req.allPairs, settings: req.settings }))
          return reusedCommit(onDisk, contentHash, memo, req, path, await readHistory(dir));
      }
      const disk = onDisk === null ? null : parseManifestText(onDisk, path);
      if (disk && disk.problems.length > 0) throw refusedEdits(disk.problems, path);
      const table = new FactTable(disk ? factsOf(disk.manifest) : NO_FACTS);
      const handEdits = disk ? table.apply(disk.handEdits).filter(changed) : [];
      let history = await readHistory(dir);
      const s = step({ table, history, disk });
      const applied = table.apply(s.changes).filter(changed);
      const meas = measurementFor(disk, req, dir);
      const pruned: RecordedChange[] = [];
      const prunedPaths = new Set<string>();
      if (req.prune) {
        const facts = table.facts();
        const chosen = req.prune;
        const absent = (p: string): boolean => {
          const drop = !meas.files.has(p) && (typeof chosen === 'function' ? chosen(p) : true);
          if (drop) prunedPaths.add(p);
          return drop;
        };
        const drop: FactChange[] = [
          ...facts.reviews
            .filter((r) => [absent(r.a), absent(r.b)].some(Boolean))
            .map((r): FactChange => ({ key: { kind: 'review', a: r.a, b: r.b }, value: null })),
          ...facts.notDuplicates
            .filter(([a, b]) => [absent(a), absent(b)].some(Boolean))
            .map(([a, b]): FactChange => ({ key: { kind: 'notdup', a, b }, value: null })),
          ...facts.fileDecisions.filter((d) => absent(d.path)).map((d): FactChange => ({ key: { kind: 'file', path: d.path }, value: null })),
        ];
        pruned.push(...table.apply(drop));
      }
      const ds: DecisionSettings = { ...(disk ? decisionSettingsOf(disk.manifest) : DEFAULT_DECISION_SETTINGS), ...req.settings };
      const { manifest, decisions } = assembleManifest(meas, table.facts(), ds, { allPairs: req.allPairs, previousFiles: disk?.manifest.files });
      const { written, contentHash } = await writeManifestFile(path, manifest, disk?.text);
      const leaks = leakSummaryOf(manifest);
      const add: (Omit<DoEntry, 'seq'> | { type: 'undo' | 'redo'; of: number })[] = [];
      if (handEdits.length > 0) add.push({ type: 'do', label: 'hand edit of the manifest', changes: handEdits });
      if (s.entry) add.push(s.entry);
      else if (applied.length > 0) add.push({ type: 'do', label: s.label ?? req.label ?? 'decision', changes: applied });
      if (pruned.length > 0) add.push({ type: 'do', label: `prune: ${prunedPaths.size} orphaned files`, changes: pruned });
      history = await appendHistory(dir, history, add);
      if (plain && req.scan?.inputs !== undefined)
        await writeCommitMemo(path, {
          contentHash,
          inputs: req.scan.inputs,
          allPairs: req.allPairs === true,
          settings: decisionSettingsOf(manifest),
          totals: decisions.totals,
          ...(leaks ? { leaks } : {}),
          history: historyStamp(dir),
          manifest: fileStamp(path),
        });
      return {
        manifest,
        decisions,
        totals: decisions.totals,
        ...(leaks ? { leaks } : {}),
        written,
        contentHash,
        applied,
        handEdits,
        pruned: [...prunedPaths].sort(comparePaths),
        history: stateOf(history),
      };
    },
    { purpose: req.purpose, waitMs: req.lockWaitMs },
  );
}

const changed = (c: RecordedChange): boolean => c.before !== c.value;

/** Writes the manifest with a scan's measurement and/or decisions, merged with what is on disk (see the module comment). */
export function commitManifest(path: string, req: CommitRequest): Promise<CommitResult> {
  const plain = (req.changes ?? []).length === 0 && !req.prune && !req.snapshot;
  return locked(path, req, () => ({ changes: req.changes ?? [] }), plain);
}

/**
 * The result of a commit the memo says would change nothing: the bytes on disk are what this scan's
 * commit wrote, so no hand edits, facts and settings as then. The manifest and the decisions are derived
 * only when someone reads them, exactly as the full path would (the scan's measurement, the disk's facts).
 */
function reusedCommit(text: string, contentHash: string, memo: CommitMemo, req: CommitRequest, path: string, history: readonly HistoryEntry[]): CommitResult {
  let full: { manifest: Manifest; decisions: Decisions } | undefined;
  const derive = (): { manifest: Manifest; decisions: Decisions } => {
    if (!full) {
      const disk = parseManifestText(text, path).manifest;
      full = assembleManifest(measure(req.scan!, dirname(path)), factsOf(disk), memo.settings, { allPairs: req.allPairs, previousFiles: disk.files });
    }
    return full;
  };
  return {
    get manifest() {
      return derive().manifest;
    },
    get decisions() {
      return derive().decisions;
    },
    totals: memo.totals,
    ...(memo.leaks ? { leaks: memo.leaks } : {}),
    written: false,
    contentHash,
    applied: [],
    handEdits: [],
    pruned: [],
    history: stateOf(history),
  };
}

/**
 * Throws when the manifest on disk must not be written over (not valid, or hand edits that cannot be
 * merged), before a scan spends its time; a file the last scan's commit wrote, unchanged since, needs no
 * parsing. Nothing is written.
 */
export async function checkManifestWritable(path: string): Promise<void> {
  const memo = await readCommitMemo(path);
  // Untouched since the last scan's commit: nothing to check (the commit compares the bytes themselves, under the lock).
  if (memo && memo.manifest === fileStamp(path)) return;
  const text = await readManifestText(path);
  if (text === null) return;
  if (memo && memo.contentHash === contentHashOf(text)) return;
  const disk = parseManifestText(text, path);
  if (disk.problems.length > 0) throw refusedEdits(disk.problems, path);
}

/**
 * Undoes the last operation in the history: each fact it changed goes back to the value it had before
 * (the previous decision, not "undecided"). A fact someone changed since is left as it is and named in
 * `skipped`. Nothing to undo: nothing is written (`undone` undefined).
 */
export async function undoDecision(
  path: string,
  req: Pick<CommitRequest, 'snapshot' | 'purpose'> = {},
): Promise<CommitResult & { undone?: string; skipped: string[] }> {
  return stepHistory(path, req, 'undo');
}

/** Redoes the last undone operation (same rules as undo). */
export async function redoDecision(
  path: string,
  req: Pick<CommitRequest, 'snapshot' | 'purpose'> = {},
): Promise<CommitResult & { redone?: string; skipped: string[] }> {
  return stepHistory(path, req, 'redo');
}

async function stepHistory(
  path: string,
  req: Pick<CommitRequest, 'snapshot' | 'purpose'>,
  type: 'undo' | 'redo',
): Promise<CommitResult & { undone?: string; redone?: string; skipped: string[] }> {
  const skipped: string[] = [];
  let label: string | undefined;
  const result = await locked(path, req, ({ table, history }) => {
    const stacks = historyStacks(history);
    const op = (type === 'undo' ? stacks.undo : stacks.redo).at(-1);
    if (!op) return { changes: [] };
    label = op.label;
    const changes: FactChange[] = [];
    const list = type === 'undo' ? [...op.changes].reverse() : op.changes;
    for (const c of list) {
      const [from, to] = type === 'undo' ? [c.value, c.before] : [c.before, c.value];
      if (table.get(c.key) === from) changes.push({ key: c.key, value: to });
      else skipped.push(keyText(c.key).split('\u0000').join(' | '));
    }
    return { changes, entry: { type, of: op.seq } };
  });
  return { ...result, ...(label !== undefined ? (type === 'undo' ? { undone: label } : { redone: label }) : {}), skipped };
}

export interface LoadedDecisions {
  readonly manifest: Manifest;
  readonly decisions: Decisions;
  readonly contentHash: string;
  readonly history: HistoryState;
}

/**
 * What the manifest on disk says, with its hand edits merged in memory, for showing (nothing is written,
 * no lock). Null when there is no manifest; throws when it is broken or a hand edit is refused.
 */
export async function loadDecisions(path: string, snapshot?: ScanResult): Promise<LoadedDecisions | null> {
  const disk = await readManifestFile(path);
  if (!disk) return null;
  const m = withHandEdits(disk, path);
  const meas = measurementFor(disk, { snapshot }, dirname(path));
  const { manifest, decisions } = assembleManifest(meas, factsOf(m), decisionSettingsOf(m), { previousFiles: m.files });
  return { manifest, decisions, contentHash: disk.contentHash, history: stateOf(await readHistory(dirname(path))) };
}
