import * as vscode from 'vscode';
import { scanFilePath } from './scanFile.js';

/** A file the engine names (scan-relative, "/"-separated) under `root`, as the editor's file URI (see scanFile.ts). */
export function fileUri(root: string, rel: string): vscode.Uri {
  return vscode.Uri.file(scanFilePath(root, rel));
}
