/**
 * The offer to search across splits: a scanned folder whose top-level folders look like a dataset's
 * splits (train, val, test, valid, validation, eval...) may want the leakage search (mediaDedupe.splits)
 * rather than a plain scan. Plain Node (no vscode), unit-tested.
 */
import { SPLIT_FOLDER_NAMES } from '../../core/files/splits.js';

/** The folders among `childFolders` named like splits (matched without case, returned as named on disk), train first; none unless two or more. */
export function detectSplitFolders(childFolders: readonly string[]): string[] {
  const found = SPLIT_FOLDER_NAMES.flatMap((n) => childFolders.filter((c) => c.toLowerCase() === n));
  return found.length >= 2 ? found : [];
}

/** The offer's question. */
export function splitOfferText(folder: string, splits: readonly string[]): string {
  return `Media Dedupe: ${folder} has ${splits.join(', ')} folders. Look for leaks between them (near-duplicates across splits) instead of every pair?`;
}
