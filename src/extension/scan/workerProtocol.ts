/** Messages between the extension host and the scan worker thread. */
import type { CompareInput, CompareResult } from '../../core/query/compare.js';
import type { FindSimilarInput, SimilarResult } from '../../core/query/findSimilar.js';
import type { DecidedCluster } from '../../core/decisions/types.js';
import type { ScanOptions, ScanProgress, ScanResult } from '../../core/types.js';

/** Find Similar Images: the engine's findSimilar, run in the worker (it hashes the image and reads the saved index). */
export type QueryJob = Pick<FindSimilarInput, 'image' | 'dataset' | 'k' | 'hasher'>;

/** Check Files Against Dataset: the engine's compareAgainst (the ingest gate of \`media-dedupe compare\`), run in the worker. */
export type CompareJob = Pick<CompareInput, 'inputs' | 'dataset' | 'cwd'>;

export interface ScanWorkerData {
  readonly query?: QueryJob;
  readonly compare?: CompareJob;
  readonly root: string;
  readonly options: Partial<ScanOptions>;
  readonly ffmpegPath: string;
  /** One Int32 set to 1 to cancel: read with Atomics, so a worker busy hashing still sees it at once. */
  readonly cancelFlag: SharedArrayBuffer;
}

export type FromWorker =
  | { readonly type: 'progress'; readonly progress: ScanProgress }
  | { readonly type: 'log'; readonly message: string }
  /** `clusters`: the scan's own decisions (core/decisions/scanDecisions.ts), so the host's manifest write does not decide again. */
  | { readonly type: 'result'; readonly result: ScanResult; readonly clusters?: readonly DecidedCluster[] }
  | { readonly type: 'query'; readonly output: SimilarResult }
  | { readonly type: 'compare'; readonly output: CompareResult }
  | { readonly type: 'error'; readonly code: string; readonly message: string };
