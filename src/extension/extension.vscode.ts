/**
 * Activation: builds the shared services and one registrar per feature, and owns them all, so disposing
 * the extension disposes everything. This file is only wiring; each feature's file says what it does.
 *
 * Which files may use `vscode`: only those named `*.vscode.ts` (this one, the registrars, the panel and
 * the small adapters). Every other file under src/extension is plain Node: tsconfig.core.json type-checks
 * it without the vscode types and ESLint refuses a `vscode` import there, so it stays unit-testable.
 */
import * as vscode from 'vscode';
import { registerCommand } from './commands.vscode.js';
import { CompareFeature } from './compare/compareFeature.vscode.js';
import { Disposable } from './disposable.js';
import { FilesFeature } from './files/filesFeature.vscode.js';
import { GalleryFeature } from './gallery/galleryFeature.vscode.js';
import { COMMANDS } from './ids.js';
import { ManifestFeature } from './manifest/manifestFeature.vscode.js';
import type { ActiveReview } from './review/review.js';
import { ScanFeature } from './scan/scanFeature.vscode.js';
import { hostServices } from './services.vscode.js';
import { SimilarFeature } from './similarFeature.vscode.js';
import { TestFeature } from './testing/testFeature.vscode.js';
import { isTestMode } from './testMode.js';

class MediaDedupe extends Disposable {
  constructor(context: vscode.ExtensionContext) {
    super();
    const log = this._register(vscode.window.createOutputChannel('Media Dedupe', { log: true }));
    const services = hostServices(context, log);
    this._register(registerCommand(COMMANDS.showLog.id, () => log.show(), log));
    // The gallery's buttons act on the gallery's own review through these features; their commands act
    // on the review shown last.
    const active: ActiveReview = () => galleries.active;
    const manifest = this._register(new ManifestFeature(services, active));
    const files = this._register(new FilesFeature(services, active));
    const galleries = this._register(
      new GalleryFeature(services, {
        writeManifest: (review) => manifest.write(review),
        openManifest: (review) => manifest.open(review),
        trashRemoved: (review) => files.trashRemoved(review),
      }),
    );
    this._register(new ScanFeature(services, galleries));
    const lastRoot = async (): Promise<string | undefined> => galleries.active?.session.result.root ?? (await services.store.lastRoot());
    this._register(new SimilarFeature(services, lastRoot));
    this._register(new CompareFeature(services, lastRoot));
    if (isTestMode(process.env)) this._register(new TestFeature(services, galleries));
    void galleries.restoreStatus();
    log.info('Media Dedupe activated');
  }
}

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(new MediaDedupe(context));
}

export function deactivate(): void {}
