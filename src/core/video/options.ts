/** Defaults and validation of the video options: bad values fail at once with "Expected X for Y but received Z". */
import { expectBoolean, expectInt, expectNumber, invalidOption } from '../errors.js';
import type { LetterboxMode, VideoHashOptions, VideoMatchOptions } from './types.js';

export interface ResolvedVideoHashOptions {
  readonly framesPerSecond: number;
  readonly minFrames: number;
  readonly hasher: { readonly name: string; readonly params: Readonly<Record<string, number | boolean>> };
  readonly interframeThreshold: number;
  readonly qualityThreshold?: number;
  readonly compareWith: 'last-kept' | 'first-kept';
  readonly letterbox: LetterboxMode;
  readonly cropFraction: number;
  readonly isometric: boolean;
  readonly keyframesOnly: boolean;
  readonly sampleBy: 'time' | 'frames';
  readonly maxSide: number;
  readonly threads: number;
  readonly maxDurationSec: number;
}

export const VIDEO_HASH_DEFAULTS: ResolvedVideoHashOptions = {
  framesPerSecond: 1,
  minFrames: 16,
  hasher: { name: 'phash', params: { hashSize: 16 } },
  interframeThreshold: 0.02,
  compareWith: 'last-kept',
  letterbox: 'bars',
  cropFraction: 0.9,
  isometric: false,
  keyframesOnly: false,
  sampleBy: 'time',
  maxSide: 0,
  threads: 0,
  maxDurationSec: 0,
};

/**
 * perception's FramewiseHasher exactly: no letterbox removal, no extra hashes, no dense sampling of short
 * clips, reference frame never updated. Combine with the hasher and thresholds of the perception run.
 */
export const PERCEPTION_PARITY: Partial<VideoHashOptions> = {
  minFrames: 0,
  compareWith: 'first-kept',
  letterbox: 'off',
  cropFraction: 0,
  isometric: false,
  keyframesOnly: false,
  sampleBy: 'frames',
  maxSide: 0,
};

const oneOf = <T extends string>(name: string, v: unknown, allowed: readonly T[]): T => {
  if (typeof v !== 'string' || !allowed.includes(v as T)) throw invalidOption(name, `one of ${allowed.join(', ')}`, v);
  return v as T;
};

/** 0 means "off" for options whose other values have a range. */
const zeroOr = (v: unknown, check: (v: unknown) => number): number => (v === 0 ? 0 : check(v));

export function resolveVideoHashOptions(o: VideoHashOptions = {}): ResolvedVideoHashOptions {
  const d = VIDEO_HASH_DEFAULTS;
  const hasher = o.hasher ?? d.hasher;
  if (typeof hasher !== 'object' || hasher === null || typeof hasher.name !== 'string')
    throw invalidOption('video hasher', 'an object like {name: "phash", params: {hashSize: 16}}', hasher);
  return {
    framesPerSecond: expectNumber('framesPerSecond', o.framesPerSecond ?? d.framesPerSecond, 0.001, 240),
    minFrames: expectInt('minFrames', o.minFrames ?? d.minFrames, 0, 10000),
    hasher: { name: hasher.name, params: hasher.params ?? (o.hasher ? {} : d.hasher.params) },
    interframeThreshold: expectNumber('interframeThreshold', o.interframeThreshold ?? d.interframeThreshold, 0, Number.MAX_VALUE),
    qualityThreshold: o.qualityThreshold === undefined ? undefined : expectNumber('qualityThreshold', o.qualityThreshold, 0, 100),
    compareWith: oneOf('compareWith', o.compareWith ?? d.compareWith, ['last-kept', 'first-kept'] as const),
    letterbox: oneOf('letterbox', o.letterbox ?? d.letterbox, ['off', 'perception', 'bars'] as const),
    cropFraction: zeroOr(o.cropFraction ?? d.cropFraction, (v) => expectNumber('cropFraction (0 = off)', v, 0.5, 0.99)),
    isometric: expectBoolean('isometric', o.isometric ?? d.isometric),
    keyframesOnly: expectBoolean('keyframesOnly', o.keyframesOnly ?? d.keyframesOnly),
    sampleBy: oneOf('sampleBy', o.sampleBy ?? d.sampleBy, ['time', 'frames'] as const),
    maxSide: zeroOr(o.maxSide ?? d.maxSide, (v) => expectInt('maxSide (0 = full resolution)', v, 16, 16384)),
    threads: expectInt('threads', o.threads ?? d.threads, 0, 64),
    maxDurationSec: expectNumber('maxDurationSec', o.maxDurationSec ?? d.maxDurationSec, 0, Number.MAX_VALUE),
  };
}

/**
 * The sampling rate for one file: the requested rate, raised for short clips so they give minFrames frames.
 * A raised rate is a whole fraction of the file's own rate (every k-th frame), so samples fall on a regular
 * grid of real frames; two copies at different frame rates then still share many exact instants.
 */
export function samplingRate(requested: number, minFrames: number, durationSec: number, streamFps: number): number {
  if (!minFrames || !(durationSec > 0)) return requested;
  const needed = minFrames / durationSec;
  if (needed <= requested) return requested;
  if (!(streamFps > 0)) return needed;
  return Math.max(requested, streamFps / Math.max(1, Math.floor(streamFps / needed)));
}

export interface ResolvedVideoMatchOptions {
  readonly frameThreshold: number;
  readonly minShare: number;
  readonly isometric: boolean;
  readonly crop: boolean;
  readonly temporalCheck: boolean;
  readonly minOverlap: number;
  readonly strictThreshold: number;
  readonly partialThreshold: number;
  readonly minContrast: number;
  readonly minWins: number;
}

/**
 * Chosen on the public video benchmark (docs/video.md): its hard negatives (two halves of one recording)
 * reach contrast 1.11, wins 0.56 and an aligned median of 0.059 at best, true copies mostly far above.
 */
export const VIDEO_MATCH_DEFAULTS = {
  minShare: 0.2,
  isometric: false,
  crop: true,
  temporalCheck: true,
  minOverlap: 0.5,
  strictFactor: 0.225,
  partialFactor: 0.15,
  minContrast: 1.3,
  minWins: 0.75,
} as const;

/** `hasherThreshold`: the frame hasher's own threshold, used when frameThreshold is not given. */
export function resolveVideoMatchOptions(o: VideoMatchOptions = {}, hasherThreshold = 0.2): ResolvedVideoMatchOptions {
  const d = VIDEO_MATCH_DEFAULTS;
  const frameThreshold = expectNumber('frameThreshold', o.frameThreshold ?? hasherThreshold, 0, Number.MAX_VALUE);
  return {
    frameThreshold,
    minShare: expectNumber('minShare', o.minShare ?? d.minShare, 0, 1),
    isometric: expectBoolean('isometric', o.isometric ?? d.isometric),
    crop: expectBoolean('crop', o.crop ?? d.crop),
    temporalCheck: expectBoolean('temporalCheck', o.temporalCheck ?? d.temporalCheck),
    minOverlap: expectNumber('minOverlap', o.minOverlap ?? d.minOverlap, 0, 1),
    strictThreshold: expectNumber('strictThreshold', o.strictThreshold ?? d.strictFactor * frameThreshold, 0, Number.MAX_VALUE),
    partialThreshold: expectNumber('partialThreshold', o.partialThreshold ?? d.partialFactor * frameThreshold, 0, Number.MAX_VALUE),
    minContrast: expectNumber('minContrast', o.minContrast ?? d.minContrast, 0, Number.MAX_VALUE),
    minWins: expectNumber('minWins', o.minWins ?? d.minWins, 0, 1),
  };
}
