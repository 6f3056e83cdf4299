import { join } from 'node:path';
import { build } from 'esbuild';
import { tempDir } from './tempDir.js';

/**
 * The pair search's and the colour check's worker entries bundled as scripts/build.mjs bundles them, into a temporary folder,
 * for tests that run from sources: pass `dir` as `workerDir` so the threaded paths run for real.
 */
export async function bundleWorkers(): Promise<{ dir: string; remove: () => void }> {
  const { dir, cleanup } = tempDir('media-dedupe-workers-');
  await build({
    entryPoints: [...['exactWorker.ts', 'lshWorker.ts'].map((f) => join(__dirname, '..', 'pairs', f)), join(__dirname, '..', 'scan', 'colorWorker.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outdir: dir,
    entryNames: '[name]', // flat, as in dist/
    logLevel: 'warning',
  });
  return { dir, remove: cleanup };
}
