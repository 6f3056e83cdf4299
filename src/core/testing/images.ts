/** Small real images for scan tests, made with sharp from seeded pixel patterns (no binary fixtures in git). */
import sharp from 'sharp';
import { xorshift32 } from './plantedHashes.js';

/** A smooth-ish RGB pattern: seeded 8x8 colour blocks, blurred, so perceptual hashes behave as on photos. */
export function patternPixels(seed: number, width = 128, height = 96): Buffer {
  const next = xorshift32((seed * 2654435761 + 12345) >>> 0);
  const rnd = (): number => next() & 0xff;
  const bw = 8;
  const bh = 6;
  const blocks = Array.from({ length: bw * bh }, () => [rnd(), rnd(), rnd()]);
  const px = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = blocks[Math.min(bh - 1, Math.floor((y * bh) / height)) * bw + Math.min(bw - 1, Math.floor((x * bw) / width))];
      px.set(c, (y * width + x) * 3);
    }
  }
  return px;
}

export function pattern(seed: number, width = 128, height = 96): sharp.Sharp {
  return sharp(patternPixels(seed, width, height), { raw: { width, height, channels: 3 } }).blur(2);
}

/**
 * Writes an image: `kind` picks the encoder; `flip` mirrors it; `scale` resizes; `border` pads each side by
 * that share of the side in `borderColour` (default black); `crop` cuts that share off the left and top.
 */
export async function writeImage(
  path: string,
  seed: number,
  opts: {
    kind?: 'jpeg' | 'png' | 'webp';
    flip?: boolean;
    scale?: number;
    quality?: number;
    width?: number;
    height?: number;
    border?: number;
    borderColour?: { r: number; g: number; b: number };
    crop?: number;
  } = {},
): Promise<void> {
  const w = opts.width ?? 128;
  const h = opts.height ?? 96;
  // Render to a buffer first: sharp applies resize before blur within one pipeline, which would change the picture.
  const base = await pattern(seed, w, h).png().toBuffer();
  let img = sharp(base);
  if (opts.flip) img = img.flop();
  if (opts.scale) img = img.resize(Math.round(w * opts.scale), Math.round(h * opts.scale));
  if (opts.border) {
    const [bx, by] = [Math.round(w * opts.border), Math.round(h * opts.border)];
    img = sharp(await img.png().toBuffer()).extend({ top: by, bottom: by, left: bx, right: bx, background: opts.borderColour ?? { r: 0, g: 0, b: 0 } });
  }
  if (opts.crop) {
    const [cx, cy] = [Math.round(w * opts.crop), Math.round(h * opts.crop)];
    img = sharp(await img.png().toBuffer()).extract({ left: cx, top: cy, width: w - cx, height: h - cy });
  }
  const kind = opts.kind ?? 'jpeg';
  if (kind === 'jpeg') img = img.jpeg({ quality: opts.quality ?? 90 });
  else if (kind === 'png') img = img.png();
  else img = img.webp({ quality: opts.quality ?? 90 });
  await img.toFile(path);
}
