/**
 * The files feature: the only actions that touch files on disk. "Move Removed Files to Trash…" (dataset
 * files, to the OS trash, after an explicit confirmation) and "Clear Cache" (the extension's own caches).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CACHE_DIR_NAME } from '../../core/cache/cacheDir.js';
import { checkTrashCandidate, planTrash, type TrashPlan } from '../../core/files/trashPlan.js';
import { registerCommand } from '../commands.vscode.js';
import { Disposable } from '../disposable.js';
import { COMMANDS } from '../ids.js';
import { counted } from '../../shared/counted.js';
import { trashQuestion } from '../../shared/removals.js';
import type { ActiveReview, Review } from '../review/review.js';
import { showDone, showFailure, showWarning } from '../notify.vscode.js';
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

  /**
   * Moves the files the review's manifest removes to the OS trash, after the person confirms the dry run.
   * The core planner (files/trashPlan.ts) decides what may move: each path re-resolved on disk and kept
   * only when its real path is inside the scanned folder, it is not protected, and its size and SHA-256
   * still match the manifest; it checks each file again just before its move. Refused files are listed
   * and left alone.
   */
  async trashRemoved(review: Review | undefined): Promise<void> {
    if (!review) {
      // Nothing is ever moved without a review: say so, and offer the scan that makes one.
      const act = await vscode.window.showInformationMessage(
        'Media Dedupe: nothing to move to the trash yet. The files to remove come from a scan and your review; no folder has been scanned in this window.',
        'Find Duplicates in Workspace',
      );
      if (act) await vscode.commands.executeCommand(COMMANDS.findInWorkspace.id);
      return;
    }
    const { log } = this.services;
    const root = review.session.result.root;
    const candidates = review.session.removedFiles();
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage('Media Dedupe: the manifest removes no files.');
      return;
    }
    let plan: TrashPlan;
    try {
      plan = await planTrash(root, candidates);
    } catch (err) {
      void showFailure(
        log,
        `Media Dedupe: the scanned folder ${root} cannot be resolved (${err instanceof Error ? err.message : String(err)}); nothing was moved.`,
      );
      return;
    }
    for (const r of plan.refused) log.warn(`Not moved to the trash: ${r.path}: ${r.message}`);
    if (plan.move.length === 0) {
      showWarning(
        log,
        `Media Dedupe: none of the ${counted(candidates.length, 'file')} marked "remove" can be moved (see the log).\n${listed(plan.refused.map((r) => `${r.path}: ${r.message}`))}`,
      );
      return;
    }
    const refusedNote = plan.refused.length ? `\n\nLeft alone (${plan.refused.length}):\n${listed(plan.refused.map((r) => `${r.path}: ${r.message}`))}` : '';
    // Reviewed and automatic removals apart, as everywhere (the automatic ones are the keep policy's).
    const state = review.session.current();
    const reviewed = plan.move.filter((m) => state.file(m.path).by === 'review').length;
    const ok = await vscode.window.showWarningMessage(
      trashQuestion({ remove: plan.move.length, removeReviewed: reviewed, removeAuto: plan.move.length - reviewed }),
      {
        modal: true,
        detail: `${listed(plan.move.map((m) => m.path))}${refusedNote}\n\nOnly files inside ${plan.rootReal} that are unchanged since the scan are moved. The manifest keeps the list; you can restore the files from the trash.`,
      },
      'Move to Trash',
    );
    if (ok !== 'Move to Trash') return;
    let moved = 0;
    const failed: string[] = [];
    for (const item of plan.move) {
      // Checked again now: the file may have changed, or a link been swapped, while the dialog was open.
      const candidate = candidates.find((c) => c.path === item.path)!;
      const now = await checkTrashCandidate(root, plan.rootReal, candidate);
      if ('reason' in now) {
        failed.push(`${now.path}: ${now.message}`);
        continue;
      }
      try {
        await vscode.workspace.fs.delete(vscode.Uri.file(now.real), { useTrash: true, recursive: false });
        moved++;
      } catch (err) {
        // Never fall back to deleting: if there is no trash, the file stays.
        failed.push(`${item.path}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    log.info(`Moved ${counted(moved, 'file')} to the trash.`);
    for (const f of failed) log.error(`Not moved to the trash: ${f}`);
    if (failed.length)
      void showFailure(log, `Media Dedupe: ${counted(failed.length, 'file')} could not be moved to the trash and were left in place (see the log).`);
    else showDone(`Media Dedupe: moved ${counted(moved, 'file')} to the trash.`);
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
    showDone(`Media Dedupe: cleared ${cleared} cache folder(s). The next scan hashes every file again.`);
  }
}

/** The first lines of a list for a dialog, and how many more. */
function listed(lines: readonly string[], shown = 8): string {
  return lines.slice(0, shown).join('\n') + (lines.length > shown ? `\n… and ${lines.length - shown} more` : '');
}
