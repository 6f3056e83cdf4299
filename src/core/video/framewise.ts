/**
 * perception's FramewiseHasher over sampled frames: drop frames below the quality threshold, keep a frame
 * when it differs from the reference frame by more than the inter-frame threshold.
 *
 * The one deliberate difference: perception 0.9 sets its reference ("previous") to the first kept frame
 * and never updates it, so in a slow pan every frame far enough from the *first* one is kept, and a video
 * that returns to its opening shot keeps nothing more. By default the reference here is the last kept
 * frame, i.e. a frame is kept when the picture has moved on since the last one kept. compareWith:
 * 'first-kept' restores perception's behaviour (parity tests use it).
 */
import { encodeHash, vectorDistance } from '../hashers/format.js';
import type { Hasher, HashVector } from '../hashers/types.js';
import type { RgbImage } from '../cv/types.js';
import { computeQuality } from '../quality.js';
import type { SampledFrame } from './frameReader.js';
import type { ResolvedVideoHashOptions } from './options.js';
import type { VideoFrameHash } from './types.js';
import { barBounds, centerCrop, cropRgb, unletterboxBounds, type Bounds } from './unletterbox.js';

/** The resolved video options the framewise hasher reads (cropFraction 0 = no crop hash). */
export type FramewiseOptions = Pick<
  ResolvedVideoHashOptions,
  'interframeThreshold' | 'qualityThreshold' | 'compareWith' | 'letterbox' | 'cropFraction' | 'isometric'
>;

/** Mirror image (left-right), for hashers that cannot derive the flipped hash from their own transform. */
export function mirrorRgb(img: RgbImage): RgbImage {
  const { data, width: w, height: h } = img;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < h; y++) {
    const row = y * w * 3;
    for (let x = 0; x < w; x++) {
      const s = row + x * 3;
      const d = row + (w - 1 - x) * 3;
      out[d] = data[s];
      out[d + 1] = data[s + 1];
      out[d + 2] = data[s + 2];
    }
  }
  return { data: out, width: w, height: h };
}

export class FramewiseHasher {
  private readonly kept: VideoFrameHash[] = [];
  private reference: HashVector | null = null;
  private sampledCount = 0;
  private bars: Bounds | null = null;
  private barVotes = 0;

  constructor(
    private readonly hasher: Hasher,
    private readonly o: FramewiseOptions,
  ) {}

  get sampled(): number {
    return this.sampledCount;
  }

  get frames(): readonly VideoFrameHash[] {
    return this.kept;
  }

  /** Bars found in at least half of the sampled frames, for the result's `letterbox` field. */
  get letterbox(): Bounds | null {
    return this.bars && this.barVotes * 2 >= this.sampledCount ? this.bars : null;
  }

  push(frame: SampledFrame): void {
    this.sampledCount++;
    const img = this.removeBars(frame.image);
    // With isometric matching, one DCT gives both the hash and its mirror (PHash derives flips from DCT signs).
    const iso = this.o.isometric && this.hasher.computeIsometric ? this.hasher.computeIsometric(img) : null;
    const vec = iso ? iso.r0 : this.hasher.compute(img);
    // The quality filter comes first, as in perception; without one, quality is only computed for kept frames (it costs as much as the hash).
    let quality = this.o.qualityThreshold !== undefined ? computeQuality(img) : -1;
    if (this.o.qualityThreshold !== undefined && quality < this.o.qualityThreshold) return;
    if (vec === null) return; // e.g. PHashU8 of a uniform frame: perception would fail; there is nothing to compare
    if (this.reference !== null && !(vectorDistance(vec, this.reference, this.hasher.distanceMetric) > this.o.interframeThreshold)) return;
    if (quality < 0) quality = computeQuality(img);
    if (this.reference === null || this.o.compareWith === 'last-kept') this.reference = vec;
    const flip = this.o.isometric ? (iso ? iso.fh : this.hasher.compute(mirrorRgb(img))) : null;
    this.kept.push({ index: frame.index, timestampSec: frame.timestampSec, quality, ...this.variants(img, vec, flip) });
  }

  private removeBars(img: RgbImage): RgbImage {
    if (this.o.letterbox === 'off') return img;
    if (this.o.letterbox === 'perception') {
      const b = unletterboxBounds(img);
      return b ? cropRgb(img, b) : img;
    }
    const b = barBounds(img);
    if (b) {
      this.bars = b;
      this.barVotes++;
      return cropRgb(img, b);
    }
    // A dark scene inside a letterboxed video hides the bars' edges; keep cropping while the bars stay black.
    if (this.bars && stillBlack(img, this.bars)) {
      this.barVotes++;
      return cropRgb(img, this.bars);
    }
    return img;
  }

  private variants(img: RgbImage, vec: HashVector, flip: HashVector | null): Pick<VideoFrameHash, 'hash' | 'cropHash' | 'flipHash' | 'flipCropHash'> {
    const h = this.hasher;
    const enc = (v: HashVector | null): string | undefined => (v === null ? undefined : encodeHash(v, h.dtype));
    const out: { hash: string; cropHash?: string; flipHash?: string; flipCropHash?: string } = { hash: encodeHash(vec, h.dtype) };
    const crop = this.o.cropFraction > 0 && this.o.cropFraction < 1 ? centerCrop(img, this.o.cropFraction) : null;
    if (this.o.isometric) {
      out.flipHash = enc(flip);
      if (crop) {
        if (h.computeIsometric) {
          const iso = h.computeIsometric(crop);
          out.cropHash = enc(iso.r0);
          out.flipCropHash = enc(iso.fh);
        } else {
          out.cropHash = enc(h.compute(crop));
          out.flipCropHash = enc(h.compute(mirrorRgb(crop)));
        }
      }
    } else if (crop) {
      out.cropHash = enc(h.compute(crop));
    }
    return out;
  }
}

function stillBlack(img: RgbImage, b: Bounds): boolean {
  const { data, width: w, height: h } = img;
  let bright = 0;
  let total = 0;
  const count = (x0: number, x1: number, y0: number, y1: number): void => {
    for (let y = y0; y < y1; y++) {
      for (let x = x0, i = (y * w + x0) * 3; x < x1; x++, i += 3) {
        if (data[i] + data[i + 1] + data[i + 2] > 6) bright++;
      }
    }
    total += Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  };
  count(0, w, 0, b.y1);
  count(0, w, b.y2, h);
  count(0, b.x1, b.y1, b.y2);
  count(b.x2, w, b.y1, b.y2);
  return total > 0 && bright <= 0.02 * total;
}
