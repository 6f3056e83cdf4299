import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { MediaError } from '../errors.js';
import type { CancelSignal } from '../types.js';
import type { FromWorker, ToWorker } from './protocol.js';
import type { HashOutcome, PipelineSettings } from './types.js';

/**
 * The bundled worker lives beside the bundle (dist/hashWorker.js). Under tsx (tests, bench from source)
 * the source file is used through the same loader.
 */
export function defaultWorkerPath(): string {
  const bundled = join(__dirname, 'hashWorker.js');
  if (existsSync(bundled)) return bundled;
  const source = join(__dirname, '..', 'workers', 'hashWorker.ts');
  if (existsSync(source)) return source;
  return bundled;
}

export interface WorkerRunOptions {
  readonly workers: number;
  readonly workerPath?: string;
  readonly signal?: CancelSignal;
  readonly onOutcome: (outcome: HashOutcome, index: number) => void;
}

interface Slot {
  readonly worker: Worker;
  readonly outstanding: Map<number, string>;
  alive: boolean;
}

/**
 * Each worker runs the same in-flight pipeline as the main thread (decode + hash), fed in small batches so
 * that a slow file in one worker never leaves the other idle. Kept as the measured alternative to the
 * main-thread pipeline; see bench/hashing.ts for the numbers that decide the default.
 */
export async function runWithWorkers(paths: readonly string[], settings: PipelineSettings, opts: WorkerRunOptions): Promise<void> {
  if (paths.length === 0) return;
  const workerPath = opts.workerPath ?? defaultWorkerPath();
  if (!existsSync(workerPath)) throw new MediaError('INTERNAL', `The hashing worker script is missing: ${workerPath} (run the build)`);
  const count = Math.max(1, Math.min(opts.workers, paths.length));
  const slots: Slot[] = Array.from({ length: count }, () => ({ worker: startWorker(workerPath), outstanding: new Map(), alive: true }));
  // Enough queued per worker that its pipeline never starves between batches.
  const high = settings.inFlight * 2 + 2;
  const batch = Math.max(1, settings.inFlight);
  let next = 0;

  try {
    await Promise.all(slots.map((s) => init(s.worker, settings)));
    await new Promise<void>((resolve, reject) => {
      const cancelled = (): boolean => opts.signal?.cancelled === true;
      const refill = (s: Slot): void => {
        if (!s.alive || cancelled()) return;
        if (s.outstanding.size >= high - batch || next >= paths.length) return;
        const items: Array<readonly [number, string]> = [];
        while (s.outstanding.size < high && next < paths.length) {
          const i = next++;
          s.outstanding.set(i, paths[i]);
          items.push([i, paths[i]]);
        }
        send(s.worker, { type: 'paths', items });
      };
      const maybeDone = (): void => {
        if (slots.some((s) => s.alive && s.outstanding.size > 0)) return;
        if (next >= paths.length || cancelled() || slots.every((s) => !s.alive)) resolve();
      };
      const lost = (s: Slot, why: string): void => {
        // Never drop a file: whatever a crashed worker held becomes an error record.
        if (!s.alive) return;
        s.alive = false;
        for (const [i, p] of s.outstanding)
          opts.onOutcome({ path: p, ok: false, error: { code: 'INTERNAL', message: `The hashing worker stopped (${why}) while this file was in it` } }, i);
        s.outstanding.clear();
        if (slots.every((x) => !x.alive)) {
          while (next < paths.length && !cancelled()) {
            const i = next++;
            opts.onOutcome({ path: paths[i], ok: false, error: { code: 'INTERNAL', message: `Every hashing worker stopped (${why})` } }, i);
          }
        }
        maybeDone();
      };
      for (const s of slots) {
        s.worker.on('message', (m: FromWorker) => {
          if (m.type !== 'outcomes') return;
          try {
            for (const [i, o] of m.items) {
              s.outstanding.delete(i);
              opts.onOutcome(o, i);
            }
          } catch (e) {
            reject(e);
            return;
          }
          if (cancelled()) for (const x of slots) if (x.alive) send(x.worker, { type: 'stop' });
          refill(s);
          maybeDone();
        });
        s.worker.on('error', (e) => lost(s, e.message));
        s.worker.on('exit', (code) => lost(s, `exit code ${code}`));
        refill(s);
      }
      maybeDone();
    });
  } finally {
    for (const s of slots) {
      s.alive = false;
      void s.worker.terminate();
    }
  }
}

/** A TypeScript entry (tests, bench from source) is loaded through tsx's require hook inside the worker. */
function startWorker(path: string): Worker {
  if (!path.endsWith('.ts')) return new Worker(path);
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(path)});`, { eval: true });
}

function send(w: Worker, m: ToWorker): void {
  w.postMessage(m);
}

function init(w: Worker, settings: PipelineSettings): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMsg = (m: FromWorker): void => {
      if (m.type === 'ready') {
        w.off('message', onMsg);
        w.off('error', onErr);
        resolve();
      } else if (m.type === 'initError') {
        w.off('message', onMsg);
        w.off('error', onErr);
        reject(new MediaError(m.code as MediaError['code'], m.message));
      }
    };
    const onErr = (e: Error): void => reject(new MediaError('INTERNAL', `The hashing worker failed to start: ${e.message}`));
    w.on('message', onMsg);
    w.once('error', onErr);
    send(w, { type: 'init', settings });
  });
}
