/**
 * Find Similar Images: the files nearest to one image, from the index the last scan saved (exact
 * distances on the index's candidates; the engine falls back to comparing every cached hash when no
 * index was saved). Runs in the worker thread; shows the answer in a quick pick that opens the file.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { hasCacheDir } from '../core/cache/cacheDir.js';
import { DEFAULT_INCLUDE } from '../core/files/filters.js';
import type { MediaDedupeConfig } from './config.js';
import { fileUri } from './files/fileUri.vscode.js';
import { datasetFor, similarHasher } from './datasetOf.js';
import { runQuery } from './scan/runScan.js';

export interface SimilarDeps {
  readonly log: vscode.LogOutputChannel;
  readonly workerPath: string;
  readonly lastRoot?: string;
  config(scope?: vscode.Uri): MediaDedupeConfig;
}

export async function findSimilarImages(uri: vscode.Uri, deps: SimilarDeps): Promise<void> {
  const image = uri.fsPath;
  const ext = path.extname(image).slice(1).toLowerCase();
  if (!DEFAULT_INCLUDE.includes(ext)) {
    // An .svg (a drawing, not pixels) or any other format the hasher cannot decode would only give noise.
    void vscode.window.showInformationMessage(
      `Media Dedupe: Find Similar Images works on the image formats the scan decodes (${DEFAULT_INCLUDE.slice(0, 8).join(', ')}, …); .${ext || '(no extension)'} is not one of them.`,
    );
    return;
  }
  const candidates = [...(deps.lastRoot ? [deps.lastRoot] : []), ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath)];
  const dir = datasetFor(image, candidates, hasCacheDir);
  if (!dir) {
    const act = await vscode.window.showInformationMessage(
      'Media Dedupe: this folder has not been scanned yet, so there is no index to search. Find duplicates first?',
      'Find Duplicates in Workspace',
    );
    if (act) await vscode.commands.executeCommand('mediaDedupe.findDuplicatesInWorkspace');
    return;
  }
  const config = deps.config(uri);
  const output = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Media Dedupe: finding similar images' }, () =>
    runQuery(deps.workerPath, { image, dataset: dir, k: 20, hasher: similarHasher(config) }),
  );
  deps.log.info(
    `Find Similar Images: ${output.results.length} nearest of ${output.searched} files for ${image} (${output.method === 'index' ? 'saved index' : 'exact comparison'})`,
  );
  const self = path.relative(dir, image).split(path.sep).join('/');
  const found = output.results.filter((r) => r.path !== self);
  const item = (r: (typeof found)[number]) => ({
    label: path.posix.basename(r.path),
    description: `distance ${r.distance.toFixed(3)}${r.duplicate ? ' · duplicate' : ''}`,
    detail: r.path,
    rel: r.path,
  });
  // The nearest files past the threshold are listed for context, behind a separator that says what they are.
  const within = found.filter((r) => r.duplicate).map(item);
  const beyond = found.filter((r) => !r.duplicate).map(item);
  const items: (vscode.QuickPickItem & { rel?: string })[] = [
    ...within,
    ...(beyond.length > 0 ? [{ label: `above the threshold ${output.threshold}: not duplicates`, kind: vscode.QuickPickItemKind.Separator }, ...beyond] : []),
  ];
  if (found.length === 0) {
    void vscode.window.showInformationMessage(`Media Dedupe: nothing similar to ${path.basename(image)} in ${path.basename(dir)}.`);
    return;
  }
  const pick = await vscode.window.showQuickPick(items, {
    title: `Similar to ${path.basename(image)} (${output.hasher}, threshold ${output.threshold}; ${output.method === 'index' ? 'from the saved index' : 'exact'})`,
    matchOnDetail: true,
  });
  if (pick?.rel)
    await vscode.commands.executeCommand('vscode.open', fileUri(dir, pick.rel), {
      viewColumn: vscode.ViewColumn.Beside,
      preview: true,
    });
}
