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

export async function folderArg(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) {
    try {
      const st = await vscode.workspace.fs.stat(arg);
      if (st.type & vscode.FileType.Directory) return arg;
    } catch {
      // fall through to the dialog
    }
  }
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    openLabel: 'Find Duplicates',
  });
  return picked?.[0];
}
