import type { HashOutcome, PipelineSettings } from './types.js';

/** Messages between hashFiles (main) and hashWorker (worker thread). */
export type ToWorker =
  | { readonly type: 'init'; readonly settings: PipelineSettings }
  | { readonly type: 'paths'; readonly items: ReadonlyArray<readonly [index: number, path: string]> }
  | { readonly type: 'stop' };

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'initError'; readonly code: string; readonly message: string }
  | { readonly type: 'outcomes'; readonly items: ReadonlyArray<readonly [index: number, outcome: HashOutcome]> };
