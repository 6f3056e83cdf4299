import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { invalidOption } from '../errors.js';

/**
 * Each kernel has one worker entry (exactWorker.ts, lshWorker.ts; the scan's colour check has
 * scan/colorWorker.ts), bundled by scripts/build.mjs beside
 * the other bundles in dist/, so a worker is started by path: no eval'd source. `dir` overrides where
 * they are (tests bundle them into a temporary folder). From sources (tsx) there is no bundle, and the
 * search runs in the calling thread: the same pairs, on one core.
 */
export function workerEntry(name: 'exactWorker.js' | 'lshWorker.js' | 'colorWorker.js', dir: string | undefined): string | undefined {
  const path = join(dir ?? __dirname, name);
  if (existsSync(path)) return path;
  if (dir !== undefined) throw invalidOption('workerDir', `a folder holding the bundled ${name}`, dir);
  return undefined;
}

/** Starts one worker on `data` and resolves with the one message it sends back. */
export function runWorker<T>(script: string, data: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: data });
    let done = false;
    worker.once('message', (r: T) => {
      done = true;
      resolve(r);
      void worker.terminate();
    });
    worker.once('error', (e) => {
      done = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!done) reject(new Error(`${script} exited with code ${code} before answering`));
    });
  });
}
