import type { ErrorCode } from '../errors.js';
import type { HashFormat } from '../hashers/format.js';
import type { HasherSpec } from '../hashers/registry.js';
import type { IsometricKey } from '../hashers/types.js';
import type { DecodeOptions } from '../image/decode.js';
import type { KeepStats } from '../image/keepStats.js';
import type { PhaseProfile } from '../profile/phaseProfile.js';
import type { CancelSignal } from '../types.js';

export interface HashSuccess {
  readonly path: string;
  readonly ok: true;
  /** Pixel size after EXIF orientation. */
  readonly width: number;
  readonly height: number;
  /** File size in bytes and modification time, read from the open file the hash came from. */
  readonly size: number;
  readonly mtimeMs: number;
  /** Real format from the magic bytes (jpeg, png, webp, ...). */
  readonly format: string;
  /** Hash string per hasher key (hasherKey); null where perception returns None. */
  readonly hashes: Record<string, string | null>;
  /** With `isometric`: the 8 dihedral variants per hasher key. */
  readonly isometric?: Record<string, Record<IsometricKey, string | null>>;
  /** With `cropResistant`: per hasher key, the content box's hash then the nine windows' (hashing/hashImage.ts hashCrops). */
  readonly crops?: Record<string, (string | null)[]>;
  /** With `cropResistant`: the file's view colours (crops/viewColors.ts), for the crop pairs' colour check. */
  readonly cropColors?: string;
  /** With `colorSignature`: hashers/colorSignature.ts of the same decoded pixels, base64. */
  readonly color?: string;
  /** With `fingerprint`: SHA-256 of the bytes that were decoded, lowercase hex (the manifest's fingerprint). */
  readonly sha256?: string;
  /** With `keepStats`: what the keep policy reads (image/keepStats.ts). */
  readonly keep?: KeepStats;
}

export interface HashFailure {
  readonly path: string;
  readonly ok: false;
  readonly error: { readonly code: ErrorCode; readonly message: string };
}

export type HashOutcome = HashSuccess | HashFailure;

export type PipelineKind = 'main' | 'workers';

export interface HashFilesOptions {
  /** Also compute the 8 dihedral variants of every hash. */
  readonly isometric?: boolean;
  /** Also compute each file's colour signature (for the scan's colour check). */
  readonly colorSignature?: boolean;
  /** Also hash each file's content box and crop windows (the scan's --crop-resistant). */
  readonly cropResistant?: boolean;
  /** Also the SHA-256 of each file, from the bytes read for decoding (no second read). */
  readonly fingerprint?: boolean;
  /** Also the keep policy's facts of each image (image/keepStats.ts). */
  readonly keepStats?: boolean;
  /** Checked before each file is started; files already in flight finish and are reported. */
  readonly signal?: CancelSignal;
  /** Called once per file as soon as it is done (completion order); `index` is its position in `paths`. */
  readonly onResult?: (outcome: HashOutcome, index: number) => void;
  /** Images being decoded at once (default DEFAULT_IN_FLIGHT). */
  readonly concurrency?: number;
  /** Hash string encoding (default base64, perception's). */
  readonly format?: HashFormat;
  readonly decode?: DecodeOptions;
  /** main (default, measured fastest here): decode N in flight, hash on this thread. workers: decode + hash in worker threads (30-46% slower on 2 cores; see hashFiles). */
  readonly pipeline?: PipelineKind;
  /** workers pipeline: number of worker threads (default 2). */
  readonly workers?: number;
  /** workers pipeline: path of the worker script (default hashWorker.js beside the bundle). */
  readonly workerPath?: string;
  /** Records read, decode, hash, colour signature and fingerprint times (main pipeline only). */
  readonly profile?: PhaseProfile;
}

/** Serialisable settings shared by the main-thread pipeline and the worker threads. */
export interface PipelineSettings {
  readonly hashers: readonly HasherSpec[];
  readonly isometric: boolean;
  /** Also return each file's colour signature, from the same decoded pixels. */
  readonly colorSignature?: boolean;
  /** Also return the content box's and the crop windows' hashes (hashImage.ts hashCrops). */
  readonly cropResistant?: boolean;
  /** Also return the SHA-256 of the bytes read for decoding. */
  readonly fingerprint?: boolean;
  /** Also return image/keepStats.ts's facts for the keep policy (JPEG quality, JPEG grid, size without borders). */
  readonly keepStats?: boolean;
  readonly format: HashFormat;
  readonly decode: DecodeOptions;
  readonly inFlight: number;
}
