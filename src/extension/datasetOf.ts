/** Which scanned folder a file belongs to, and the hasher Find Similar asks for. Pure, unit-tested. */
import * as path from 'node:path';
import { hasherSpec, type MediaDedupeConfig } from './config.js';

/** The deepest candidate folder holding `file` that passes `hasCache` (a scanned subfolder wins over its workspace). */
export function datasetFor(file: string, candidates: readonly string[], hasCache: (dir: string) => boolean, sep: string = path.sep): string | undefined {
  const inside = candidates.filter((c) => file === c || file.startsWith(c.endsWith(sep) ? c : c + sep));
  return [...new Set(inside)].sort((a, b) => b.length - a.length).find(hasCache);
}

/** The hasher Find Similar Images compares with: the scan's (no threshold set: the hasher's recommended one). */
export function similarHasher(c: Pick<MediaDedupeConfig, 'hasher' | 'hashSize' | 'threshold'>): { name: string; hashSize?: number; threshold?: number } {
  return { ...hasherSpec(c), ...(c.threshold === null ? {} : { threshold: c.threshold }) };
}
