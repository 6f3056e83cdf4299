import * as vscode from 'vscode';
import { namedFilePath, scanFilePath } from './scanFile.js';

/** A file the engine names (scan-relative, "/"-separated) under `root`, as the editor's file URI (see scanFile.ts). */
export function fileUri(root: string, rel: string): vscode.Uri {
  return vscode.Uri.file(scanFilePath(root, rel));
}

/** A file named on the command line or in a picker (absolute, or relative to `cwd`), as a file URI. */
export function namedFileUri(cwd: string, file: string): vscode.Uri {
  return vscode.Uri.file(namedFilePath(cwd, file));
}
