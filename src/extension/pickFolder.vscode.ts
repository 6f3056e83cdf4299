/** Which folder a command works on: the Explorer selection, else the workspace folder (asking when there are several). */
import * as vscode from 'vscode';

export async function workspaceRoot(): Promise<vscode.Uri | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    void vscode.window.showWarningMessage('Media Dedupe: open a folder first (File > Open Folder), or use "Find Duplicates in Folder".');
    return undefined;
  }
  if (folders.length === 1) return folders[0]!.uri;
  const pick = await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Find duplicates in which workspace folder?' });
  return pick?.uri;
}

/**
 * The folder for "Find Duplicates in Folder" (and Check Files Against Dataset from the palette, with its
 * own wording): the Explorer's folder when run from its context menu; from the palette, a pick of the workspace folders and their subfolders (a dataset's class folders), or Browse.
 */
export async function folderArg(
  arg: unknown,
  ask: { readonly title: string; readonly placeHolder: string; readonly openLabel: string } = {
    title: 'Media Dedupe: Find Duplicates in Folder',
    placeHolder: 'Which folder?',
    openLabel: 'Find Duplicates',
  },
): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) {
    try {
      const st = await vscode.workspace.fs.stat(arg);
      if (st.type & vscode.FileType.Directory) return arg;
    } catch {
      // fall through to the pick
    }
  }
  type Item = vscode.QuickPickItem & { uri?: vscode.Uri };
  const items: Item[] = [];
  for (const f of vscode.workspace.workspaceFolders ?? []) {
    items.push({ label: `$(root-folder) ${f.name}`, description: f.uri.fsPath, uri: f.uri });
    try {
      const children = await vscode.workspace.fs.readDirectory(f.uri);
      for (const [name, type] of children.sort(([a], [b]) => a.localeCompare(b))) {
        if (!(type & vscode.FileType.Directory) || name.startsWith('.') || name === 'node_modules') continue;
        items.push({ label: `$(folder) ${f.name}/${name}`, uri: vscode.Uri.joinPath(f.uri, name) });
        if (items.length > 200) break;
      }
    } catch {
      // unreadable: the folder itself is still offered
    }
  }
  items.push({ label: '$(folder-opened) Browse…', description: 'choose another folder' });
  const pick = await vscode.window.showQuickPick(items, {
    title: ask.title,
    placeHolder: ask.placeHolder,
    matchOnDescription: true,
  });
  if (!pick) return undefined;
  if (pick.uri) return pick.uri;
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    openLabel: ask.openLabel,
  });
  return picked?.[0];
}
