/**
 * What every feature of the extension host shares: the log, the settings, the stored scan results, the
 * scan worker's path and the thumbnail folder. Built once at activation and passed to each registrar, so
 * no feature reaches into another for them.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readConfig, type MediaDedupeConfig } from './config.js';
import { CONFIG_SECTION } from './ids.js';
import { ResultStore } from './store.js';

export interface HostServices {
  readonly log: vscode.LogOutputChannel;
  readonly extensionUri: vscode.Uri;
  /** The thumbnail cache, in global storage (Clear Cache empties it). */
  readonly thumbsDir: vscode.Uri;
  /** The last scan per folder, in per-workspace storage (global storage without a workspace). */
  readonly store: ResultStore;
  /** dist/scanWorker.js: scans and Find Similar run there, off the extension host's thread. */
  readonly workerPath: string;
  /** The settings for a folder; a bad value falls back to its default, with a warning logged and shown. */
  settings(scope?: vscode.Uri): MediaDedupeConfig;
  /** Loads sharp on this thread before a worker does: its native library is otherwise unloaded with the first worker that exits. */
  preloadSharp(): void;
}

export function hostServices(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): HostServices {
  return {
    log,
    extensionUri: context.extensionUri,
    thumbsDir: vscode.Uri.joinPath(context.globalStorageUri, 'thumbs'),
    store: new ResultStore((context.storageUri ?? context.globalStorageUri).fsPath),
    workerPath: path.join(context.extensionPath, 'dist', 'scanWorker.js'),
    settings: (scope) => {
      const c = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
      const { config, problems } = readConfig((key) => c.get(key));
      for (const p of problems) {
        log.warn(p);
        void vscode.window.showWarningMessage(`Media Dedupe: ${p}`);
      }
      return config;
    },
    preloadSharp: () => {
      try {
        require('sharp');
      } catch (err) {
        log.warn(`sharp did not load in the extension host: ${String(err)}`);
      }
    },
  };
}
