/** Find Similar Images: nearest files to one image, from the index saved by the last scan. */
import * as vscode from 'vscode';
import type { MediaDedupeConfig } from './config.js';
import type { ResultStore } from './store.js';

export interface SimilarDeps {
  readonly log: vscode.LogOutputChannel;
  readonly store: ResultStore;
  config(scope?: vscode.Uri): MediaDedupeConfig;
}

export async function findSimilarImages(uri: vscode.Uri, deps: SimilarDeps): Promise<void> {
  deps.log.info(`Find Similar Images: ${uri.fsPath}`);
  void vscode.window.showInformationMessage('Media Dedupe: the similarity index is not available in this build.');
}
