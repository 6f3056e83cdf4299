/** Which scanned folder a file belongs to, and the hasher as the CLI spells it. Pure, unit-tested. */
import * as path from 'node:path';
import type { MediaDedupeConfig } from './config.js';

/** The deepest candidate folder holding `file` that passes `hasCache` (a scanned subfolder wins over its workspace). */
export function datasetFor(file: string, candidates: readonly string[], hasCache: (dir: string) => boolean, sep: string = path.sep): string | undefined {
  const inside = candidates.filter((c) => file === c || file.startsWith(c.endsWith(sep) ? c : c + sep));
  return [...new Set(inside)].sort((a, b) => b.length - a.length).find(hasCache);
}

const FIXED_SIZE = new Set(['blockmean', 'marrhildreth', 'colormoment', 'pdq', 'pdqf']);

/** NAME[:SIZE][@THRESHOLD], as `media-dedupe query --hasher` takes it. */
export function hasherArg(c: Pick<MediaDedupeConfig, 'hasher' | 'hashSize' | 'threshold'>): string {
  return `${c.hasher}${FIXED_SIZE.has(c.hasher) ? '' : `:${c.hashSize}`}${c.threshold === null ? '' : `@${c.threshold}`}`;
}
