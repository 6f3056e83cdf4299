export * from './types.js';
export {
  assembleManifest,
  buildManifest,
  decideInput,
  decisionSettingsOf,
  factsOf,
  manifestPathMapper,
  measureScan,
  measurementOf,
  scanPathOf,
  DEFAULT_DECISION_SETTINGS,
  type AssembleOptions,
  type DecisionSettings,
  type Measurement,
  type ScanSettings,
} from './build.js';
export { applyReview, pairStatus, fileDecision, reviewActionChanges, REVIEW_ACTIONS } from './review.js';
export { readManifest, readManifestFile, refusedEdits, contentHashOf, type ManifestOnDisk } from './io.js';
export { canonicalize, serializeManifest } from './canonical.js';
export { validateManifest, MANIFEST_SCHEMA } from './validate.js';
export { manifestReader, pairVerdictFromManifest, type ManifestReader } from './pairVerdict.js';
export {
  commitManifest,
  undoDecision,
  redoDecision,
  loadDecisions,
  historyState,
  checkManifestWritable,
  type CommitRequest,
  type CommitResult,
  type HistoryState,
  type LoadedDecisions,
} from './store.js';
export { lockPathFor, LOCK_DIR_NAME } from './lock.js';
export { historyPathFor, HISTORY_LIMIT } from './history.js';
export { scanOptionsOf } from './scanOptions.js';
