/** Inputs shared by the INTER_AREA tests (cv/resizeArea.test.ts) and the kernels' parity test (kernels/kernels.test.ts). */

/** n seeded pseudo-random bytes (a 32-bit LCG's top byte): the same for a seed on every run. */
export function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

/** (sw, sh, dw, dh) that hit every path: integer factors (2x2, 3x, 10x), non-integer factors on either axis, upscaling. */
export const RESIZE_CASES: ReadonlyArray<readonly [number, number, number, number]> = [
  [640, 480, 64, 64],
  [128, 128, 64, 64],
  [96, 64, 32, 32],
  [300, 201, 64, 64],
  [301, 199, 17, 16],
  [1000, 750, 64, 64],
  [65, 130, 64, 64],
  [33, 47, 9, 8],
  [20, 12, 64, 64],
  [5, 7, 17, 16],
  [300, 50, 64, 64],
  [48, 48, 32, 32],
  [1920, 1280, 64, 64],
  [2561, 1601, 64, 64],
  [427, 640, 64, 64],
  [90, 65, 64, 64],
];
