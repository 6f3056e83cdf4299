/**
 * The files a scan skipped, each with its code and reason, in a picker the gallery's "N skipped" button
 * opens. A skipped file needs a person (re-export it, delete it, or leave it): Enter or the item's button
 * reveals it in the Explorer, where they can act on it.
 */
import * as vscode from 'vscode';
import type { ScanResult } from '../../core/types.js';
import { fileUri } from '../files/fileUri.vscode.js';
import { skippedTitle } from './messages.js';

interface SkippedItem extends vscode.QuickPickItem {
  readonly uri: vscode.Uri;
}

export function showSkipped(result: Pick<ScanResult, 'root' | 'skipped'>, rootName: string): void {
  const reveal: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('go-to-file'), tooltip: 'Reveal in Explorer' };
  const pick = vscode.window.createQuickPick<SkippedItem>();
  pick.title = skippedTitle(result.skipped.length, rootName);
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.items = result.skipped.map((x) => ({
    label: x.path,
    description: x.code,
    detail: x.message,
    buttons: [reveal],
    uri: skippedUri(result.root, x.path),
  }));
  const go = (item: SkippedItem | undefined): void => {
    if (item) void vscode.commands.executeCommand('revealInExplorer', item.uri);
  };
  pick.onDidTriggerItemButton((e) => go(e.item));
  pick.onDidAccept(() => {
    go(pick.selectedItems[0]);
    pick.hide();
  });
  pick.onDidHide(() => pick.dispose());
  pick.show();
}

/** Where a skipped record points: the walk records the scanned folder itself as "." (a root it could not list). */
function skippedUri(root: string, rel: string): vscode.Uri {
  return rel === '.' ? vscode.Uri.file(root) : fileUri(root, rel);
}
