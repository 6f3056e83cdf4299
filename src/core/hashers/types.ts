import type { ViewBits } from '../kernels/cropViewBits.js';
import type { RgbImage } from '../cv/types.js';

/** perception's hash dtypes: bool (bit) hashes compare by normalised Hamming, the others by Euclidean distance. */
export type HashDtype = 'bool' | 'uint8' | 'float32';
export type DistanceMetric = 'hamming' | 'euclidean';

/**
 * A computed hash vector, before string encoding.
 * bool: one 0/1 byte per bit (vector order, as perception's flattened array);
 * uint8: the bytes; float32: the values.
 */
export type HashVector = Uint8Array | Float32Array;

/** The 8 dihedral variants, in perception's order. */
export const ISOMETRIC_KEYS = ['r0', 'fv', 'fh', 'r180', 'r90', 'r90fv', 'r90fh', 'r270'] as const;
export type IsometricKey = (typeof ISOMETRIC_KEYS)[number];

/** A hasher declares its contract as data (as perception's hashers do) and is a pure function of pixels. */
export interface Hasher {
  readonly name: string; // perception-style name, e.g. "phash"
  readonly dtype: HashDtype;
  readonly distanceMetric: DistanceMetric;
  readonly hashLength: number; // elements in the vector (bits for bool hashes)
  readonly defaultThreshold: number; // perception's recommended threshold for this configuration
  /** Returns null where perception returns None (e.g. PHashU8 of a uniform image). */
  compute(image: RgbImage): HashVector | null;
  /** Optional: the 8 dihedral variants without re-hashing pixels (PHash derives them from DCT signs). */
  computeIsometric?(image: RgbImage): Record<IsometricKey, HashVector | null>;
  /**
   * Optional: the hasher is a function of the image's grey (cv2 RGB2GRAY, or BGR2GRAY on RGB data)
   * area-resized to side x side, and `finish` is the rest of it. Crop-resistant hashing uses it to hash ten
   * sub-rectangles of a file from one small grey grid instead of cutting and resizing ten copies
   * (crops/greyViews.ts).
   */
  readonly resizedGrey?: {
    readonly side: number;
    readonly order: 'rgb' | 'bgr';
    finish(small: Uint8Array): HashVector | null;
    /** When finish gives bits by the median test of a DCT block (PHash): which block, so the crop views' kernel can run it (crops/greyViews.ts greyViewBits). */
    readonly bits?: ViewBits;
  };
}
