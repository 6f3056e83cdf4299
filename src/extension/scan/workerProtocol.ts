/** Messages between the extension host and the scan worker thread. */
import type { ScanOptions, ScanProgress, ScanResult } from '../../core/types.js';

/** Find Similar Images: the CLI's `query` command, run in the worker (it hashes the image and reads the saved index). */
export interface QueryJob {
  readonly image: string;
  readonly dir: string;
  readonly k: number;
  readonly hasher: string; // NAME[:SIZE][@THRESHOLD]
}

export interface QueryOutput {
  readonly dataset: string;
  readonly hasher: string;
  readonly threshold: number;
  readonly method: 'index' | 'exact';
  readonly searched: number;
  readonly results: readonly { readonly path: string; readonly distance: number; readonly duplicate: boolean }[];
}

export interface ScanWorkerData {
  readonly query?: QueryJob;
  readonly root: string;
  readonly options: Partial<ScanOptions>;
  readonly ffmpegPath: string;
  /** One Int32 set to 1 to cancel: read with Atomics, so a worker busy hashing still sees it at once. */
  readonly cancelFlag: SharedArrayBuffer;
}

export type FromWorker =
  | { readonly type: 'progress'; readonly progress: ScanProgress }
  | { readonly type: 'log'; readonly message: string }
  | { readonly type: 'result'; readonly result: ScanResult }
  | { readonly type: 'query'; readonly output: QueryOutput }
  | { readonly type: 'error'; readonly code: string; readonly message: string };
