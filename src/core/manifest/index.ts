export * from './types.js';
export { buildManifest, manifestPathMapper, type BuildManifestOptions } from './build.js';
export { applyReview, pairStatus, fileDecision, REVIEW_ACTIONS } from './review.js';
export { readManifest, writeManifest } from './io.js';
export { canonicalize, serializeManifest } from './canonical.js';
export { validateManifest, MANIFEST_SCHEMA } from './validate.js';
export { resolveManifest, overridesFromReviews } from './resolve.js';
