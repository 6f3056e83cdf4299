/**
 * Test-only decoder: the sharp pipeline that yields cv2.imread's bytes (converted to RGB) for 60 of the
 * 61 reference images (reference/perception/README.md). Production code uses src/core/image/decode.ts.
 */
import sharp from 'sharp';
import { createHash } from 'node:crypto';
import type { RgbImage } from '../cv/types.js';

export async function decodeForTests(path: string): Promise<RgbImage> {
  const { data, info } = await sharp(path, { ignoreIcc: true }).rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`${path}: decoded to ${info.channels} channels, expected 3`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/** MD5 of the RGB bytes, comparable with manifest.json's decoded_rgb_md5. */
export function rgbMd5(image: RgbImage): string {
  return createHash('md5').update(image.data).digest('hex');
}
