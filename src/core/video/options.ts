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
  readonly maxSide: number;
  readonly threads: number;
  readonly maxDurationSec: number;
}

export const VIDEO_HASH_DEFAULTS: ResolvedVideoHashOptions = {
  framesPerSecond: 1,
  minFrames: 16,
  hasher: { name: 'phash', params: { hashSize: 16 } },
  interframeThreshold: 0.05,
  compareWith: 'last-kept',
  letterbox: 'bars',
  cropFraction: 0.9,
  isometric: false,
  keyframesOnly: false,
  maxSide: 0,
  threads: 1,
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
  if (typeof hasher !== 'object' || hasher === null || typeof hasher.name !== 'string') throw invalidOption('video hasher', 'an object like {name: "phash", params: {hashSize: 16}}', hasher);
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
    maxSide: zeroOr(o.maxSide ?? d.maxSide, (v) => expectInt('maxSide (0 = full resolution)', v, 16, 16384)),
    threads: expectInt('threads', o.threads ?? d.threads, 0, 64),
    maxDurationSec: expectNumber('maxDurationSec', o.maxDurationSec ?? d.maxDurationSec, 0, Number.MAX_VALUE),
  };
}

/**
 * The sampling rate for one file: the requested rate, raised for short clips so they give minFrames frames,
 * but never above the file's own rate (there are no more frames to take).
 */
export function samplingRate(requested: number, minFrames: number, durationSec: number, streamFps: number): number {
  if (!minFrames || !(durationSec > 0)) return requested;
  const needed = minFrames / durationSec;
  if (needed <= requested) return requested;
  return streamFps > 0 ? Math.max(requested, Math.min(needed, streamFps)) : needed;
}

export interface ResolvedVideoMatchOptions {
  readonly frameThreshold: number;
  readonly minShare: number;
  readonly isometric: boolean;
  readonly crop: boolean;
  readonly temporalCheck: boolean;
  readonly offsetToleranceSec?: number;
}

export const VIDEO_MATCH_DEFAULTS: ResolvedVideoMatchOptions = {
  frameThreshold: 0.2,
  minShare: 0.2,
  isometric: false,
  crop: true,
  temporalCheck: true,
};

export function resolveVideoMatchOptions(o: VideoMatchOptions = {}): ResolvedVideoMatchOptions {
  const d = VIDEO_MATCH_DEFAULTS;
  return {
    frameThreshold: expectNumber('frameThreshold', o.frameThreshold ?? d.frameThreshold, 0, Number.MAX_VALUE),
    minShare: expectNumber('minShare', o.minShare ?? d.minShare, 0, 1),
    isometric: expectBoolean('isometric', o.isometric ?? d.isometric),
    crop: expectBoolean('crop', o.crop ?? d.crop),
    temporalCheck: expectBoolean('temporalCheck', o.temporalCheck ?? d.temporalCheck),
    offsetToleranceSec: o.offsetToleranceSec === undefined ? undefined : expectNumber('offsetToleranceSec', o.offsetToleranceSec, 0, 3600),
  };
}
