/**
 * perception's BlockMean = OpenCV img_hash BlockMeanHash, mode 1: INTER_LINEAR_EXACT of the
 * colour image to 256x256, BGR2GRAY (on perception's RGB data), 16x16 blocks at a step of 8
 * (31 x 31 = 961 blocks), bit = block mean >= image mean.
 */
import { rgbToGraySwapped } from '../cv/gray.js';
import { resizeLinearExact } from '../cv/resizeLinear.js';
import type { RgbImage } from '../cv/types.js';
import type { Hasher } from './types.js';

const SIZE = 256;
const BLOCK = 16;
const STEP = 8;
const PER_SIDE = (SIZE - BLOCK) / STEP + 1; // 31
const BLOCKS = PER_SIDE * PER_SIDE; // 961
const HASH_BITS = Math.ceil(BLOCKS / 8) * 8; // 968: OpenCV emits 121 bytes

export function createBlockMean(): Hasher {
  return {
    name: 'blockmean',
    dtype: 'bool',
    distanceMetric: 'hamming',
    hashLength: HASH_BITS,
    defaultThreshold: 0.008,
    compute: blockMeanHash,
  };
}

function blockMeanHash(image: RgbImage): Uint8Array {
  const small = resizeLinearExact(image.data, image.width, image.height, 3, SIZE, SIZE);
  // BGR2GRAY on RGB bytes: the red byte gets the blue weight (OpenCV believes it is blue).
  const gray = rgbToGraySwapped({ data: small, width: SIZE, height: SIZE }).data;
  let total = 0;
  for (const g of gray) total += g;
  // Column sums of 16-row bands make each block sum 16 additions instead of 256.
  const bits = new Uint8Array(HASH_BITS);
  const colSum = new Int32Array(SIZE);
  let k = 0;
  for (let row = 0; row + BLOCK <= SIZE; row += STEP) {
    colSum.fill(0);
    for (let y = row; y < row + BLOCK; y++) {
      const base = y * SIZE;
      for (let x = 0; x < SIZE; x++) colSum[x] += gray[base + x];
    }
    for (let col = 0; col + BLOCK <= SIZE; col += STEP, k++) {
      let s = 0;
      for (let x = col; x < col + BLOCK; x++) s += colSum[x];
      // mean >= median  <=>  s / 256 >= total / 65536, exactly (both divisions are by powers of two)
      if (s * (SIZE * SIZE) >= total * BLOCK * BLOCK) setOpenCvBit(bits, k);
    }
  }
  return bits;
}

/**
 * OpenCV stores bit i at (1 << i % 8) of byte i / 8 (LSB first); perception unpacks each byte
 * MSB first, so bit i lands at vector index 8 * (i / 8) + 7 - i % 8.
 */
function setOpenCvBit(bits: Uint8Array, i: number): void {
  bits[(i & ~7) + 7 - (i & 7)] = 1;
}
