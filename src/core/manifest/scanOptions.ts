/**
 * The scan settings a manifest records, as scan options: what `media-dedupe check` repeats the scan with,
 * and what the extension's review opened from a manifest says it was made with. One reader, so both agree
 * on the defaults an absent field stands for.
 */
import type { ScanOptions } from '../types.js';
import type { ManifestSettings } from './types.js';

export function scanOptionsOf(s: ManifestSettings): Omit<ScanOptions, 'useCache'> {
  return {
    hashers: s.hashers.map((h) => ({ ...h })),
    isometric: s.isometric,
    groupBy: s.groupBy,
    strict: s.strict,
    protect: s.protect,
    include: s.include,
    exclude: s.exclude,
    videos: s.videos !== false,
    // Absent only in manifests from versions where the colour check was on by default.
    colorCheck: s.colorCheck !== false,
    ...(s.cropResistant === true ? { cropResistant: true } : {}),
    ...(s.splits ? { splits: s.splits.map((r) => ({ ...r })) } : {}),
  };
}
