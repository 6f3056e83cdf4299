/** The status bar item: the folder and how many pairs wait for a review (the removals in its tooltip); a click opens the gallery. */
import * as vscode from 'vscode';
import type { DecisionTotals } from '../shared/protocol.js';
import { Disposable } from './disposable.js';
import { COMMANDS } from './ids.js';
import { statusText } from './statusText.js';

export class UndecidedStatus extends Disposable {
  private readonly item = this._register(vscode.window.createStatusBarItem('mediaDedupe.undecided', vscode.StatusBarAlignment.Left, 50));

  constructor() {
    super();
    this.item.name = 'Media Dedupe: pairs to review';
    this.item.command = COMMANDS.openGallery.id;
  }

  show(t: DecisionTotals, toReview: number, folder: string): void {
    const s = statusText(folder, toReview, t);
    this.item.text = s.text;
    this.item.tooltip = s.tooltip;
    this.item.show();
  }

  showPairs(pairs: number, folder: string): void {
    this.item.text = `$(copy) ${folder}: ${pairs} pairs`;
    this.item.tooltip = `Media Dedupe: ${pairs} duplicate pairs in ${folder}. Click to open the gallery.`;
    this.item.show();
  }

  hide(): void {
    this.item.hide();
  }
}
