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
  /** The frame hasher: its key (e.g. "phash:hashSize=16,..."), what its hashes are and how they compare. */
  readonly hasher: VideoHasherInfo;
  /** Sampling rate actually used (may exceed framesPerSecond for short clips, see minFrames). */
  readonly sampleFps: number;
  /** Set when the file is damaged but some frames were read (decoding stopped early or covered only part of it). */
  readonly warning?: string;
}

export interface VideoHasherInfo {
  readonly key: string;
  readonly dtype: 'bool' | 'uint8' | 'float32';
  readonly distanceMetric: 'hamming' | 'euclidean';
  readonly hashLength: number;
  /** perception's recommended threshold for the frame hasher (0.2 for phash16). */
  readonly defaultThreshold: number;
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
  /** A frame is kept when its distance to the last kept frame exceeds this (perception's interframe_threshold). Default 0.02: only repeats of a still picture are dropped. */
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
  /**
   * 'time' (default): the first frame at or after each 1/fps instant, by timestamps. 'frames': every
   * (rate/fps)-th decoded frame at the nominal rate, as perception's OpenCV reader; the two agree on
   * constant-rate files and differ on variable-rate ones (and on files with cuts).
   */
  readonly sampleBy?: 'time' | 'frames';
  /** Decode keyframes only (-skip_frame nokey): about 3x faster, but the sampled frames then depend on the encoder's keyframe placement. */
  readonly keyframesOnly?: boolean;
  /** Let ffmpeg downscale so the longer side is at most this before piping (0 = full resolution, perception parity). */
  readonly maxSide?: number;
  /** Decoder threads per ffmpeg process (0 = ffmpeg decides, the default: it measured faster than 1 thread even with two videos at once on 2 cores). */
  readonly threads?: number;
  /** Stop after this many seconds of video (0 = whole file). */
  readonly maxDurationSec?: number;
  /** ffmpeg / ffprobe executables (otherwise found on PATH, then the bundled packages). */
  readonly ffmpegPath?: string;
  readonly ffprobePath?: string;
  /** Checked between frames: a cancelled hash stops ffmpeg and rejects (code INTERNAL, "Cancelled."). */
  readonly signal?: { readonly cancelled: boolean };
}

export interface VideoMatchOptions {
  /** Two frames match when their distance is below this (strict, as perception). Default: the frame hasher's threshold (0.2 for phash16). */
  readonly frameThreshold?: number;
  /** Videos are duplicates when at least this share of the shorter video's kept frames match at one time offset. Default 0.2. */
  readonly minShare?: number;
  /** Compare mirrored hashes too (both results need them: hash with isometric). Default false. */
  readonly isometric?: boolean;
  /** Compare central-crop hashes too (when present). Default true. */
  readonly crop?: boolean;
  /**
   * Default true: besides the share, ask for evidence that the two files show the same moments and not just
   * the same scene (two halves of one static-camera recording look alike frame by frame). See docs/video.md.
   * false: perception's rule alone (share of frames with any match).
   */
  readonly temporalCheck?: boolean;
  /** The aligned frames must cover at least this share of the shorter video for the same-moment tests. Default 0.5. */
  readonly minOverlap?: number;
  /** Aligned frames this close (median) are the same footage whatever the motion. Default 0.225 x frameThreshold (0.045 for phash16). */
  readonly strictThreshold?: number;
  /** A smaller overlap than minOverlap is accepted only below this median distance. Default 0.15 x frameThreshold. */
  readonly partialThreshold?: number;
  /** Same moments when frames at other times are this much farther (median ratio). Default 1.3. */
  readonly minContrast?: number;
  /** ... or when this share of aligned frames is closer than every frame at another time. Default 0.75. */
  readonly minWins?: number;
}

export interface MatchedFrame {
  readonly a: { readonly index: number; readonly timestampSec: number };
  readonly b: { readonly index: number; readonly timestampSec: number };
  readonly distance: number;
  /** Which hash pair matched: full/full, crop/full, full/crop, or a flipped variant. */
  readonly via: string;
}

export type MatchReason =
  | 'near-identical' // aligned frames within strictThreshold
  | 'contrast' // aligned frames clearly closer than other moments
  | 'wins' // most aligned frames closer than any other moment
  | 'no-other-moments' // too short or too static to tell moments apart: the share decides
  | 'partial-overlap' // less than minOverlap in common, but near-identical there
  | 'share'; // temporalCheck off: perception's rule

export interface VideoMatch {
  readonly a: string;
  readonly b: string;
  /** Share of the shorter video's kept frames with a match at the chosen offset (0..1). */
  readonly share: number;
  /** Median distance of the aligned frames. */
  readonly distance: number;
  /** Time offset (b - a, seconds) at which the frames align; e.g. the cut of a trimmed copy. */
  readonly offsetSec: number;
  /** The frames mostly matched through mirrored hashes. */
  readonly flipped: boolean;
  readonly reason: MatchReason;
  /** The evidence behind the decision (see docs/video.md). */
  readonly evidence: { readonly overlap: number; readonly contrast: number; readonly wins: number; readonly compared: number };
  /** Aligned frame pairs below frameThreshold, in time order of a. */
  readonly frames: readonly MatchedFrame[];
}
