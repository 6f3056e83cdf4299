/**
 * Starts a scan in a worker thread and turns its messages into a promise plus progress callbacks.
 * Cancelling sets a shared flag; the engine then stops and returns what it has (the hashes already
 * computed stay in its cache), so a cancelled scan still resolves, with `cancelled: true`.
 */
import { Worker } from 'node:worker_threads';
import { recordScanClusters } from '../../core/decisions/scanDecisions.js';
import type { ScanOptions, ScanProgress, ScanResult } from '../../core/types.js';
import type { CompareResult } from '../../core/query/compare.js';
import type { SimilarResult } from '../../core/query/findSimilar.js';
import type { CompareJob, FromWorker, QueryJob, ScanWorkerData } from './workerProtocol.js';

export interface RunScanInput {
  readonly workerPath: string;
  readonly root: string;
  readonly options: Partial<ScanOptions>;
  readonly ffmpegPath: string;
  onProgress?(p: ScanProgress): void;
  log?(message: string): void;
}

export class ScanFailed extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ScanFailed';
  }
}

export interface RunningScan {
  readonly result: Promise<ScanResult>;
  cancel(): void;
}

export function runScan(input: RunScanInput): RunningScan {
  const cancelFlag = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancelFlag);
  const data: ScanWorkerData = { root: input.root, options: input.options, ffmpegPath: input.ffmpegPath, cancelFlag };
  const worker = new Worker(input.workerPath, { workerData: data });
  const result = new Promise<ScanResult>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: FromWorker) => {
      switch (m.type) {
        case 'progress':
          input.onProgress?.(m.progress);
          break;
        case 'log':
          input.log?.(m.message);
          break;
        case 'result':
          if (m.clusters) recordScanClusters(m.result, m.clusters);
          settle(() => resolve(m.result));
          break;
        case 'error':
          settle(() => reject(new ScanFailed(m.code, m.message)));
          break;
      }
    });
    worker.on('error', (err) => settle(() => reject(new ScanFailed('INTERNAL', `scan worker crashed: ${err.message}`))));
    worker.on('exit', (code) => settle(() => reject(new ScanFailed('INTERNAL', `scan worker exited with code ${code} before returning a result`))));
  });
  return {
    result,
    cancel: () => Atomics.store(flag, 0, 1),
  };
}

/** Find Similar Images in the same worker entry: hashing one image and reading the index stay off this thread. */
export function runQuery(workerPath: string, job: QueryJob): Promise<SimilarResult> {
  return runJob(workerPath, { query: job, root: job.dataset, options: {}, ffmpegPath: '', cancelFlag: new SharedArrayBuffer(4) }, (m) =>
    m.type === 'query' ? m.output : undefined,
  );
}

/** Check Files Against Dataset in the same worker entry: hashing the new files and reading the dataset's cache stay off this thread. */
export function runCompare(workerPath: string, job: CompareJob, log?: (message: string) => void): Promise<CompareResult> {
  return runJob(
    workerPath,
    { compare: job, root: job.dataset, options: {}, ffmpegPath: '', cancelFlag: new SharedArrayBuffer(4) },
    (m) => (m.type === 'compare' ? m.output : undefined),
    log,
  );
}

/** One answer from a worker started for one job: `answer` picks it out of the worker's messages. */
function runJob<T>(workerPath: string, data: ScanWorkerData, answer: (m: FromWorker) => T | undefined, log?: (message: string) => void): Promise<T> {
  const worker = new Worker(workerPath, { workerData: data });
  return new Promise<T>((resolve, reject) => {
    const done = (fn: () => void): void => {
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: FromWorker) => {
      const out = answer(m);
      if (out !== undefined) done(() => resolve(out));
      else if (m.type === 'error') done(() => reject(new ScanFailed(m.code, m.message)));
      else if (m.type === 'log') log?.(m.message);
    });
    worker.on('error', (err) => done(() => reject(new ScanFailed('INTERNAL', err.message))));
    worker.on('exit', (code) => reject(new ScanFailed('INTERNAL', `worker exited with code ${code}`)));
  });
}
