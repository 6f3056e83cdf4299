export * from './types.js';
export { decide, formatDistance } from './decide.js';
export { pairKey, pairVerdictOf, reviewFromSide, type PairState } from './verdict.js';
export {
  DEFAULT_KEEP_POLICY,
  LEGACY_KEEP_POLICY,
  KEEP_CRITERIA,
  keepPolicy,
  parseKeepPolicy,
  isDefaultPolicy,
  formatOf,
  hasCopyMarker,
  type KeepPolicy,
} from './keepPolicy.js';
export { impliedPairs, type ClusterPlace, type ImpliedPair } from './impliedPairs.js';
