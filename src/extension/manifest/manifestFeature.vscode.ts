/**
 * The manifest feature: "Write Manifest" and "Open Manifest", for the review shown last (commands) or
 * for the gallery whose button was pressed. The manifest's content is the engine's; this only saves and
 * opens it.
 */
import * as vscode from 'vscode';
import { registerCommand } from '../commands.vscode.js';
import { manifestPathFor } from '../config.js';
import { Disposable } from '../disposable.js';
import { COMMANDS } from '../ids.js';
import { workspaceRoot } from '../pickFolder.vscode.js';
import type { ActiveReview, Review } from '../review/review.js';
import type { HostServices } from '../services.vscode.js';
import { showDone } from '../notify.vscode.js';

export class ManifestFeature extends Disposable {
  constructor(
    private readonly services: HostServices,
    active: ActiveReview,
  ) {
    super();
    this._register(registerCommand(COMMANDS.writeManifest.id, () => this.write(active()), services.log));
    this._register(registerCommand(COMMANDS.openManifest.id, () => this.open(active()), services.log));
  }

  async write(review: Review | undefined): Promise<void> {
    if (!review) {
      void vscode.window.showInformationMessage('Media Dedupe: run "Find Duplicates" first; the manifest is written from a scan.');
      return;
    }
    const { session } = review;
    await session.save();
    this.services.log.info(`Manifest written: ${session.manifestPath}`);
    showDone(`Media Dedupe: wrote ${session.manifestPath} (${session.removed().length} files to remove).`);
  }

  /** Opens the review's manifest (written first if it is not on disk yet), else the workspace folder's. */
  async open(review: Review | undefined): Promise<void> {
    let target = review?.session.manifestPath;
    if (!target) {
      const root = await workspaceRoot();
      if (!root) return;
      target = manifestPathFor(root.fsPath, this.services.settings(root));
    }
    if (review && !review.session.manifestOnDisk) await review.session.save();
    try {
      // Opened as JSON: contributes.jsonValidation attaches the shipped schema.
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(target));
      await vscode.window.showTextDocument(doc, { preview: false });
    } catch {
      void vscode.window.showInformationMessage(`Media Dedupe: there is no manifest at ${target} yet. Run "Find Duplicates" first.`);
    }
  }
}
