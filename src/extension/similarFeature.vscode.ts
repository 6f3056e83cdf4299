/** The Find Similar feature: the "Find Similar Images" command on the Explorer's image, or the active editor's. */
import * as vscode from 'vscode';
import { registerCommand } from './commands.vscode.js';
import { Disposable } from './disposable.js';
import { COMMANDS } from './ids.js';
import type { HostServices } from './services.vscode.js';
import { findSimilarImages } from './similar.vscode.js';

export class SimilarFeature extends Disposable {
  constructor(
    private readonly services: HostServices,
    /** The folder scanned last: searched first when an image lies in several scanned folders. */
    private readonly lastRoot: () => Promise<string | undefined>,
  ) {
    super();
    this._register(registerCommand(COMMANDS.findSimilar.id, (arg) => this.findSimilar(arg), services.log));
  }

  private async findSimilar(arg: unknown): Promise<void> {
    const uri = arg instanceof vscode.Uri ? arg : (vscode.window.activeTextEditor?.document.uri ?? activeTabUri());
    if (!uri || uri.scheme !== 'file') {
      void vscode.window.showInformationMessage('Media Dedupe: right-click an image in the Explorer and choose "Find Similar Images".');
      return;
    }
    this.services.preloadSharp();
    const lastRoot = await this.lastRoot();
    await findSimilarImages(uri, {
      log: this.services.log,
      workerPath: this.services.workerPath,
      config: (scope) => this.services.settings(scope),
      ...(lastRoot ? { lastRoot } : {}),
    });
  }
}

function activeTabUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom ? input.uri : undefined;
}
