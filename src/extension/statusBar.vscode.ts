/** The status bar item: how many files the manifest removes, reviewed and automatic apart; a click opens the gallery. */
import * as vscode from 'vscode';
import type { DecisionTotals } from '../shared/protocol.js';
import { removalSummary } from '../shared/removals.js';
import { Disposable } from './disposable.js';
import { COMMANDS } from './ids.js';

export class UndecidedStatus extends Disposable {
  private readonly item = this._register(vscode.window.createStatusBarItem('mediaDedupe.undecided', vscode.StatusBarAlignment.Left, 50));

  constructor() {
    super();
    this.item.name = 'Media Dedupe: files to remove';
    this.item.command = COMMANDS.openGallery.id;
  }

  show(t: DecisionTotals, pairs: number, folder: string): void {
    this.item.text = `$(copy) ${t.remove} to remove (${t.removeReviewed} reviewed, ${t.removeAuto} auto)`;
    this.item.tooltip = `Media Dedupe, ${folder}: ${removalSummary(t)}; ${pairs} duplicate pairs, ${t.clusters} clusters${t.conflicts ? `, ${t.conflicts} conflicts` : ''}. Click to open the gallery.`;
    this.item.show();
  }

  showPairs(pairs: number, folder: string): void {
    this.item.text = `$(copy) ${pairs} pairs`;
    this.item.tooltip = `Media Dedupe: ${pairs} duplicate pairs in ${folder}. Click to open the gallery.`;
    this.item.show();
  }

  hide(): void {
    this.item.hide();
  }
}
