/** What the video engine produces and takes. Hash strings use perception's format (base64 of packed bits). */

/** One sampled frame that the framewise hasher kept. */
export interface VideoFrameHash {
  /** Frame number in the decoded stream (0-based), as perception's reader reports it (estimated from the rate for variable-rate files). */
  readonly index: number;
  /** Presentation time in seconds, relative to the first frame. */
  readonly timestampSec: number;
  /** The frame hasher's hash of the frame (after letterbox removal when that is on). */
  readonly hash: string;
  /** perception's compute_quality (0..100) of the hashed frame. */
  readonly quality: number;
  /** Hash of the central crop (see VideoHashOptions.cropFraction); lets a cropped copy meet its source. */
  readonly cropHash?: string;
  /** Hash of the horizontally flipped frame (isometric matching), derived from the DCT signs. */
  readonly flipHash?: string;
  /** Hash of the flipped central crop. */
  readonly flipCropHash?: string;
}

export interface VideoHashResult {
  readonly path: string;
  /** Kept frames in time order. */
  readonly frames: readonly VideoFrameHash[];
  /** Frames decoded and looked at (before quality and inter-frame filtering). */
  readonly sampled: number;
  readonly durationSec: number;
  /** Average frame rate of the stream (0 when the container does not say). */
  readonly fps: number;
  /** Size of the decoded frames (after rotation metadata is applied). */
  readonly width: number;
  readonly height: number;
  readonly codec: string;
  /** Bounds of the picture inside black bars, when letterbox removal found bars in most frames. */
  readonly letterbox?: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
  /** Name and settings of the frame hasher, e.g. "phash:hashSize=16". */
  readonly hasher: string;
  /** Sampling rate actually used (may exceed framesPerSecond for short clips, see minFrames). */
  readonly sampleFps: number;
}

export type LetterboxMode = 'off' | 'perception' | 'bars';

export interface VideoHashOptions {
  /** Frames sampled per second of video (perception's frames_per_second). Default 1. */
  readonly framesPerSecond?: number;
  /**
   * Short clips are sampled faster so that they still give at least this many frames (never faster than
   * the file's own rate). 0 turns it off (perception parity). Default 16.
   */
  readonly minFrames?: number;
  /** Frame hasher name and parameters (default phash with hashSize 16). */
  readonly hasher?: { readonly name: string; readonly params?: Readonly<Record<string, number | boolean>> };
  /** A frame is kept when its distance to the last kept frame exceeds this (perception's interframe_threshold). Default 0.05. */
  readonly interframeThreshold?: number;
  /** Frames with compute_quality below this are dropped (perception's quality_threshold). Default none. */
  readonly qualityThreshold?: number;
  /**
   * 'last-kept' (default): compare each frame with the last kept one, so a slow pan keeps a frame each time
   * the picture has moved on. 'first-kept': perception 0.9's behaviour, whose reference frame is never updated.
   */
  readonly compareWith?: 'last-kept' | 'first-kept';
  /** 'bars' (default): remove uniform black bars; 'perception': perception's unletterbox bounds as they are; 'off'. */
  readonly letterbox?: LetterboxMode;
  /** Also hash the central crop keeping this fraction of each side (0 = off). Default 0.9. */
  readonly cropFraction?: number;
  /** Also hash the horizontal mirror image (isometric matching of flipped copies). Default false. */
  readonly isometric?: boolean;
  /** Decode keyframes only (-skip_frame nokey): about 3x faster, but the sampled frames then depend on the encoder's keyframe placement. */
  readonly keyframesOnly?: boolean;
  /** Let ffmpeg downscale so the longer side is at most this before piping (0 = full resolution, perception parity). */
  readonly maxSide?: number;
  /** Decoder threads per ffmpeg process (0 = ffmpeg decides). Default 1: parallelism comes from several videos at once. */
  readonly threads?: number;
  /** Stop after this many seconds of video (0 = whole file). */
  readonly maxDurationSec?: number;
  /** ffmpeg / ffprobe executables (otherwise found on PATH, then the bundled packages). */
  readonly ffmpegPath?: string;
  readonly ffprobePath?: string;
  /** Checked between frames; a cancelled hash rejects with code CANCELLED semantics (INTERNAL 'cancelled'). */
  readonly signal?: { readonly cancelled: boolean };
}

export interface VideoMatchOptions {
  /** Two frames match when their distance is below this (strict, as perception). Default 0.2 (phash16). */
  readonly frameThreshold?: number;
  /** Videos are duplicates when at least this share of the shorter video's kept frames match. Default 0.2. */
  readonly minShare?: number;
  /** Compare flipped hashes too (needs isometric hashes). Default false. */
  readonly isometric?: boolean;
  /** Compare central-crop hashes too (when present). Default true. */
  readonly crop?: boolean;
  /**
   * Reject pairs whose frames only look alike because they show the same scene: the matched frames must
   * agree on one time offset, and the aligned frames must be clearly closer than frames of the same scene
   * at other moments. Default true.
   */
  readonly temporalCheck?: boolean;
  /** Seconds of disagreement tolerated when frames vote for a common time offset. Default: 1.5 sample intervals, at least 0.25 s. */
  readonly offsetToleranceSec?: number;
}

export interface MatchedFrame {
  readonly a: { readonly index: number; readonly timestampSec: number };
  readonly b: { readonly index: number; readonly timestampSec: number };
  readonly distance: number;
  /** Which hash pair matched: full/full, crop/full, full/crop, or a flipped variant. */
  readonly via: string;
}

export interface VideoMatch {
  readonly a: string;
  readonly b: string;
  /** Share of the shorter video's kept frames with a match (0..1). */
  readonly share: number;
  /** Median distance of the matched frames. */
  readonly distance: number;
  /** Time offset b - a of the aligned frames (seconds), when the temporal check found one. */
  readonly offsetSec?: number;
  readonly flipped: boolean;
  readonly frames: readonly MatchedFrame[];
}
