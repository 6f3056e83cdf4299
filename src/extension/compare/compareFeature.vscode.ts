/**
 * Check Files Against Dataset…: the ingest gate (`media-dedupe compare`) on an Explorer selection. The
 * selected files and folders are hashed (through their folder's cache) and searched against the hashes
 * the dataset's last scan saved, in the scan worker, so the dataset's images are never read again; the
 * answer is a quick pick, one row per new file with its matches, that opens a match beside the new file.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { hasCacheDir } from '../../core/cache/cacheDir.js';
import type { CompareResult } from '../../core/query/compare.js';
import { registerCommand } from '../commands.vscode.js';
import { Disposable } from '../disposable.js';
import { fileUri, namedFileUri } from '../files/fileUri.vscode.js';
import { COMMANDS } from '../ids.js';
import { folderArg } from '../pickFolder.vscode.js';
import { runCompare } from '../scan/runScan.js';
import type { HostServices } from '../services.vscode.js';
import { compareRows, compareTitle, datasetCandidates, type CompareRow } from './compareRows.js';

export class CompareFeature extends Disposable {
  constructor(
    private readonly services: HostServices,
    /** The folder scanned last: offered as a dataset beside the workspace folders. */
    private readonly lastRoot: () => Promise<string | undefined>,
  ) {
    super();
    this._register(registerCommand(COMMANDS.checkAgainstDataset.id, (arg, args) => this.check(arg, args), services.log));
  }

  /** From the Explorer: the clicked file or folder and the whole selection; from the palette, a folder pick. */
  private async check(arg: unknown, args: unknown): Promise<CompareResult | undefined> {
    const selected = Array.isArray(args) && args.every((a) => a instanceof vscode.Uri) && args.length > 0 ? (args as vscode.Uri[]) : [];
    const inputs =
      selected.length > 0
        ? selected
        : arg instanceof vscode.Uri
          ? [arg]
          : [await folderArg(undefined, { title: 'Media Dedupe: Check Files Against Dataset', placeHolder: 'Which folder of new files?', openLabel: 'Check' })];
    const files = inputs.filter((u): u is vscode.Uri => u !== undefined && u.scheme === 'file');
    if (files.length === 0) return undefined;
    const dataset = await this.pickDataset();
    if (!dataset) return undefined;
    this.services.preloadSharp();
    const cwd = vscode.workspace.getWorkspaceFolder(files[0]!)?.uri.fsPath;
    // The answer's own picker opens now, busy, and fills in when the check ends: no progress notification,
    // which VS Code keeps up for at least 800 ms and so lingered beside the answer of a quick check.
    const picker = new ComparePicker(
      `Media Dedupe: checking ${files.length === 1 ? path.basename(files[0]!.fsPath) : `${files.length} items`} against ${path.basename(dataset)}…`,
      dataset,
      cwd,
    );
    let result: CompareResult;
    try {
      result = await runCompare(this.services.workerPath, { inputs: files.map((f) => f.fsPath), dataset, ...(cwd ? { cwd } : {}) }, (m) =>
        this.services.log.info(m),
      );
    } catch (err) {
      picker.dispose();
      throw err;
    }
    const matched = result.files.filter((f) => f.matches.length > 0).length;
    this.services.log.info(
      `Check Files Against Dataset: ${matched} of ${result.files.length} new files match ${dataset} (${result.searched} saved hashes; ${result.hashed} hashed, ${result.cached} from cache, ${result.skipped.length} skipped; dataset files opened: ${result.datasetFilesOpened})`,
    );
    picker.show(result);
    return result;
  }

  /** The scanned folder to check against: the only one, or a pick; none scanned yet: offer the scan. */
  private async pickDataset(): Promise<string | undefined> {
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    const candidates = datasetCandidates(folders, await this.lastRoot(), hasCacheDir);
    if (candidates.length === 0) {
      const act = await vscode.window.showInformationMessage(
        'Media Dedupe: no folder has been scanned yet, so there are no saved hashes to check against. Find duplicates first?',
        'Find Duplicates in Workspace',
      );
      if (act) await vscode.commands.executeCommand(COMMANDS.findInWorkspace.id);
      return undefined;
    }
    if (candidates.length === 1) return candidates[0];
    const pick = await vscode.window.showQuickPick(
      candidates.map((c) => ({ label: path.basename(c), description: c, dir: c })),
      { title: 'Media Dedupe: Check Files Against Dataset', placeHolder: 'Against which scanned folder?' },
    );
    return pick?.dir;
  }
}

/** The check's answer: a quick pick, busy while the check runs, one row per new file once it has ended. */
class ComparePicker {
  private readonly pick = vscode.window.createQuickPick<vscode.QuickPickItem & { row: CompareRow }>();
  private closed = false;

  constructor(
    title: string,
    private readonly dataset: string,
    private readonly cwd: string | undefined,
  ) {
    this.pick.title = title;
    this.pick.placeholder = 'Hashing the new files and searching the saved hashes…';
    this.pick.busy = true;
    this.pick.enabled = false;
    this.pick.matchOnDescription = true;
    this.pick.matchOnDetail = true;
    this.pick.onDidHide(() => {
      this.closed = true;
      this.pick.dispose();
    });
    this.pick.onDidAccept(() => {
      const row = this.pick.selectedItems[0]?.row;
      this.pick.hide();
      if (row) void this.open(row);
    });
    this.pick.show();
  }

  /** The answer; closed before it came (Escape), it is not shown again: the log has it. */
  show(result: CompareResult): void {
    if (this.closed) return;
    const rows = compareRows(result);
    if (rows.length === 0) {
      this.pick.hide();
      void vscode.window.showInformationMessage('Media Dedupe: no media files in the selection.');
      return;
    }
    this.pick.items = rows.map((r) => ({ label: r.label, description: r.description, detail: r.detail, row: r }));
    this.pick.title = compareTitle(result, path.basename(this.dataset));
    this.pick.placeholder = 'Pick a new file to open it beside its nearest match';
    this.pick.busy = false;
    this.pick.enabled = true;
  }

  dispose(): void {
    this.pick.dispose();
  }

  private async open(row: CompareRow): Promise<void> {
    if (!row.nearest) return;
    await vscode.commands.executeCommand('vscode.open', namedFileUri(this.cwd ?? process.cwd(), row.file), { preview: true });
    await vscode.commands.executeCommand('vscode.open', fileUri(this.dataset, row.nearest), {
      viewColumn: vscode.ViewColumn.Beside,
      preview: true,
    });
  }
}
