/**
 * What Check Files Against Dataset shows, from the engine's compare result (the same result
 * `media-dedupe compare --json` prints): one row per new file, the files it matches in the dataset with
 * their distances, matched files first. Plain Node (no vscode), so it is unit-tested.
 */
import type { CompareResult } from '../../core/query/compare.js';

export interface CompareRow {
  /** The new file as the result names it. */
  readonly file: string;
  readonly label: string;
  readonly description: string;
  /** Every match, nearest first: "dataset/path (distance)". */
  readonly detail: string;
  /** The nearest dataset file (relative to the dataset), opened beside the new one when the row is picked. */
  readonly nearest?: string;
}

export function compareRows(r: Pick<CompareResult, 'files' | 'skipped'>): CompareRow[] {
  const rows: CompareRow[] = [];
  const matched = r.files.filter((f) => f.matches.length > 0);
  for (const f of matched)
    rows.push({
      file: f.path,
      label: `$(warning) ${f.path}`,
      description: `in the dataset: ${f.matches.length} match${f.matches.length === 1 ? '' : 'es'}`,
      detail: f.matches.map((m) => `${m.path} (${m.distance.toFixed(3)}, ${m.hasher})`).join(' · '),
      nearest: f.matches[0]!.path,
    });
  for (const f of r.files.filter((x) => x.matches.length === 0))
    rows.push({ file: f.path, label: `$(pass) ${f.path}`, description: 'new: no match', detail: '' });
  // Files the engine could not read are listed with their error code, never left out.
  for (const s of r.skipped) rows.push({ file: s.path, label: `$(error) ${s.path}`, description: `skipped: ${s.code}`, detail: s.message });
  return rows;
}

/** The quick pick's title: how many new files are already in the dataset, and with which hashers. */
export function compareTitle(r: Pick<CompareResult, 'files' | 'hashers' | 'searched'>, datasetName: string): string {
  const n = r.files.filter((f) => f.matches.length > 0).length;
  return `${n} of ${r.files.length} new files already in ${datasetName} (${r.searched} files; ${r.hashers.map((h) => `${h.label} < ${h.threshold}`).join(', ')})`;
}

/**
 * The scanned folders to check against, workspace folders first, then the folder scanned last; each once,
 * only those with saved hashes (`hasCache`).
 */
export function datasetCandidates(workspaceFolders: readonly string[], lastRoot: string | undefined, hasCache: (dir: string) => boolean): string[] {
  return [...new Set([...workspaceFolders, ...(lastRoot ? [lastRoot] : [])])].filter(hasCache);
}
