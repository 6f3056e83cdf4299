/**
 * Commands that exist only for the e2e test, registered only in test mode (testMode.ts): loading a large
 * synthetic result into the gallery to measure it. The synthetic files are links in the borrowed folder's
 * own cache folder (.media-dedupe/synthetic/, never scanned, removed by Clear Cache), beside the images
 * they borrow, so the gallery reads them as it reads a scanned folder; nothing of this reaches the dataset,
 * its manifest, the wire protocol or the other features.
 */
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CACHE_DIR_NAME } from '../../core/cache/cacheDir.js';
import { registerCommand } from '../commands.vscode.js';
import { Disposable } from '../disposable.js';
import type { GalleryFeature } from '../gallery/galleryFeature.vscode.js';
import type { GalleryPanel } from '../gallery/galleryPanel.vscode.js';
import { TEST_COMMANDS } from '../ids.js';
import { folderName } from '../review/review.js';
import type { HostServices } from '../services.vscode.js';
import { linkSynthetic, syntheticResult } from './synthetic.js';

/** Where the synthetic files for a folder go; named after the folder, as its gallery is titled. */
function syntheticRootFor(base: string): string {
  return path.join(base, CACHE_DIR_NAME, 'synthetic', folderName(base));
}

export class TestFeature extends Disposable {
  constructor(
    private readonly services: HostServices,
    private readonly galleries: GalleryFeature,
  ) {
    super();
    this._register(registerCommand(TEST_COMMANDS.loadSyntheticPairs, (n) => this.loadSyntheticPairs(n), services.log));
    this._register(registerCommand(TEST_COMMANDS.loadSyntheticCluster, () => this.loadSyntheticPairs(54_285, 330), services.log));
    this._register(registerCommand(TEST_COMMANDS.loadSyntheticDataset, () => this.loadSyntheticPairs(50_000, 11), services.log));
    // The test command shows in the palette (package.json's `when`) only now.
    void vscode.commands.executeCommand('setContext', 'mediaDedupe.e2e', true);
  }

  /** Loads `count` synthetic pairs (default 5000), in clusters of `clusterSize` files, borrowing the images of the last real scan. */
  private async loadSyntheticPairs(count: unknown, clusterSize = 2): Promise<void> {
    const n = typeof count === 'number' && Number.isInteger(count) && count > 0 && count <= 100_000 ? count : 5000;
    const shown = this.galleries.active?.session.result;
    const isSynthetic = (root: string): boolean => root.includes(`${path.sep}${CACHE_DIR_NAME}${path.sep}synthetic${path.sep}`);
    const base = shown && !isSynthetic(shown.root) ? shown : await this.services.store.loadLast();
    if (!base) throw new Error('scan a folder first: the synthetic pairs borrow its images');
    const root = syntheticRootFor(base.root);
    // Retried: the previous synthetic gallery may still be writing its manifest in there.
    await rm(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    // The same steps as a scan, so the gallery is measured as after one: its page may read the folder and
    // has drawn what it shows before the result arrives (a scan takes long enough for a page to reload;
    // making links may not).
    const name = folderName(root);
    const panel = this.galleries.scanStarted(root, name);
    const synthetic = syntheticResult(base, n, root, clusterSize);
    await Promise.all([linkSynthetic(synthetic, base.root), pageSettled(panel)]);
    // The moment a real scan's result would arrive from the worker.
    const scanEndedAt = Date.now();
    panel.scanStatus({ type: 'scan/status', state: 'finished', rootName: name, text: 'Scan finished' });
    this.services.log.info(`synthetic: ${synthetic.result.pairs.length} pairs in ${synthetic.result.clusters.length} clusters made`);
    await this.galleries.open(synthetic.result, path.join(root, 'dedupe-manifest.json'), scanEndedAt);
  }
}

function pageSettled(panel: GalleryPanel): Promise<void> {
  if (panel.pageSettled || panel.disposed) return Promise.resolve();
  return new Promise((resolve) => {
    const subs = [panel.onDidShowPage(done), panel.onDidDispose(done)];
    function done(): void {
      subs.forEach((d) => d.dispose());
      resolve();
    }
  });
}
