/** Decoded pixels as cv2.imread gives them (converted to RGB): row-major, interleaved, 8 bits per sample. */
export interface RgbImage {
  readonly data: Uint8Array; // width * height * 3 bytes, R G B
  readonly width: number;
  readonly height: number;
}

/** A single-channel 8-bit image (e.g. a grey conversion). */
export interface GrayImage {
  readonly data: Uint8Array; // width * height bytes
  readonly width: number;
  readonly height: number;
}
