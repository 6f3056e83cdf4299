import { MediaError } from '../errors.js';

/**
 * Why an Annoy index cannot be used, so the caller can act: `unavailable` (no native addon: fall back to
 * exact search), `missing` / `corrupt` / `mismatch` (rebuild it), `invalid` (a bad argument).
 */
export type AnnoyIndexProblem = 'unavailable' | 'missing' | 'corrupt' | 'mismatch' | 'invalid';

export class AnnoyIndexError extends MediaError {
  constructor(
    readonly problem: AnnoyIndexProblem,
    message: string,
    path?: string,
  ) {
    super(problem === 'missing' ? 'NOT_FOUND' : problem === 'invalid' ? 'INVALID_OPTION' : 'INTERNAL', message, path);
    this.name = 'AnnoyIndexError';
  }

  /** True when rebuilding the index from the hashes fixes it. */
  get rebuildable(): boolean {
    return this.problem === 'missing' || this.problem === 'corrupt' || this.problem === 'mismatch';
  }
}
