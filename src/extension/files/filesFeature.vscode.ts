/**
 * The files feature: the only actions that touch files on disk. "Move Removed Files to Trash…" (dataset
 * files, to the OS trash, after an explicit confirmation) and "Clear Cache" (the extension's own caches).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CACHE_DIR_NAME } from '../../core/cache/cacheDir.js';
import { registerCommand } from '../commands.vscode.js';
import { Disposable } from '../disposable.js';
import { COMMANDS } from '../ids.js';
import type { ActiveReview, Review } from '../review/review.js';
import type { HostServices } from '../services.vscode.js';

export class FilesFeature extends Disposable {
  constructor(
    private readonly services: HostServices,
    private readonly active: ActiveReview,
  ) {
    super();
    this._register(registerCommand(COMMANDS.trashRemoved.id, () => this.trashRemoved(active()), services.log));
    this._register(registerCommand(COMMANDS.clearCache.id, () => this.clearCache(), services.log));
  }

  /** Moves the files the review's manifest removes to the OS trash, after the person confirms the list. */
  async trashRemoved(review: Review | undefined): Promise<void> {
    if (!review) return;
    const { log } = this.services;
    const removed = review.session.removed();
    if (removed.length === 0) {
      void vscode.window.showInformationMessage('Media Dedupe: the manifest removes no files.');
      return;
    }
    const shown = removed.slice(0, 8).join('\n') + (removed.length > 8 ? `\n… and ${removed.length - 8} more` : '');
    const ok = await vscode.window.showWarningMessage(
      `Move ${removed.length} file${removed.length === 1 ? '' : 's'} marked "remove" to the trash?`,
      { modal: true, detail: `${shown}\n\nThe manifest keeps the list; you can restore the files from the trash.` },
      'Move to Trash',
    );
    if (ok !== 'Move to Trash') return;
    let moved = 0;
    const failed: string[] = [];
    for (const rel of removed) {
      const uri = vscode.Uri.file(path.join(review.session.result.root, ...rel.split('/')));
      try {
        await vscode.workspace.fs.delete(uri, { useTrash: true, recursive: false });
        moved++;
      } catch (err) {
        // Never fall back to deleting: if there is no trash, the file stays.
        failed.push(`${rel}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    log.info(`Moved ${moved} files to the trash.`);
    for (const f of failed) log.error(`Not moved to the trash: ${f}`);
    if (failed.length)
      void vscode.window.showErrorMessage(`Media Dedupe: ${failed.length} file(s) could not be moved to the trash and were left in place (see the log).`);
    else void vscode.window.showInformationMessage(`Media Dedupe: moved ${moved} file(s) to the trash.`);
  }

  /** Deletes the hash caches of the workspace folders and of the folder under review, and the thumbnails. */
  private async clearCache(): Promise<void> {
    const roots = new Set<string>((vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath));
    const review = this.active();
    if (review) roots.add(review.session.result.root);
    const targets = [...roots].map((r) => vscode.Uri.file(path.join(r, CACHE_DIR_NAME)));
    targets.push(this.services.thumbsDir);
    let cleared = 0;
    for (const t of targets) {
      try {
        await vscode.workspace.fs.delete(t, { recursive: true, useTrash: false });
        cleared++;
        this.services.log.info(`Cleared ${t.fsPath}`);
      } catch {
        // nothing cached there
      }
    }
    void vscode.window.showInformationMessage(`Media Dedupe: cleared ${cleared} cache folder(s). The next scan hashes every file again.`);
  }
}
