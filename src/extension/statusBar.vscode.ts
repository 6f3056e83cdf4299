/** The status bar item: how many pairs still wait for a decision; a click opens the gallery. */
import * as vscode from 'vscode';
import { Disposable } from './disposable.js';
import { COMMANDS } from './ids.js';

export class UndecidedStatus extends Disposable {
  private readonly item = this._register(vscode.window.createStatusBarItem('mediaDedupe.undecided', vscode.StatusBarAlignment.Left, 50));

  constructor() {
    super();
    this.item.name = 'Media Dedupe: undecided pairs';
    this.item.command = COMMANDS.openGallery.id;
  }

  show(undecided: number, total: number, folder: string): void {
    this.item.text = `$(copy) ${undecided} undecided`;
    this.item.tooltip = `Media Dedupe: ${undecided} of ${total} duplicate pairs in ${folder} are undecided. Click to open the gallery.`;
    this.item.show();
  }

  hide(): void {
    this.item.hide();
  }
}
