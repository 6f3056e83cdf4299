// The video engine's public surface: hash a video into frame hashes, match two hashed videos, find all pairs.
export type {
  VideoFrameHash,
  VideoHashResult,
  VideoHasherInfo,
  VideoHashOptions,
  VideoMatchOptions,
  VideoMatch,
  MatchedFrame,
  MatchReason,
  LetterboxMode,
} from './types.js';
export { hashVideo, hashVideos, tryHashVideo, toolsFor, type VideoHashOutcome } from './hashVideo.js';
export { matchVideos } from './match.js';
export { findVideoPairs, orientMatch, type FindVideoPairsOptions } from './pairs.js';
export { locateFfmpeg, type FfmpegTools, type LocateOptions } from './locate.js';
export { VIDEO_EXTENSIONS, isVideoPath, isAnimatedGif } from './extensions.js';
export { PERCEPTION_PARITY, VIDEO_HASH_DEFAULTS, VIDEO_MATCH_DEFAULTS, resolveVideoHashOptions, resolveVideoMatchOptions } from './options.js';
export { unletterboxBounds, barBounds, type Bounds } from './unletterbox.js';
