/**
 * What every feature of the extension host shares: the log, the settings, the stored scan results, the
 * scan worker's path and the thumbnail folder. Built once at activation and passed to each registrar, so
 * no feature reaches into another for them.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { manifestOutside, readConfig, type MediaDedupeConfig } from './config.js';
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
  /**
   * Whether decisions may be written to `manifestPath`: yes inside a workspace folder (or inside `root`
   * without a workspace); outside only once the person confirmed that path (asked here when `ask`,
   * remembered per workspace), so a shared settings file cannot send the manifest anywhere silently.
   */
  manifestPlaceAllowed(manifestPath: string, root: string, ask: boolean): Promise<boolean>;
  /** Per-workspace memory of answers the person gave (e.g. "don't ask again" to the splits offer). */
  readonly workspaceState: vscode.Memento;
  /** Loads sharp on this thread before a worker does: its native library is otherwise unloaded with the first worker that exits. */
  preloadSharp(): void;
}

/** Manifest paths outside the workspace that the person confirmed (workspace state). */
const CONFIRMED_MANIFESTS_KEY = 'mediaDedupe.confirmedManifestPaths';

export function hostServices(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): HostServices {
  return {
    log,
    extensionUri: context.extensionUri,
    thumbsDir: vscode.Uri.joinPath(context.globalStorageUri, 'thumbs'),
    store: new ResultStore((context.storageUri ?? context.globalStorageUri).fsPath),
    workerPath: path.join(context.extensionPath, 'dist', 'scanWorker.js'),
    workspaceState: context.workspaceState,
    settings: (scope) => {
      const c = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
      const { config, problems } = readConfig((key) => c.get(key));
      for (const p of problems) {
        log.warn(p);
        void vscode.window.showWarningMessage(`Media Dedupe: ${p}`);
      }
      return config;
    },
    manifestPlaceAllowed: async (manifestPath, root, ask) => {
      const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
      if (!manifestOutside(manifestPath, folders.length ? folders : [root])) return true;
      const confirmed = context.workspaceState.get<string[]>(CONFIRMED_MANIFESTS_KEY) ?? [];
      if (confirmed.includes(manifestPath)) return true;
      if (!ask) {
        log.warn(`The manifest ${manifestPath} is outside the workspace and was not confirmed: nothing is written there.`);
        return false;
      }
      const ok = await vscode.window.showWarningMessage(
        `Media Dedupe: write decisions to ${manifestPath}, outside the workspace folder?`,
        { modal: true, detail: 'The setting mediaDedupe.manifestPath points outside the workspace. Confirm only if you chose this path yourself.' },
        'Write There',
      );
      if (ok !== 'Write There') return false;
      await context.workspaceState.update(CONFIRMED_MANIFESTS_KEY, [...confirmed, manifestPath]);
      return true;
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
