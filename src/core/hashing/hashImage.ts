import { sameCropHasher, type CropFacts, type CropPassHasher } from '../crops/cropPass.js';
import { contentBox, cropViews } from '../crops/cropWindows.js';
import { greyViewBits, greyViews, smallViewBits } from '../crops/greyViews.js';
import { encodeViewColors, VIEW_COLOR_CELLS } from '../crops/viewColors.js';
import { cellMeans } from '../hashers/colorSignature.js';
import { MediaError } from '../errors.js';
import { encodeHash, type HashFormat } from '../hashers/format.js';
import { computeIsometricHashes } from '../hashers/isometric.js';
import { createHasherFromSpec, hasherKey, type HasherSpec } from '../hashers/registry.js';
import { ISOMETRIC_KEYS, type Hasher, type HashVector, type IsometricKey } from '../hashers/types.js';
import type { DecodedImage } from '../image/decode.js';
import type { HashSuccess } from './types.js';

export interface PreparedHasher {
  readonly key: string;
  readonly hasher: Hasher;
}

/** Validates and builds every hasher once; duplicate configurations collapse to one key. */
export function prepareHashers(specs: readonly HasherSpec[]): PreparedHasher[] {
  if (specs.length === 0) throw new MediaError('INVALID_OPTION', 'Expected at least one hasher but received none');
  const seen = new Set<string>();
  const out: PreparedHasher[] = [];
  for (const spec of specs) {
    const key = hasherKey(spec);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ key, hasher: createHasherFromSpec(spec) });
  }
  return out;
}

const encode = (v: HashVector | null, h: Hasher, format: HashFormat): string | null => (v === null ? null : encodeHash(v, h.dtype, format));

/** Runs every hasher on one decoded image. Throws (with the hasher named) if a hasher fails. */
export function hashDecoded(path: string, img: DecodedImage, hashers: readonly PreparedHasher[], isometric: boolean, format: HashFormat): HashSuccess {
  const hashes: Record<string, string | null> = {};
  const iso: Record<string, Record<IsometricKey, string | null>> | undefined = isometric ? {} : undefined;
  for (const { key, hasher } of hashers) {
    try {
      if (iso) {
        // The r0 variant is the plain hash, so isometric mode never hashes the same pixels twice.
        const variants = computeIsometricHashes(hasher, img);
        const enc = {} as Record<IsometricKey, string | null>;
        for (const k of ISOMETRIC_KEYS) enc[k] = encode(variants[k], hasher, format);
        iso[key] = enc;
        hashes[key] = enc.r0;
      } else {
        hashes[key] = encode(hasher.compute(img), hasher, format);
      }
    } catch (e) {
      if (e instanceof MediaError) throw new MediaError(e.code, `${hasher.name}: ${e.message}`, path);
      throw new MediaError('INTERNAL', `${hasher.name} failed on this ${img.width} x ${img.height} image: ${e instanceof Error ? e.message : String(e)}`, path);
    }
  }
  const out: HashSuccess = {
    path,
    ok: true,
    width: img.originalWidth,
    height: img.originalHeight,
    size: img.size,
    mtimeMs: img.mtimeMs,
    format: img.format,
    hashes,
  };
  return iso ? { ...out, isometric: iso } : out;
}

/**
 * The crop-resistant hashes of one decoded image (crops/cropWindows.ts CROP_LAYOUT): per hasher key, the
 * hash of the content box (null when there is no uniform border to trim, or the hasher returns None on
 * it), then the hash of each window. From the pixels the whole-file hash was taken of: no second decode.
 * A hasher that is a function of a resized grey picture (PHash, the default) gets its ten pictures from
 * one small grey grid (crops/greyViews.ts); any other hasher is run on ten RGB copies. `colors`: the file's
 * view colours (crops/viewColors.ts: a colour grid of the whole picture and the content box), for the colour
 * check of the pairs the views find (colorcheck/cropColors.ts). `facts`: the same measured beforehand on the
 * libuv pool (crops/cropPass.ts), for the hasher it names.
 */
export function hashCrops(path: string, img: DecodedImage, hashers: readonly PreparedHasher[], format: HashFormat, facts?: CropFacts): CropHashes {
  const box = facts ? facts.box : contentBox(img);
  let views: ReturnType<typeof cropViews> | undefined;
  const out: Record<string, (string | null)[]> = {};
  for (const { key, hasher } of hashers) {
    try {
      const rg = hasher.resizedGrey;
      if (rg) {
        // Bits in one kernel call for the ten views when the hasher has them and the picture is not smaller than the grid.
        const bits =
          facts && sameCropHasher(facts.hasher, rg)
            ? facts.bits
            : rg.bits && (greyViewBits(img, rg.order, rg.side, rg.bits, box) ?? smallViewBits(img, rg.order, rg.side, rg.bits, box));
        out[key] = bits
          ? bits.map((b) => (b ? encode(b, hasher, format) : null))
          : greyViews(img, rg.order, rg.side, box).map((small) => (small ? encode(rg.finish(small), hasher, format) : null));
      } else {
        views ??= cropViews(img, box);
        const v = views;
        out[key] = [v.box ? encode(hasher.compute(v.box), hasher, format) : null, ...v.windows.map((w) => encode(hasher.compute(w), hasher, format))];
      }
    } catch (e) {
      throw new MediaError(
        'INTERNAL',
        `${hasher.name} failed on a crop window of this ${img.width} x ${img.height} image: ${e instanceof Error ? e.message : String(e)}`,
        path,
      );
    }
  }
  const colors = encodeViewColors(facts ? facts.colors : cellMeans(img, 0, 0, img.width, img.height, VIEW_COLOR_CELLS), box, img.width, img.height);
  return { hashes: out, colors };
}

/** The hasher whose crop views the pool's pass measures (crops/cropPass.ts): the first with a bit-valued resized grey picture (PHash). */
export function cropPassHasher(hashers: readonly PreparedHasher[]): CropPassHasher | undefined {
  for (const { hasher } of hashers) {
    const rg = hasher.resizedGrey;
    if (rg?.bits) return { order: rg.order, side: rg.side, bits: rg.bits };
  }
  return undefined;
}

export interface CropHashes {
  /** Per hasher key: the content box's hash (null when none), then the nine windows'. */
  readonly hashes: Record<string, (string | null)[]>;
  /** crops/viewColors.ts encodeViewColors. */
  readonly colors: string;
}
