/**
 * A review: one scan result under review, with the session that keeps its decisions in the manifest.
 * The gallery shows one, and the manifest and trash commands act on one. Opened here so every path that
 * starts a review (a scan, a window reload, the test data) opens it the same way. No `vscode` here.
 */
import * as path from 'node:path';
import type { ScanResult } from '../../core/types.js';
import { manifestOps, type ExtensionDecisionSettings } from './manifestOps.js';
import { Session } from './session.js';

export interface Review {
  readonly session: Session;
  /** The scanned folder's name, as titles and messages show it. */
  readonly rootName: string;
  /** Date.now() when the scan ended (or the saved result was loaded): the gallery measures first-pair latency from it. */
  readonly scanEndedAt: number;
}

/** Which review a command acts on (the one shown last), if any. */
export type ActiveReview = () => Review | undefined;

/**
 * Opens the review of `result` with the decisions already in its manifest; throws when that manifest is
 * unreadable (it is then left untouched). `fresh`: a scan that just ended, whose pairs go into the
 * manifest; a result restored from storage only ever adds its decisions (it may be older than the file).
 */
export async function openReview(
  result: ScanResult,
  manifestPath: string,
  scanEndedAt: number,
  fresh: boolean,
  settings?: () => ExtensionDecisionSettings,
): Promise<Review> {
  const session = await Session.open(result, manifestPath, manifestOps(result.root, manifestPath, settings), fresh);
  return { session, rootName: folderName(result.root), scanEndedAt };
}

export function folderName(root: string): string {
  return path.basename(root) || root;
}
