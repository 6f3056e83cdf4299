/**
 * The decision history: `.media-dedupe/history.jsonl` beside the manifest, one JSON line per operation
 * (a decision with the values it replaced, an undo, a redo), appended under the manifest's lock and kept
 * to the last HISTORY_LIMIT lines. Undo and redo are computed from it, so they survive a window reload
 * and work the same from the gallery and the CLI.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../files/atomicWrite.js';
import type { RecordedChange } from '../decisions/facts.js';
import { LOCK_DIR_NAME } from './lock.js';

export const HISTORY_FILE_NAME = 'history.jsonl';
export const HISTORY_LIMIT = 2000;

export interface DoEntry {
  readonly seq: number;
  readonly type: 'do';
  /** What a person did, as the gallery says it ("keep left: a.jpg | b.jpg", "hand edit of the manifest"). */
  readonly label: string;
  readonly changes: readonly RecordedChange[];
}

export interface UndoRedoEntry {
  readonly seq: number;
  readonly type: 'undo' | 'redo';
  /** The seq of the DoEntry undone or redone. */
  readonly of: number;
}

export type HistoryEntry = DoEntry | UndoRedoEntry;

export const historyPathFor = (manifestDir: string): string => join(manifestDir, LOCK_DIR_NAME, HISTORY_FILE_NAME);

/** The journal's entries, oldest first; lines that do not parse are skipped (a torn last line after a crash). */
export async function readHistory(manifestDir: string): Promise<HistoryEntry[]> {
  let text: string;
  try {
    text = await fsp.readFile(historyPathFor(manifestDir), 'utf8');
  } catch {
    return [];
  }
  const out: HistoryEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const e = JSON.parse(line) as HistoryEntry;
      if (typeof e.seq !== 'number') continue;
      if (e.type === 'do' && Array.isArray(e.changes) && typeof e.label === 'string') out.push(e);
      else if ((e.type === 'undo' || e.type === 'redo') && typeof e.of === 'number') out.push(e);
    } catch {
      // skipped
    }
  }
  return out;
}

/** What can be undone (last = next) and redone (last = next), replaying the journal. */
export function historyStacks(entries: readonly HistoryEntry[]): { undo: DoEntry[]; redo: DoEntry[] } {
  const bySeq = new Map<number, DoEntry>();
  const undo: DoEntry[] = [];
  let redo: DoEntry[] = [];
  for (const e of entries) {
    if (e.type === 'do') {
      bySeq.set(e.seq, e);
      undo.push(e);
      redo = [];
    } else if (e.type === 'undo') {
      const i = undo.findIndex((d) => d.seq === e.of);
      if (i !== -1) redo.push(...undo.splice(i, 1));
    } else {
      const i = redo.findIndex((d) => d.seq === e.of);
      if (i !== -1) undo.push(...redo.splice(i, 1));
    }
  }
  return { undo, redo };
}

/** Appends entries (numbered after the last), keeping the journal to HISTORY_LIMIT lines. Call under the manifest lock. */
export async function appendHistory(
  manifestDir: string,
  existing: readonly HistoryEntry[],
  add: readonly (Omit<DoEntry, 'seq'> | Omit<UndoRedoEntry, 'seq'>)[],
): Promise<HistoryEntry[]> {
  if (add.length === 0) return [...existing];
  let seq = existing.length > 0 ? existing[existing.length - 1].seq : 0;
  const numbered = add.map((e) => ({ seq: ++seq, ...e }) as HistoryEntry);
  const all = [...existing, ...numbered];
  const file = historyPathFor(manifestDir);
  await fsp.mkdir(join(manifestDir, LOCK_DIR_NAME), { recursive: true });
  // Rewrite (atomically) once it is 10 % over the limit, so appends stay cheap.
  if (all.length > HISTORY_LIMIT * 1.1) {
    const kept = all.slice(-HISTORY_LIMIT);
    await writeFileAtomic(file, kept.map((e) => JSON.stringify(e)).join('\n') + '\n');
    return kept;
  }
  await fsp.appendFile(file, numbered.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return all;
}
