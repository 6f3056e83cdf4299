// Exact pair search over perceptual hashes: bit hashes by popcount (wasm, tiled, on worker threads),
// vector hashes by plain loops, with the brute-force reference beside it.
export { PackedHashes, radiusFor, hammingBits } from './packed.js';
export { type BitPairs, NO_PAIRS, PairBuilder, sortPairs, concatPairs, iteratePairs } from './pairList.js';
export {
  searchPairs,
  searchQueries,
  searchVariantsForward,
  type ThreadOptions,
  type SearchInfo,
  type SelfSearchOptions,
  type QuerySearchOptions,
} from './engine.js';
export { searchIsometric, searchIsometricQueries, type IsometricPair, type IsometricQueryPair, type IsometricOptions } from './isometric.js';
export { verifyCandidates, type Candidates } from './verify.js';
export { bruteForcePairs, type BruteForceOptions } from './bruteForce.js';
export { VectorHashes, euclideanPairs, type VectorPairs, type EuclideanOptions } from './euclidean.js';
export { unionPairs, type ScoredPair } from './union.js';
export { findDuplicatePairs, type HasherHashes, type DedupeOptions } from './dedupe.js';
export type { GroupKeys } from './plan.js';
